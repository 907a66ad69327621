#include "ui/widgets/LiveChart.h"

#include "ui/widgets/SeriesMath.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QRubberBand>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sonolab::ui {

namespace {

const QList<QColor>& seriesColours() {
    static const QList<QColor> colours{QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728),
                                       QColor(0x9467bd), QColor(0x8c564b), QColor(0xe377c2), QColor(0x17becf)};
    return colours;
}

QString formatValue(double v) { return QString::number(v, 'g', 5); }

QString csvField(const QString& s) {
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n')) return s;
    QString quoted = s;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

std::pair<double, double> axisRange(QAbstractAxis* axis) {
    if (auto* v = qobject_cast<QValueAxis*>(axis)) return {v->min(), v->max()};
    if (auto* l = qobject_cast<QLogValueAxis*>(axis)) return {l->min(), l->max()};
    return {0, 1};
}

}  // namespace

struct LiveChart::Series {
    QString name;
    QColor colour;
    std::vector<QPointF> points;
    std::vector<QPointF> smoothed;  // same x as points, kept in step with appends
    DebiasedEma ema;
    QLineSeries* raw = nullptr;     // owned by the chart
    QLineSeries* smooth = nullptr;

    void resmooth(double weight) {
        ema.setWeight(weight);
        smoothed.clear();
        smoothed.reserve(points.size());
        for (const QPointF& p : points) smoothed.emplace_back(p.x(), ema.next(p.y()));
    }
};

LiveChart::LiveChart(QWidget* parent) : QChartView(new QChart, parent) {
    chart()->setAnimationOptions(QChart::NoAnimation);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setMinimumSize(240, 180);

    refreshTimer_.setSingleShot(true);
    refreshTimer_.setInterval(40);
    connect(&refreshTimer_, &QTimer::timeout, this, &LiveChart::refreshNow);

    crossLine_ = new QGraphicsLineItem;
    crossLine_->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    crossLine_->setZValue(100);
    crossBox_ = new QGraphicsRectItem;
    crossBox_->setBrush(QColor(255, 255, 255, 225));
    crossBox_->setPen(QPen(QColor(160, 160, 160)));
    crossBox_->setZValue(101);
    crossText_ = new QGraphicsSimpleTextItem;
    crossText_->setZValue(102);
    scene()->addItem(crossLine_);
    scene()->addItem(crossBox_);
    scene()->addItem(crossText_);
    hideCrosshair();
    rebuildAxes();
}

LiveChart::~LiveChart() = default;

void LiveChart::setTitle(const QString& title) { chart()->setTitle(title); }

void LiveChart::setAxisTitles(const QString& x, const QString& y) {
    axisTitleX_ = x;
    axisTitleY_ = y;
    if (axisX_) axisX_->setTitleText(x);
    if (axisY_) axisY_->setTitleText(y);
}

int LiveChart::addSeries(const QString& name, const QColor& colour) {
    if (int existing = seriesIndex(name); existing >= 0) return existing;
    auto s = std::make_unique<Series>();
    s->name = name;
    s->colour = colour.isValid() ? colour : seriesColours()[int(series_.size()) % seriesColours().size()];
    s->ema.setWeight(smoothing_);
    s->raw = new QLineSeries;
    s->smooth = new QLineSeries;
    s->smooth->setName(name);
    s->raw->setName(name + QStringLiteral(" (raw)"));
    chart()->addSeries(s->raw);
    chart()->addSeries(s->smooth);
    s->raw->attachAxis(axisX_);
    s->raw->attachAxis(axisY_);
    s->smooth->attachAxis(axisX_);
    s->smooth->attachAxis(axisY_);
    for (QLegendMarker* m : chart()->legend()->markers(s->raw)) m->setVisible(false);
    series_.push_back(std::move(s));
    scheduleRefresh();
    return int(series_.size()) - 1;
}

int LiveChart::seriesIndex(const QString& name) const {
    for (std::size_t i = 0; i < series_.size(); ++i)
        if (series_[i]->name == name) return int(i);
    return -1;
}

int LiveChart::seriesCount() const { return int(series_.size()); }

QString LiveChart::seriesName(int series) const {
    return series >= 0 && series < seriesCount() ? series_[std::size_t(series)]->name : QString();
}

void LiveChart::append(int series, double x, double y) {
    if (series < 0 || series >= seriesCount()) return;
    Series& s = *series_[std::size_t(series)];
    if (!s.points.empty() && x < s.points.back().x()) {
        // Out of order (a resumed run re-sending a step): keep the store sorted, then re-smooth from scratch.
        auto at = std::upper_bound(s.points.begin(), s.points.end(), x,
                                   [](double v, const QPointF& p) { return v < p.x(); });
        s.points.insert(at, QPointF(x, y));
        s.resmooth(smoothing_);
    } else {
        s.points.emplace_back(x, y);
        s.smoothed.emplace_back(x, s.ema.next(y));
    }
    scheduleRefresh();
}

void LiveChart::setPoints(int series, std::vector<QPointF> points) {
    if (series < 0 || series >= seriesCount()) return;
    std::stable_sort(points.begin(), points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
    Series& s = *series_[std::size_t(series)];
    s.points = std::move(points);
    s.resmooth(smoothing_);
    scheduleRefresh();
}

void LiveChart::clear() {
    hideCrosshair();
    for (auto& s : series_) {
        chart()->removeSeries(s->raw);
        chart()->removeSeries(s->smooth);
        delete s->raw;
        delete s->smooth;
    }
    series_.clear();
    zoomed_ = false;
    refreshNow();
}

const std::vector<QPointF>& LiveChart::points(int series) const {
    static const std::vector<QPointF> none;
    return series >= 0 && series < seriesCount() ? series_[std::size_t(series)]->points : none;
}

std::vector<double> LiveChart::smoothedValues(int series) const {
    std::vector<double> out;
    if (series < 0 || series >= seriesCount()) return out;
    for (const QPointF& p : series_[std::size_t(series)]->smoothed) out.push_back(p.y());
    return out;
}

QList<QPointF> LiveChart::drawnPoints(int series) const {
    return series >= 0 && series < seriesCount() ? series_[std::size_t(series)]->raw->points() : QList<QPointF>();
}

QList<QPointF> LiveChart::drawnSmoothedPoints(int series) const {
    return series >= 0 && series < seriesCount() ? series_[std::size_t(series)]->smooth->points() : QList<QPointF>();
}

void LiveChart::setSmoothing(double weight) {
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == smoothing_) return;
    smoothing_ = weight;
    for (auto& s : series_) s->resmooth(smoothing_);
    scheduleRefresh();
}

void LiveChart::setLogY(bool on) {
    if (on == logY_) return;
    logY_ = on;
    zoomed_ = false;
    rebuildAxes();
    refreshNow();
}

void LiveChart::setLogX(bool on) {
    if (on == logX_) return;
    logX_ = on;
    zoomed_ = false;
    rebuildAxes();
    refreshNow();
}

void LiveChart::zoomTo(const QRectF& dataRect) {
    QRectF r = dataRect.normalized();
    if (r.width() <= 0 || r.height() <= 0) return;
    if ((logX_ && r.left() <= 0) || (logY_ && r.top() <= 0)) return;
    zoom_ = r;
    zoomed_ = true;
    refreshNow();
    emit zoomChanged(visibleRange());
}

void LiveChart::resetZoom() {
    zoomed_ = false;
    refreshNow();
    emit zoomChanged(visibleRange());
}

QRectF LiveChart::visibleRange() const {
    auto [x0, x1] = axisRange(axisX_);
    auto [y0, y1] = axisRange(axisY_);
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

void LiveChart::rebuildAxes() {
    for (QAbstractAxis* axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    auto makeAxis = [](bool log) -> QAbstractAxis* {
        if (log) {
            auto* a = new QLogValueAxis;
            a->setBase(10);
            a->setLabelFormat("%g");
            a->setMinorTickCount(8);
            return a;
        }
        auto* a = new QValueAxis;
        a->setLabelFormat("%.3g");  // 3 significant digits: tick labels, not read-outs (the crosshair has those)
        a->setTickCount(6);
        return a;
    };
    axisX_ = makeAxis(logX_);
    axisY_ = makeAxis(logY_);
    axisX_->setTitleText(axisTitleX_);
    axisY_->setTitleText(axisTitleY_);
    chart()->addAxis(axisX_, Qt::AlignBottom);
    chart()->addAxis(axisY_, Qt::AlignLeft);
    for (auto& s : series_) {
        for (QLineSeries* ls : {s->raw, s->smooth}) {
            ls->attachAxis(axisX_);
            ls->attachAxis(axisY_);
        }
    }
}

QRectF LiveChart::dataBounds() const {
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const auto& s : series_) {
        for (const QPointF& p : s->points) {
            if (!std::isfinite(p.x()) || !std::isfinite(p.y())) continue;
            if ((logX_ && p.x() <= 0) || (logY_ && p.y() <= 0)) continue;
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
    }
    if (!std::isfinite(x0)) return {};
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

int LiveChart::plotColumns() const {
    const double w = chart()->plotArea().width();
    return std::max(16, int(w > 16 ? w : width()));
}

void LiveChart::scheduleRefresh() {
    if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void LiveChart::refreshNow() {
    refreshTimer_.stop();
    QRectF range;
    if (zoomed_) {
        range = zoom_;
    } else {
        QRectF b = dataBounds();
        double x0 = b.left(), x1 = b.right(), y0 = b.top(), y1 = b.bottom();
        if (!(x1 > x0)) {
            x0 = logX_ ? std::max(x0 / 2, 1e-9) : x0 - 0.5;
            x1 = logX_ ? std::max(x1 * 2, 1.0) : x1 + 0.5;
        }
        if (logY_) {
            if (!(y0 > 0)) y0 = 1e-3;
            if (!(y1 > y0)) y1 = y0 * 10;
            const double pad = std::pow(y1 / y0, 0.05);
            y0 /= pad;
            y1 *= pad;
        } else {
            const double lowest = y0;
            if (!(y1 > y0)) {
                y0 -= 0.5;
                y1 += 0.5;
            }
            const double pad = (y1 - y0) * 0.05;
            y0 -= pad;
            y1 += pad;
            if (lowest >= 0 && y0 < 0) y0 = 0;  // losses and scores are never negative: no axis below zero
        }
        if (logX_ && !(x0 > 0)) x0 = 1;
        range = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    }
    axisX_->setRange(range.left(), range.right());
    axisY_->setRange(range.top(), range.bottom());
    // Ticks at round values (epochs and steps are whole numbers) instead of evenly split, odd-looking ranges.
    auto roundTicks = [](QAbstractAxis* axis, double span, double minimumStep) {
        auto* v = qobject_cast<QValueAxis*>(axis);
        const double step = niceTickStep(span, 5, minimumStep);
        if (!v || !(step > 0)) return;
        v->setTickType(QValueAxis::TicksDynamic);
        v->setTickAnchor(0.0);
        v->setTickInterval(step);
        v->setLabelFormat(tickLabelFormat(step));
    };
    roundTicks(axisX_, range.width(), range.width() >= 2 ? 1.0 : 0.0);
    roundTicks(axisY_, std::abs(range.height()), 0.0);

    DecimationParams params{.x0 = range.left(), .x1 = range.right(), .columns = plotColumns(), .logX = logX_,
                            .logY = logY_};
    const bool smoothing = smoothing_ > 0;
    for (auto& s : series_) {
        s->raw->replace(decimateMinMax(s->points, params));
        QColor faint = s->colour;
        if (smoothing) faint.setAlpha(70);
        s->raw->setPen(QPen(faint, smoothing ? 1.0 : 1.6));
        s->smooth->setPen(QPen(s->colour, 2.0));
        s->smooth->replace(smoothing ? decimateMinMax(s->smoothed, params) : QList<QPointF>());
    }
}

QString LiveChart::readout(double x) const {
    QStringList lines;
    double shownX = x;
    bool first = true;
    for (const auto& s : series_) {
        if (s->points.empty()) continue;
        auto it = std::lower_bound(s->points.begin(), s->points.end(), x,
                                   [](const QPointF& p, double v) { return p.x() < v; });
        std::size_t i = std::size_t(it - s->points.begin());
        if (i == s->points.size() || (i > 0 && std::abs(s->points[i - 1].x() - x) <= std::abs(it->x() - x))) --i;
        const QPointF& p = s->points[i];
        if (first) shownX = p.x();
        first = false;
        QString line = s->name + QStringLiteral(": ") + formatValue(p.y());
        if (smoothing_ > 0 && i < s->smoothed.size())
            line += QStringLiteral(" (smoothed ") + formatValue(s->smoothed[i].y()) + ')';
        if (p.x() != shownX) line += QStringLiteral(" @ ") + formatValue(p.x());
        lines << line;
    }
    if (lines.isEmpty()) return {};
    lines.prepend(axisTitleX_ + QStringLiteral(" ") + formatValue(shownX));
    return lines.join('\n');
}

QString LiveChart::crosshairText() const { return crosshairText_; }

void LiveChart::hideCrosshair() {
    crosshairText_.clear();
    crossLine_->hide();
    crossBox_->hide();
    crossText_->hide();
}

void LiveChart::updateCrosshair(const QPointF& viewportPos) {
    if (series_.empty()) return hideCrosshair();
    const QPointF chartPos = chart()->mapFromScene(mapToScene(viewportPos.toPoint()));
    const QRectF plot = chart()->plotArea();
    if (!plot.contains(chartPos)) return hideCrosshair();
    const QPointF value = chart()->mapToValue(chartPos, series_.front()->smooth);
    crosshairText_ = readout(value.x());
    if (crosshairText_.isEmpty()) return hideCrosshair();
    const QPointF top = chart()->mapToScene(QPointF(chartPos.x(), plot.top()));
    const QPointF bottom = chart()->mapToScene(QPointF(chartPos.x(), plot.bottom()));
    crossLine_->setLine(QLineF(top, bottom));
    crossText_->setText(crosshairText_);
    QRectF textRect = crossText_->boundingRect();
    QPointF at = top + QPointF(8, 6);
    const QPointF plotRight = chart()->mapToScene(QPointF(plot.right(), plot.top()));
    if (at.x() + textRect.width() + 6 > plotRight.x()) at.setX(top.x() - textRect.width() - 12);
    crossText_->setPos(at);
    crossBox_->setRect(textRect.translated(at).adjusted(-4, -3, 4, 3));
    crossLine_->show();
    crossBox_->show();
    crossText_->show();
    emit hovered(value.x(), crosshairText_);
}

void LiveChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        dragStart_ = event->position().toPoint();
        dragging_ = true;
        if (!rubberBand_) rubberBand_ = new QRubberBand(QRubberBand::Rectangle, viewport());
        rubberBand_->setGeometry(QRect(dragStart_, QSize()));
        rubberBand_->show();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void LiveChart::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (dragging_ && rubberBand_) rubberBand_->setGeometry(QRect(dragStart_, pos).normalized());
    updateCrosshair(pos);
    event->accept();
}

void LiveChart::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !dragging_) return QChartView::mouseReleaseEvent(event);
    dragging_ = false;
    if (rubberBand_) rubberBand_->hide();
    const QRect box = QRect(dragStart_, event->position().toPoint()).normalized();
    event->accept();
    if (box.width() < 5 || series_.empty()) return;
    auto toValue = [&](QPoint p) {
        return chart()->mapToValue(chart()->mapFromScene(mapToScene(p)), series_.front()->smooth);
    };
    QPointF a = toValue(box.topLeft());
    QPointF b = toValue(box.bottomRight());
    QRectF current = visibleRange();
    QRectF target(QPointF(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                  QPointF(std::max(a.x(), b.x()), std::max(a.y(), b.y())));
    // A nearly flat drag zooms time only, as in TensorBoard.
    if (box.height() < 5) target = QRectF(QPointF(target.left(), current.top()), QPointF(target.right(), current.bottom()));
    zoomTo(target);
}

void LiveChart::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void LiveChart::leaveEvent(QEvent* event) {
    hideCrosshair();
    QChartView::leaveEvent(event);
}

void LiveChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    scheduleRefresh();  // the number of pixel columns changed
}

bool LiveChart::exportPng(const QString& path, QString* error) {
    refreshNow();
    hideCrosshair();
    QPixmap pixmap = grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error) *error = path + QStringLiteral(": cannot write PNG image");
        return false;
    }
    return true;
}

bool LiveChart::exportSvg(const QString& path, QString* error) {
    refreshNow();
    hideCrosshair();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(QRect(QPoint(0, 0), size()));
    generator.setTitle(chart()->title());
    generator.setDescription(QStringLiteral("Sonolab training chart"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        if (error) *error = path + QStringLiteral(": cannot write SVG image");
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    render(&painter);
    painter.end();
    return true;
}

bool LiveChart::exportCsv(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) *error = path + QStringLiteral(": cannot open for writing: ") + file.errorString();
        return false;
    }
    QByteArray out = "series,x,y,smoothed\n";
    for (const auto& s : series_) {
        const QByteArray name = csvField(s->name).toUtf8();
        for (std::size_t i = 0; i < s->points.size(); ++i) {
            out += name;
            out += ',' + QByteArray::number(s->points[i].x(), 'g', 10);
            out += ',' + QByteArray::number(s->points[i].y(), 'g', 10);
            out += ',' + QByteArray::number(i < s->smoothed.size() ? s->smoothed[i].y() : s->points[i].y(), 'g', 10);
            out += '\n';
        }
    }
    file.write(out);
    if (!file.commit()) {
        if (error) *error = path + QStringLiteral(": cannot write: ") + file.errorString();
        return false;
    }
    return true;
}

}  // namespace sonolab::ui
