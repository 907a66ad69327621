#pragma once
// Draws an OnsetTrack over a timeline view's data area, at the view's own time-to-x mapping (so zoom and scroll keep
// markers on their onsets): detected onsets as thin magenta lines with a notch at the top, annotations as white
// lines with a notch at the bottom (colours no colour map uses, with dark edges). When both are present each takes a little over half the height (detections from the
// top, annotations from the bottom), so a detection on an annotation reads as one two-coloured line and a miss
// as a half line. Optionally the detection function (orange) and its threshold (dashed) as curves, scaled to the
// track's maximum. Also the hit test that clicks and hovering use.
#include <QColor>
#include <QRect>

#include <optional>

class QPainter;

namespace sonolab::ui {

class OnsetTrack;
class TimelineView;

class OnsetOverlay {
public:
    static constexpr int kSnapPixels = 5;  // a click this close to a marker lands on it
    static QColor detectedColour() { return {255, 60, 230}; }
    static QColor annotationColour() { return {245, 245, 245}; }
    static QColor curveColour() { return {255, 140, 40, 200}; }

    // Paints what lies inside `dirty` (widget coordinates); withCurve draws the detection function too.
    static void paint(QPainter& painter, const TimelineView& view, const OnsetTrack& track, const QRect& dirty,
                      bool withCurve);
    // The onset time of the marker within kSnapPixels of widget x, if any.
    static std::optional<double> snap(const TimelineView& view, const OnsetTrack& track, double x);
    // "onset 3 of 12 at 0:01.230" (or "annotation …") for a marker near x; empty when none.
    static QString describe(const TimelineView& view, const OnsetTrack& track, double x);

private:
    static void paintCurves(QPainter& painter, const TimelineView& view, const OnsetTrack& track, const QRect& area);
};

}  // namespace sonolab::ui
