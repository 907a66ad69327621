#include "ui/similarity/CollectionMap.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <set>

namespace sonolab::ui {

namespace {
constexpr double kMargin = 24;
constexpr double kDot = 4.5;
constexpr double kPickRadius = 8;
}  // namespace

CollectionMap::CollectionMap(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(240, 200);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(250, 250, 252));
    setPalette(p);
}

void CollectionMap::setPoints(std::vector<MapPoint> points) {
    points_ = std::move(points);
    std::set<QString> labels;
    for (const auto& p : points_)
        if (!p.label.isEmpty()) labels.insert(p.label);
    // A qualitative palette (Tableau 10) for the common case of a handful of styles, then evenly spaced hues.
    static const QColor tableau[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
                                     {140, 86, 75},  {227, 119, 194}, {188, 189, 34}, {23, 190, 207}, {127, 127, 127}};
    palette_.clear();
    int i = 0;
    for (const auto& l : labels) {
        palette_[l] = i < 10 ? tableau[i] : QColor::fromHsv((i * 47) % 360, 200, 210);
        ++i;
    }
    fitBounds();
    resetView();
}

QColor CollectionMap::colourOf(const QString& label) const {
    auto it = palette_.find(label);
    return it == palette_.end() ? QColor(170, 170, 170) : it->second;
}

void CollectionMap::setSelection(std::int64_t selected, std::vector<std::int64_t> neighbours) {
    selected_ = selected;
    neighbours_ = std::move(neighbours);
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
    update();
}

QPointF CollectionMap::toWidget(float x, float y) const {
    // Same scale on both axes so distances on screen mean the same in every direction.
    const double w = std::max(1.0, width() - 2 * kMargin), h = std::max(1.0, height() - 2 * kMargin);
    const double scale = std::min(w / (maxX_ - minX_), h / (maxY_ - minY_)) * zoom_;
    const double cx = (minX_ + maxX_) / 2, cy = (minY_ + maxY_) / 2;
    return {width() / 2.0 + (x - cx) * scale + pan_.x(), height() / 2.0 - (y - cy) * scale + pan_.y()};
}

QPointF CollectionMap::widgetPosition(std::int64_t id) const {
    for (const auto& p : points_)
        if (p.id == id) return toWidget(p.x, p.y);
    return {-1, -1};
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
    factor = std::clamp(zoom_ * factor, 0.2, 200.0) / zoom_;
    // Keep the point under the cursor where it is: pan' = pos - c - (pos - c - pan) * factor.
    const QPointF centre(width() / 2.0, height() / 2.0);
    pan_ = pos - centre - (pos - centre - pan_) * factor;
    zoom_ *= factor;
    update();
}

void CollectionMap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (points_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No map yet: choose a space"));
        return;
    }
    std::map<std::int64_t, const MapPoint*> byId;
    for (const auto& p : points_) byId[p.id] = &p;
    const std::set<std::int64_t> nb(neighbours_.begin(), neighbours_.end());
    const bool focus = selected_ >= 0 && byId.count(selected_);

    // Lines from the selection to its neighbours, under the dots.
    if (focus) {
        const QPointF s = toWidget(byId[selected_]->x, byId[selected_]->y);
        painter.setPen(QPen(QColor(40, 40, 40, 120), 1.2));
        for (auto id : neighbours_)
            if (auto it = byId.find(id); it != byId.end()) painter.drawLine(s, toWidget(it->second->x, it->second->y));
    }
    for (const auto& p : points_) {
        const QPointF w = toWidget(p.x, p.y);
        QColor c = colourOf(p.label);
        if (focus && p.id != selected_ && !nb.count(p.id)) c.setAlpha(90);  // fade the rest, keep the neighbours bright
        painter.setPen(Qt::NoPen);
        painter.setBrush(c);
        painter.drawEllipse(w, kDot, kDot);
    }
    for (auto id : neighbours_)
        if (auto it = byId.find(id); it != byId.end()) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(QColor(20, 20, 20), 1.6));
            painter.drawEllipse(toWidget(it->second->x, it->second->y), kDot + 3, kDot + 3);
        }
    if (focus) {
        const QPointF s = toWidget(byId[selected_]->x, byId[selected_]->y);
        painter.setBrush(colourOf(byId[selected_]->label));
        painter.setPen(QPen(Qt::black, 2.5));
        painter.drawEllipse(s, kDot + 4, kDot + 4);
    }
    if (hovered_ >= 0)
        if (auto it = byId.find(hovered_); it != byId.end()) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(QColor(0, 120, 215), 2));
            painter.drawEllipse(toWidget(it->second->x, it->second->y), kDot + 5, kDot + 5);
        }
    // Legend: one swatch per label.
    int y = 8;
    QFontMetrics fm(font());
    for (const auto& [label, colour] : palette_) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawEllipse(QPointF(14, y + fm.height() / 2.0), 5, 5);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QPointF(24, y + fm.ascent()), label);
        y += fm.height() + 2;
    }
}

void CollectionMap::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0) zoomAt(event->position(), std::pow(1.25, steps));
    event->accept();
}

void CollectionMap::mousePressEvent(QMouseEvent* event) {
    pressPos_ = event->position();
    panAtPress_ = pan_;
    dragging_ = false;
}

void CollectionMap::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) {
        const QPointF delta = event->position() - pressPos_;
        if (dragging_ || std::hypot(delta.x(), delta.y()) > 4) {
            dragging_ = true;
            pan_ = panAtPress_ + delta;
            update();
        }
        return;
    }
    const std::int64_t id = trackAt(event->position());
    if (id != hovered_) {
        hovered_ = id;
        update();
        emit trackHovered(id);
        if (id >= 0) {
            for (const auto& p : points_)
                if (p.id == id)
                    QToolTip::showText(event->globalPosition().toPoint(),
                                       p.title + (p.label.isEmpty() ? QString() : "\n" + p.label), this);
        } else {
            QToolTip::hideText();
        }
    }
}

void CollectionMap::mouseReleaseEvent(QMouseEvent* event) {
    if (!dragging_ && event->button() == Qt::LeftButton) {
        const std::int64_t id = trackAt(event->position());
        if (id >= 0) emit trackClicked(id);
    }
    dragging_ = false;
}

void CollectionMap::resizeEvent(QResizeEvent*) { update(); }

}  // namespace sonolab::ui
