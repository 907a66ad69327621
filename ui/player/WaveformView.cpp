#include "ui/player/WaveformView.h"

#include "ui/player/AudioDocument.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

WaveformView::WaveformView(TimeViewport* viewport, QWidget* parent) : TimelineView(viewport, parent) {
    setMinimumHeight(60);
}

void WaveformView::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    const QRect data = dataRect();
    painter.fillRect(event->rect(), QColor(24, 26, 32));
    paintAxisBackground(painter);

    const double mid = data.top() + data.height() / 2.0;
    const double half = data.height() / 2.0 - 2.0;
    // Amplitude axis: +1, 0, -1 and guide lines at +-0.5.
    painter.setPen(palette().windowText().color());
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    for (double a : {1.0, 0.5, 0.0, -0.5, -1.0}) {
        double y = mid - a * half;
        painter.setPen(QColor(60, 64, 76));
        painter.drawLine(QPointF(data.left(), y), QPointF(data.right(), y));
        painter.setPen(palette().windowText().color());
        painter.drawLine(QPointF(kAxisWidth - 5, y), QPointF(kAxisWidth - 1, y));
        QRectF label(0, y - 8, kAxisWidth - 8, 16);
        label.moveTop(std::clamp(label.top(), 0.0, double(height()) - 16));
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, QString::number(a, 'g', 2));
    }

    paintedColumns_ = 0;
    AudioDocument* doc = document();
    if (doc && doc->isOpen()) {
        const double rate = doc->sampleRate();
        const auto* vp = viewport();
        const double framesPerPixel = vp->secondsPerPixel() * rate;
        const double duration = doc->durationSeconds();
        int x0 = std::max(event->rect().left(), data.left());
        int x1 = std::min(event->rect().right() + 1, data.right() + 1);
        // Whole pixels only; the time range stops at the track's end.
        x1 = std::min<double>(x1, std::ceil(xOf(duration)));
        painter.setClipRect(data);
        const QColor wave(110, 190, 255);
        if (x1 > x0 && framesPerPixel >= audio::PeakSummary::kBucketFrames[0]) {
            double first = secondsAt(x0) * rate, last = secondsAt(x1) * rate;
            auto peaks = doc->peaks(first, last, x1 - x0);
            painter.setPen(QPen(wave, 1.0));
            for (int i = 0; i < x1 - x0; ++i) {
                const auto& p = peaks[static_cast<std::size_t>(i)];
                if (!p.valid()) continue;
                double top = mid - std::clamp(p.max, -1.0f, 1.0f) * half;
                double bottom = mid - std::clamp(p.min, -1.0f, 1.0f) * half;
                painter.drawLine(QPointF(x0 + i + 0.5, top), QPointF(x0 + i + 0.5, std::max(bottom, top + 1.0)));
                ++paintedColumns_;
            }
        } else if (x1 > x0) {
            // Zoomed in: a line through the samples (and dots when they are far apart).
            auto first = static_cast<std::int64_t>(std::floor(secondsAt(x0) * rate)) - 1;
            auto last = static_cast<std::int64_t>(std::ceil(secondsAt(x1) * rate)) + 1;
            first = std::max<std::int64_t>(first, 0);
            auto samples = doc->samples();
            if (last > first) {
                std::vector<float> values(static_cast<std::size_t>(last - first));
                samples->read(first, values);
                QPainterPath path;
                for (std::int64_t f = first; f < last; ++f) {
                    if (!samples->covered(f, f + 1)) continue;
                    QPointF p(xOf(f / rate), mid - std::clamp(values[static_cast<std::size_t>(f - first)], -1.0f, 1.0f) * half);
                    if (path.elementCount() == 0) path.moveTo(p);
                    else path.lineTo(p);
                    if (1.0 / framesPerPixel >= 6) painter.fillRect(QRectF(p.x() - 1.5, p.y() - 1.5, 3, 3), wave);
                }
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setPen(QPen(wave, 1.2));
                painter.drawPath(path);
                paintedColumns_ = path.elementCount() > 0 ? x1 - x0 : 0;
            }
        }
        painter.setClipping(false);
    } else {
        painter.setPen(QColor(150, 150, 160));
        painter.drawText(data, Qt::AlignCenter, tr("Open an audio file (File > Open, drag and drop, or the command line)"));
    }
    paintOnsets(painter, event->rect(), true);
    paintCursor(painter);
    if (paintedColumns_ > 0 && !announced_) {
        announced_ = true;
        emit firstPixels();
    }
}

QString WaveformView::describe(QPoint position) const {
    AudioDocument* doc = document();
    if (!doc || !doc->isOpen() || position.x() < kAxisWidth) return {};
    double t = secondsAt(position.x());
    if (t < 0 || t > doc->durationSeconds()) return {};
    double rate = doc->sampleRate();
    auto peaks = doc->peaks(t * rate, secondsAt(position.x() + 1) * rate, 1);
    QString text = formatTime(t);
    if (peaks[0].valid())
        text += QStringLiteral("   min %1  max %2").arg(peaks[0].min, 0, 'f', 3).arg(peaks[0].max, 0, 'f', 3);
    return text;
}

}  // namespace sonolab::ui
