// "Pretrain on the library" in the dashboard: self-supervised pretraining of the form's CNN on every track of a library
// of real audio files, through the same controller and live curves as a training run, the run stored by the pipeline
// and offered to the Similarity tab and to the run form's "Start from"; a classifier then starts from its encoder.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/LibraryPretraining.h"
#include "support/TestSupport.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/RunForm.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::ui;

TEST(PretrainRun, PretrainsOnTheLibraryThenAClassifierStartsFromIt) {
    const auto dir = sonolab::test::freshDir("uitraining-pretrain-run");
    auto db = sonolab::test::makeToneLibrary(dir);
    // Clips of 8 recordings, two each: pretraining pairs crops of one recording (PretrainingConfig's default).
    const auto tracks = db->tracks();
    for (std::size_t i = 0; i < tracks.size(); ++i) db->setTrackGroup(tracks[i].id, "recording " + std::to_string(i / 2));
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    RunForm& form = *d.form();
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("compact_cnn"));
    ASSERT_GE(form.modelBox()->currentIndex(), 0);
    form.epochsBox()->setValue(3);
    form.batchBox()->setValue(4);  // raised to pretrain's 64 for pretraining, then capped by the library's 16 tracks
    EXPECT_TRUE(d.pretrainButton()->isEnabled());
    EXPECT_EQ(form.initBox()->runBox()->count(), 1);  // from scratch only

    // The form's learning-rate schedule reaches pretraining; "lower on plateau" has no validation loss to watch.
    form.scheduleBox()->setCurrentIndex(form.scheduleBox()->findData("plateau"));
    d.pretrainButton()->click();
    EXPECT_TRUE(d.pretrainButton()->isEnabled());
    EXPECT_TRUE(db->runs().empty());
    EXPECT_NE(d.statusText().indexOf("plateau"), -1) << d.statusText().toStdString();
    d.grab().save(QString::fromStdString((dir / "pretrain-plateau.png").string()));  // for looking at
    form.scheduleBox()->setCurrentIndex(form.scheduleBox()->findData("cosine"));

    QSignalSpy space(&d, &TrainingDashboard::similaritySpaceReady);
    d.pretrainButton()->click();
    EXPECT_FALSE(d.pretrainButton()->isEnabled());
    EXPECT_FALSE(d.pauseButton()->isEnabled());  // pretraining stops, it does not pause
    // 8 groups are one step an epoch: the status says how few steps that is and what would learn more.
    EXPECT_EQ(d.statusText(), "Pretraining: 3 epochs are only 3 steps on 8 groups (16 tracks); 6000 epochs (6000 "
                              "steps) learn a better space.");
    d.grab().save(QString::fromStdString((dir / "pretrain-started.png").string()));  // for looking at
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    d.grab().save(QString::fromStdString((dir / "pretrain-finished.png").string()));
    // The long state and outcome messages were cut or wrapped: they did not widen the window (they made it 1390).
    EXPECT_EQ(d.width(), 1300);

    // Live curves: one batch of 8 groups per epoch, three epochs.
    ASSERT_EQ(d.batchLossChart()->seriesCount(), 1);
    EXPECT_EQ(d.batchLossChart()->points(0).size(), 3u);
    EXPECT_EQ(d.epochLossChart()->points(0).size(), 3u);
    // Stored once by the pipeline as a pretraining run, and offered as a space and as a starting point.
    ASSERT_EQ(db->runs().size(), 1u);
    const auto run = db->runs()[0];
    EXPECT_EQ(run.task, pipeline::kPretrainingTask);
    EXPECT_EQ(run.status, "finished");
    EXPECT_TRUE(ml::isPretrainedRun(run.runDir));
    EXPECT_EQ(pipeline::pretrainingOfRun(run.runDir).pairBy, ml::PairBy::Group);
    EXPECT_EQ(pipeline::pretrainingOfRun(run.runDir).schedule, ml::ScheduleKind::Cosine);
    EXPECT_EQ(pipeline::pretrainingOfRun(run.runDir).batchSize, ml::PretrainingConfig{}.training.batchSize);  // 64
    ASSERT_EQ(space.count(), 1);
    EXPECT_EQ(space.at(0).at(0).toString(), QString::fromStdString("run:" + run.runDir));
    ASSERT_EQ(form.initBox()->runBox()->count(), 2);
    EXPECT_EQ(form.initBox()->runBox()->itemData(1).toString(), QString::fromStdString(run.runDir));

    // A classifier on the labels from the pretrained encoder, frozen: the form's fields reach the stored settings.
    form.initBox()->runBox()->setCurrentIndex(1);
    form.initBox()->freezeBox()->setChecked(true);
    form.epochsBox()->setValue(2);
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    const RunSettings s = form.settings();
    EXPECT_EQ(s.config.initRun, std::filesystem::path(run.runDir));
    EXPECT_TRUE(s.config.freezeEncoder);
    EXPECT_EQ(RunSettings::fromJson(s.toJson()).config.initRun, s.config.initRun);  // reopened runs keep it
    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    ASSERT_EQ(db->runs().size(), 2u);
    const auto runs = db->runs();
    const auto classifier = runs[0].task == pipeline::kPretrainingTask ? runs[1] : runs[0];
    ASSERT_NE(classifier.task, pipeline::kPretrainingTask);
    const auto settings = QJsonDocument::fromJson(QByteArray::fromStdString(classifier.settingsJson)).object();
    EXPECT_EQ(settings["init_run"].toString(), QString::fromStdString(run.runDir));
    EXPECT_TRUE(settings["freeze_encoder"].toBool());
    EXPECT_EQ(ml::encoderStateOf(classifier.runDir), ml::encoderStateOf(run.runDir));

    // A folder that is no run is refused in the form, with what to do.
    form.initBox()->runBox()->setEditText(QString::fromStdString((dir / "nothing").string()));
    EXPECT_TRUE(form.validate().contains("is not a run folder")) << form.validate().toStdString();
}
