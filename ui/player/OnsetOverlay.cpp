#include "ui/player/OnsetOverlay.h"

#include "ui/player/OnsetTrack.h"
#include "ui/player/TimelineView.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

namespace {

// Markers of `times` whose x falls in [x0, x1], from y0 to y1, with a small triangle at the `notchTop` end. Each line
// gets a dark one-pixel edge on both sides (all edges first, so a neighbour's edge never covers a line), which keeps
// it readable over any colour map and over the waveform.
void paintMarkers(QPainter& painter, const TimelineView& view, const std::vector<double>& times, double x0, double x1,
                  double y0, double y1, const QColor& colour, bool notchTop) {
    const double t0 = view.secondsAt(x0 - 6), t1 = view.secondsAt(x1 + 6);
    const auto first = std::lower_bound(times.begin(), times.end(), t0);
    const auto end = std::upper_bound(first, times.end(), t1);
    if (first == end) return;
    const double notch = 4.0;
    auto triangle = [&](double x) {
        const double tip = notchTop ? y0 + notch : y1 - notch;
        const double base = notchTop ? y0 : y1;
        return QPolygonF({QPointF(x - notch, base), QPointF(x + notch, base), QPointF(x, tip)});
    };
    // Centre of the pixel column the onset falls in, so the line is one crisp pixel wide.
    auto xOf = [&](double t) { return std::floor(view.xOf(t)) + 0.5; };
    const QColor edge(0, 0, 0, 150);
    painter.setPen(QPen(edge, 1.0));
    painter.setBrush(Qt::NoBrush);
    for (auto it = first; it != end; ++it) {
        const double x = xOf(*it);
        painter.drawLine(QPointF(x - 1, y0), QPointF(x - 1, y1));
        painter.drawLine(QPointF(x + 1, y0), QPointF(x + 1, y1));
        painter.drawPolygon(triangle(x).translated(0, notchTop ? 0.5 : -0.5));
    }
    painter.setPen(QPen(colour, 1.0));
    painter.setBrush(colour);
    for (auto it = first; it != end; ++it) {
        const double x = xOf(*it);
        painter.drawLine(QPointF(x, y0), QPointF(x, y1));
        painter.drawPolygon(triangle(x));
    }
}

// Per pixel column: the maximum of the curve's frames inside it (zoomed out), or the curve interpolated at the
// column's centre (zoomed in), so no peak is lost at any zoom.
QPolygonF curvePolygon(const TimelineView& view, const std::vector<float>& values, double fps, int x0, int x1,
                       double bottom, double scale) {
    QPolygonF poly;
    if (values.empty()) return poly;
    const auto n = std::ptrdiff_t(values.size());
    auto at = [&](double frame) {
        const double c = std::clamp(frame, 0.0, double(n - 1));
        const auto i = std::ptrdiff_t(std::floor(c));
        const double f = c - double(i);
        const float a = values[std::size_t(i)], b = values[std::size_t(std::min(i + 1, n - 1))];
        return double(a) + (double(b) - double(a)) * f;
    };
    for (int x = x0; x <= x1; ++x) {
        const double fa = view.secondsAt(x) * fps, fb = view.secondsAt(x + 1) * fps;
        if (fb < 0 || fa > double(n - 1)) continue;
        double v = at((fa + fb) / 2);
        for (auto i = std::ptrdiff_t(std::ceil(std::max(0.0, fa))); i < std::ptrdiff_t(std::ceil(fb)) && i < n; ++i)
            v = std::max(v, double(values[std::size_t(i)]));
        poly << QPointF(x + 0.5, bottom - v * scale);
    }
    return poly;
}

}  // namespace

void OnsetOverlay::paint(QPainter& painter, const TimelineView& view, const OnsetTrack& track, const QRect& dirty,
                         bool withCurve) {
    const QRect data = view.dataRect();
    const QRect area = data.intersected(dirty.adjusted(-6, 0, 6, 0));
    if (area.isEmpty()) return;
    painter.save();
    painter.setClipRect(data.intersected(dirty));
    const bool detected = track.hasDetection() && track.markersVisible();
    const bool annotated = !track.annotations().empty();
    if (detected && withCurve && track.curveVisible()) paintCurves(painter, view, track, area);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const double top = data.top(), bottom = data.bottom() + 1, split = 0.56;
    if (annotated)
        paintMarkers(painter, view, track.annotations(), area.left(), area.right(),
                     detected ? bottom - (bottom - top) * split : top, bottom, annotationColour(), false);
    if (detected)
        paintMarkers(painter, view, track.detected(), area.left(), area.right(), top,
                     annotated ? top + (bottom - top) * split : bottom, detectedColour(), true);
    painter.restore();
}

void OnsetOverlay::paintCurves(QPainter& painter, const TimelineView& view, const OnsetTrack& track, const QRect& area) {
    const auto& d = track.detection();
    if (d.activation.empty() || track.curveMaximum() <= 0) return;
    const QRect data = view.dataRect();
    const double bottom = data.bottom() - 1.0;
    const double scale = (data.height() - 6.0) / track.curveMaximum();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(Qt::NoBrush);
    QPen threshold(QColor(255, 225, 150, 190), 1.0, Qt::DashLine);
    painter.setPen(threshold);
    painter.drawPolyline(curvePolygon(view, d.threshold, d.fps, area.left(), area.right(), bottom, scale));
    painter.setPen(QPen(curveColour(), 1.3));
    painter.drawPolyline(curvePolygon(view, d.activation, d.fps, area.left(), area.right(), bottom, scale));
}

std::optional<double> OnsetOverlay::snap(const TimelineView& view, const OnsetTrack& track, double x) {
    const double perPixel = view.viewport()->secondsPerPixel();
    auto hit = track.hit(view.secondsAt(x), perPixel * (kSnapPixels + 0.5));
    if (!hit) return std::nullopt;
    return hit->time;
}

QString OnsetOverlay::describe(const TimelineView& view, const OnsetTrack& track, double x) {
    const double perPixel = view.viewport()->secondsPerPixel();
    auto hit = track.hit(view.secondsAt(x), perPixel * (kSnapPixels + 0.5));
    if (!hit) return {};
    const auto count = hit->annotation ? track.annotations().size() : track.detected().size();
    const QString what = hit->annotation ? QObject::tr("annotation") : QObject::tr("onset");
    return QStringLiteral("%1 %2 of %3 at %4").arg(what).arg(hit->index + 1).arg(count).arg(formatTime(hit->time));
}

}  // namespace sonolab::ui
