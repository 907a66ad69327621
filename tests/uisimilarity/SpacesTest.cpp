// The Space box and the first look at the Similarity tab: the browser opens on MFCC statistics with the player's
// track as the query the first time it is shown (not before), and the box offers every stored run whose model
// embeds tracks (a classifier's too), following the runs as they are added.
#include "Fixtures.h"

#include "core/pipeline/LibraryTraining.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <gtest/gtest.h>

#include <set>

using namespace sonolab;
using test::Collection;

TEST(SimilaritySpaces, FirstShownTheBrowserOpensOnMfccWithThePlayersTrackAsTheQuery) {
    test::BrowserOn<Collection> b("first-look", {1100, 560}, 2);
    auto& [c, playback, browser] = b;
    // The player opened "high 2" before anyone looked at the tab: nothing is built for a hidden browser.
    ASSERT_TRUE(browser.selectTrackByPath(c.path("high 2")));
    QTest::qWait(50);
    EXPECT_FALSE(browser.isBuilding());
    EXPECT_TRUE(browser.currentSpace().isEmpty());

    QSignalSpy ready(&browser, &ui::SimilarityBrowser::spaceReady);
    QSignalSpy failed(&browser, &ui::SimilarityBrowser::spaceFailed);
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    ASSERT_TRUE(ready.count() > 0 || ready.wait(120000))
        << (failed.isEmpty() ? std::string("timeout") : failed.at(0).at(1).toString().toStdString());
    EXPECT_EQ(ready.at(0).at(0).toString().toStdString(), "mfcc");
    EXPECT_EQ(browser.currentSpace().toStdString(), "mfcc");
    EXPECT_EQ(browser.spacePicker()->currentData().toString().toStdString(), "mfcc");
    EXPECT_FALSE(browser.spacePicker()->currentText().isEmpty());
    // The player's track is the query, and its nearest neighbours are the other high tones.
    EXPECT_EQ(browser.selectedTrack(), c.id["high 2"]);
    const auto ids = browser.neighbourIds();
    ASSERT_EQ(ids.size(), 2u);
    const std::set<std::int64_t> got(ids.begin(), ids.end()), highs{c.id["high 1"], c.id["high 3"]};
    EXPECT_EQ(got, highs);

    // Shown again later: the space stays, nothing is built again.
    browser.hide();
    browser.show();
    QTest::qWait(50);
    EXPECT_EQ(ready.count(), 1);
    EXPECT_EQ(browser.currentSpace().toStdString(), "mfcc");
}

TEST(SimilaritySpaces, TheSpaceBoxListsEveryRunWithAModelAndFollowsTheRuns) {
    test::BrowserOn<Collection> b("runs", {1100, 560}, 2);
    auto& [c, playback, browser] = b;
    const QStringList handcrafted{"mfcc", "rp", "rp:scaled", "rp:weighted"};
    EXPECT_EQ(browser.spaceChoices(), handcrafted);

    // A classifier trained on the library (as the Training tab and `sonolab-cli train` do).
    std::vector<library::SplitAssignment> split;
    for (const auto& [title, id] : c.id)
        split.push_back({id, title == "low 2" || title == "high 2" ? library::SplitPart::Test : library::SplitPart::Train});
    c.db->writeSplit("by-track", split);
    pipeline::LibraryTrainingRequest request;
    request.library = c.db->file();
    request.task = "single:low,high@style";
    request.model = ml::ModelSpec::parse("dense");
    request.config.runDir = c.dir / "classifier";
    request.config.epochs = 2;
    request.config.batchSize = 2;
    request.config.threads = 1;
    request.runName = "style classifier";
    const auto trained = pipeline::trainFromLibrary(request);
    ASSERT_EQ(trained.training.state, ml::TrainingState::Finished) << trained.training.message;
    // Rows without a usable model: one still "running" (its process ended), one whose folder is gone.
    library::RunRecord interrupted;
    interrupted.name = "interrupted";
    interrupted.task = "single:low,high";
    interrupted.status = "running";
    interrupted.runDir = (c.dir / "interrupted").string();
    c.db->addRun(interrupted);
    library::RunRecord gone = interrupted;
    gone.name = "gone";
    gone.status = "finished";
    gone.runDir = (c.dir / "deleted-folder").string();
    c.db->addRun(gone);

    // The box follows the runs when told (the Training tab tells it when its list changes).
    EXPECT_EQ(browser.spaceChoices(), handcrafted);
    browser.refreshSpaces();
    const QString runSpace = "run:" + QString::fromStdString(std::filesystem::absolute(request.config.runDir).string());
    EXPECT_EQ(browser.spaceChoices(), handcrafted + QStringList{runSpace});
    const int item = browser.spacePicker()->findData(runSpace);
    ASSERT_GE(item, 0);
    EXPECT_TRUE(browser.spacePicker()->itemText(item).contains("style classifier"));
    EXPECT_TRUE(browser.spacePicker()->itemText(item).contains("classifier run"));

    // Picking it builds the classifier's penultimate-layer space from the library's tracks.
    QSignalSpy ready(&browser, &ui::SimilarityBrowser::spaceReady);
    QSignalSpy failed(&browser, &ui::SimilarityBrowser::spaceFailed);
    browser.spacePicker()->setCurrentIndex(item);
    ASSERT_TRUE(ready.count() > 0 || ready.wait(120000))
        << (failed.isEmpty() ? std::string("timeout") : failed.at(0).at(1).toString().toStdString());
    EXPECT_EQ(browser.currentSpace(), runSpace);
    browser.selectTrack(c.id["low 1"]);
    EXPECT_EQ(browser.neighbourIds().size(), 2u);
    // Refreshing keeps the choice.
    browser.refreshSpaces();
    EXPECT_EQ(browser.spacePicker()->currentData().toString(), runSpace);
}
