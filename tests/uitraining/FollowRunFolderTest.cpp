// The dashboard follows a run folder another process writes: its curves.csv is replaced (by rename, as the trainer
// writes it) with more epochs, and the charts grow without anyone pressing a button.
#include "DashboardFixture.h"

#include "support/TestSupport.h"
#include "ui/training/RunFolderFollower.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/widgets/LiveChart.h"

#include <QApplication>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace sonolab;
using namespace sonolab::ui;
using sonolab::test::waitUntil;

namespace {

// curves.csv as another process leaves it after `epochs` epochs (written here by hand, not by the code under test),
// replaced atomically like the trainer's AtomicFile.
void writeCurves(const std::filesystem::path& run, int epochs, double firstLoss = 1.0) {
    std::filesystem::create_directories(run);
    const auto temporary = run / ".curves.csv.tmp";
    {
        std::ofstream out(temporary);
        out.precision(17);  // the trainer writes exact values too
        out << "epoch,train_loss,validation_loss,learning_rate,seconds,samples_per_second,accuracy\n";
        for (int e = 1; e <= epochs; ++e)
            out << e << ',' << firstLoss / e << ',' << 1.2 * firstLoss / e << ",0.001,2.5,100," << 0.5 + 0.04 * e << '\n';
    }
    std::filesystem::rename(temporary, run / "curves.csv");
}

std::size_t trainPoints(const LiveChart& chart) {
    const int s = chart.seriesIndex(QStringLiteral("train"));
    return s < 0 ? 0 : chart.points(s).size();
}

}  // namespace

TEST(FollowRunFolder, DashboardCurvesGrowAsAnotherProcessWritesTheRun) {
    const auto dir = sonolab::test::freshDir("follow-run-folder");
    const auto run = dir / "run";
    writeCurves(run, 2);
    TrainingDashboard dashboard(nullptr, /*withPlayer=*/false);
    ASSERT_TRUE(dashboard.followRunFolder(run));
    ASSERT_TRUE(waitUntil([&] { return trainPoints(*dashboard.epochLossChart()) == 2; }, 10000));
    EXPECT_EQ(dashboard.currentRunFolder(), run);

    writeCurves(run, 3);
    ASSERT_TRUE(waitUntil([&] { return trainPoints(*dashboard.epochLossChart()) == 3; }, 10000));
    const auto& train = dashboard.epochLossChart()->points(dashboard.epochLossChart()->seriesIndex("train"));
    EXPECT_DOUBLE_EQ(train.back().x(), 3.0);
    EXPECT_DOUBLE_EQ(train.back().y(), 1.0 / 3);
    const int accuracy = dashboard.metricsChart()->seriesIndex("accuracy");
    ASSERT_GE(accuracy, 0);
    EXPECT_EQ(dashboard.metricsChart()->points(accuracy).size(), 3u);

    // A new run started in the same folder: the charts show it alone, not appended to the old one.
    writeCurves(run, 1, 5.0);
    ASSERT_TRUE(waitUntil([&] { return trainPoints(*dashboard.epochLossChart()) == 1; }, 10000));
    EXPECT_DOUBLE_EQ(dashboard.epochLossChart()->points(dashboard.epochLossChart()->seriesIndex("train")).front().y(), 5.0);
}

// Network file systems report no changes made on other machines: the poll alone must find them.
TEST(FollowRunFolder, PollingFindsChangesWithoutFileSystemEvents) {
    const auto dir = sonolab::test::freshDir("follow-run-folder-poll");
    const auto run = dir / "run";  // not there yet: the job has not started
    RunFolderFollower follower(nullptr, {.pollMilliseconds = 50, .watchFileSystem = false});
    std::size_t reported = 0;
    QObject::connect(&follower, &RunFolderFollower::epochsAdded,
                     [&](const std::vector<ml::EpochReport>& added, bool) { reported += added.size(); });
    follower.follow(run);
    QApplication::processEvents();
    EXPECT_EQ(reported, 0u);
    writeCurves(run, 1);
    ASSERT_TRUE(waitUntil([&] { return reported == 1; }, 10000));
    writeCurves(run, 4);
    ASSERT_TRUE(waitUntil([&] { return reported == 4; }, 10000));
    EXPECT_EQ(follower.epochs().size(), 4u);
    EXPECT_TRUE(follower.epochs()[3].best);  // the validation loss fell every epoch
}

// A damaged file is reported, not thrown, and following goes on.
TEST(FollowRunFolder, DamagedCurvesAreReportedAndFollowingGoesOn) {
    const auto dir = sonolab::test::freshDir("follow-run-folder-damaged");
    const auto run = dir / "run";
    std::filesystem::create_directories(run);
    std::ofstream(run / "curves.csv") << "epoch,train_loss,validation_loss,learning_rate,seconds,samples_per_second\n"
                                         "1,abc,,0.1,1,1\n";
    RunFolderFollower follower(nullptr, {.pollMilliseconds = 50, .watchFileSystem = false});
    QString error;
    QObject::connect(&follower, &RunFolderFollower::errorOccurred, [&](const QString& m) { error = m; });
    follower.follow(run);
    EXPECT_TRUE(error.contains("curves.csv")) << error.toStdString();
    writeCurves(run, 2);
    ASSERT_TRUE(waitUntil([&] { return follower.epochs().size() == 2; }, 10000));
}
