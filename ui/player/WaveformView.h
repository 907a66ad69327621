#pragma once
// The waveform: per-pixel min/max from the document's peak summaries (never the samples) when zoomed out, the
// samples themselves as a line when a pixel holds fewer than a peak bucket. Fills in while the file decodes.
#include "ui/player/TimelineView.h"

namespace sonolab::ui {

class WaveformView : public TimelineView {
    Q_OBJECT
public:
    explicit WaveformView(TimeViewport* viewport, QWidget* parent = nullptr);
    QSize sizeHint() const override { return {800, 140}; }
    QSize minimumSizeHint() const override { return {200, 60}; }

    // Pixel columns drawn with data in the last paint (for tests: a waveform that draws nothing is a bug).
    int paintedColumns() const { return paintedColumns_; }

signals:
    void firstPixels();  // the first paint that drew any of the track

protected:
    void paintEvent(QPaintEvent* event) override;
    QString describe(QPoint position) const override;
    void documentChanged() override { announced_ = false; }

private:
    int paintedColumns_ = 0;
    bool announced_ = false;
};

}  // namespace sonolab::ui
