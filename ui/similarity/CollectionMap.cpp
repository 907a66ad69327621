#include "ui/similarity/CollectionMap.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <set>

namespace sonolab::ui {

namespace {
constexpr double kMargin = 32;  // room for rank numbers beside edge dots
constexpr double kDot = 4.5;
constexpr double kPickRadius = 8;
constexpr int kLegendRows = 12;
// Above this many points a change of view skips dots whose sprite already lies at the same pixel (level of detail):
// the picture is the same but for alpha piling up, and dense clusters draw several times faster.
constexpr std::size_t kDetailLimit = 20000;
const QColor kUnlabelled(170, 170, 170);
}  // namespace

CollectionMap::CollectionMap(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(240, 200);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(250, 250, 252));
    p.setColor(QPalette::WindowText, QColor(30, 30, 30));
    setPalette(p);
    resetButton_ = new QToolButton(this);
    resetButton_->setObjectName("resetMapView");
    resetButton_->setText(tr("Fit"));
    resetButton_->setToolTip(tr("Show the whole collection again (or double-click the map)"));
    resetButton_->setAutoRaise(false);
    resetButton_->setEnabled(false);
    connect(resetButton_, &QToolButton::clicked, this, &CollectionMap::resetView);
}

void CollectionMap::setPoints(std::vector<MapPoint> points) {
    points_ = std::move(points);
    indexOf_.clear();
    for (std::size_t i = 0; i < points_.size(); ++i) indexOf_[points_[i].id] = i;
    if (hovered_ >= 0 && !indexOf_.count(hovered_)) hovered_ = -1;
    rebuildPalette();
    fitBounds();
    resetView();
}

void CollectionMap::setLabels(const std::map<std::int64_t, QString>& labels, const QString& legendTitle) {
    for (auto& p : points_) {
        auto it = labels.find(p.id);
        p.label = it == labels.end() ? QString() : it->second;
    }
    legendTitle_ = legendTitle;
    rebuildPalette();
    update();
}

void CollectionMap::rebuildPalette() {
    std::map<QString, int> counts;
    for (const auto& p : points_)
        if (!p.label.isEmpty()) ++counts[p.label];
    // A qualitative palette (Tableau 10) for the common case of a handful of styles, then evenly spaced hues.
    static const QColor tableau[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
                                     {140, 86, 75},  {227, 119, 194}, {188, 189, 34}, {23, 190, 207}, {90, 90, 90}};
    palette_.clear();
    int i = 0;
    for (const auto& [label, n] : counts) {
        palette_[label] = i < 10 ? tableau[i] : QColor::fromHsv((i * 47) % 360, 200, 210);
        ++i;
    }
    legend_.assign(counts.begin(), counts.end());
    std::stable_sort(legend_.begin(), legend_.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    // Per point, the colour's index: the paint loop then neither compares label strings nor searches a map.
    colours_.assign(1, kUnlabelled);
    std::map<QString, std::uint16_t> index;
    for (const auto& [label, colour] : palette_) {
        index[label] = std::uint16_t(std::min<std::size_t>(colours_.size(), 65535));
        if (colours_.size() < 65536) colours_.push_back(colour);
    }
    colourIndex_.resize(points_.size());
    for (std::size_t i = 0; i < points_.size(); ++i)
        colourIndex_[i] = points_[i].label.isEmpty() ? 0 : index[points_[i].label];
    sprites_.clear();
    ++generation_;
}

QColor CollectionMap::colourOf(const QString& label) const {
    auto it = palette_.find(label);
    return it == palette_.end() ? kUnlabelled : it->second;
}

void CollectionMap::setSelection(std::int64_t selected, std::vector<std::int64_t> neighbours) {
    selected_ = selected;
    neighbours_ = std::move(neighbours);
    update();
}

void CollectionMap::setCurrentNeighbour(std::int64_t id) {
    current_ = id;
    update();
}

void CollectionMap::fitBounds() {
    if (points_.empty()) {
        minX_ = minY_ = 0;
        maxX_ = maxY_ = 1;
        return;
    }
    minX_ = maxX_ = points_[0].x;
    minY_ = maxY_ = points_[0].y;
    for (const auto& p : points_) {
        minX_ = std::min<double>(minX_, p.x);
        maxX_ = std::max<double>(maxX_, p.x);
        minY_ = std::min<double>(minY_, p.y);
        maxY_ = std::max<double>(maxY_, p.y);
    }
    if (maxX_ - minX_ < 1e-9) maxX_ = minX_ + 1;
    if (maxY_ - minY_ < 1e-9) maxY_ = minY_ + 1;
}

void CollectionMap::resetView() {
    zoom_ = 1;
    pan_ = {};
    resetButton_->setEnabled(false);
    update();
    emit viewChanged();
}

double CollectionMap::scale() const {
    // Same scale on both axes so distances on screen mean the same in every direction.
    const double w = std::max(1.0, width() - 2 * kMargin), h = std::max(1.0, height() - 2 * kMargin);
    return std::min(w / (maxX_ - minX_), h / (maxY_ - minY_)) * zoom_;
}

QPointF CollectionMap::toWidget(float x, float y) const {
    const double s = scale();
    const double cx = (minX_ + maxX_) / 2, cy = (minY_ + maxY_) / 2;
    return {width() / 2.0 + (x - cx) * s + pan_.x(), height() / 2.0 - (y - cy) * s + pan_.y()};
}

QRectF CollectionMap::visibleRange() const {
    const double s = scale();
    const double cx = (minX_ + maxX_) / 2, cy = (minY_ + maxY_) / 2;
    // Invert toWidget at the widget's corners.
    const double left = cx + (0 - width() / 2.0 - pan_.x()) / s;
    const double right = cx + (width() - width() / 2.0 - pan_.x()) / s;
    const double top = cy - (0 - height() / 2.0 - pan_.y()) / s;
    const double bottom = cy - (height() - height() / 2.0 - pan_.y()) / s;
    return QRectF(QPointF(left, bottom), QPointF(right, top));
}

QPointF CollectionMap::widgetPosition(std::int64_t id) const {
    auto it = indexOf_.find(id);
    if (it == indexOf_.end()) return {-1, -1};
    return toWidget(points_[it->second].x, points_[it->second].y);
}

std::int64_t CollectionMap::trackAt(QPointF pos) const {
    std::int64_t best = -1;
    double bestD = kPickRadius * kPickRadius;
    for (const auto& p : points_) {
        const QPointF w = toWidget(p.x, p.y);
        const double d = (w.x() - pos.x()) * (w.x() - pos.x()) + (w.y() - pos.y()) * (w.y() - pos.y());
        if (d <= bestD) {
            bestD = d;
            best = p.id;
        }
    }
    return best;
}

void CollectionMap::zoomAt(QPointF pos, double factor) {
    factor = std::clamp(zoom_ * factor, 0.2, 500.0) / zoom_;
    // Keep the point under the cursor where it is: pan' = pos - c - (pos - c - pan) * factor.
    const QPointF centre(width() / 2.0, height() / 2.0);
    pan_ = pos - centre - (pos - centre - pan_) * factor;
    zoom_ *= factor;
    resetButton_->setEnabled(true);
    update();
    emit viewChanged();
}

const QImage& CollectionMap::sprite(std::size_t colourIndex, bool faded) const {
    const std::size_t slot = 2 * colourIndex + (faded ? 1 : 0);
    if (sprites_.size() < 2 * colours_.size()) sprites_.resize(2 * colours_.size());
    QImage& image = sprites_[slot];
    if (!image.isNull()) return image;
    const QColor colour = colours_[colourIndex];
    const qreal dpr = devicePixelRatioF();
    const int size = int(std::ceil(2 * kDot + 2));
    image = QImage(int(std::ceil(size * dpr)), int(std::ceil(size * dpr)), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QColor fill = colour;
    if (faded) {
        fill.setAlpha(70);
        p.setPen(Qt::NoPen);
    } else {
        p.setPen(QPen(colour.darker(150), 0.8));
    }
    p.setBrush(fill);
    p.drawEllipse(QPointF(size / 2.0, size / 2.0), kDot, kDot);
    p.end();
    return image;
}

const QImage& CollectionMap::collectionLayer(bool faded) {
    const LayerKey key{size(), devicePixelRatioF(), zoom_, pan_, faded, generation_};
    if (key == layerKey_ && !layer_.isNull()) return layer_;
    layer_ = QImage((QSizeF(size()) * key.dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    layer_.setDevicePixelRatio(key.dpr);
    layer_.fill(palette().color(QPalette::Window));
    QPainter painter(&layer_);
    drawCollection(painter, faded);
    paintLegend(painter);
    layerKey_ = key;
    return layer_;
}

void CollectionMap::drawCollection(QPainter& painter, bool faded) const {
    const int half = int(std::ceil(2 * kDot + 2)) / 2;
    const int w = width(), h = height();
    const double s = scale(), cx = (minX_ + maxX_) / 2, cy = (minY_ + maxY_) / 2;
    const double ox = w / 2.0 + pan_.x(), oy = h / 2.0 + pan_.y();
    // Level of detail: the colour last blitted at each pixel (0 = none yet).
    const bool thin = points_.size() > kDetailLimit;
    std::vector<std::uint16_t> last(thin ? std::size_t(w) * std::size_t(h) : 0, 0);
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const int x = int(std::lround(ox + (points_[i].x - cx) * s)), y = int(std::lround(oy - (points_[i].y - cy) * s));
        if (x < -half || y < -half || x > w + half || y > h + half) continue;
        const std::uint16_t colour = colourIndex_[i];
        if (thin && x >= 0 && y >= 0 && x < w && y < h) {
            auto& at = last[std::size_t(y) * std::size_t(w) + std::size_t(x)];
            if (at == colour + 1) continue;
            at = std::uint16_t(colour + 1);
        }
        painter.drawImage(QPoint(x - half, y - half), sprite(colour, faded));
    }
}

void CollectionMap::paintEvent(QPaintEvent*) {
    QElapsedTimer timer;
    timer.start();
    QPainter painter(this);
    if (points_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No map yet: choose a space"));
        return;
    }
    const bool focus = selected_ >= 0 && indexOf_.count(selected_);
    // The collection comes from the cached layer; the selection, its neighbours and the hover are drawn over it.
    painter.drawImage(QPointF(0, 0), collectionLayer(focus));
    painter.setRenderHint(QPainter::Antialiasing);
    if (focus) {
        const auto& s = points_[indexOf_.at(selected_)];
        const QPointF sw = toWidget(s.x, s.y);
        for (auto id : neighbours_)
            if (auto it = indexOf_.find(id); it != indexOf_.end()) {
                painter.setPen(id == current_ ? QPen(QColor(220, 30, 30), 2.5) : QPen(QColor(30, 30, 30, 150), 1.3));
                painter.drawLine(sw, toWidget(points_[it->second].x, points_[it->second].y));
            }
        QFont small = font();
        small.setPointSizeF(std::max(6.5, small.pointSizeF() * 0.8));
        small.setBold(true);
        painter.setFont(small);
        // Last rank first, so where dots overlap the nearer neighbour (and its number) is on top.
        for (std::size_t rank = neighbours_.size(); rank-- > 0;) {
            auto it = indexOf_.find(neighbours_[rank]);
            if (it == indexOf_.end()) continue;
            const auto& p = points_[it->second];
            const QPointF w = toWidget(p.x, p.y);
            painter.setPen(QPen(QColor(20, 20, 20), 1.8));
            painter.setBrush(colourOf(p.label));
            painter.drawEllipse(w, kDot + 1.5, kDot + 1.5);
            painter.setBrush(Qt::NoBrush);
            const bool current = neighbours_[rank] == current_;
            painter.setPen(QPen(current ? QColor(220, 30, 30) : QColor(255, 200, 0), current ? 3 : 2));
            painter.drawEllipse(w, kDot + (current ? 6 : 4), kDot + (current ? 6 : 4));
            // The rank, as in the list, beside the dot (with a halo so it reads over other dots).
            const QString text = QString::number(rank + 1);
            const QPointF at(w.x() + kDot + 5, w.y() - kDot - 2);
            painter.setPen(QColor(255, 255, 255, 220));
            for (const QPointF d : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1)}) painter.drawText(at + d, text);
            painter.setPen(QColor(20, 20, 20));
            painter.drawText(at, text);
        }
        painter.setBrush(colourOf(s.label));
        painter.setPen(QPen(Qt::black, 2.5));
        painter.drawEllipse(sw, kDot + 4, kDot + 4);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(220, 30, 30), 2));
        painter.drawEllipse(sw, kDot + 8, kDot + 8);
    }
    if (hovered_ >= 0)
        if (auto it = indexOf_.find(hovered_); it != indexOf_.end()) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(QColor(0, 120, 215), 2));
            painter.drawEllipse(toWidget(points_[it->second].x, points_[it->second].y), kDot + 6, kDot + 6);
        }
    lastPaintMs_ = timer.nsecsElapsed() / 1e6;
}

void CollectionMap::paintLegend(QPainter& painter) const {
    if (legend_.empty()) return;
    QFont f = font();
    painter.setFont(f);
    const QFontMetrics fm(f);
    const int rows = std::min<int>(int(legend_.size()), kLegendRows);
    const bool more = int(legend_.size()) > rows;
    int textWidth = legendTitle_.isEmpty() ? 0 : fm.horizontalAdvance(legendTitle_);
    for (int i = 0; i < rows; ++i)
        textWidth = std::max(textWidth, fm.horizontalAdvance(QStringLiteral("%1 (%2)").arg(legend_[i].first).arg(legend_[i].second)) + 18);
    const int line = fm.height() + 2;
    const int lines = rows + (more ? 1 : 0) + (legendTitle_.isEmpty() ? 0 : 1);
    const QRectF box(6, 6, textWidth + 16, lines * line + 8);
    painter.setPen(QColor(200, 200, 205));
    painter.setBrush(QColor(255, 255, 255, 225));
    painter.drawRoundedRect(box, 4, 4);
    double y = box.top() + 4;
    if (!legendTitle_.isEmpty()) {
        QFont bold = f;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(QColor(30, 30, 30));
        painter.drawText(QPointF(box.left() + 8, y + fm.ascent()), legendTitle_);
        painter.setFont(f);
        y += line;
    }
    for (int i = 0; i < rows; ++i) {
        const auto& [label, n] = legend_[std::size_t(i)];
        painter.setPen(QPen(colourOf(label).darker(150), 0.8));
        painter.setBrush(colourOf(label));
        painter.drawEllipse(QPointF(box.left() + 13, y + line / 2.0 - 1), 5, 5);
        painter.setPen(QColor(30, 30, 30));
        painter.drawText(QPointF(box.left() + 26, y + fm.ascent()), QStringLiteral("%1 (%2)").arg(label).arg(n));
        y += line;
    }
    if (more) {
        painter.setPen(QColor(90, 90, 90));
        painter.drawText(QPointF(box.left() + 26, y + fm.ascent()), tr("+%1 more").arg(legend_.size() - std::size_t(rows)));
    }
}

void CollectionMap::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0) zoomAt(event->position(), std::pow(1.25, steps));
    event->accept();
}

void CollectionMap::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    pressPos_ = event->position();
    panAtPress_ = pan_;
    pressed_ = true;
    dragging_ = false;
}

void CollectionMap::mouseMoveEvent(QMouseEvent* event) {
    if (pressed_ && (event->buttons() & Qt::LeftButton)) {
        const QPointF delta = event->position() - pressPos_;
        if (dragging_ || std::hypot(delta.x(), delta.y()) > 4) {
            if (!dragging_) setHovered(-1, {});
            dragging_ = true;
            pan_ = panAtPress_ + delta;
            resetButton_->setEnabled(true);
            update();
            emit viewChanged();
        }
        return;
    }
    setHovered(trackAt(event->position()), event->globalPosition().toPoint());
}

void CollectionMap::setHovered(std::int64_t id, QPoint globalPos) {
    if (id == hovered_) return;
    hovered_ = id;
    update();
    if (id >= 0) {
        const auto& p = points_[indexOf_.at(id)];
        QString text = p.title.toHtmlEscaped();
        text = QStringLiteral("<b>%1</b>").arg(text);
        if (!p.detail.isEmpty()) text += QStringLiteral("<br>%1").arg(p.detail.toHtmlEscaped());
        QToolTip::showText(globalPos, text, this);
    } else {
        QToolTip::hideText();
    }
    emit trackHovered(id);
}

void CollectionMap::mouseReleaseEvent(QMouseEvent* event) {
    if (pressed_ && !dragging_ && event->button() == Qt::LeftButton) {
        const std::int64_t id = trackAt(event->position());
        if (id >= 0) emit trackClicked(id);
    }
    pressed_ = false;
    dragging_ = false;
}

void CollectionMap::mouseDoubleClickEvent(QMouseEvent* event) {
    if (trackAt(event->position()) < 0) resetView();
}

void CollectionMap::leaveEvent(QEvent* event) {
    setHovered(-1, {});
    QWidget::leaveEvent(event);
}

void CollectionMap::resizeEvent(QResizeEvent*) {
    resetButton_->adjustSize();
    resetButton_->move(width() - resetButton_->width() - 6, 6);
    update();
}

}  // namespace sonolab::ui
