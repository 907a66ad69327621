// The onset-training panel driven as a user would, offscreen: a generated click-train data set (WAV files with
// .onsets beside them), a tiny detector trained for a few epochs on the worker thread; the live charts receive
// points and the loss falls, the evaluation table then scores both methods on the test fold, and the saved run
// folder is usable as rnn:PATH. Also Stop mid-run. SONOLAB_SCREENSHOT_DIR: where to save the panel's screenshot
// (SONOLAB_ONSET_SCREENSHOT_DATA: train on that data set for it instead, e.g. demo-onsets).
#include "core/onsets/rnn/OnsetDetector.h"
#include "support/TestSupport.h"
#include "ui/onsets/OnsetEvaluationModel.h"
#include "ui/onsets/OnsetEvaluationView.h"
#include "ui/onsets/OnsetTrainingPanel.h"
#include "ui/onsets/OnsetTrainingRunner.h"
#include "ui/widgets/LiveChart.h"
#include "ui/widgets/TrainingProgressPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

// Six 3 s files of decaying noise bursts ("clicks") and tone plucks at random times over faint noise; each
// burst's start is written to NAME.onsets. Without splits the loader deals them round-robin into 6 folds.
fs::path clickTrainSet() {
    const fs::path dir = test::freshDir("onset-clicks");
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> gap(0.18, 0.45), freq(200.0, 3000.0);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    const int sr = 44100;
    for (int f = 0; f < 6; ++f) {
        std::vector<float> x(std::size_t(3.0 * sr));
        for (auto& v : x) v = 0.002f * noise(rng);
        std::ofstream onsets(dir / ("clicks" + std::to_string(f) + ".onsets"));
        for (double t = 0.1 + gap(rng) / 2; t < 2.8; t += gap(rng)) {
            onsets << t << '\n';
            const auto start = std::size_t(std::lround(t * sr));
            const bool tone = (rng() % 2) == 0;
            const double hz = freq(rng);
            for (std::size_t i = 0; start + i < x.size() && i < std::size_t(0.15 * sr); ++i) {
                const float env = float(std::exp(-double(i) / (0.03 * sr)));
                x[start + i] += 0.4f * env * (tone ? float(std::sin(2 * M_PI * hz * double(i) / sr)) : 0.5f * noise(rng));
            }
        }
        test::writeWav16(dir / ("clicks" + std::to_string(f) + ".wav"), x, sr);
    }
    return dir;
}

bool waitFinished(ui::OnsetTrainingPanel& panel, int timeoutMs) {
    return QTest::qWaitFor([&] { return !panel.isRunning(); }, timeoutMs);
}

void saveScreenshot(QWidget& w, const QString& name) {
    const QPixmap shot = w.grab();
    shot.save(QString::fromStdString((test::freshDir("onset-screens") / name.toStdString()).string()));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR")) shot.save(QString(out) + '/' + name);
}

}  // namespace

TEST(OnsetTrainingPanel, TrainsATinyDetectorWithLiveCurvesAndScoresBothMethods) {
    const fs::path data = clickTrainSet();
    const fs::path runs = test::freshDir("onset-runs");
    ui::OnsetTrainingPanel panel;
    panel.resize(1280, 760);
    panel.show();
    panel.setRunsFolder(QString::fromStdString(runs.string()));
    EXPECT_FALSE(panel.trainButton()->isEnabled());  // no data set yet
    ASSERT_TRUE(panel.setDataFolder(QString::fromStdString(data.string())));
    EXPECT_EQ(panel.foldCombo()->count(), 7);  // cross-validation + 6 folds
    EXPECT_TRUE(panel.trainButton()->isEnabled());

    panel.cellCombo()->setCurrentIndex(panel.cellCombo()->findData("gru"));
    panel.layersSpin()->setValue(1);
    panel.unitsSpin()->setValue(8);
    panel.epochsSpin()->setValue(6);
    panel.patienceSpin()->setValue(0);
    panel.learningRateSpin()->setValue(0.05);
    panel.batchSpin()->setValue(1);  // the charts below count one batch per training file
    panel.foldCombo()->setCurrentIndex(panel.foldCombo()->findData(2));
    QSignalSpy ready(&panel, &ui::OnsetTrainingPanel::modelReady);

    QTest::mouseClick(panel.trainButton(), Qt::LeftButton);
    ASSERT_TRUE(panel.isRunning()) << panel.statusText().toStdString();
    EXPECT_FALSE(panel.trainButton()->isEnabled());
    EXPECT_TRUE(panel.stopButton()->isEnabled());
    ASSERT_TRUE(waitFinished(panel, 120000));
    ASSERT_NE(panel.lastResult(), nullptr) << panel.statusText().toStdString();

    // Live curves: every batch (4 training files, batch 1: 4 per epoch), every epoch's losses and validation F.
    auto* batch = panel.batchLossChart();
    ASSERT_EQ(batch->seriesCount(), 1);
    EXPECT_EQ(batch->points(0).size(), 6u * 4u);
    auto* epochs = panel.epochLossChart();
    const int train = epochs->seriesIndex("train"), validation = epochs->seriesIndex("validation");
    ASSERT_GE(train, 0);
    ASSERT_GE(validation, 0);
    const auto& trainLoss = epochs->points(train);
    ASSERT_EQ(trainLoss.size(), 6u);
    EXPECT_LT(trainLoss.back().y(), 0.7 * trainLoss.front().y()) << "the training loss should fall";
    EXPECT_EQ(epochs->points(validation).size(), 6u);
    ASSERT_EQ(panel.fmeasureChart()->seriesCount(), 1);
    EXPECT_EQ(panel.fmeasureChart()->points(0).size(), 6u);
    EXPECT_EQ(panel.progress()->percent(), 100);

    // Evaluation: test fold 2 holds one file, scored by both methods; the headline and the table agree.
    EXPECT_EQ(panel.tabs()->currentIndex(), 1);
    auto* model = panel.evaluation()->model();
    ASSERT_EQ(model->fileRows(), 1);
    const auto& row = model->rows()[0];
    EXPECT_EQ(row.name, "clicks2");
    EXPECT_EQ(row.fold, 2);
    ASSERT_TRUE(row.flux && row.rnn);
    EXPECT_EQ(std::size_t(row.annotations), row.rnn->annotations());
    EXPECT_GT(row.flux->fmeasure(), 0.5);  // clicks over faint noise: flux finds most of them
    const auto& result = *panel.lastResult();
    EXPECT_EQ(result.rnn.summary.sum.truePositives, row.rnn->truePositives);

    // The run folder holds the model; the detector loads it as rnn:PATH and finds onsets in a file.
    ASSERT_EQ(ready.count(), 1);
    const fs::path model_dir = panel.modelFolder().toStdString();
    // a single-fold run folder stands for its one model too
    EXPECT_NO_THROW(onsets::detectOnsets(data / "clicks0.wav", onsets::OnsetMethod::parse("rnn:" + panel.runFolder().toStdString())));
    EXPECT_EQ(model_dir, fs::path(panel.runFolder().toStdString()) / "fold-2");
    EXPECT_TRUE(fs::exists(model_dir / "onset-rnn.pt"));
    EXPECT_TRUE(fs::exists(model_dir / "curves.csv"));
    EXPECT_TRUE(fs::exists(fs::path(panel.runFolder().toStdString()) / "evaluation.csv"));
    QFile about(panel.runFolder() + "/run.json");
    ASSERT_TRUE(about.open(QIODevice::ReadOnly));
    const QJsonObject settings = QJsonDocument::fromJson(about.readAll()).object();
    EXPECT_EQ(settings["cell"].toString(), "gru");
    EXPECT_EQ(settings["hidden"].toInt(), 8);
    EXPECT_EQ(settings["test_folds"].toInt(), 2);
    const auto d = onsets::detectOnsets(data / "clicks2.wav", onsets::OnsetMethod::parse("rnn:" + model_dir.string()));
    EXPECT_EQ(d.activation.size(), 300u);
    saveScreenshot(panel, "onsets-training-test.png");
}

TEST(OnsetTrainingPanel, StopDuringCrossValidationScoresWhatWasTrained) {
    const fs::path data = clickTrainSet();
    ui::OnsetTrainingPanel panel;
    panel.setRunsFolder(QString::fromStdString(test::freshDir("onset-runs-stop").string()));
    ASSERT_TRUE(panel.setDataFolder(QString::fromStdString(data.string())));
    panel.layersSpin()->setValue(1);
    panel.unitsSpin()->setValue(4);
    panel.epochsSpin()->setValue(500);
    panel.patienceSpin()->setValue(0);
    panel.foldCombo()->setCurrentIndex(panel.foldCombo()->findData(-1));
    ASSERT_TRUE(panel.startRun());
    // Stop once the first fold has finished an epoch.
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.epochLossChart()->seriesCount() > 0; }, 60000));
    QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
    ASSERT_TRUE(waitFinished(panel, 60000));
    ASSERT_NE(panel.lastResult(), nullptr) << panel.statusText().toStdString();
    EXPECT_TRUE(panel.lastResult()->rnn.stopped);
    // only fold 0 was trained; both methods were scored on its one file
    EXPECT_EQ(panel.evaluation()->model()->fileRows(), 1);
    EXPECT_EQ(panel.epochLossChart()->seriesName(0), "train (fold 0)");
    EXPECT_TRUE(panel.trainButton()->isEnabled());
}

TEST(OnsetTrainingPanel, RefusesFoldersWithoutOnsetData) {
    ui::OnsetTrainingPanel panel;
    const fs::path empty = test::freshDir("onset-empty");
    EXPECT_FALSE(panel.setDataFolder(QString::fromStdString(empty.string())));
    EXPECT_FALSE(panel.trainButton()->isEnabled());
    EXPECT_FALSE(panel.startRun());
    EXPECT_FALSE(panel.statusText().isEmpty());
}

// Not a check: with SONOLAB_ONSET_SCREENSHOT_DATA (e.g. demo-onsets) and SONOLAB_SCREENSHOT_DIR, trains on that
// set for a short while and saves onsets-training.png with curves, then onsets-evaluation.png with the table.
TEST(OnsetTrainingPanel, Screenshot) {
    const char* dataEnv = std::getenv("SONOLAB_ONSET_SCREENSHOT_DATA");
    if (!dataEnv) GTEST_SKIP() << "set SONOLAB_ONSET_SCREENSHOT_DATA to an onset data set";
    ui::OnsetTrainingPanel panel;
    panel.resize(1400, 820);
    panel.show();
    panel.setRunsFolder(QString::fromStdString(test::freshDir("onset-runs-shot").string()));
    ASSERT_TRUE(panel.setDataFolder(dataEnv));
    panel.epochsSpin()->setValue(std::getenv("SONOLAB_ONSET_SCREENSHOT_EPOCHS") ? std::atoi(std::getenv("SONOLAB_ONSET_SCREENSHOT_EPOCHS")) : 3);
    ASSERT_TRUE(panel.startRun());
    ASSERT_TRUE(waitFinished(panel, 30 * 60 * 1000));
    ASSERT_NE(panel.lastResult(), nullptr) << panel.statusText().toStdString();
    panel.tabs()->setCurrentIndex(0);
    QTest::qWait(100);
    for (auto* c : {panel.batchLossChart(), panel.epochLossChart(), panel.fmeasureChart()}) c->refreshNow();
    saveScreenshot(panel, "onsets-training.png");
    panel.tabs()->setCurrentIndex(1);
    QTest::qWait(100);
    saveScreenshot(panel, "onsets-evaluation.png");
}
