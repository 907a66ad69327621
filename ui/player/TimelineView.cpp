#include "ui/player/TimelineView.h"

#include "ui/player/AnnotationLayerOverlay.h"
#include "ui/player/AnnotationLayers.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetOverlay.h"
#include "ui/player/OnsetTrack.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

QString formatTime(double seconds, int decimals) {
    bool negative = seconds < 0;
    seconds = std::abs(seconds);
    auto minutes = static_cast<long long>(seconds / 60);
    double rest = seconds - minutes * 60.0;
    // Rounding 59.9996 to 3 decimals must not print "0:60.000".
    double scale = std::pow(10.0, decimals);
    rest = std::round(rest * scale) / scale;
    if (rest >= 60.0) {
        ++minutes;
        rest -= 60.0;
    }
    QString s = QStringLiteral("%1:%2").arg(minutes).arg(rest, decimals > 0 ? decimals + 3 : 2, 'f', decimals, QLatin1Char('0'));
    if (minutes >= 60) s = QStringLiteral("%1:%2:%3").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'))
                              .arg(rest, decimals > 0 ? decimals + 3 : 2, 'f', decimals, QLatin1Char('0'));
    return negative ? QStringLiteral("-") + s : s;
}

TimelineView::TimelineView(TimeViewport* viewport, QWidget* parent) : QWidget(parent), viewport_(viewport) {
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(viewport_, &TimeViewport::changed, this, qOverload<>(&QWidget::update));
}

AudioDocument* TimelineView::document() const { return document_.data(); }

void TimelineView::setDocument(AudioDocument* document) {
    if (document_) disconnect(document_, nullptr, this, nullptr);
    document_ = document;
    if (document_) {
        connect(document_, &AudioDocument::dataGrew, this, qOverload<>(&QWidget::update));
        connect(document_, &AudioDocument::opened, this, [this] { documentChanged(); update(); });
    }
    documentChanged();
    update();
}

void TimelineView::setOnsets(OnsetTrack* track) {
    if (onsets_) disconnect(onsets_, nullptr, this, nullptr);
    onsets_ = track;
    if (onsets_) connect(onsets_, &OnsetTrack::changed, this, qOverload<>(&QWidget::update));
    update();
}

OnsetTrack* TimelineView::onsets() const { return onsets_.data(); }

void TimelineView::setAnnotationLayers(AnnotationLayers* layers) {
    if (layers_) disconnect(layers_, nullptr, this, nullptr);
    layers_ = layers;
    if (layers_) connect(layers_, &AnnotationLayers::changed, this, qOverload<>(&QWidget::update));
    update();
}

void TimelineView::paintOnsets(QPainter& painter, const QRect& dirty, bool withCurve) const {
    if (layers_ && document_ && document_->isOpen()) AnnotationLayerOverlay::paint(painter, *this, *layers_, dirty);
    if (onsets_ && document_ && document_->isOpen()) OnsetOverlay::paint(painter, *this, *onsets_, dirty, withCurve);
}

void TimelineView::setCursorSeconds(double seconds) {
    if (seconds == cursor_) return;
    // Repaint only the two thin strips the cursor leaves and enters.
    int oldX = static_cast<int>(std::lround(xOf(cursor_)));
    cursor_ = seconds;
    int newX = static_cast<int>(std::lround(xOf(cursor_)));
    update(QRect(oldX - 2, 0, 5, height()));
    update(QRect(newX - 2, 0, 5, height()));
}

void TimelineView::paintCursor(QPainter& painter) const {
    if (!document_ || !document_->isOpen()) return;
    double x = xOf(cursor_);
    if (x < kAxisWidth || x > width()) return;
    painter.setPen(QPen(QColor(255, 80, 60), 1.5));
    painter.drawLine(QPointF(x, 0), QPointF(x, height()));
}

void TimelineView::paintAxisBackground(QPainter& painter) const {
    painter.fillRect(QRect(0, 0, kAxisWidth, height()), palette().window());
    painter.setPen(palette().mid().color());
    painter.drawLine(kAxisWidth - 1, 0, kAxisWidth - 1, height());
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && event->position().x() >= kAxisWidth && document_ && document_->isOpen()) {
        double t = std::clamp(secondsAt(event->position().x()), 0.0, document_->durationSeconds());
        if (onsets_)
            if (auto onset = OnsetOverlay::snap(*this, *onsets_, event->position().x())) t = *onset;
        emit seekRequested(t);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    hoverText_ = describe(event->position().toPoint());
    const QString onset = onsets_ && !hoverText_.isEmpty() ? OnsetOverlay::describe(*this, *onsets_, event->position().x()) : QString();
    if (!onset.isEmpty()) hoverText_ += QStringLiteral("   ") + onset;
    setToolTip(onset);
    emit hovered(hoverText_);
    QWidget::mouseMoveEvent(event);
}

void TimelineView::leaveEvent(QEvent* event) {
    hoverText_.clear();
    emit hovered(hoverText_);
    QWidget::leaveEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    QPoint delta = event->angleDelta();
    double anchor = event->position().x() - kAxisWidth;
    if (event->modifiers() & Qt::ShiftModifier || std::abs(delta.x()) > std::abs(delta.y())) {
        int d = delta.x() != 0 ? delta.x() : delta.y();
        viewport_->scrollByPixels(-d / 120.0 * viewport_->width() / 8.0);
    } else if (delta.y() != 0) {
        viewport_->zoomBy(std::pow(1.25, delta.y() / 120.0), anchor);
    }
    event->accept();
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    viewport_->setWidth(dataRect().width());
    QWidget::resizeEvent(event);
}

}  // namespace sonolab::ui
