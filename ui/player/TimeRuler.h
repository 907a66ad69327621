#pragma once
// The labelled time axis above the views, drawn from the shared TimeViewport (same left margin as the views).
// Clicking it seeks like clicking a view.
#include "ui/player/TimeViewport.h"

#include <QWidget>

namespace sonolab::ui {

class TimeRuler : public QWidget {
    Q_OBJECT
public:
    explicit TimeRuler(TimeViewport* viewport, QWidget* parent = nullptr);
    QSize sizeHint() const override { return {800, 24}; }

    void setDuration(double seconds) { duration_ = seconds; update(); }
    void setCursorSeconds(double seconds);
    // The tick spacing in seconds the ruler uses for the current zoom (at least ~90 pixels apart).
    double tickStep() const;

signals:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    TimeViewport* viewport_;
    double duration_ = 0;
    double cursor_ = 0;
};

}  // namespace sonolab::ui
