#include "support/TestSupport.h"
#include "ui/widgets/LiveChart.h"
#include "ui/widgets/SeriesMath.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QValueAxis>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab::ui;

namespace {

std::vector<QPointF> noisyCurve(int n, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.05);
    std::vector<QPointF> pts;
    pts.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) pts.emplace_back(i, 2.0 * std::exp(-i / double(n) * 4) + 0.1 + std::abs(noise(rng)));
    return pts;
}

// Sends a mouse event to the chart's viewport as a real pointer would.
void mouse(LiveChart& chart, QEvent::Type type, QPoint pos, Qt::MouseButton button = Qt::NoButton) {
    Qt::MouseButtons buttons = type == QEvent::MouseButtonRelease || type == QEvent::MouseMove ? Qt::NoButton : button;
    if (type == QEvent::MouseMove && button != Qt::NoButton) buttons = button;
    QMouseEvent event(type, QPointF(pos), chart.viewport()->mapToGlobal(QPointF(pos)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(chart.viewport(), &event);
}

// Viewport pixel of a data point.
QPoint pixelOf(LiveChart& chart, QPointF value) {
    auto* chartItem = chart.chart();
    QPointF inChart = chartItem->mapToPosition(value, chartItem->series().first());
    return chart.mapFromScene(chartItem->mapToScene(inChart));
}

}  // namespace

TEST(SeriesMath, DebiasedEmaMatchesHandComputedValues) {
    // w = 0.5: s1 = 0.5*1 / (1-0.5) = 1; s2 = (0.25 + 0.5*2) / (1-0.25) = 1.6667; s3 = (0.625+1.5)/0.875 = 2.4286
    std::vector<QPointF> pts{{0, 1}, {1, 2}, {2, 3}};
    auto s = smoothDebiasedEma(pts, 0.5);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_NEAR(s[0], 1.0, 1e-12);
    EXPECT_NEAR(s[1], 1.25 / 0.75, 1e-12);
    EXPECT_NEAR(s[2], 2.125 / 0.875, 1e-12);
    // Weight 0 is the identity; NaN passes through and does not poison later values.
    auto same = smoothDebiasedEma(pts, 0.0);
    EXPECT_DOUBLE_EQ(same[2], 3.0);
    std::vector<QPointF> withNan{{0, 1}, {1, std::nan("")}, {2, 1}};
    auto n = smoothDebiasedEma(withNan, 0.9);
    EXPECT_TRUE(std::isnan(n[1]));
    EXPECT_NEAR(n[2], 1.0, 1e-12);
}

TEST(SeriesMath, DecimationKeepsSpikesAndBoundsPointCount) {
    auto pts = noisyCurve(100000);
    pts[54321].setY(50.0);   // a spike must survive decimation
    pts[77777].setY(-20.0);  // and a dip
    DecimationParams p{.x0 = 0, .x1 = 99999, .columns = 500};
    auto drawn = decimateMinMax(pts, p);
    EXPECT_LE(drawn.size(), 4 * 500 + 2);
    EXPECT_GT(drawn.size(), 500);
    bool spike = false, dip = false;
    for (const QPointF& q : drawn) {
        spike |= q.x() == 54321 && q.y() == 50.0;
        dip |= q.x() == 77777 && q.y() == -20.0;
    }
    EXPECT_TRUE(spike);
    EXPECT_TRUE(dip);
    // Sorted by x, and a zoomed range only returns points of that range (plus one neighbour at each edge).
    for (qsizetype i = 1; i < drawn.size(); ++i) EXPECT_LE(drawn[i - 1].x(), drawn[i].x());
    auto zoomed = decimateMinMax(pts, {.x0 = 1000, .x1 = 1100, .columns = 500});
    ASSERT_EQ(zoomed.size(), 103);
    EXPECT_EQ(zoomed.front().x(), 999);
    EXPECT_EQ(zoomed.back().x(), 1101);
    // A log y axis cannot show the dip or zeros.
    auto logged = decimateMinMax(pts, {.x0 = 0, .x1 = 99999, .columns = 500, .logY = true});
    for (const QPointF& q : logged) EXPECT_GT(q.y(), 0);
}

class LiveChartTest : public ::testing::Test {
protected:
    void SetUp() override {
        chart.resize(800, 500);
        chart.show();
        QApplication::processEvents();
    }
    LiveChart chart;
};

TEST_F(LiveChartTest, StoresEverythingDrawsDecimated) {
    int s = chart.addSeries("train loss");
    auto pts = noisyCurve(100000);
    for (const QPointF& p : pts) chart.append(s, p.x(), p.y());
    chart.refreshNow();
    EXPECT_EQ(chart.points(s).size(), 100000u);
    const int columns = int(chart.chart()->plotArea().width());
    EXPECT_GT(columns, 100);
    EXPECT_LE(chart.drawnPoints(s).size(), 4 * columns + 2);
    EXPECT_GT(chart.drawnPoints(s).size(), columns / 2);
    // The axes fit the data.
    QRectF r = chart.visibleRange();
    EXPECT_LE(r.left(), 0.0);
    EXPECT_GE(r.right(), 99999.0);
    EXPECT_LT(r.top(), 0.2);
    EXPECT_GT(r.bottom(), 2.0);
}

TEST_F(LiveChartTest, SmoothingDrawsRawAndSmoothedLayers) {
    int s = chart.addSeries("loss");
    chart.setPoints(s, {{0, 1}, {1, 2}, {2, 3}});
    chart.refreshNow();
    EXPECT_TRUE(chart.drawnSmoothedPoints(s).isEmpty());
    chart.setSmoothing(0.5);
    chart.refreshNow();
    auto smooth = chart.drawnSmoothedPoints(s);
    ASSERT_EQ(smooth.size(), 3);
    EXPECT_NEAR(smooth[1].y(), 1.25 / 0.75, 1e-9);
    EXPECT_EQ(chart.drawnPoints(s).size(), 3);
    // Appending continues the same average.
    chart.append(s, 3, 4);
    auto values = chart.smoothedValues(s);
    EXPECT_NEAR(values[3], smoothDebiasedEma(chart.points(s), 0.5)[3], 1e-12);
    chart.setSmoothing(5.0);  // clamped like TensorBoard's slider
    EXPECT_DOUBLE_EQ(chart.smoothing(), 0.999);
}

TEST_F(LiveChartTest, LogAxesDropNonPositiveValues) {
    int s = chart.addSeries("loss");
    chart.setPoints(s, {{1, 0.0}, {2, 0.1}, {3, 1.0}, {4, 10.0}});
    chart.setLogY(true);
    ASSERT_NE(qobject_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Vertical).first()), nullptr);
    auto drawn = chart.drawnPoints(s);
    ASSERT_EQ(drawn.size(), 3);
    EXPECT_DOUBLE_EQ(drawn.front().y(), 0.1);
    QRectF r = chart.visibleRange();
    EXPECT_GT(r.top(), 0.0);
    EXPECT_LT(r.top(), 0.1);
    EXPECT_GT(r.bottom(), 10.0);
    chart.setLogX(true);
    EXPECT_NE(qobject_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Horizontal).first()), nullptr);
    chart.setLogY(false);
    EXPECT_NE(qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).first()), nullptr);
    EXPECT_EQ(chart.drawnPoints(s).size(), 4);
}

TEST_F(LiveChartTest, HoverReadsTheNearestValues) {
    int a = chart.addSeries("train");
    int b = chart.addSeries("validation");
    std::vector<QPointF> pa, pb;
    for (int i = 0; i <= 100; ++i) pa.emplace_back(i, 1.0 + i * 0.01);
    for (int i = 0; i <= 100; i += 10) pb.emplace_back(i, 5.0 - i * 0.01);
    chart.setPoints(a, pa);
    chart.setPoints(b, pb);
    chart.refreshNow();
    QApplication::processEvents();
    mouse(chart, QEvent::MouseMove, pixelOf(chart, QPointF(40, 1.4)));
    QString text = chart.crosshairText();
    EXPECT_TRUE(text.contains("train: 1.4")) << text.toStdString();
    EXPECT_TRUE(text.contains("validation: 4.6")) << text.toStdString();
    EXPECT_EQ(chart.readout(43.2).section('\n', 1, 1), QString("train: 1.43"));
}

TEST_F(LiveChartTest, DragZoomsAndDoubleClickResets) {
    int s = chart.addSeries("loss");
    auto pts = noisyCurve(20000);
    chart.setPoints(s, pts);
    chart.refreshNow();
    QApplication::processEvents();
    const QRectF full = chart.visibleRange();
    QPoint from = pixelOf(chart, QPointF(5000, 1.5));
    QPoint to = pixelOf(chart, QPointF(10000, 0.5));
    mouse(chart, QEvent::MouseButtonPress, from, Qt::LeftButton);
    mouse(chart, QEvent::MouseMove, to, Qt::LeftButton);
    mouse(chart, QEvent::MouseButtonRelease, to, Qt::LeftButton);
    ASSERT_TRUE(chart.isZoomed());
    QRectF z = chart.visibleRange();
    EXPECT_NEAR(z.left(), 5000, 100);
    EXPECT_NEAR(z.right(), 10000, 100);
    EXPECT_NEAR(z.top(), 0.5, 0.05);
    EXPECT_NEAR(z.bottom(), 1.5, 0.05);
    // Only the zoomed range is drawn, at full resolution per pixel column.
    for (const QPointF& p : chart.drawnPoints(s)) {
        EXPECT_GE(p.x(), std::floor(z.left()) - 1);
        EXPECT_LE(p.x(), std::ceil(z.right()) + 1);
    }
    // New points while zoomed do not move the view.
    chart.append(s, 20000, 0.1);
    chart.refreshNow();
    EXPECT_NEAR(chart.visibleRange().right(), z.right(), 1e-9);
    QMouseEvent dbl(QEvent::MouseButtonDblClick, QPointF(to), chart.viewport()->mapToGlobal(QPointF(to)), Qt::LeftButton,
                    Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(chart.viewport(), &dbl);
    EXPECT_FALSE(chart.isZoomed());
    EXPECT_GE(chart.visibleRange().right(), 20000);
    EXPECT_LE(chart.visibleRange().left(), full.left() + 1e-9);
}

TEST_F(LiveChartTest, ExportsPngSvgAndCsv) {
    auto dir = sonolab::test::freshDir("uitraining-export");
    int s = chart.addSeries("loss, train");
    chart.setPoints(s, noisyCurve(5000));
    chart.setSmoothing(0.6);
    const QString base = QString::fromStdString(dir.string());
    QString error;
    ASSERT_TRUE(chart.exportPng(base + "/c.png", &error)) << error.toStdString();
    QImage image(base + "/c.png");
    EXPECT_EQ(image.size(), chart.size());
    ASSERT_TRUE(chart.exportSvg(base + "/c.svg", &error)) << error.toStdString();
    QFile svg(base + "/c.svg");
    ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
    QByteArray svgText = svg.readAll();
    EXPECT_TRUE(svgText.contains("<svg"));
    EXPECT_TRUE(svgText.contains("<path") || svgText.contains("<polyline"));
    ASSERT_TRUE(chart.exportCsv(base + "/c.csv", &error)) << error.toStdString();
    QFile csv(base + "/c.csv");
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = csv.readAll().split('\n');
    EXPECT_EQ(lines.front(), "series,x,y,smoothed");
    EXPECT_EQ(lines.size(), 5000 + 2);  // header, rows, trailing newline
    EXPECT_TRUE(lines[1].startsWith("\"loss, train\",0,"));
    EXPECT_FALSE(chart.exportCsv("/nonexistent-dir/x.csv", &error));
    EXPECT_TRUE(error.contains("/nonexistent-dir/x.csv"));
}

TEST(SeriesMath, NiceTickStepsAreOneTwoOrFiveTimesAPowerOfTen) {
    EXPECT_DOUBLE_EQ(niceTickStep(29, 5, 1), 5);       // 30 epochs: 0, 5, 10, ...
    EXPECT_DOUBLE_EQ(niceTickStep(539, 5, 1), 100);    // batch steps
    EXPECT_DOUBLE_EQ(niceTickStep(0.3, 5), 0.05);      // a metric between 0.25 and 0.55
    EXPECT_DOUBLE_EQ(niceTickStep(15.3, 5), 2);        // a loss from 0 to 15.3
    EXPECT_DOUBLE_EQ(niceTickStep(2, 5, 1), 1);        // three epochs: never half an epoch
    EXPECT_EQ(niceTickStep(0, 5), 0);
    EXPECT_EQ(tickLabelFormat(5), "%.0f");
    EXPECT_EQ(tickLabelFormat(0.05), "%.2f");
    EXPECT_EQ(tickLabelFormat(0.5), "%.1f");
}

TEST_F(LiveChartTest, EpochAxisTicksAtWholeRoundNumbers) {
    int s = chart.addSeries("validation");
    for (int epoch = 1; epoch <= 30; ++epoch) chart.append(s, epoch, 0.25 + 0.01 * epoch);
    chart.refreshNow();
    auto* x = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).value(0));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->tickType(), QValueAxis::TicksDynamic);
    EXPECT_DOUBLE_EQ(x->tickInterval(), 5);
    EXPECT_EQ(x->labelFormat(), "%.0f");
    auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0));
    ASSERT_NE(y, nullptr);
    EXPECT_DOUBLE_EQ(y->tickInterval(), 0.05);
}
