#include "ui/player/AnnotationLayerOverlay.h"

#include "ui/player/AnnotationLayers.h"
#include "ui/player/TimelineView.h"

#include <QPainter>

#include <cmath>

namespace sonolab::ui {

namespace {

QString textOf(const annotations::Event& e) {
    QString text = QString::fromStdString(e.label);
    if (e.value) text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + QString::number(*e.value, 'g', 3);
    return text;
}

void paintLayer(QPainter& painter, const TimelineView& view, const AnnotationLayers::Layer& layer, const QRect& lane,
                const QRect& clip) {
    const QRect data = view.dataRect();
    const double t0 = view.secondsAt(clip.left() - 1), t1 = view.secondsAt(clip.right() + 1);
    QColor band = layer.colour;
    band.setAlpha(90);
    QColor edge = layer.colour;
    edge.setAlpha(170);
    for (const auto& e : layer.annotation.events) {
        if (e.time > t1 || e.time + e.duration < t0) continue;
        const double x0 = std::floor(view.xOf(e.time)) + 0.5;
        painter.setPen(QPen(edge, 1.0));
        painter.drawLine(QPointF(x0, data.top()), QPointF(x0, data.bottom()));
        QRectF labelArea(x0 + 3, lane.top(), std::max(0.0, view.xOf(e.time + e.duration) - x0 - 4), lane.height());
        if (e.duration > 0) {
            const double x1 = std::floor(view.xOf(e.time + e.duration)) + 0.5;
            painter.fillRect(QRectF(x0, lane.top(), x1 - x0, lane.height()), band);
            painter.drawLine(QPointF(x1, data.top()), QPointF(x1, data.bottom()));
        } else {
            labelArea.setWidth(160);  // an instant's label runs on to the right until clipped
        }
        if (labelArea.width() < 8) continue;
        painter.setPen(Qt::black);
        painter.drawText(labelArea.translated(1, 1), Qt::AlignVCenter | Qt::AlignLeft, textOf(e));
        painter.setPen(Qt::white);
        painter.drawText(labelArea, Qt::AlignVCenter | Qt::AlignLeft, textOf(e));
    }
}

}  // namespace

QRect AnnotationLayerOverlay::laneRect(const TimelineView& view, int visibleIndex) {
    const QRect data = view.dataRect();
    return QRect(data.left(), data.top() + 2 + visibleIndex * (kLaneHeight + 2), data.width(), kLaneHeight);
}

void AnnotationLayerOverlay::paint(QPainter& painter, const TimelineView& view, const AnnotationLayers& layers,
                                   const QRect& dirty) {
    const QRect clip = dirty.intersected(view.dataRect());
    if (clip.isEmpty()) return;
    painter.save();
    painter.setClipRect(clip);
    QFont font = painter.font();
    font.setPixelSize(kLaneHeight - 6);
    painter.setFont(font);
    int lane = 0;
    for (const auto& layer : layers.layers()) {
        if (!layer.visible) continue;
        paintLayer(painter, view, layer, laneRect(view, lane++), clip);
    }
    painter.restore();
}

}  // namespace sonolab::ui
