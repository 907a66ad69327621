#include "ui/player/TimeViewport.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

TimeViewport::TimeViewport(QObject* parent) : QObject(parent) {}

void TimeViewport::setDuration(double seconds) {
    seconds = std::max(0.0, seconds);
    if (seconds == duration_) return;
    duration_ = seconds;
    bool emitted = fitted_ ? (fitAll(), true) : false;
    if (!fitted_) emitted = apply(start_, secondsPerPixel_, false);
    if (!emitted) emit changed();  // the scroll range depends on the duration
}

void TimeViewport::setWidth(int pixels) {
    pixels = std::max(1, pixels);
    if (pixels == width_) return;
    width_ = pixels;
    if (fitted_)
        fitAll();
    else
        apply(start_, secondsPerPixel_, false);
}

void TimeViewport::setView(double start, double secondsPerPixel) { apply(start, secondsPerPixel, false); }

void TimeViewport::zoomBy(double factor, double anchorX) {
    if (factor <= 0) return;
    double anchor = xToSeconds(anchorX);
    double spp = std::clamp(secondsPerPixel_ / factor, kMinSecondsPerPixel, kMaxSecondsPerPixel);
    // Zooming out past the whole track snaps back to the fitted view.
    if (duration_ > 0 && spp * width_ >= duration_) {
        fitAll();
        return;
    }
    apply(anchor - anchorX * spp, spp, false);
}

void TimeViewport::follow(double seconds, bool continuous) {
    if (fitted_) return;
    double visible = visibleSeconds();
    if (continuous) {
        apply(seconds - visible / 2, secondsPerPixel_, false);
    } else if (seconds < start_ || seconds >= end()) {
        apply(seconds - visible * 0.05, secondsPerPixel_, false);
    }
}

void TimeViewport::fitAll() {
    double spp = duration_ > 0 ? duration_ / width_ : 0.01;
    if (!apply(0, std::clamp(spp, kMinSecondsPerPixel, kMaxSecondsPerPixel), true)) emit changed();
}

bool TimeViewport::apply(double start, double secondsPerPixel, bool fitted) {
    // Scrolling stops at the ends; a little space after the end is allowed so the last second is not at the edge.
    double maxStart = std::max(0.0, duration_ - width_ * secondsPerPixel * 0.9);
    start = std::clamp(start, 0.0, maxStart);
    if (fitted) start = 0;
    bool same = start == start_ && secondsPerPixel == secondsPerPixel_ && fitted == fitted_;
    start_ = start;
    secondsPerPixel_ = secondsPerPixel;
    fitted_ = fitted;
    if (!same) emit changed();
    return !same;
}

}  // namespace sonolab::ui
