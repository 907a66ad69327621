#pragma once
// The spectrogram: draws tiles from a SpectrogramTileCache (rendered on worker threads; never an FFT here),
// stand-in tiles of other zoom levels while the right ones render, a labelled frequency axis, and the level under
// the pointer.
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/SpectrogramTileCache.h"
#include "ui/player/TimelineView.h"

namespace sonolab::ui {

class SpectrogramView : public TimelineView {
    Q_OBJECT
public:
    explicit SpectrogramView(TimeViewport* viewport, QWidget* parent = nullptr);

    QSize sizeHint() const override { return {800, 320}; }
    QSize minimumSizeHint() const override { return {200, 80}; }

    void setSettings(const SpectrogramSettings& settings);
    const SpectrogramSettings& settings() const { return cache_->settings(); }
    SpectrogramTileCache* cache() const { return cache_; }
    FrequencyScale frequencyScale() const;

    // Whether every visible column has been painted from a finished tile of the right zoom level.
    bool complete() const { return complete_; }
    int paintCount() const { return paintCount_; }

signals:
    // Emitted after a paint that left nothing to wait for (benchmarks time open -> this).
    void completed();
    void firstPixels();

protected:
    void paintEvent(QPaintEvent* event) override;
    QString describe(QPoint position) const override;
    void documentChanged() override;

private:
    // Repaints only the part of the view a newly delivered tile covers: a whole-view repaint per tile scaled every
    // visible tile again (a third of the GUI thread's time while a long track opened).
    void tileArrived(int level, std::int64_t index, int height);
    // The tile level the viewport's zoom draws (one column per pixel at most).
    int levelInView(double sampleRate) const;
    void paintFrequencyAxis(QPainter& painter, const QRect& data) const;
    // Draws a stand-in from another level's cached tiles for the time span [t0, t1); false when there is none.
    bool paintStandIn(QPainter& painter, int level, double t0, double t1, const QRect& data) const;

    SpectrogramTileCache* cache_;
    bool complete_ = false;
    bool announcedFirstPixels_ = false;
    int paintCount_ = 0;
};

}  // namespace sonolab::ui
