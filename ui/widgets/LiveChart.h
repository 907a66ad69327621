#pragma once
// A Qt Charts view for training curves that stays fluid with 100,000+ points: every series is stored in full and
// drawn through a min/max-per-pixel-column decimation of the visible range. TensorBoard's conveniences: debiased EMA
// smoothing (raw curve kept faint behind the smoothed one), log x/y axes, a hover crosshair that reads every
// series at the cursor, drag a box to zoom, double-click to reset; export PNG, SVG and CSV.
#include <QChartView>
#include <QPointF>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QGraphicsRectItem;
class QLineSeries;
class QAbstractAxis;
class QRubberBand;

namespace sonolab::ui {

class LiveChart : public QChartView {
    Q_OBJECT
public:
    explicit LiveChart(QWidget* parent = nullptr);
    ~LiveChart() override;

    void setTitle(const QString& title);
    void setAxisTitles(const QString& x, const QString& y);

    // Returns the series' index; a name already present returns its existing index.
    int addSeries(const QString& name, const QColor& color = {});
    int seriesIndex(const QString& name) const;
    int seriesCount() const;
    QString seriesName(int series) const;
    void append(int series, double x, double y);
    void setPoints(int series, std::vector<QPointF> points);
    // Removes every series (a new run starts).
    void clear();

    // Everything stored, in append order.
    const std::vector<QPointF>& points(int series) const;
    std::vector<double> smoothedValues(int series) const;
    // What the chart draws right now (after decimation); the smoothed layer is empty while smoothing is 0.
    QList<QPointF> drawnPoints(int series) const;
    QList<QPointF> drawnSmoothedPoints(int series) const;

    void setSmoothing(double weight);  // 0 .. 0.999
    double smoothing() const { return smoothing_; }
    void setLogY(bool on);
    void setLogX(bool on);
    bool logY() const { return logY_; }
    bool logX() const { return logX_; }

    // Zoom to a rectangle in data coordinates; resetZoom() goes back to fitting all data.
    void zoomTo(const QRectF& dataRect);
    void resetZoom();
    bool isZoomed() const { return zoomed_; }
    QRectF visibleRange() const;  // x: left..right, y: bottom..top in data units

    // The crosshair's read-out at a data x (nearest stored point of each series), as the hover shows it.
    QString readout(double x) const;
    QString crosshairText() const;

    bool exportPng(const QString& path, QString* error = nullptr);
    bool exportSvg(const QString& path, QString* error = nullptr);
    // Long format: series,x,y,smoothed — every stored point, not the decimated ones.
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    // Appends are coalesced and redrawn at most every ~40 ms; this redraws now (tests, export).
    void refreshNow();

signals:
    void zoomChanged(const QRectF& range);
    void hovered(double x, const QString& text);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Series;
    void scheduleRefresh();
    void rebuildAxes();
    QRectF dataBounds() const;
    void updateCrosshair(const QPointF& viewportPos);
    void hideCrosshair();
    int plotColumns() const;

    std::vector<std::unique_ptr<Series>> series_;
    double smoothing_ = 0;
    bool logX_ = false;
    bool logY_ = false;
    bool zoomed_ = false;
    QRectF zoom_;
    QTimer refreshTimer_;
    QAbstractAxis* axisX_ = nullptr;
    QAbstractAxis* axisY_ = nullptr;
    QString axisTitleX_ = QStringLiteral("step");
    QString axisTitleY_;
    QGraphicsLineItem* crossLine_ = nullptr;
    QGraphicsRectItem* crossBox_ = nullptr;
    QGraphicsSimpleTextItem* crossText_ = nullptr;
    QString crosshairText_;
    QRubberBand* rubberBand_ = nullptr;
    QPoint dragStart_;
    bool dragging_ = false;
};

}  // namespace sonolab::ui
