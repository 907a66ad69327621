#pragma once
// A 2-D map of the collection (PCA or t-SNE coordinates computed elsewhere): one dot per track coloured by its label,
// wheel to zoom about the cursor, drag to pan, hover for a tooltip (and a preview signal), click to select. The
// selected track is ringed and its neighbours are joined to it, so the list and the map show one neighbour set.
#include <QColor>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <map>
#include <vector>

namespace sonolab::ui {

struct MapPoint {
    std::int64_t id = 0;
    float x = 0, y = 0;
    QString label;  // colours the dot; empty = unlabelled (grey)
    QString title;  // tooltip
};

class CollectionMap : public QWidget {
    Q_OBJECT
public:
    explicit CollectionMap(QWidget* parent = nullptr);

    void setPoints(std::vector<MapPoint> points);
    const std::vector<MapPoint>& points() const { return points_; }
    void setSelection(std::int64_t selected, std::vector<std::int64_t> neighbours);
    std::int64_t selected() const { return selected_; }
    const std::vector<std::int64_t>& highlighted() const { return neighbours_; }
    // The colour a label is drawn in (stable: labels sorted by name index a fixed palette).
    QColor colourOf(const QString& label) const;

    // Zoom by factor about a widget position; reset to fit all points.
    void zoomAt(QPointF widgetPos, double factor);
    void resetView();
    double zoom() const { return zoom_; }
    // Widget position of a track's dot (for tests), and the track under a position (-1: none within a few pixels).
    QPointF widgetPosition(std::int64_t id) const;
    std::int64_t trackAt(QPointF widgetPos) const;

    QSize sizeHint() const override { return {520, 420}; }

signals:
    void trackClicked(qint64 id);
    void trackHovered(qint64 id);  // -1 when the pointer leaves the dots

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QPointF toWidget(float x, float y) const;
    void fitBounds();

    std::vector<MapPoint> points_;
    std::map<QString, QColor> palette_;
    std::int64_t selected_ = -1;
    std::vector<std::int64_t> neighbours_;
    std::int64_t hovered_ = -1;
    double minX_ = 0, maxX_ = 1, minY_ = 0, maxY_ = 1;
    double zoom_ = 1;
    QPointF pan_;            // widget pixels
    QPointF pressPos_;
    QPointF panAtPress_;
    bool dragging_ = false;
};

}  // namespace sonolab::ui
