// The collection map on its own, offscreen: wheel zoom about the pointer, drag to pan (without selecting), fit again,
// click to select, colours and legend by label, and 10,000 points drawn (the draw time is printed against two
// baselines measured in the same run: one anti-aliased ellipse per point, and one QGraphicsItem per point).
#include "core/similarity/CollectionSpaces.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPainter>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <set>

using sonolab::ui::CollectionMap;
using sonolab::ui::MapPoint;

namespace {

std::vector<MapPoint> grid(int n) {
    std::vector<MapPoint> points;
    for (int i = 0; i < n; ++i)
        points.push_back({i + 1, float(i % 5) * 10, float(i / 5) * 10, i % 2 ? "odd" : "even", QString("track %1").arg(i + 1), {}});
    return points;
}

void wheel(QWidget* w, QPointF at, int angle) {
    QWheelEvent event(at, w->mapToGlobal(at), QPoint(), QPoint(0, angle), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

void mouse(QWidget* w, QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent event(type, at, w->mapToGlobal(at), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &event);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

TEST(CollectionMapView, WheelZoomsTheVisibleRangeDragPansAndFitResets) {
    CollectionMap map;
    map.resize(600, 500);
    map.setPoints(grid(25));  // x and y in [0, 40]
    map.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&map));
    const QRectF all = map.visibleRange();
    EXPECT_LE(all.left(), 0.0);
    EXPECT_GE(all.right(), 40.0);
    EXPECT_LE(all.top(), 0.0);
    EXPECT_GE(all.bottom(), 40.0);

    // Two wheel steps in, about the dot of track 7 (x 10, y 10): the range narrows by 1.25^2 and that dot stays put.
    const QPointF at = map.widgetPosition(7);
    wheel(&map, at, 240);
    const QRectF zoomed = map.visibleRange();
    EXPECT_NEAR(all.width() / zoomed.width(), 1.5625, 1e-6);
    EXPECT_NEAR(all.height() / zoomed.height(), 1.5625, 1e-6);
    EXPECT_NEAR(map.widgetPosition(7).x(), at.x(), 1e-6);
    EXPECT_NEAR(map.widgetPosition(7).y(), at.y(), 1e-6);
    EXPECT_TRUE(zoomed.contains(QPointF(10, 10)));
    EXPECT_FALSE(zoomed.contains(QPointF(all.right() - 0.5, all.bottom() - 0.5)));
    wheel(&map, at, -120);
    EXPECT_NEAR(all.width() / map.visibleRange().width(), 1.25, 1e-6);

    // Dragging pans by exactly the pointer's movement, and a drag that starts on a dot does not select it.
    QSignalSpy clicked(&map, &CollectionMap::trackClicked);
    const QPointF before = map.widgetPosition(13);
    const QPointF start = map.widgetPosition(7);
    mouse(&map, QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
    mouse(&map, QEvent::MouseMove, start + QPointF(30, 10), Qt::NoButton, Qt::LeftButton);
    mouse(&map, QEvent::MouseMove, start + QPointF(60, -20), Qt::NoButton, Qt::LeftButton);
    mouse(&map, QEvent::MouseButtonRelease, start + QPointF(60, -20), Qt::LeftButton, Qt::NoButton);
    EXPECT_EQ(clicked.count(), 0);
    EXPECT_NEAR(map.widgetPosition(13).x(), before.x() + 60, 1e-6);
    EXPECT_NEAR(map.widgetPosition(13).y(), before.y() - 20, 1e-6);

    // Fit shows everything again.
    auto* fit = map.findChild<QToolButton*>("resetMapView");
    ASSERT_NE(fit, nullptr);
    EXPECT_TRUE(fit->isEnabled());
    QTest::mouseClick(fit, Qt::LeftButton);
    EXPECT_NEAR(map.visibleRange().width(), all.width(), 1e-6);
    EXPECT_NEAR(map.visibleRange().left(), all.left(), 1e-6);
    EXPECT_DOUBLE_EQ(map.zoom(), 1.0);

    // A click (no drag) on a dot selects it.
    QTest::mouseClick(&map, Qt::LeftButton, {}, map.widgetPosition(19).toPoint());
    ASSERT_EQ(clicked.count(), 1);
    EXPECT_EQ(clicked.at(0).at(0).toLongLong(), 19);
}

TEST(CollectionMapView, DotsTakeTheirLabelColourAndTheLegendCountsThem) {
    CollectionMap map;
    map.resize(500, 420);
    map.setPoints(grid(10));
    std::map<std::int64_t, QString> labels{{1, "rock"}, {2, "rock"}, {3, "jazz"}};
    map.setLabels(labels, "style");
    ASSERT_EQ(map.legend().size(), 2u);
    EXPECT_EQ(map.legend()[0], (std::pair<QString, int>{"rock", 2}));
    EXPECT_EQ(map.legend()[1], (std::pair<QString, int>{"jazz", 1}));
    EXPECT_EQ(map.legendTitle().toStdString(), "style");
    EXPECT_NE(map.colourOf("rock"), map.colourOf("jazz"));
    const QImage image = map.grab().toImage();
    for (std::int64_t id : {2, 3, 9}) {
        const QPoint p = map.widgetPosition(id).toPoint();
        const QColor expected = map.colourOf(id == 2 ? "rock" : id == 3 ? "jazz" : QString());
        const QColor got = image.pixelColor(p);
        EXPECT_LE(std::abs(got.red() - expected.red()) + std::abs(got.green() - expected.green()) +
                      std::abs(got.blue() - expected.blue()),
                  12)
            << "track " << id;
    }
    // Selecting fades the others and draws the neighbours in full colour on top.
    map.setSelection(1, {2, 3});
    const QImage focused = map.grab().toImage();
    const QColor faded = focused.pixelColor(map.widgetPosition(9).toPoint());
    const QColor neighbour = focused.pixelColor(map.widgetPosition(3).toPoint());
    EXPECT_GT(faded.lightness(), image.pixelColor(map.widgetPosition(9).toPoint()).lightness() + 20);
    EXPECT_EQ(neighbour, image.pixelColor(map.widgetPosition(3).toPoint()));
}

// The collection is drawn into a layer cached per view and colouring: a recolouring, a zoom and new points must
// each show on the next paint, and a hover (which reuses the layer) must not leave an old picture behind.
TEST(CollectionMapView, TheCachedLayerFollowsRecolouringZoomAndNewPoints) {
    CollectionMap map;
    map.resize(500, 420);
    map.setPoints(grid(10));
    auto colourAt = [&](std::int64_t id) { return map.grab().toImage().pixelColor(map.widgetPosition(id).toPoint()); };
    auto near = [](const QColor& a, const QColor& b) {
        return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= 12;
    };
    map.setLabels({{4, "rock"}, {6, "jazz"}}, "style");
    EXPECT_TRUE(near(colourAt(4), map.colourOf("rock")));
    map.setLabels({{3, "rock"}, {4, "jazz"}, {6, "rock"}}, "style");
    EXPECT_TRUE(near(colourAt(4), map.colourOf("jazz")));
    EXPECT_TRUE(near(colourAt(6), map.colourOf("rock")));

    // Zoom about track 4: its neighbour 3 (10 units to the left) moves left and stays in view.
    const QPoint before = map.widgetPosition(3).toPoint();
    map.zoomAt(map.widgetPosition(4), 1.5);
    ASSERT_LT(map.widgetPosition(3).x(), before.x() - 20);
    ASSERT_TRUE(map.rect().contains(map.widgetPosition(3).toPoint()));
    EXPECT_TRUE(near(colourAt(3), map.colourOf("rock")));
    const QColor background = map.palette().color(QPalette::Window);
    EXPECT_TRUE(near(map.grab().toImage().pixelColor(before), background)) << "the dot stayed where it was";

    auto moved = grid(10);
    for (auto& p : moved) p.y += 5;  // all points shift: the fit is the same shape, each dot lands elsewhere
    moved[9].x += 100;                 // ... and one far away changes the fit
    map.setPoints(moved);
    map.setLabels({{6, "rock"}}, "style");
    EXPECT_TRUE(near(colourAt(6), map.colourOf("rock")));
}

TEST(CollectionMapView, DrawsTenThousandPoints) {
    constexpr int kPoints = 10000;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<MapPoint> points;
    const QStringList labels{"rock", "jazz", "pop", "classical", "electronic", "folk", "hiphop", "metal", "blues", "reggae"};
    for (int i = 0; i < kPoints; ++i)
        points.push_back({i, normal(rng) + float(i % 10) * 2, normal(rng) + float(i % 7), labels[i % 10], {}, {}});
    CollectionMap map;
    map.resize(900, 700);
    map.setPoints(points);
    std::vector<std::int64_t> neighbours;
    for (int i = 1; i <= 10; ++i) neighbours.push_back(i * 37);
    map.setSelection(0, neighbours);
    map.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&map));

    QImage image(map.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> ours, ellipses, items;
    for (int run = 0; run < 7; ++run) {
        image.fill(Qt::white);
        map.render(&image);
        ours.push_back(map.lastPaintMs());
    }
    // Every dot is drawn: no point's centre shows the bare background (dots are faded, a track being selected).
    const QImage shot = map.grab().toImage();
    const QColor background = map.palette().color(QPalette::Window);
    int bare = 0;
    for (const auto& pt : points) {
        const QPoint w = map.widgetPosition(pt.id).toPoint();
        if (shot.rect().contains(w) && shot.pixelColor(w) == background) ++bare;
    }
    EXPECT_EQ(bare, 0);

    // The baselines draw into the same image, anti-aliased, 7 times each (milliseconds per run).
    auto timeBaseline = [&](std::vector<double>& ms, const std::function<void(QPainter&)>& draw) {
        for (int run = 0; run < 7; ++run) {
            image.fill(Qt::white);
            QElapsedTimer t;
            t.start();
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            draw(p);
            p.end();
            ms.push_back(t.nsecsElapsed() / 1e6);
        }
    };
    // Baseline 1: what the map did before, one anti-aliased ellipse per point.
    timeBaseline(ellipses, [&](QPainter& p) {
        p.setPen(Qt::NoPen);
        for (const auto& pt : points) {
            p.setBrush(map.colourOf(pt.label));
            p.drawEllipse(map.widgetPosition(pt.id), 4.5, 4.5);
        }
    });
    // Baseline 2: one QGraphicsEllipseItem per point, rendered by the scene.
    QGraphicsScene scene(0, 0, map.width(), map.height());
    for (const auto& pt : points) {
        const QPointF w = map.widgetPosition(pt.id);
        auto* item = scene.addEllipse(w.x() - 4.5, w.y() - 4.5, 9, 9, Qt::NoPen, map.colourOf(pt.label));
        item->setToolTip(pt.label);
    }
    timeBaseline(items, [&](QPainter& p) { scene.render(&p); });
    const double a = median(ours), b = median(ellipses), c = median(items);
    std::printf("[map draw, %d points, %dx%d, median of 7] batched sprites %.2f ms; one ellipse per point %.2f ms (%.1fx); "
                "one QGraphicsItem per point %.2f ms (%.1fx)\n",
                kPoints, map.width(), map.height(), a, b, b / a, c, c / a);
    RecordProperty("map_draw_ms", std::to_string(a));
}

// The whole browser on a 10,000-track space of 64 dimensions (no library: tracks are named by id): selecting lists
// the neighbours, the PCA map arrives from its worker thread with every track, hovering finds dots. Times printed.
TEST(SimilarityBrowserScale, TenThousandTracks) {
    constexpr int kTracks = 10000, kDim = 64;
    std::mt19937 rng(11);
    std::normal_distribution<float> normal;
    sonolab::similarity::CollectionSpace space;
    space.name = "random";
    std::vector<float> v(kDim);
    for (int i = 0; i < kTracks; ++i) {
        for (auto& x : v) x = normal(rng) + float(i % 10);
        space.vectors.append(i + 1, v);
    }
    sonolab::ui::SimilarityBrowser browser;
    browser.resize(1400, 900);
    QSignalSpy mapped(&browser, &sonolab::ui::SimilarityBrowser::mapReady);
    QElapsedTimer t;
    t.start();
    browser.addSpace(std::move(space));
    const double addMs = t.nsecsElapsed() / 1e6;
    ASSERT_TRUE(mapped.count() > 0 || mapped.wait(60000));
    const double mapMs = t.nsecsElapsed() / 1e6;
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    t.restart();
    browser.selectTrack(5000);
    const double selectMs = t.nsecsElapsed() / 1e6;
    EXPECT_EQ(browser.neighbourTable()->rowCount(), 10);
    EXPECT_EQ(browser.map()->points().size(), std::size_t(kTracks));
    // Same cluster (i % 10) as the query: every neighbour id - 1 is congruent to 4999 mod 10.
    for (auto id : browser.neighbourIds()) EXPECT_EQ((id - 1) % 10, 4999 % 10);
    auto* map = browser.map();
    map->repaint();
    const double paintMs = map->lastPaintMs();
    t.restart();
    std::int64_t found = -1;
    for (int i = 0; i < 100; ++i) found = map->trackAt(map->widgetPosition(1 + i * 97));
    const double hitUs = t.nsecsElapsed() / 1e3 / 100;
    EXPECT_GE(found, 0);
    std::printf("[browser, %d tracks x %d dims] addSpace (index) %.1f ms; PCA map ready after %.1f ms; select + list %.2f ms; "
                "map paint %.2f ms; hit test %.1f us\n",
                kTracks, kDim, addMs, mapMs, selectMs, paintMs, hitUs);
}
