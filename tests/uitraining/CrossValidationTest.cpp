// The Training tab's "Cross-validation": the run shown (trained from the form on a library of real audio) is
// cross-validated on a worker thread; the table holds the pipeline's own fold figures, the evaluation view every clip
// once, out of fold; Cancel stops within a fold model and keeps the finished ones; training and cross-validation
// never run together.
#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "core/pipeline/FoldEvaluation.h"
#include "support/TestSupport.h"
#include "ui/training/CrossValidationPanel.h"
#include "ui/training/EvaluationView.h"
#include "ui/training/RunForm.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QStandardItemModel>
#include <QTableView>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

using namespace sonolab;
using namespace sonolab::ui;
using sonolab::test::waitUntil;

namespace {

int argMax(const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

QString cellText(const CrossValidationPanel& panel, int row, int column) {
    return panel.table()->model()->index(row, column).data().toString();
}

// With SONOLAB_SCREENSHOT_DIR set: the dashboard with one of its tabs in front, to look at.
void saveShot(TrainingDashboard& d, QWidget* tab, const QString& name) {
    const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR");
    if (!out) return;
    d.tabs()->setCurrentWidget(tab);
    QCoreApplication::processEvents();
    d.grab().save(QString(out) + '/' + name);
}

}  // namespace

TEST(CrossValidation, TheRunShownIsCrossValidatedAndEveryClipIsHeardOutOfFold) {
    const auto dir = sonolab::test::freshDir("uitraining-cross-validation");
    auto db = sonolab::test::makeToneLibrary(dir);
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs", {1300, 850});
    TrainingDashboard& d = *dashboard;
    CrossValidationPanel& cv = *d.crossValidation();
    EXPECT_FALSE(cv.startButton()->isEnabled());  // no run shown yet
    EXPECT_FALSE(cv.start());
    EXPECT_TRUE(cv.statusText().contains("Train a run")) << cv.statusText().toStdString();

    RunForm& form = *d.form();
    form.modelBox()->setCurrentIndex(form.modelBox()->findData("dense"));
    ASSERT_GE(form.modelBox()->currentIndex(), 0);
    form.epochsBox()->setValue(8);
    form.batchBox()->setValue(4);
    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    EXPECT_FALSE(cv.startButton()->isEnabled());  // one training at a time
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 180000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    ASSERT_TRUE(cv.startButton()->isEnabled()) << cv.statusText().toStdString();
    EXPECT_TRUE(cv.startButton()->toolTip().contains("each fold")) << cv.startButton()->toolTip().toStdString();
    EXPECT_EQ(cv.runText().contains("every clip outside its test fold"),
              !d.form()->settings().config.restoreBest);  // the form's default: the last epoch

    // 4 folds of the 16 clips, 5 epochs each.
    cv.foldsBox()->setValue(4);
    cv.epochsBox()->setValue(5);
    QSignalSpy ready(&cv, &CrossValidationPanel::evaluationReady);
    QSignalSpy ended(&cv, &CrossValidationPanel::ended);
    cv.startButton()->click();
    ASSERT_TRUE(cv.isRunning());
    EXPECT_FALSE(d.startButton()->isEnabled());  // the other way round too
    EXPECT_FALSE(d.startRun());
    EXPECT_TRUE(cv.cancelButton()->isEnabled());
    ASSERT_TRUE(waitUntil([&] { return ended.count() > 0; }, 180000));
    ASSERT_EQ(ready.count(), 1) << cv.statusText().toStdString();
    EXPECT_TRUE(cv.statusText().startsWith("4 folds by source track: macro-F1")) << cv.statusText().toStdString();
    EXPECT_TRUE(cv.statusText().contains("4 fold model(s) trained now")) << cv.statusText().toStdString();
    EXPECT_TRUE(cv.statusText().contains("; every clip once: macro-F1 ")) << cv.statusText().toStdString();
    EXPECT_EQ(cv.progressBar()->value(), cv.progressBar()->maximum());
    EXPECT_TRUE(d.startButton()->isEnabled());

    // The table is the pipeline's result: the same request again reuses the 4 fold models and gives the same figures.
    pipeline::FoldRequest request{.run = d.currentRunFolder(), .library = db->file(), .folds = 4, .epochs = 5};
    const auto again = pipeline::crossValidate(request);
    ASSERT_EQ(cv.table()->model()->rowCount(), 4 + 2);  // the folds, mean ± std, min to max
    int tested = 0;
    for (int k = 0; k < 4; ++k) {
        EXPECT_EQ(again.trainedMembers[std::size_t(k)], 0);
        tested += cellText(cv, k, 3).toInt();
        EXPECT_EQ(cellText(cv, k, 3).toInt(), int(again.folds[std::size_t(k)].predictions.size()));
        EXPECT_EQ(cellText(cv, k, 6), QString::number(again.folds[std::size_t(k)].report.macroF1, 'f', 3)) << k;
    }
    EXPECT_EQ(tested, 16);
    const auto& f1 = again.summary.at("macro_f1");
    EXPECT_EQ(cellText(cv, 4, 6),
              QString("%1 ± %2").arg(QString::number(f1.mean, 'f', 3), QString::number(f1.std, 'f', 3)));

    saveShot(d, &cv, "cross-validation.png");
    saveShot(d, d.evaluation(), "cross-validation-evaluation.png");

    // The evaluation view: every clip once, its report the one over those predictions.
    const Evaluation& e = d.evaluation()->evaluation();
    ASSERT_EQ(e.clips.size(), 16u);
    EXPECT_TRUE(e.heading.startsWith("Cross-validation (4 folds by source track")) << e.heading.toStdString();
    std::set<QString> paths;
    int correct = 0;
    for (const auto& c : e.clips) {
        paths.insert(c.path);
        correct += argMax(c.probabilities) == argMax(c.target);
    }
    EXPECT_EQ(paths.size(), 16u);
    const auto report = ready.at(0).at(1).value<ml::ClassificationReport>();
    EXPECT_EQ(report.examples, 16u);
    EXPECT_DOUBLE_EQ(report.accuracy, correct / 16.0);

    // Cancel within a fold model (a longer recipe: every member trains anew); the run can start again at once.
    cv.epochsBox()->setValue(100000);
    cv.start();
    ASSERT_TRUE(waitUntil([&] { return cv.statusText().startsWith("fold 1 of 4: epoch "); }, 120000))
        << cv.statusText().toStdString();
    cv.cancel();
    ASSERT_TRUE(waitUntil([&] { return ended.count() == 2; }, 60000));
    EXPECT_TRUE(cv.statusText().startsWith("Cancelled")) << cv.statusText().toStdString();
    EXPECT_EQ(ready.count(), 1);
    EXPECT_TRUE(cv.startButton()->isEnabled());
    EXPECT_TRUE(d.startButton()->isEnabled());
    // The cancelled fold's model was replaced and is retrained; the three other 5-epoch models are kept.
    cv.epochsBox()->setValue(5);
    cv.start();
    ASSERT_TRUE(waitUntil([&] { return ended.count() == 3; }, 180000));
    EXPECT_TRUE(cv.statusText().contains("1 fold model(s) trained now")) << cv.statusText().toStdString();

    // A folder without a model is refused with the reason.
    cv.setRun(dir / "no-such-run", db->file());
    EXPECT_EQ(cv.table()->model()->rowCount(), 0);  // the figures shown were the other run's
    EXPECT_FALSE(cv.startButton()->isEnabled());
    EXPECT_FALSE(cv.start());
    EXPECT_TRUE(cv.statusText().contains("has no model yet")) << cv.statusText().toStdString();
}

// Not a check: with SONOLAB_SCREENSHOT_DIR, SONOLAB_CV_LIBRARY (a library) and SONOLAB_CV_RUN (a classifier run stored
// in it, e.g. by `sonolab-cli train`), reopens the run from the runs table, cross-validates it with SONOLAB_CV_FOLDS
// (4) folds by SONOLAB_CV_FOLD_BY (group) at SONOLAB_CV_EPOCHS (the run's) and saves both tabs. Fold models that
// `evaluate --folds` trained with the same settings are reused, so this takes seconds after such a command.
TEST(CrossValidation, RunScreenshot) {
    const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR");
    const char* lib = std::getenv("SONOLAB_CV_LIBRARY");
    const char* run = std::getenv("SONOLAB_CV_RUN");
    if (!out || !lib || !run) GTEST_SKIP() << "set SONOLAB_SCREENSHOT_DIR, SONOLAB_CV_LIBRARY and SONOLAB_CV_RUN";
    auto env = [](const char* name, const char* fallback) {
        const char* v = std::getenv(name);
        return QString(v ? v : fallback);
    };
    auto db = std::make_shared<library::LibraryDatabase>(lib);
    auto dashboard = sonolab::test::showDashboard(db, sonolab::test::freshDir("uitraining-cv-shot"), {1300, 850});
    TrainingDashboard& d = *dashboard;
    library::RunId id = 0;
    for (const auto& r : db->runs())
        if (std::filesystem::equivalent(r.runDir, run)) id = r.id;
    ASSERT_GT(id, 0) << run << " is not in the runs table of " << lib;
    ASSERT_TRUE(d.reopenRun(id)) << d.statusText().toStdString();
    CrossValidationPanel& cv = *d.crossValidation();
    cv.foldsBox()->setValue(env("SONOLAB_CV_FOLDS", "4").toInt());
    cv.foldByBox()->setCurrentIndex(cv.foldByBox()->findData(env("SONOLAB_CV_FOLD_BY", "group")));
    cv.epochsBox()->setValue(env("SONOLAB_CV_EPOCHS", "0").toInt());
    QSignalSpy ended(&cv, &CrossValidationPanel::ended);
    ASSERT_TRUE(cv.start()) << cv.statusText().toStdString();
    ASSERT_TRUE(waitUntil([&] { return ended.count() > 0; }, 1800000));
    std::cout << cv.statusText().toStdString() << "\n";
    saveShot(d, &cv, "cross-validation-demo.png");
    saveShot(d, d.evaluation(), "cross-validation-demo-evaluation.png");
}
