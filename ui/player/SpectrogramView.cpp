#include "ui/player/SpectrogramView.h"

#include "ui/player/AudioDocument.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

SpectrogramView::SpectrogramView(TimeViewport* viewport, QWidget* parent)
    : TimelineView(viewport, parent), cache_(new SpectrogramTileCache(this)) {
    setMinimumHeight(80);
    connect(cache_, &SpectrogramTileCache::tileReady, this, &SpectrogramView::tileArrived);
}

void SpectrogramView::tileArrived(int level, std::int64_t index, int height) {
    AudioDocument* doc = document();
    const QRect data = dataRect();
    if (!doc || !doc->isOpen() || height != data.height()) return update();
    const double rate = doc->sampleRate();
    if (level != levelInView(rate))
        return update();  // drawn as a stand-in for the level in view, which may span other tiles' columns
    const double tileSeconds = SpectrogramTileCache::tileSeconds(cache_->settings(), level, rate);
    const int x0 = static_cast<int>(std::floor(xOf(index * tileSeconds))) - 1;
    const int x1 = static_cast<int>(std::ceil(xOf((index + 1) * tileSeconds))) + 1;
    update(QRect(x0, data.top(), x1 - x0, data.height()).intersected(data));
}

int SpectrogramView::levelInView(double sampleRate) const {
    return SpectrogramTileCache::levelFor(cache_->settings(), viewport()->secondsPerPixel() * sampleRate);
}

void SpectrogramView::setSettings(const SpectrogramSettings& settings) {
    cache_->setSettings(settings);
    complete_ = false;
    update();
}

void SpectrogramView::documentChanged() {
    AudioDocument* doc = document();
    cache_->setSamples(doc && doc->isOpen() ? doc->samples() : nullptr);
    complete_ = false;
    announcedFirstPixels_ = false;
}

FrequencyScale SpectrogramView::frequencyScale() const {
    AudioDocument* doc = document();
    int rate = doc && doc->isOpen() ? doc->sampleRate() : 44100;
    return settings().frequencyScale(rate);
}

void SpectrogramView::paintEvent(QPaintEvent* event) {
    ++paintCount_;
    QPainter painter(this);
    const QRect data = dataRect();
    painter.fillRect(event->rect(), QColor(12, 12, 18));
    paintAxisBackground(painter);
    paintFrequencyAxis(painter, data);

    AudioDocument* doc = document();
    if (!doc || !doc->isOpen() || !cache_->samples() || data.width() <= 0 || data.height() <= 0) {
        complete_ = false;
        paintCursor(painter);
        return;
    }
    const double rate = doc->sampleRate();
    const auto* vp = viewport();
    const auto& settings = cache_->settings();
    const int level = levelInView(rate);
    const double hop = SpectrogramTileCache::columnHop(settings, level);
    const double tileSeconds = SpectrogramTileCache::tileSeconds(settings, level, rate);
    const double duration = doc->durationSeconds();

    // Only what needs repainting (the cursor strip repaints a few pixels), but tiles are requested for the whole view.
    double t0 = std::max(0.0, secondsAt(std::max(event->rect().left(), data.left())));
    double t1 = std::min(duration, secondsAt(std::min(event->rect().right() + 1, data.right() + 1)));
    auto firstTile = static_cast<std::int64_t>(std::floor(std::max(0.0, vp->start()) / tileSeconds));
    auto lastTile = static_cast<std::int64_t>(std::floor(std::min(duration, vp->end()) / tileSeconds));

    painter.setClipRect(data.intersected(event->rect()));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, vp->secondsPerPixel() * rate > hop);
    bool allComplete = true;
    bool drewSomething = false;
    for (auto index = firstTile; index <= lastTile; ++index) {
        auto tile = cache_->request(level, index, data.height());
        double tileStart = index * tileSeconds;
        double tileEnd = tileStart + tileSeconds;
        if (tileEnd < t0 || tileStart > t1) {
            if (!tile || !tile->complete()) allComplete = false;
            continue;
        }
        if (!tile || !tile->complete()) {
            allComplete = false;
            drewSomething |= paintStandIn(painter, level, std::max(tileStart, t0), std::min(tileEnd, t1), data);
        }
        if (!tile) continue;
        // Time span of the tile's columns, clipped to the track's end so the padding after it is not stretched in.
        double visibleEnd = std::min(tileEnd, duration);
        double columns = (visibleEnd - tileStart) / tileSeconds * SpectrogramTile::kColumns;
        if (columns <= 0) continue;
        QRectF target(xOf(tileStart), data.top(), xOf(visibleEnd) - xOf(tileStart), data.height());
        QRectF source(0, 0, columns, tile->height());
        if (tile->complete()) {
            painter.drawImage(target, tile->image, source);
        } else {
            // Only the columns that are rendered; the rest keeps the stand-in.
            int c = 0;
            while (c < columns) {
                while (c < columns && !tile->columnValid[static_cast<std::size_t>(c)]) ++c;
                int begin = c;
                while (c < columns && tile->columnValid[static_cast<std::size_t>(c)]) ++c;
                if (c > begin) {
                    double x0 = xOf(tileStart + begin * hop / rate), x1 = xOf(tileStart + c * hop / rate);
                    painter.drawImage(QRectF(x0, data.top(), x1 - x0, data.height()), tile->image,
                                      QRectF(begin, 0, c - begin, tile->height()));
                }
            }
        }
        drewSomething = true;
    }
    painter.setClipping(false);
    paintOnsets(painter, event->rect(), false);
    paintCursor(painter);

    if (drewSomething && !announcedFirstPixels_) {
        announcedFirstPixels_ = true;
        emit firstPixels();
    }
    // allComplete covers every visible tile, painted now or before: a tile's delivery repaints its columns, and
    // updates pending when this paint began are all part of it.
    {
        bool done = allComplete && !doc->loading();
        if (done && !complete_) {
            complete_ = true;
            emit completed();
        }
        complete_ = done;
    }
}

bool SpectrogramView::paintStandIn(QPainter& painter, int level, double t0, double t1, const QRect& data) const {
    const double rate = document()->sampleRate();
    const auto& settings = cache_->settings();
    // Nearest levels first, coarser before finer (a coarser tile covers more and is cheap to scale).
    for (int distance = 1; distance <= 6; ++distance) {
        for (int candidate : {level + distance, level - distance}) {
            if (candidate < 0 || candidate > SpectrogramTileCache::kMaxLevel) continue;
            const double tileSeconds = SpectrogramTileCache::tileSeconds(settings, candidate, rate);
            bool any = false;
            for (auto index = static_cast<std::int64_t>(std::floor(t0 / tileSeconds));
                 index * tileSeconds < t1; ++index) {
                auto tile = cache_->peek(candidate, index, data.height());
                if (!tile) {
                    // Any height will do for a stand-in: a resize keeps showing the old tiles stretched.
                    continue;
                }
                double start = index * tileSeconds;
                double a = std::max(t0, start), b = std::min(t1, start + tileSeconds);
                double c0 = (a - start) / tileSeconds * SpectrogramTile::kColumns;
                double c1 = (b - start) / tileSeconds * SpectrogramTile::kColumns;
                painter.drawImage(QRectF(xOf(a), data.top(), xOf(b) - xOf(a), data.height()), tile->image,
                                  QRectF(c0, 0, c1 - c0, tile->height()));
                any = true;
            }
            if (any) return true;
        }
    }
    return false;
}

void SpectrogramView::paintFrequencyAxis(QPainter& painter, const QRect& data) const {
    FrequencyScale scale = frequencyScale();
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    painter.setPen(palette().windowText().color());
    int wanted = std::max(2, data.height() / 40);
    for (double hz : scale.ticks(wanted)) {
        double y = data.top() + scale.yOfHz(hz, data.height());
        if (y < data.top() - 0.5 || y > data.bottom() + 1.5) continue;
        painter.drawLine(QPointF(kAxisWidth - 5, y), QPointF(kAxisWidth - 1, y));
        QRectF label(0, y - 8, kAxisWidth - 8, 16);
        label.moveTop(std::clamp(label.top(), 0.0, double(height()) - 16));
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, formatHz(hz));
    }
    painter.save();
    painter.translate(10, data.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-60, -8, 120, 16), Qt::AlignCenter, FrequencyScale::name(scale.kind()) + tr(" (Hz)"));
    painter.restore();
}

QString SpectrogramView::describe(QPoint position) const {
    AudioDocument* doc = document();
    const QRect data = dataRect();
    if (!doc || !doc->isOpen() || !data.contains(position)) return {};
    double t = secondsAt(position.x());
    if (t < 0 || t > doc->durationSeconds()) return {};
    int row = position.y() - data.top();
    double hz = frequencyScale().hzAtY(row + 0.5, data.height());
    QString text = QStringLiteral("%1   %2 Hz").arg(formatTime(t)).arg(std::lround(hz));
    const double rate = doc->sampleRate();
    const int level = levelInView(rate);
    const double hop = SpectrogramTileCache::columnHop(settings(), level);
    auto column = static_cast<std::int64_t>(std::floor(t * rate / hop));
    auto tile = cache_->peek(level, column / SpectrogramTile::kColumns, data.height());
    int c = static_cast<int>(column % SpectrogramTile::kColumns);
    if (tile && tile->columnValid[static_cast<std::size_t>(c)])
        text += QStringLiteral("   %1 dB").arg(tile->levelAt(c, row), 0, 'f', 1);
    return text;
}

}  // namespace sonolab::ui
