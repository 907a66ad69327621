#pragma once
// A 2-D map of the collection (PCA or t-SNE coordinates computed elsewhere): one dot per track coloured by a label,
// with a legend; wheel zooms about the cursor, drag pans, double-click (or the reset button) fits everything again;
// hovering shows a tooltip and reports the track (the browser previews it by ear); a click selects. The selected
// track is ringed and its neighbours are drawn on top, ringed and numbered by rank, joined to it by lines, while
// the rest of the collection fades, so the list and the map show one neighbour set.
// Drawing is batched for large collections: one pre-rendered dot image per colour, blitted per point at whole pixels
// (10k points draw in a few milliseconds), instead of one anti-aliased ellipse (or one QGraphicsItem) per point.
// The collection (every dot and the legend) is drawn once per view into a cached layer: hovering, choosing a
// neighbour or selecting repaints only the highlights over it, and with 100,000 tracks a change of view (zoom, pan,
// resize, recolouring) draws only what can be seen: a dot whose sprite already lies at that pixel is not drawn again.
#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

class QToolButton;

namespace sonolab::ui {

struct MapPoint {
    std::int64_t id = 0;
    float x = 0, y = 0;
    QString label;   // colours the dot; empty = unlabelled (grey)
    QString title;   // tooltip, first line
    QString detail;  // tooltip, second line (all labels, artist ...)
};

class CollectionMap : public QWidget {
    Q_OBJECT
public:
    explicit CollectionMap(QWidget* parent = nullptr);

    void setPoints(std::vector<MapPoint> points);
    const std::vector<MapPoint>& points() const { return points_; }
    // Recolours without moving anything (another label set chosen); ids not in the map are ignored.
    void setLabels(const std::map<std::int64_t, QString>& labels, const QString& legendTitle);
    QString legendTitle() const { return legendTitle_; }
    void setSelection(std::int64_t selected, std::vector<std::int64_t> neighbours);
    std::int64_t selected() const { return selected_; }
    const std::vector<std::int64_t>& highlighted() const { return neighbours_; }
    // The neighbour being compared (the list's current row): drawn larger, its line thicker.
    void setCurrentNeighbour(std::int64_t id);
    std::int64_t currentNeighbour() const { return current_; }
    // The colour a label is drawn in (stable: labels sorted by name index a fixed palette).
    QColor colourOf(const QString& label) const;
    // Labels in the legend, most frequent first, with their counts.
    const std::vector<std::pair<QString, int>>& legend() const { return legend_; }

    // Zoom by factor about a widget position; reset to fit all points.
    void zoomAt(QPointF widgetPos, double factor);
    void resetView();
    double zoom() const { return zoom_; }
    // The part of the map's coordinate plane inside the widget (x to the right, y up).
    QRectF visibleRange() const;
    // Widget position of a track's dot (for tests), and the track under a position (-1: none within a few pixels).
    QPointF widgetPosition(std::int64_t id) const;
    std::int64_t trackAt(QPointF widgetPos) const;
    std::int64_t hoveredTrack() const { return hovered_; }
    // Milliseconds the last paint took (shown in the browser's status; used by the draw benchmark).
    double lastPaintMs() const { return lastPaintMs_; }

    QSize sizeHint() const override { return {520, 420}; }

signals:
    void trackClicked(qint64 id);
    void trackHovered(qint64 id);  // -1 when the pointer leaves the dots (or the map)
    void viewChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QPointF toWidget(float x, float y) const;
    double scale() const;
    void fitBounds();
    void rebuildPalette();
    void setHovered(std::int64_t id, QPoint globalPos);
    const QImage& sprite(std::size_t colour, bool faded) const;
    void paintLegend(QPainter& painter) const;
    // Every dot (faded when a track is selected) and the legend, drawn when the view or the colours changed.
    const QImage& collectionLayer(bool faded);
    void drawCollection(QPainter& painter, bool faded) const;

    std::vector<MapPoint> points_;
    std::unordered_map<std::int64_t, std::size_t> indexOf_;
    std::map<QString, QColor> palette_;
    std::vector<QColor> colours_;             // [0] unlabelled, then the palette in label order
    std::vector<std::uint16_t> colourIndex_;  // per point, into colours_
    std::vector<std::pair<QString, int>> legend_;
    QString legendTitle_;
    mutable std::vector<QImage> sprites_;  // 2 per colour: full, faded
    // The cached collection layer and what it was drawn for.
    struct LayerKey {
        QSize size;
        qreal dpr = 0;
        double zoom = 0;
        QPointF pan;
        bool faded = false;
        std::uint64_t generation = 0;
        bool operator==(const LayerKey&) const = default;
    };
    QImage layer_;
    LayerKey layerKey_;
    std::uint64_t generation_ = 1;  // bumped when points, colours or the legend change
    std::int64_t selected_ = -1;
    std::vector<std::int64_t> neighbours_;
    std::int64_t current_ = -1;
    std::int64_t hovered_ = -1;
    double minX_ = 0, maxX_ = 1, minY_ = 0, maxY_ = 1;
    double zoom_ = 1;
    QPointF pan_;  // widget pixels
    QPointF pressPos_;
    QPointF panAtPress_;
    bool pressed_ = false;
    bool dragging_ = false;
    double lastPaintMs_ = 0;
    QToolButton* resetButton_;
};

}  // namespace sonolab::ui
