// Screenshots of the browser on the demo collection (scripts/make-demo-collection.sh), for docs/screenshots:
//   SONOLAB_SCREENSHOT_DIR=docs/screenshots test_uisimilarity --gtest_filter='SimilarityDemo.*'
// Skipped unless SONOLAB_SCREENSHOT_DIR is set and the demo library exists (SONOLAB_DEMO_DIR, default
// ~/.cache/sonolab/demo). Works on a copy of the library, so the marks it sets and the labels it removes (the query's,
// to show the neighbours' label vote) do not reach the real one.
#include "core/library/LibraryDatabase.h"
#include "support/TestSupport.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/LabelUnlabelledDialog.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QSignalSpy>
#include <QSplitter>
#include <QTableWidget>
#include <QTest>

#include <gtest/gtest.h>

#include <cstdio>

using namespace sonolab;

TEST(SimilarityDemo, Screenshots) {
    const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR");
    if (!out) GTEST_SKIP() << "set SONOLAB_SCREENSHOT_DIR to write the screenshots";
    const char* demoEnv = std::getenv("SONOLAB_DEMO_DIR");
    const char* home = std::getenv("HOME");
    const std::filesystem::path demo = demoEnv ? demoEnv : std::filesystem::path(home ? home : "/root") / ".cache/sonolab/demo";
    if (!std::filesystem::exists(demo / "library.sqlite")) GTEST_SKIP() << "no demo library in " << demo;
    const auto dir = test::freshDir("uisimilarity-demo");
    std::filesystem::copy_file(demo / "library.sqlite", dir / "library.sqlite");
    auto db = std::make_shared<library::LibraryDatabase>(dir / "library.sqlite");

    ui::SimilarityBrowser browser;
    browser.resize(1500, 920);
    browser.setLibrary(db);
    QSignalSpy ready(&browser, &ui::SimilarityBrowser::spaceReady);
    QSignalSpy failed(&browser, &ui::SimilarityBrowser::spaceFailed);
    browser.requestSpace("mfcc");
    ASSERT_TRUE(ready.wait(600000)) << (failed.isEmpty() ? std::string("timeout") : failed.at(0).at(1).toString().toStdString());
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));

    // The query: a track named by SONOLAB_DEMO_QUERY (part of its title), else the first orchestral one.
    const char* wanted = std::getenv("SONOLAB_DEMO_QUERY");
    std::int64_t query = -1;
    for (const auto& t : db->tracks()) {
        bool match = false;
        if (wanted) {
            match = t.title.find(wanted) != std::string::npos;
        } else {
            for (const auto& l : db->labelsOfTrack(t.id)) match |= l.label == "orchestral";
        }
        if (match) {
            query = t.id;
            break;
        }
    }
    ASSERT_GE(query, 0);
    // The query as a track nobody has labelled yet, so its labelled neighbours' vote and "Label as" show.
    for (const auto& l : db->labelsOfTrack(query)) db->removeLabel(l.labelSet, query, l.label);
    browser.setLibrary(db);
    // SONOLAB_DEMO_COLOUR: the label set the map is coloured by (and the vote asked of), e.g. a single-label "style".
    if (const char* colour = std::getenv("SONOLAB_DEMO_COLOUR")) browser.setColourBy(QString::fromUtf8(colour));
    browser.setNeighbourCount(10);
    browser.selectTrack(query);
    ASSERT_GE(browser.neighbourTable()->rowCount(), 3);
    // Two marks, so the list shows them.
    browser.markNeighbour(0, true);
    browser.markNeighbour(2, false);
    browser.compareNeighbour(0);
    browser.neighbourTable()->selectRow(0);
    auto* panel = browser.comparison();
    for (int i = 0; i < 1500 && !panel->complete(); ++i) QTest::qWait(20);
    QSignalSpy mapped(&browser, &ui::SimilarityBrowser::mapReady);
    if (browser.map()->points().empty()) ASSERT_TRUE(mapped.wait(60000));
    for (int i = 0; i < 3000 && browser.isScoring(); ++i) QTest::qWait(20);  // the score under the map
    QTest::qWait(200);
    const QString neighbours = QString::fromUtf8(out) + "/similarity-neighbours.png";
    ASSERT_TRUE(browser.grab().save(neighbours));
    std::printf("saved %s\n", qPrintable(neighbours));

    // The map: t-SNE, pointer resting on the nearest neighbour's dot (preview ring, tooltip is a separate window).
    QSignalSpy tsne(&browser, &ui::SimilarityBrowser::mapReady);
    browser.setMapProjection("t-SNE");
    ASSERT_TRUE(tsne.wait(300000));
    auto* map = browser.map();
    // Most of the width to the map for this one.
    if (auto* split = browser.findChild<QSplitter*>("mainSplitter")) split->setSizes({560, 940});
    QTest::qWait(100);
    const auto ids = browser.neighbourIds();
    QTest::mouseMove(map, map->widgetPosition(ids.front()).toPoint());
    QTest::qWait(200);
    const QString mapShot = QString::fromUtf8(out) + "/similarity-map.png";
    ASSERT_TRUE(browser.grab().save(mapShot));
    std::printf("saved %s (map drawn in %.2f ms, %zu points)\n", qPrintable(mapShot), map->lastPaintMs(), map->points().size());

    // "Label the Unlabelled…", as it opens for the colouring set (not written to the library: no exec()).
    ui::LabelUnlabelledDialog dialog(browser.colourBy(), true, browser.colourBy() + "-knn", {}, {}, &browser);
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    const QString dialogShot = QString::fromUtf8(out) + "/similarity-label-unlabelled.png";
    ASSERT_TRUE(dialog.grab().save(dialogShot));
    std::printf("saved %s\n", qPrintable(dialogShot));
}
