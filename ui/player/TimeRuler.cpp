#include "ui/player/TimeRuler.h"

#include "ui/player/TimelineView.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace sonolab::ui {

TimeRuler::TimeRuler(TimeViewport* viewport, QWidget* parent) : QWidget(parent), viewport_(viewport) {
    setFixedHeight(24);
    connect(viewport_, &TimeViewport::changed, this, qOverload<>(&QWidget::update));
}

void TimeRuler::setCursorSeconds(double seconds) {
    if (seconds == cursor_) return;
    cursor_ = seconds;
    update();
}

double TimeRuler::tickStep() const {
    static constexpr std::array<double, 26> kSteps{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
                                                   1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
                                                   18000, 36000};
    double minimum = viewport_->secondsPerPixel() * 90.0;
    for (double s : kSteps)
        if (s >= minimum) return s;
    return kSteps.back();
}

void TimeRuler::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const int left = TimelineView::kAxisWidth;
    painter.setPen(palette().mid().color());
    painter.drawLine(left, height() - 1, width(), height() - 1);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    painter.setPen(palette().windowText().color());
    painter.drawText(QRect(0, 0, left - 6, height()), Qt::AlignRight | Qt::AlignVCenter, tr("time"));

    const double step = tickStep();
    const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    const double minor = step / 5;
    double t = std::floor(viewport_->start() / minor) * minor;
    painter.setClipRect(QRect(left, 0, width() - left, height()));
    for (; t <= viewport_->end() + minor; t += minor) {
        double x = left + viewport_->secondsToX(t);
        bool major = std::abs(std::remainder(t, step)) < minor * 0.01;
        painter.drawLine(QPointF(x, height() - (major ? 9 : 4)), QPointF(x, height() - 1));
        if (major && t >= -1e-9) painter.drawText(QPointF(x + 3, height() - 11), formatTime(std::max(0.0, t), decimals));
    }
    if (duration_ > 0) {
        double x = left + viewport_->secondsToX(cursor_);
        painter.setPen(QPen(QColor(255, 80, 60), 1.5));
        painter.setBrush(QColor(255, 80, 60));
        painter.drawPolygon(QPolygonF({QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 7)}));
    }
}

void TimeRuler::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && duration_ > 0 && event->position().x() >= TimelineView::kAxisWidth) {
        double t = viewport_->xToSeconds(event->position().x() - TimelineView::kAxisWidth);
        emit seekRequested(std::clamp(t, 0.0, duration_));
    }
}

}  // namespace sonolab::ui
