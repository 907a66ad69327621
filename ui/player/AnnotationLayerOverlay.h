#pragma once
// Draws the imported annotation layers (AnnotationLayers) over a timeline view's data area at the view's own
// time-to-x mapping, so zoom and scroll keep them on their times. Each visible layer has a lane of its own at the
// top of the data (stacked in import order): a segment is a translucent band in the lane with thin edges down the
// whole height and its label (and value) inside; an instant is a line down the whole height with its label in the
// lane. The lanes stay short so the waveform and spectrogram remain readable below them.
#include <QRect>

class QPainter;

namespace sonolab::ui {

class AnnotationLayers;
class TimelineView;

class AnnotationLayerOverlay {
public:
    static constexpr int kLaneHeight = 18;
    // The lane of the i-th visible layer, in widget coordinates (tests and hit checks).
    static QRect laneRect(const TimelineView& view, int visibleIndex);
    static void paint(QPainter& painter, const TimelineView& view, const AnnotationLayers& layers, const QRect& dirty);
};

}  // namespace sonolab::ui
