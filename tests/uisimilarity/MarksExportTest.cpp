// "Similarity marks" from the browser: the query and the neighbours it lists, with the distances it shows, written
// as labels of the query's audio; in a space with windows each neighbour sits on the query's window that matches it
// best (for "mixed", the low tone's neighbour on its low-tone tail).
#include "Fixtures.h"

#include "core/annotations/AnnotationFile.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QSignalSpy>
#include <QTableWidget>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::annotations;
using test::MixedCollection;
namespace fs = std::filesystem;

TEST(SimilarityMarks, TheQueryAndItsNeighboursAsLabelsOfTheQuery) {
    test::BrowserOn<MixedCollection> b("marks", {1100, 700}, 4);
    auto& [c, playback, browser] = b;
    EXPECT_FALSE(browser.exportMarks(QString::fromStdString((c.dir / "none.txt").string())));  // no query yet

    QSignalSpy ready(&browser, &ui::SimilarityBrowser::spaceReady);
    browser.requestSpace("mfcc");
    ASSERT_TRUE(ready.wait(120000));
    browser.selectTrack(c.id["mixed"]);
    const auto ids = browser.neighbourIds();
    ASSERT_EQ(ids.size(), 4u);

    const fs::path file = c.dir / "mixed.neighbours.jams";
    ASSERT_TRUE(browser.exportMarks(QString::fromStdString(file.string())));
    const auto read = readAnnotationFile(file);
    ASSERT_EQ(read.size(), 1u);
    const auto& events = read[0].events;
    ASSERT_EQ(events.size(), 5u);
    auto table = browser.neighbourTable();
    for (int row = 0; row < 4; ++row) {
        const std::string name = table->item(row, ui::SimilarityBrowser::Track)->text().toStdString();
        const std::string label = std::to_string(row + 1) + ": " + name;
        const auto it = std::find_if(events.begin(), events.end(), [&](const Event& e) { return e.label == label; });
        ASSERT_NE(it, events.end()) << label;
        ASSERT_TRUE(it->value.has_value());
        // The distance the list shows (3 decimals).
        EXPECT_NEAR(*it->value, table->item(row, ui::SimilarityBrowser::Distance)->text().toDouble(), 5e-4) << label;
        EXPECT_GT(it->duration, 0);
        EXPECT_LE(it->time + it->duration, 8.0 + 1e-3) << label;
        if (ids[std::size_t(row)] == c.id["low"])
            EXPECT_GE(it->time, MixedCollection::kSwitch - 0.25) << "the low tone's match lies in mixed's low tail";
    }
    const auto query = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.label.rfind("query: ", 0) == 0; });
    ASSERT_NE(query, events.end());
    EXPECT_NEAR(query->time, 0.0, 1e-9);
    EXPECT_NEAR(query->duration, 8.0, 1e-2);
    EXPECT_EQ(query->value, 0.0);
    // An extension that names no label format is refused, and nothing is written.
    EXPECT_FALSE(browser.exportMarks(QString::fromStdString((c.dir / "marks.wav").string())));
    EXPECT_FALSE(fs::exists(c.dir / "marks.wav"));
}
