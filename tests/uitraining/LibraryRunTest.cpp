// The user's path: a library of real audio files, a run started from the form, trained through core/pipeline
// (features extracted and cached, run stored by the pipeline), evaluated, and the model's predictions for a track.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "support/TestSupport.h"
#include "ui/training/EvaluationView.h"
#include "ui/training/PredictionTimeline.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunsList.h"
#include "ui/training/TrackPredictionPanel.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::ui;
using sonolab::test::waitUntil;

TEST(LibraryRun, FormStartsAPipelineRunOnRealAudioAndTheModelPredictsATrack) {
    const auto dir = sonolab::test::freshDir("uitraining-library-run");
    auto db = sonolab::test::makeToneLibrary(dir);
    ASSERT_EQ(db->trackCount(), 16);

    auto dashboard = sonolab::test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    RunForm& form = *d.form();
    EXPECT_EQ(form.checkedClasses(), (QStringList{"low", "high"}));
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("dense"));
    ASSERT_GE(form.modelBox()->currentIndex(), 0);
    form.epochsBox()->setValue(25);
    form.batchBox()->setValue(4);
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    QSignalSpy ready(&d, &TrainingDashboard::modelReady);
    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 180000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();

    // Live curves came through the pipeline's observer: 10 training clips in batches of 4 = 3 per epoch.
    ASSERT_EQ(d.batchLossChart()->seriesCount(), 1);
    EXPECT_EQ(d.batchLossChart()->points(0).size(), 25u * 3u);
    EXPECT_EQ(d.epochLossChart()->points(0).size(), 25u);
    // The pipeline stored the run (once: the dashboard does not record it a second time) and evaluated the test part.
    ASSERT_EQ(db->runs().size(), 1u);
    EXPECT_EQ(db->runs()[0].status, "finished");
    EXPECT_EQ(d.currentRunId(), db->runs()[0].id);
    EXPECT_EQ(db->runPoints(db->runs()[0].id, "train/batch_loss").size(), 75u);
    ASSERT_TRUE(waitUntil([&] { return !d.evaluation()->evaluation().empty(); }, 5000));
    const Evaluation& e = d.evaluation()->evaluation();
    ASSERT_EQ(e.clips.size(), 4u);  // files 6 and 7 of each class
    EXPECT_TRUE(e.clips[0].path.endsWith(".wav"));
    EXPECT_EQ(d.runsList()->table()->rowCount(), 1);
    ASSERT_EQ(ready.count(), 1);

    // The model's predictions for a track, over time, as the player would show them.
    const auto track = dir / "long-high.wav";
    sonolab::test::writeToneClip(track, 3500, 7);
    TrackPredictionPanel panel;
    panel.resize(600, 80);
    panel.show();
    panel.setRun(ready.at(0).at(0).toString().toStdString());
    QSignalSpy predicted(&panel, &TrackPredictionPanel::predictionReady);
    panel.predictFile(QString::fromStdString(track.string()));
    ASSERT_TRUE(waitUntil([&] { return predicted.count() > 0 || panel.statusText().startsWith("Cannot"); }, 60000));
    ASSERT_EQ(predicted.count(), 1) << panel.statusText().toStdString();
    const auto& whole = panel.timeline()->wholeTrack();
    ASSERT_EQ(whole.size(), 2u);
    EXPECT_GT(whole[1], whole[0]) << panel.statusText().toStdString();  // "high" wins
    EXPECT_EQ(panel.timeline()->rowCount(), 2);
}
