#pragma once
// The time window that the waveform, the spectrogram and the time ruler all show: one model, so zooming or
// scrolling any of them moves all of them. Positions are in seconds; x is in pixels from the left edge of the
// views' data area (every view leaves the same left margin for its vertical axis).
#include <QObject>

namespace sonolab::ui {

class TimeViewport : public QObject {
    Q_OBJECT
public:
    explicit TimeViewport(QObject* parent = nullptr);

    // Smallest and largest zoom: a few samples per pixel up to a whole day of audio on screen.
    static constexpr double kMinSecondsPerPixel = 1.0 / 48000.0;
    static constexpr double kMaxSecondsPerPixel = 60.0;

    double duration() const { return duration_; }
    int width() const { return width_; }
    double start() const { return start_; }
    double secondsPerPixel() const { return secondsPerPixel_; }
    double end() const { return start_ + width_ * secondsPerPixel_; }
    double visibleSeconds() const { return width_ * secondsPerPixel_; }
    // True while the whole track is in view; a growing duration (streaming) keeps it so.
    bool fitted() const { return fitted_; }

    double xToSeconds(double x) const { return start_ + x * secondsPerPixel_; }
    double secondsToX(double seconds) const { return (seconds - start_) / secondsPerPixel_; }

public slots:
    void setDuration(double seconds);
    void setWidth(int pixels);
    void setView(double start, double secondsPerPixel);
    // factor > 1 zooms in; the time under anchorX stays where it is.
    void zoomBy(double factor, double anchorX);
    void zoomIn() { zoomBy(2.0, width_ / 2.0); }
    void zoomOut() { zoomBy(0.5, width_ / 2.0); }
    void scrollByPixels(double pixels) { setView(start_ + pixels * secondsPerPixel_, secondsPerPixel_); }
    void scrollTo(double start) { setView(start, secondsPerPixel_); }
    // Keeps `seconds` on screen: pages when it leaves the view (page), or keeps it at the centre (continuous).
    void follow(double seconds, bool continuous);
    void fitAll();

signals:
    void changed();

private:
    // Returns whether anything changed (and changed() was emitted).
    bool apply(double start, double secondsPerPixel, bool fitted);

    double duration_ = 0;
    int width_ = 1;
    double start_ = 0;
    double secondsPerPixel_ = 0.01;
    bool fitted_ = true;
};

}  // namespace sonolab::ui
