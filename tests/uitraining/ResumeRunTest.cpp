// Resume in the runs list: a run trained through core/pipeline on real audio is stopped after its first epoch, the
// list offers Resume on it, and the resumed run goes on from its checkpoint in the same row to the requested epochs.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "support/TestSupport.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunsList.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <set>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

// Asks the trainer to stop from inside its first epoch report, on the worker: the run ends right after epoch 1
// (its checkpoint written) whatever the speed of the machine, as a user's Stop during epoch 2 would.
struct StopAfterFirstEpoch : ml::TrainingObserver {
    explicit StopAfterFirstEpoch(ml::TrainingObserver& next) : next(next) {}
    void onBatch(const ml::BatchReport& r) override { next.onBatch(r); }
    void onEpoch(const ml::EpochReport& r) override {
        next.onEpoch(r);
        if (trainer) trainer->requestStop();
    }
    void onStateChanged(ml::TrainingState s, const std::string& m) override { next.onStateChanged(s, m); }
    ml::TrainingObserver& next;
    ml::Trainer* trainer = nullptr;
};

// The dashboard's own library job, stopped after epoch 1 unless it is resuming.
RunJob stoppingLibraryJob() {
    return [inner = libraryRunJob()](const RunSettings& s, ml::TrainingObserver& observer, const Progress& progress,
                                     const TrainerHook& onTrainer) {
        if (s.resume) return inner(s, observer, progress, onTrainer);
        StopAfterFirstEpoch stopper(observer);
        return inner(s, stopper, progress, [&](ml::Trainer& t) {
            stopper.trainer = &t;
            onTrainer(t);
        });
    };
}

int rowOf(const RunsList& list, library::RunId id) {
    const auto ids = list.runIds();
    return int(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

}  // namespace

TEST(ResumeRun, AStoppedRunResumesFromItsCheckpointToTheRequestedEpochs) {
    const auto dir = test::freshDir("uitraining-resume");
    auto db = test::makeToneLibrary(dir);
    auto dashboard = test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    d.setJob(stoppingLibraryJob(), false);  // the pipeline stores the run, as with the dashboard's own job
    RunForm& form = *d.form();
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("dense"));
    constexpr int kEpochs = 4;
    form.epochsBox()->setValue(kEpochs);
    form.batchBox()->setValue(4);  // 10 training clips: 3 batches per epoch
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    QSignalSpy runsChanged(&d, &TrainingDashboard::runsChanged);

    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    // A run in progress cannot be resumed, nor can anything else while it trains.
    EXPECT_FALSE(d.runsList()->resumeButton()->isEnabled());
    ASSERT_TRUE(test::waitForRunEnd(d, 180000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Stopped) << d.statusText().toStdString();
    ASSERT_EQ(db->runs().size(), 1u);
    const library::RunRecord stopped = db->runs()[0];
    EXPECT_EQ(stopped.status, "stopped");
    ASSERT_TRUE(ml::Trainer::hasCheckpoint(stopped.runDir));
    // The stored curves end where the checkpoint does: epoch 1 and its 3 batches (the batches trained after it are
    // trained again on resume).
    EXPECT_EQ(db->runPoints(stopped.id, "train/loss").size(), 1u);
    EXPECT_EQ(db->runPoints(stopped.id, "train/batch_loss").size(), 3u);
    EXPECT_GE(runsChanged.count(), 1);  // the Similarity tab's Space box follows the runs list

    RunsList& list = *d.runsList();
    list.refresh();
    ASSERT_TRUE(list.canResume(stopped.id));
    list.selectRuns({stopped.id});
    ASSERT_TRUE(list.resumeButton()->isEnabled());

    // The form may say anything meanwhile: the run resumes with the settings it was started with.
    form.epochsBox()->setValue(1);
    form.batchBox()->setValue(2);
    list.resumeButton()->click();
    ASSERT_TRUE(d.controller()->isActive()) << d.statusText().toStdString();
    EXPECT_TRUE(d.controller()->settings().resume);
    EXPECT_EQ(d.controller()->settings().config.runDir, std::filesystem::path(stopped.runDir));
    EXPECT_EQ(d.controller()->settings().config.epochs, kEpochs);
    EXPECT_EQ(d.controller()->settings().config.batchSize, 4);
    ASSERT_TRUE(test::waitForRunEnd(d, 180000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();

    // One row, the same, finished after the requested epochs, each epoch's loss stored once.
    const auto runs = db->runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].id, stopped.id);
    EXPECT_EQ(runs[0].status, "finished");
    std::set<std::int64_t> epochs;
    for (const auto& p : db->runPoints(stopped.id, "train/loss")) EXPECT_TRUE(epochs.insert(p.step).second) << p.step;
    EXPECT_EQ(epochs, (std::set<std::int64_t>{1, 2, 3, 4}));
    EXPECT_EQ(db->runPoints(stopped.id, "train/batch_loss").size(), std::size_t(3 * kEpochs));
    EXPECT_TRUE(ml::isRunFolder(stopped.runDir));
    // The epoch chart holds the stored epoch and the resumed ones.
    ASSERT_GE(d.epochLossChart()->seriesCount(), 1);
    EXPECT_EQ(d.epochLossChart()->points(0).size(), std::size_t(kEpochs));
    // A finished run has nothing to resume.
    list.refresh();
    EXPECT_FALSE(list.canResume(stopped.id));
    EXPECT_EQ(list.table()->item(rowOf(list, stopped.id), RunsList::Status)->text().toStdString(), "finished");
}
