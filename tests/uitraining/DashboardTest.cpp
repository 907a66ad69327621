// Drives real (short) training runs from the dashboard on generated features and checks what the user sees.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "support/TestSupport.h"
#include "ui/playback/PlaybackService.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/TransportBar.h"
#include "ui/training/ConfusionMatrixView.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/EvaluationView.h"
#include "ui/training/RunComparisonView.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunsList.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"
#include "ui/widgets/TrainingProgressPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonObject>
#include <QLineEdit>
#include <QSpinBox>
#include <QFile>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace sonolab;
using namespace sonolab::ui;
using sonolab::test::waitUntil;

namespace {

// Screenshots go to the test folder, and to $SONOLAB_SCREENSHOT_DIR (e.g. docs/screenshots) when it is set.
void saveScreenshot(QWidget& w, const std::filesystem::path& dir, const QString& name) {
    QApplication::processEvents();
    QPixmap shot = w.grab();
    shot.save(QString::fromStdString((dir / name.toStdString()).string()));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR")) shot.save(QString(out) + '/' + name);
}

int argMax(const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

class DashboardTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir = sonolab::test::freshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
        db = sonolab::test::makeFixtureLibrary(dir / "library.sqlite");
    }
    std::unique_ptr<TrainingDashboard> makeDashboard() {
        auto d = sonolab::test::showDashboard(db, dir / "runs");
        d->setPreparer(sonolab::test::threeClassPreparer());
        return d;
    }
    bool finish(TrainingDashboard& d) {
        return sonolab::test::waitForRunEnd(d, 120000);
    }
    std::filesystem::path dir;
    std::shared_ptr<library::LibraryDatabase> db;
};

}  // namespace

TEST_F(DashboardTest, FormOffersLibraryChoicesAndRefusesImpossibleCombinations) {
    auto d = makeDashboard();
    RunForm& form = *d->form();
    ASSERT_EQ(form.labelSetBox()->count(), 1);
    EXPECT_EQ(form.kindBox()->currentData().toString(), "single");
    EXPECT_EQ(form.checkedClasses(), (QStringList{"low", "mid", "high"}));
    EXPECT_EQ(form.splitBox()->currentData().toString(), "by-track");
    // Single-label defaults are the tutorial's compact CNN settings.
    EXPECT_EQ(form.modelBox()->currentData().toString(), "compact_cnn");
    EXPECT_DOUBLE_EQ(form.learningRateBox()->value(), 0.003);
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    EXPECT_EQ(form.settings().task, "single:low,mid,high");

    form.setCheckedClasses({"low"});
    EXPECT_TRUE(form.validate().contains("at least two classes"));
    EXPECT_FALSE(d->startRun());
    EXPECT_TRUE(d->statusText().contains("at least two classes"));
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("binary"));
    form.setCheckedClasses({"low"});
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    EXPECT_EQ(form.modelBox()->currentData().toString(), "tutorial_cnn");  // binary: ML 2's CNN, SGD
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("multi"));
    EXPECT_TRUE(form.validate().contains("single-label"));
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("single"));
    form.setCheckedClasses({"low", "mid", "high"});
    form.featuresEdit()->setText("ssd");
    EXPECT_TRUE(form.validate().contains("dense")) << form.validate().toStdString();
    form.featuresEdit()->clear();
    form.earlyStoppingBox()->setValue(3);
    EXPECT_TRUE(form.validate().isEmpty());
    form.splitBox()->setCurrentIndex(0);  // (none)
    EXPECT_FALSE(form.validate().isEmpty());
}

// The batch augmentations of the recipe: off by default (none measured better on the demo), what is typed reaches
// the run's config, a list the module cannot read is refused naming the entry, a reopened run shows its list, and settings stored before gain and masks
// had one owner (per-crop keys) come back as the same kinds of batch augmentation.
TEST_F(DashboardTest, FormCarriesTheBatchAugmentations) {
    auto d = makeDashboard();
    RunForm& form = *d->form();
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    EXPECT_FALSE(form.settings().config.spectrogramAugmentation.any());
    form.augmentationsEdit()->setText("shift, tmask");
    const RunSettings s = form.settings();
    EXPECT_EQ(s.config.spectrogramAugmentation.toString(), "tmask,shift");
    EXPECT_EQ(RunSettings::fromJson(s.toJson()).config.spectrogramAugmentation, s.config.spectrogramAugmentation);
    form.augmentationsEdit()->setText("gain,reverb");
    EXPECT_TRUE(form.validate().contains("reverb")) << form.validate().toStdString();
    form.augmentationsEdit()->clear();
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    EXPECT_FALSE(form.settings().config.spectrogramAugmentation.any());
    form.load(s);
    EXPECT_EQ(form.augmentationsEdit()->text(), "tmask,shift");

    QJsonObject old = s.toJson();
    old.remove("spectrogram_augmentations");
    old["augmentation"] = QJsonObject{{"random_crop", true}, {"gain_db", 6.0}, {"frequency_masks", 1}, {"time_masks", 0}};
    EXPECT_EQ(RunSettings::fromJson(old).config.spectrogramAugmentation.toString(), "fmask,gain");
}

// A run trained with LP-FT (`train --init RUN --probe-epochs N`, settings as core/pipeline stores them) resumes with
// its probe epochs and fine-tuning rate; the dashboard's own settings keep them too.
TEST(RunSettingsJson, ProbeEpochsOfAnLpFtRunSurviveTheRunsTable) {
    const QJsonObject stored{{"init", "/runs/pretrained"}, {"freeze", false}, {"probe_epochs", 3},
                             {"fine_tune_learning_rate", 1e-4}, {"learning_rate", 3e-3}};
    const RunSettings s = RunSettings::fromJson(stored);
    EXPECT_EQ(s.config.initRun, std::filesystem::path("/runs/pretrained"));
    EXPECT_EQ(s.config.probeEpochs, 3);
    EXPECT_DOUBLE_EQ(s.config.fineTuneLearningRate, 1e-4);
    const RunSettings back = RunSettings::fromJson(s.toJson());
    EXPECT_EQ(back.config.probeEpochs, 3);
    EXPECT_DOUBLE_EQ(back.config.fineTuneLearningRate, 1e-4);
    EXPECT_EQ(RunSettings::fromJson(QJsonObject{{"init", "/runs/pretrained"}}).config.probeEpochs, 0);
}

// The form has no LP-FT field: a reopened LP-FT run started again from the form keeps its probe epochs while it
// starts from the same run, unfrozen; another start, or "freeze", is another recipe without them.
TEST_F(DashboardTest, AReopenedLpFtRunStartsAgainWithItsProbeEpochs) {
    auto d = makeDashboard();
    RunForm& form = *d->form();
    RunSettings s = form.settings();
    s.config.initRun = "/runs/pretrained";
    s.config.freezeEncoder = false;
    s.config.probeEpochs = 3;
    s.config.fineTuneLearningRate = 1e-4;
    form.load(s);
    EXPECT_EQ(form.settings().config.initRun, std::filesystem::path("/runs/pretrained"));
    EXPECT_EQ(form.settings().config.probeEpochs, 3);
    EXPECT_DOUBLE_EQ(form.settings().config.fineTuneLearningRate, 1e-4);
    form.initBox()->freezeBox()->setChecked(true);
    EXPECT_EQ(form.settings().config.probeEpochs, 0);
    form.initBox()->freezeBox()->setChecked(false);
    EXPECT_EQ(form.settings().config.probeEpochs, 3);
    form.initBox()->runBox()->setEditText("/runs/other");
    EXPECT_EQ(form.settings().config.probeEpochs, 0);
}

// Which epoch's model a run keeps: the last by default (on the demo's folds the best validation epoch measured far
// below it), the best one a choice away; stored with the run, and runs stored before the choice reopen as they
// trained (the best epoch).
TEST_F(DashboardTest, FormKeepsTheLastEpochUnlessTheBestIsChosen) {
    auto d = makeDashboard();
    RunForm& form = *d->form();
    EXPECT_EQ(form.keepBox()->currentData().toString(), "last");
    EXPECT_FALSE(form.settings().config.restoreBest);
    form.keepBox()->setCurrentIndex(form.keepBox()->findData("best"));
    const RunSettings best = form.settings();
    EXPECT_TRUE(best.config.restoreBest);
    EXPECT_TRUE(RunSettings::fromJson(best.toJson()).config.restoreBest);
    form.keepBox()->setCurrentIndex(form.keepBox()->findData("last"));
    const RunSettings last = form.settings();
    EXPECT_FALSE(RunSettings::fromJson(last.toJson()).config.restoreBest);
    form.load(best);
    EXPECT_EQ(form.keepBox()->currentData().toString(), "best");
    form.load(last);
    EXPECT_EQ(form.keepBox()->currentData().toString(), "last");
    QJsonObject old = best.toJson();
    old.remove("restore_best");
    EXPECT_TRUE(RunSettings::fromJson(old).config.restoreBest);
}

TEST_F(DashboardTest, TrainsLiveEvaluatesAndStoresTheRun) {
    auto d = makeDashboard();
    QList<int> batchDeliveries;
    QObject::connect(d->controller(), &TrainingRunController::batchesReported, [&](const QList<ml::BatchReport>& r) {
        batchDeliveries << int(r.size());
    });
    ASSERT_TRUE(d->startRun(sonolab::test::fixtureSettings(12)));
    EXPECT_TRUE(d->controller()->isActive());
    EXPECT_FALSE(d->startButton()->isEnabled());
    EXPECT_TRUE(d->stopButton()->isEnabled());
    // While it runs, the GUI thread keeps processing events and the batch chart grows.
    ASSERT_TRUE(waitUntil([&] { return d->batchLossChart()->seriesCount() > 0 && d->batchLossChart()->points(0).size() >= 8; }));
    ASSERT_TRUE(finish(*d));
    EXPECT_EQ(d->controller()->state(), ml::TrainingState::Finished);

    // 120 training examples in batches of 16 = 8 batches per epoch, 12 epochs.
    const LiveChart& batches = *d->batchLossChart();
    ASSERT_EQ(batches.seriesCount(), 1);
    EXPECT_EQ(batches.points(0).size(), 96u);
    EXPECT_EQ(batches.points(0).back().x(), 95.0);
    int delivered = 0;
    for (int n : batchDeliveries) delivered += n;
    EXPECT_EQ(delivered, 96);
    const LiveChart& epochs = *d->epochLossChart();
    ASSERT_EQ(epochs.seriesCount(), 2);
    EXPECT_EQ(epochs.points(epochs.seriesIndex("train")).size(), 12u);
    EXPECT_EQ(epochs.points(epochs.seriesIndex("validation")).size(), 12u);
    // The model learns: the epoch loss falls.
    const auto& train = epochs.points(epochs.seriesIndex("train"));
    EXPECT_LT(train.back().y(), train.front().y() * 0.7);
    const LiveChart& metrics = *d->metricsChart();
    const int acc = metrics.seriesIndex("accuracy");
    ASSERT_GE(acc, 0);
    EXPECT_GE(metrics.seriesIndex("macro_f1"), 0);
    EXPECT_GT(metrics.points(acc).back().y(), 0.7);  // chance is 1/3
    EXPECT_EQ(d->progress()->percent(), 100);
    EXPECT_TRUE(d->progress()->text().contains("epoch 12/12")) << d->progress()->text().toStdString();
    EXPECT_TRUE(d->progress()->text().contains("cpu")) << d->progress()->text().toStdString();

    // Evaluation on the test split: 30 clips; a confusion cell lists exactly the clips with that truth and prediction.
    ASSERT_TRUE(waitUntil([&] { return !d->evaluation()->evaluation().empty(); }, 10000));
    const Evaluation& e = d->evaluation()->evaluation();
    EXPECT_EQ(e.split, "test");
    ASSERT_EQ(e.clips.size(), 30u);
    ConfusionMatrixView& matrix = *d->evaluation()->matrix();
    std::size_t total = 0;
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p) total += matrix.count(t, p);
    EXPECT_EQ(total, 30u);
    d->tabs()->setCurrentWidget(d->evaluation());
    QApplication::processEvents();
    for (int t = 0; t < 3; ++t) {
        // The diagonal cell of class t, clicked as a user would.
        QTest::mouseClick(&matrix, Qt::LeftButton, Qt::NoModifier, matrix.cellRect(t, t).center());
        std::vector<int> listed = d->evaluation()->listedClips();
        std::vector<int> expected;
        for (std::size_t i = 0; i < e.clips.size(); ++i)
            if (argMax(e.clips[i].target) == t && argMax(e.clips[i].probabilities) == t) expected.push_back(int(i));
        std::sort(listed.begin(), listed.end());
        EXPECT_EQ(listed, expected);
        EXPECT_EQ(d->evaluation()->clipList()->count(), int(expected.size()));
        EXPECT_EQ(matrix.count(t, t), expected.size());
        for (int i : listed)  // the fixture's ids name the true class
            EXPECT_TRUE(e.clips[std::size_t(i)].id.contains(e.labels[t])) << e.clips[std::size_t(i)].id.toStdString();
    }

    // The run is in the library with its settings, curves and final metrics.
    auto runs = db->runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].id, d->currentRunId());
    EXPECT_EQ(runs[0].status, "finished");
    EXPECT_EQ(runs[0].model, "dense:hidden=32,layers=1,dropout=0");
    EXPECT_EQ(db->runPoints(runs[0].id, "train/batch_loss").size(), 96u);
    EXPECT_EQ(db->runPoints(runs[0].id, "validation/accuracy").size(), 12u);
    EXPECT_NE(runs[0].metricsJson.find("test_accuracy"), std::string::npos);
    ASSERT_EQ(d->runsList()->table()->rowCount(), 1);
    EXPECT_FALSE(d->runsList()->table()->item(0, RunsList::Accuracy)->text().isEmpty());

    // Export metrics and predictions as CSV.
    const QString metricsCsv = QString::fromStdString((dir / "metrics.csv").string());
    const QString predictionsCsv = QString::fromStdString((dir / "predictions.csv").string());
    ASSERT_TRUE(d->evaluation()->exportMetricsCsv(metricsCsv));
    ASSERT_TRUE(d->evaluation()->exportPredictionsCsv(predictionsCsv));
    QFile f(predictionsCsv);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    EXPECT_EQ(lines.size(), 31);
    EXPECT_EQ(lines[0], "id,title,path,true,predicted,p_low,p_mid,p_high");
    // Opened cell for the screenshot: the most confused off-diagonal cell, else the first diagonal one.
    int bt = 0, bp = 0;
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p)
            if (t != p && matrix.count(t, p) > matrix.count(bt, bp)) bt = t, bp = p;
    d->evaluation()->showCell(bt, bp);
    matrix.selectCell(bt, bp);
    saveScreenshot(*d, dir, "training-confusion.png");
}

TEST_F(DashboardTest, PauseHoldsTrainingAndResumeContinues) {
    auto d = makeDashboard();
    ASSERT_TRUE(d->startRun(sonolab::test::fixtureSettings(2000, 0.003)));
    auto batchCount = [&] { return d->batchLossChart()->seriesCount() ? d->batchLossChart()->points(0).size() : 0u; };
    ASSERT_TRUE(waitUntil([&] { return d->epochLossChart()->seriesCount() > 0 && d->epochLossChart()->points(0).size() >= 3; }));
    saveScreenshot(*d, dir, "training-live.png");
    QTest::mouseClick(d->pauseButton(), Qt::LeftButton);
    ASSERT_TRUE(waitUntil([&] { return d->controller()->state() == ml::TrainingState::Paused; }));
    EXPECT_EQ(d->pauseButton()->text(), "Resume");
    EXPECT_TRUE(d->progress()->text().contains("paused"));
    QApplication::processEvents();
    const std::size_t atPause = batchCount();
    // Paused at a batch boundary: no batch arrives however long we wait (the GUI keeps running meanwhile).
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 400) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    EXPECT_EQ(batchCount(), atPause);
    QTest::mouseClick(d->pauseButton(), Qt::LeftButton);  // Resume
    ASSERT_TRUE(waitUntil([&] { return batchCount() >= atPause + 16; }));
    EXPECT_EQ(d->controller()->state(), ml::TrainingState::Running);
    // Steps continue where they stopped: no gap, no repeat.
    const auto& pts = d->batchLossChart()->points(0);
    for (std::size_t i = 1; i < pts.size(); ++i) ASSERT_EQ(pts[i].x(), pts[i - 1].x() + 1);
    QTest::mouseClick(d->stopButton(), Qt::LeftButton);
    ASSERT_TRUE(finish(*d));
    EXPECT_EQ(d->controller()->state(), ml::TrainingState::Stopped);
    EXPECT_LT(batchCount(), 2000u * 8u);
    // The stopped run keeps its last completed epoch's model, evaluated on the test split.
    ASSERT_TRUE(waitUntil([&] { return !d->evaluation()->evaluation().empty(); }, 10000));
    EXPECT_EQ(db->runs().front().status, "stopped");
}

TEST_F(DashboardTest, RunsReopenFromTheDatabaseAndOverlay) {
    {
        auto d = makeDashboard();
        ASSERT_TRUE(d->startRun(sonolab::test::fixtureSettings(6, 0.01)));
        ASSERT_TRUE(finish(*d));
        ASSERT_TRUE(d->startRun(sonolab::test::fixtureSettings(6, 0.001)));
        ASSERT_TRUE(finish(*d));
    }
    // A fresh dashboard (as after restarting the app) lists both runs from the database.
    auto d = makeDashboard();
    RunsList& list = *d->runsList();
    ASSERT_EQ(list.table()->rowCount(), 2);
    const auto ids = list.runIds();
    const library::RunId fast = ids[1];  // newest first: the lr 0.01 run is the older one
    EXPECT_EQ(db->run(fast)->name, "fixture lr 0.01");

    list.selectRuns({fast});
    d->tabs()->setCurrentWidget(&list);
    QPushButton* reopen = nullptr;
    for (QPushButton* b : list.findChildren<QPushButton*>())
        if (b->text() == "Reopen") reopen = b;
    ASSERT_NE(reopen, nullptr);
    QTest::mouseClick(reopen, Qt::LeftButton);
    EXPECT_EQ(d->currentRunId(), fast);
    const auto stored = db->runPoints(fast, "train/batch_loss");
    ASSERT_EQ(d->batchLossChart()->points(0).size(), stored.size());
    EXPECT_DOUBLE_EQ(d->batchLossChart()->points(0).back().y(), stored.back().value);
    EXPECT_EQ(d->epochLossChart()->points(d->epochLossChart()->seriesIndex("validation")).size(), 6u);
    EXPECT_DOUBLE_EQ(d->form()->learningRateBox()->value(), 0.01);
    EXPECT_EQ(d->form()->epochsBox()->value(), 6);

    // Rename in place, then overlay both runs with their hyperparameters side by side.
    ASSERT_TRUE(list.renameRun(fast, "fast"));
    EXPECT_EQ(db->run(fast)->name, "fast");
    list.selectRuns(ids);
    RunComparisonView& cmp = *list.comparison();
    ASSERT_EQ(cmp.runs().size(), 2u);
    EXPECT_EQ(cmp.lossChart()->seriesCount(), 4);  // train + validation per run
    EXPECT_GE(cmp.lossChart()->seriesIndex("fast · validation"), 0);
    EXPECT_EQ(cmp.metricBox()->currentText(), "accuracy");
    EXPECT_EQ(cmp.metricChart()->seriesCount(), 2);
    const QStringList differing = cmp.differingParameters();
    EXPECT_TRUE(differing.contains("learning_rate")) << differing.join(',').toStdString();
    EXPECT_FALSE(differing.contains("batch_size"));
    d->tabs()->setCurrentWidget(&list);
    saveScreenshot(*d, dir, "training-compare.png");

    // Delete one: gone from the list and the database, with its points.
    list.setConfirmDeletes(false);
    ASSERT_TRUE(list.deleteRuns({fast}));
    EXPECT_EQ(list.table()->rowCount(), 1);
    EXPECT_FALSE(db->run(fast).has_value());
    EXPECT_TRUE(db->runPoints(fast).empty());
}

TEST_F(DashboardTest, RefusesASecondRunAndReportsBadSettings) {
    auto d = makeDashboard();
    auto bad = sonolab::test::fixtureSettings(2);
    bad.model = "no_such_model";
    ASSERT_TRUE(d->startRun(bad));  // the name parses; the engine refuses it on the worker
    ASSERT_TRUE(finish(*d));
    EXPECT_EQ(d->controller()->state(), ml::TrainingState::Failed);
    EXPECT_TRUE(d->statusText().contains("no_such_model")) << d->statusText().toStdString();
    ASSERT_TRUE(d->startRun(sonolab::test::fixtureSettings(200)));
    EXPECT_FALSE(d->startRun(sonolab::test::fixtureSettings(2)));
    EXPECT_TRUE(d->statusText().contains("already active"));
    d->stopRun();
    ASSERT_TRUE(finish(*d));
}

TEST(EvaluationViewPlayer, ClickingAClipPlaysItThroughTheAppsOneOutputAndShowsItsSpectrogram) {
    auto dir = sonolab::test::freshDir("uitraining-player");
    const auto wav = dir / "clip.wav";
    sonolab::test::writeWav16(wav, sonolab::test::sine(440.0, 1.0, 22050), 22050);
    const auto song = dir / "song.wav";
    sonolab::test::writeWav16(song, sonolab::test::sine(220.0, 6.0, 22050), 22050);
    // The app's one output, and the main player holding its own track at 2 s (paused) when a clip is clicked.
    PlaybackService playback;
    PlayerWidget mainPlayer(nullptr, &playback);
    mainPlayer.openFile(QString::fromStdString(song.string()));
    ASSERT_TRUE(waitUntil([&] { return mainPlayer.document()->isOpen() && !mainPlayer.document()->loading(); }, 20000));
    mainPlayer.seek(2.0);

    Evaluation e;
    e.kind = TaskKind::Binary;
    e.labels = {"tone"};
    e.split = "test";
    e.clips.push_back({"c1", "a tone", QString::fromStdString(wav.string()), {0.2f}, {1.f}});  // a missed tone
    EvaluationView view(nullptr, true);
    view.setPlayback(&playback);
    view.resize(1000, 700);
    view.show();
    ml::ClassificationReport report;
    report.perClass = {{"tone", 0, 0, 0, 1, std::nan(""), std::nan("")}};
    view.setEvaluation(e, report);
    ASSERT_EQ(view.matrix()->labels(), (QStringList{"not tone", "tone"}));
    QSignalSpy activated(&view, &EvaluationView::clipActivated);
    QTest::mouseClick(view.matrix(), Qt::LeftButton, Qt::NoModifier, view.matrix()->cellRect(1, 0).center());
    ASSERT_EQ(view.clipList()->count(), 1);
    const QRect row = view.clipList()->visualItemRect(view.clipList()->item(0));
    QTest::mouseClick(view.clipList()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), QString::fromStdString(wav.string()));
    ASSERT_NE(view.player(), nullptr);
    EXPECT_EQ(view.player()->currentFile(), QString::fromStdString(wav.string()));
    ASSERT_TRUE(waitUntil([&] { return view.player()->durationSeconds() > 0.9; }, 20000));
    EXPECT_NEAR(view.player()->durationSeconds(), 1.0, 0.01);
    // The clip view has no output of its own: it plays through the service the main player uses.
    EXPECT_EQ(view.player()->playback(), &playback);
    if (!playback.available()) GTEST_SKIP() << "no audio output: " << playback.unavailableReason().toStdString();
    // The ALSA null device under CTest plays unpaced (a 1 s clip ends at once): count frames handed to the device.
    EXPECT_TRUE(waitUntil([&] { return playback.owns(view.player()) && playback.framesPlayed() > 0; }, 20000));
    EXPECT_EQ(playback.file(), QString::fromStdString(wav.string()));
    // The main player keeps its own track and its place, and does not show the clip as its playing.
    EXPECT_EQ(mainPlayer.currentFile(), QString::fromStdString(song.string()));
    EXPECT_FALSE(mainPlayer.isPlaying());
    EXPECT_FALSE(mainPlayer.transport()->isPlaying());
    EXPECT_NEAR(mainPlayer.positionSeconds(), 2.0, 1e-9);
    // Its Play plays its own track from there, taking the output back from the clip view.
    mainPlayer.togglePlayPause();
    EXPECT_TRUE(playback.owns(&mainPlayer));
    EXPECT_EQ(playback.file(), QString::fromStdString(song.string()));
    EXPECT_GE(playback.positionSeconds(), 2.0 - 1e-3);
    EXPECT_FALSE(view.player()->isPlaying());
    mainPlayer.stop();
}
