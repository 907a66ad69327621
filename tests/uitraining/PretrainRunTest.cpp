// "Pretrain on the library…" in the dashboard: its dialog, then self-supervised pretraining on every track of a library
// of real audio files, through the same controller and live curves as a training run, the run stored by the pipeline
// and offered to the Similarity tab and to the run form's "Start from"; a classifier then starts from its encoder.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/LibraryPretraining.h"
#include "core/pipeline/LibraryTraining.h"
#include "support/TestSupport.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/PretrainDialog.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunsList.h"
#include "ui/training/SiameseSettingsBox.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingData.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

// The tone library's 16 clips as 8 recordings of two clips each: pretraining pairs crops of one recording
// (PretrainingConfig's default).
std::shared_ptr<library::LibraryDatabase> makeRecordingsLibrary(const std::filesystem::path& dir) {
    auto db = sonolab::test::makeToneLibrary(dir);
    const auto tracks = db->tracks();
    for (std::size_t i = 0; i < tracks.size(); ++i) db->setTrackGroup(tracks[i].id, "recording " + std::to_string(i / 2));
    return db;
}

}  // namespace

TEST(PretrainRun, PretrainsOnTheLibraryThenAClassifierStartsFromIt) {
    const auto dir = sonolab::test::freshDir("uitraining-pretrain-run");
    auto db = makeRecordingsLibrary(dir);
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    RunForm& form = *d.form();
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("compact_cnn"));
    ASSERT_GE(form.modelBox()->currentIndex(), 0);
    form.epochsBox()->setValue(3);  // the form's classifier values do not reach pretraining
    form.learningRateBox()->setValue(0.01);
    form.seedBox()->setValue(5);
    EXPECT_TRUE(d.pretrainButton()->isEnabled());
    EXPECT_EQ(form.initBox()->runBox()->count(), 1);  // from scratch only

    // "Pretrain on the library…" opens a dialog with `sonolab-cli pretrain`'s defaults, the form's model and seed.
    d.pretrainButton()->click();
    PretrainDialog* dialog = d.pretrainDialog();
    ASSERT_NE(dialog, nullptr);
    const ml::PretrainingConfig defaults;
    EXPECT_EQ(dialog->modelBox()->currentText(), "compact_cnn");
    EXPECT_EQ(dialog->stepsBox()->value(), int(ml::kDefaultPretrainingSteps));
    EXPECT_EQ(dialog->batchBox()->value(), defaults.training.batchSize);
    EXPECT_DOUBLE_EQ(dialog->learningRateBox()->value(), defaults.training.learningRate);
    EXPECT_DOUBLE_EQ(dialog->temperatureBox()->value(), defaults.temperature);
    EXPECT_EQ(dialog->pairByBox()->currentData().toString(), "group");
    EXPECT_EQ(dialog->augmentationsEdit()->text().toStdString(), defaults.augmentation.toString());
    EXPECT_EQ(dialog->seedBox()->value(), 5);
    EXPECT_EQ(dialog->scheduleBox()->findData("plateau"), -1);  // no validation loss to watch
    EXPECT_TRUE(dialog->pretrainButton()->isDefault());  // Enter pretrains
    // 8 recordings of 2 clips: one step an epoch at 64 tracks a step.
    EXPECT_EQ(dialog->summaryLabel()->text(), "6000 epochs over 8 recordings (16 tracks), 1 step each: 6000 steps.");
    dialog->grab().save(QString::fromStdString((dir / "pretrain-dialog.png").string()));  // for looking at
    // A mistyped augmentation is named, and the dialog will not start it.
    dialog->augmentationsEdit()->setText("tmask,echo");
    EXPECT_FALSE(dialog->pretrainButton()->isEnabled());
    EXPECT_TRUE(dialog->summaryLabel()->text().startsWith("Augmentations:")) << dialog->summaryLabel()->text().toStdString();
    dialog->augmentationsEdit()->setText("tmask,fmask,gain,mix");
    EXPECT_TRUE(dialog->pretrainButton()->isEnabled());

    // Settings that reach the dashboard another way are checked again: "lower on plateau" has nothing to watch.
    RunSettings plateau = dialog->settings();
    plateau.config.schedule = ml::ScheduleKind::Plateau;
    EXPECT_FALSE(d.startPretraining(plateau));
    EXPECT_TRUE(db->runs().empty());
    EXPECT_NE(d.statusText().indexOf("plateau"), -1) << d.statusText().toStdString();

    dialog->stepsBox()->setValue(3);
    dialog->scheduleBox()->setCurrentIndex(dialog->scheduleBox()->findData("cosine"));
    dialog->temperatureBox()->setValue(0.25);
    EXPECT_EQ(dialog->summaryLabel()->text(), "3 epochs over 8 recordings (16 tracks), 1 step each: 3 steps.");
    QSignalSpy space(&d, &TrainingDashboard::similaritySpaceReady);
    dialog->pretrainButton()->click();
    EXPECT_FALSE(d.pretrainButton()->isEnabled());
    EXPECT_FALSE(d.pauseButton()->isEnabled());  // pretraining stops, it does not pause
    // 3 steps are few: the status says so and what would learn more.
    EXPECT_EQ(d.statusText(), "Pretraining: 3 epochs are only 3 steps on 8 groups (16 tracks); 6000 epochs (6000 "
                              "steps) learn a better space.");
    d.grab().save(QString::fromStdString((dir / "pretrain-started.png").string()));  // for looking at
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    QCoreApplication::processEvents();  // the wrapped status line's layout, as the app's event loop would
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
    // The dialog's settings, not the form's: batch 64, rate 2e-3, temperature 0.25, the form's seed.
    const auto stored = pipeline::pretrainingOfRun(run.runDir);
    EXPECT_EQ(stored.batchSize, defaults.training.batchSize);
    EXPECT_EQ(stored.learningRate, defaults.training.learningRate);
    EXPECT_EQ(stored.temperature, 0.25);
    EXPECT_EQ(stored.augmentation, defaults.augmentation);
    EXPECT_EQ(RunSettings::fromJson(QJsonDocument::fromJson(QByteArray::fromStdString(run.settingsJson)).object())
                  .config.seed,
              5u);

    // The dialog opens again on the last run's settings; Restore Defaults brings back pretrain's.
    d.pretrainButton()->click();
    dialog = d.pretrainDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->stepsBox()->value(), 3);
    EXPECT_DOUBLE_EQ(dialog->temperatureBox()->value(), 0.25);
    dialog->restoreDefaults();
    EXPECT_EQ(dialog->stepsBox()->value(), int(ml::kDefaultPretrainingSteps));
    EXPECT_DOUBLE_EQ(dialog->temperatureBox()->value(), defaults.temperature);
    EXPECT_EQ(dialog->scheduleBox()->currentData().toString(), "constant");
    EXPECT_EQ(dialog->seedBox()->value(), 5);
    dialog->reject();
    QCoreApplication::processEvents();
    ASSERT_EQ(space.count(), 1);
    EXPECT_EQ(space.at(0).at(0).toString(), QString::fromStdString("run:" + run.runDir));
    ASSERT_EQ(form.initBox()->runBox()->count(), 2);
    EXPECT_EQ(form.initBox()->runBox()->itemData(1).toString(), QString::fromStdString(run.runDir));

    // A classifier on the labels from the pretrained encoder, frozen: the form's fields reach the stored settings.
    // Picking the run checks "freeze": the linear probe measured best (README). A stored fine-tuned run reopened into
    // the form stays fine-tuned.
    form.initBox()->load(run.runDir, false);
    EXPECT_FALSE(form.initBox()->freeze());
    form.initBox()->runBox()->setCurrentIndex(0);
    EXPECT_FALSE(form.initBox()->freeze());
    form.initBox()->runBox()->setCurrentIndex(1);
    EXPECT_TRUE(form.initBox()->freezeBox()->isChecked());
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

    // A classifier trained by `sonolab-cli train --init RUN --freeze --augmentations gain` (the pipeline's own row, no
    // dashboard settings): reopened, the form shows the encoder it starts from, frozen, and its augmentations, so
    // Start or Resume from there trains what was trained.
    pipeline::LibraryTrainingRequest cli = libraryTrainingRequest(s);  // no settingsJson: the pipeline's row alone
    cli.config.epochs = 1;
    cli.config.runDir = dir / "cli-probe";
    cli.config.spectrogramAugmentation = ml::SpectrogramAugmentation::parse("gain");
    const auto trained = pipeline::trainFromLibrary(cli);
    ASSERT_GT(trained.runId, 0);
    ASSERT_TRUE(d.reopenRun(trained.runId)) << d.statusText().toStdString();
    EXPECT_EQ(form.initBox()->runFolder(), std::filesystem::path(run.runDir));
    EXPECT_TRUE(form.initBox()->freeze());
    EXPECT_EQ(form.augmentationsEdit()->text(), "gain");

    // A folder that is no run is refused in the form, with what to do.
    form.initBox()->runBox()->setEditText(QString::fromStdString((dir / "nothing").string()));
    EXPECT_TRUE(form.validate().contains("is not a run folder")) << form.validate().toStdString();

    // The similarity task: compact_cnn's encoder learns a labelled space starting from the pretrained run, as
    // `train-siamese --model compact_cnn --init RUN`. A siamese network has nothing to start from; an encoder is never
    // frozen there (nothing else would learn), and it trains single tracks, so the loss is the triplet.
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("siamese"));
    ASSERT_TRUE(form.isSiamese());
    EXPECT_FALSE(form.initBox()->isEnabled());  // siamese_dense
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("compact_cnn"));
    ASSERT_GE(form.modelBox()->currentIndex(), 0);
    EXPECT_TRUE(form.initBox()->isEnabled());
    EXPECT_FALSE(form.initBox()->freezeBox()->isVisibleTo(&form));
    EXPECT_FALSE(form.augmentationsEdit()->isEnabled());  // a classifier's batch augmentations
    EXPECT_EQ(form.siameseBox()->lossBox()->currentData().toString(), "triplet");
    EXPECT_EQ(form.epochsBox()->value(), 60);  // an encoder's default (pipeline::defaultSiameseEpochs)
    // The rate follows the start: 1e-3 from scratch, the gentler 3e-4 from a pretrained run (defaultSiameseLearningRate).
    form.initBox()->runBox()->setCurrentIndex(0);
    EXPECT_DOUBLE_EQ(form.learningRateBox()->value(), 1e-3);
    form.initBox()->runBox()->setCurrentIndex(1);
    EXPECT_DOUBLE_EQ(form.learningRateBox()->value(), 3e-4);
    form.epochsBox()->setValue(2);
    form.batchBox()->setValue(8);
    EXPECT_FALSE(form.validate().contains("is not a run folder")) << form.validate().toStdString();
    form.siameseBox()->lossBox()->setCurrentIndex(form.siameseBox()->lossBox()->findData("contrastive"));
    EXPECT_TRUE(form.validate().contains("triplet loss")) << form.validate().toStdString();
    form.siameseBox()->lossBox()->setCurrentIndex(form.siameseBox()->lossBox()->findData("triplet"));
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    QCoreApplication::processEvents();  // the similarity box's layout, as the app's event loop would
    d.grab().save(QString::fromStdString((dir / "similarity-from-pretrained.png").string()));  // for looking at
    const RunSettings similarity = form.settings();
    EXPECT_EQ(similarity.config.initRun, std::filesystem::path(run.runDir));
    EXPECT_FALSE(similarity.config.freezeEncoder);
    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    QCoreApplication::processEvents();
    const auto all = db->runs();
    const auto learnt = std::find_if(all.begin(), all.end(), [](const auto& r) { return r.task.rfind("siamese:", 0) == 0; });
    ASSERT_NE(learnt, all.end());
    EXPECT_EQ(learnt->model, "compact_cnn");
    EXPECT_EQ(space.back().at(0).toString(), QString::fromStdString("run:" + learnt->runDir));
    // The encoder trained (the start itself is checked in tests/pipeline/PretrainingTest.cpp), and the run reopens in
    // the form as it was set up: the similarity task, compact_cnn, started from the pretrained run.
    const auto pretrainedState = ml::encoderStateOf(run.runDir), learntState = ml::encoderStateOf(learnt->runDir);
    ASSERT_EQ(learntState.size(), pretrainedState.size());
    EXPECT_NE(learntState, pretrainedState);
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("single"));
    ASSERT_TRUE(d.reopenRun(learnt->id)) << d.statusText().toStdString();
    EXPECT_TRUE(form.isSiamese());
    EXPECT_EQ(form.modelBox()->currentData().toString(), "compact_cnn");
    EXPECT_EQ(form.siameseBox()->lossBox()->currentData().toString(), "triplet");
    EXPECT_EQ(form.initBox()->runFolder(), std::filesystem::path(run.runDir));
    EXPECT_TRUE(form.initBox()->isEnabled());
}

// A pretraining stopped in the dashboard (or whose app was closed) goes on from the runs list as it started: the
// dialog's steps and temperature, the pipeline's stored row read back as a pretraining (it has no classifier task).
TEST(PretrainRun, AStoppedPretrainingResumesFromTheRunsListAsItStarted) {
    const auto dir = sonolab::test::freshDir("uitraining-pretrain-resume");
    auto db = makeRecordingsLibrary(dir);
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    d.form()->modelBox()->setCurrentIndex(d.form()->modelBox()->findData("compact_cnn"));
    PretrainDialog* dialog = d.openPretrainDialog();
    ASSERT_NE(dialog, nullptr);
    dialog->stepsBox()->setValue(12);  // 12 epochs of one step on 8 recordings
    dialog->temperatureBox()->setValue(0.3);
    dialog->augmentationsEdit()->setText("none");  // none means none, not pretrain's default four
    // Stop once the first epoch is in.
    const auto stopAtFirstEpoch =
        QObject::connect(d.controller(), &TrainingRunController::epochReported, &d, [&d] { d.stopRun(); });
    dialog->pretrainButton()->click();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Stopped) << d.statusText().toStdString();
    QObject::disconnect(stopAtFirstEpoch);
    ASSERT_EQ(db->runs().size(), 1u);
    const auto stopped = db->runs()[0];
    ASSERT_EQ(stopped.status, "stopped");
    const int epochsBefore = int(d.epochLossChart()->points(0).size());
    ASSERT_GE(epochsBefore, 1);
    ASSERT_LT(epochsBefore, 12);

    d.runsList()->refresh();
    ASSERT_TRUE(d.resumeStoredRun(stopped.id)) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 300000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    ASSERT_EQ(db->runs().size(), 1u);  // the same run went on
    EXPECT_EQ(db->runs()[0].status, "finished");
    EXPECT_EQ(d.epochLossChart()->points(0).size(), 12u);  // the stored epochs and the new ones, to the dialog's end
    const auto resumed = pipeline::pretrainingOfRun(stopped.runDir);
    EXPECT_EQ(resumed.temperature, 0.3);
    EXPECT_EQ(resumed.augmentation, ml::SpectrogramAugmentation::parse("none"));
}
