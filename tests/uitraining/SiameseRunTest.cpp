// The similarity task in the dashboard: the run form's siamese choice (and the combinations it refuses), a siamese
// network trained through the same controller from a library of real audio files, live curves with a retrieval
// metric on the validation tracks, the run stored and offered to the Similarity tab, and reopening it.
#include "DashboardFixture.h"

#include "core/util/ContentHash.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "support/TestSupport.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunsList.h"
#include "ui/training/SiameseSettingsBox.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>

using namespace sonolab;
using namespace sonolab::ui;
using sonolab::test::waitUntil;

namespace {

// 48 one-second clips: low hum, high whistle and noise, 8 source groups of 2 clips each, groups split 4/2/2 per kind.
// Label sets "kind" (single) and "tags" (multi).
std::shared_ptr<library::LibraryDatabase> makeAudioLibrary(const std::filesystem::path& dir) {
    auto db = std::make_shared<library::LibraryDatabase>(dir / "library.sqlite");
    db->createLabelSet("kind", library::LabelKind::Single, {"low", "high", "noise"}, "test");
    db->createLabelSet("tags", library::LabelKind::Multi, {"tonal", "deep", "bright", "noisy"}, "test");
    const std::map<std::string, std::vector<std::string>> tagsOf{
        {"low", {"tonal", "deep"}}, {"high", {"tonal", "bright"}}, {"noise", {"noisy", "bright"}}};
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> white(-0.4f, 0.4f);
    std::normal_distribution<float> hiss(0.0f, 0.03f);
    std::vector<library::SplitAssignment> split;
    for (const std::string kind : {"low", "high", "noise"})
        for (int g = 0; g < 8; ++g)
            for (int c = 0; c < 2; ++c) {
                std::vector<float> s;
                if (kind == "noise") {
                    s.resize(22050);
                    for (float& v : s) v = white(rng);
                } else {
                    s = sonolab::test::sine(kind == "low" ? 120 + 25 * g + 7 * c : 2500 + 180 * g + 40 * c, 1.0, 22050, 0.4f);
                    for (float& v : s) v += hiss(rng);
                }
                const auto wav = dir / (kind + std::to_string(g) + "-" + std::to_string(c) + ".wav");
                sonolab::test::writeWav16(wav, s, 22050);
                library::TrackRecord t;
                t.path = wav.generic_string();
                t.contentHash = hashFile(wav);
                t.durationSeconds = 1.0;
                t.group = kind + "-source" + std::to_string(g);
                const auto id = db->upsertTrack(t);
                db->setLabel("kind", id, kind, 1.0, "test");
                for (const auto& tag : tagsOf.at(kind)) db->setLabel("tags", id, tag, 1.0, "test");
                split.push_back({id, g < 4 ? library::SplitPart::Train
                                           : g < 6 ? library::SplitPart::Validation : library::SplitPart::Test});
            }
    db->writeSplit("grouped", split);
    return db;
}

int seriesNamed(const LiveChart& chart, const QString& name) {
    for (int i = 0; i < chart.seriesCount(); ++i)
        if (chart.seriesName(i) == name) return i;
    return -1;
}

void selectLabelSet(RunForm& form, const QString& name) {
    form.labelSetBox()->setCurrentIndex(form.labelSetBox()->findData(name));
    ASSERT_GE(form.labelSetBox()->currentIndex(), 0);
}

}  // namespace

TEST(SiameseRun, FormOffersTheSimilarityTaskAndRefusesImpossibleCombinations) {
    const auto dir = sonolab::test::freshDir("uitraining-siamese-form");
    auto db = makeAudioLibrary(dir);
    RunForm form;
    form.setChoices(FormChoices::fromLibrary(*db));
    selectLabelSet(form, "kind");
    EXPECT_FALSE(form.siameseBox()->isVisibleTo(&form));
    EXPECT_LT(form.modelBox()->findData("siamese_dense"), 0);  // classifiers only outside the similarity task

    form.kindBox()->setCurrentIndex(form.kindBox()->findData("siamese"));
    EXPECT_TRUE(form.isSiamese());
    EXPECT_TRUE(form.siameseBox()->isVisibleTo(&form));
    EXPECT_EQ(form.modelBox()->currentData().toString(), "siamese_dense");
    EXPECT_GE(form.modelBox()->findData("siamese_cnn"), 0);
    EXPECT_GT(form.modelBox()->findData("compact_cnn"), form.modelBox()->findData("siamese_cnn"));  // its encoder
    EXPECT_FALSE(form.initBox()->isEnabled());  // a siamese network starts from nothing
    EXPECT_EQ(form.siameseBox()->lossBox()->currentData().toString(), "contrastive");
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    RunSettings s = form.settings();
    EXPECT_TRUE(s.siamese.enabled);
    EXPECT_EQ(s.task, "single:low,high,noise@kind");
    EXPECT_EQ(s.siamese.pairs, "labels");

    // Refused, each with a sentence saying what to change.
    form.siameseBox()->pairsBox()->setCurrentIndex(form.siameseBox()->pairsBox()->findData("tags"));
    EXPECT_TRUE(form.validate().contains("tag (multi-label) set")) << form.validate().toStdString();
    form.siameseBox()->pairsBox()->setCurrentIndex(form.siameseBox()->pairsBox()->findData("table"));
    EXPECT_TRUE(form.validate().contains("table file")) << form.validate().toStdString();
    form.siameseBox()->classTableEdit()->setText(QString::fromStdString((dir / "missing.csv").string()));
    EXPECT_TRUE(form.validate().contains("does not exist")) << form.validate().toStdString();
    form.siameseBox()->pairsBox()->setCurrentIndex(form.siameseBox()->pairsBox()->findData("labels"));
    form.setCheckedClasses({"low"});
    EXPECT_TRUE(form.validate().contains("at least two classes")) << form.validate().toStdString();
    form.setCheckedClasses({"low", "high"});
    form.featuresEdit()->setText("logmel:mels=40");
    EXPECT_TRUE(form.validate().contains("feature vector")) << form.validate().toStdString();
    form.featuresEdit()->clear();
    form.splitBox()->setCurrentIndex(form.splitBox()->findData(QString()));
    EXPECT_TRUE(form.validate().contains("Choose a split")) << form.validate().toStdString();
    form.splitBox()->setCurrentIndex(form.splitBox()->findData("grouped"));
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();

    // Tag pairs on the tag set: a multi: task; the triplet loss needs classes and is refused there.
    selectLabelSet(form, "tags");
    EXPECT_TRUE(form.isSiamese());  // changing the label set keeps the similarity task
    form.siameseBox()->pairsBox()->setCurrentIndex(form.siameseBox()->pairsBox()->findData("tags"));
    EXPECT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    EXPECT_EQ(form.settings().task, "multi:tonal,deep,bright,noisy@tags");
    form.siameseBox()->lossBox()->setCurrentIndex(form.siameseBox()->lossBox()->findData("triplet"));
    EXPECT_TRUE(form.validate().contains("triplet loss")) << form.validate().toStdString();

    // Settings survive the runs table's JSON and reload into the form.
    form.siameseBox()->lossBox()->setCurrentIndex(form.siameseBox()->lossBox()->findData("contrastive"));
    s = form.settings();
    const RunSettings back = RunSettings::fromJson(s.toJson());
    EXPECT_TRUE(back.siamese.enabled);
    EXPECT_EQ(back.siamese.pairs, "tags");
    EXPECT_EQ(back.task, s.task);
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("single"));
    EXPECT_FALSE(form.isSiamese());
    form.load(back);
    EXPECT_TRUE(form.isSiamese());
    EXPECT_EQ(form.siameseBox()->pairsBox()->currentData().toString(), "tags");
    EXPECT_EQ(form.checkedClasses(), (QStringList{"tonal", "deep", "bright", "noisy"}));
}

TEST(SiameseRun, DashboardTrainsASiameseRunWithLiveCurvesAndOffersItsSpace) {
    const auto dir = sonolab::test::freshDir("uitraining-siamese-run");
    auto db = makeAudioLibrary(dir);
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs");
    TrainingDashboard& d = *dashboard;
    RunForm& form = *d.form();
    selectLabelSet(form, "kind");
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("siamese"));
    form.epochsBox()->setValue(15);
    form.batchBox()->setValue(16);
    form.learningRateBox()->setValue(0.003);
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    QSignalSpy space(&d, &TrainingDashboard::similaritySpaceReady);
    QSignalSpy classifier(&d, &TrainingDashboard::modelReady);
    int batchesSeenWhileRunning = 0;
    QObject::connect(d.controller(), &TrainingRunController::epochReported, &d, [&] {
        if (d.controller()->isActive()) batchesSeenWhileRunning = int(d.batchLossChart()->points(0).size());
    });
    ASSERT_TRUE(d.startRun()) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 180000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    EXPECT_GT(batchesSeenWhileRunning, 0);  // the chart filled while training ran, not only at the end

    // Live curves: 24 training tracks x (5 + 5 + 1) pairs in batches of 16 = 17 batches per epoch.
    ASSERT_EQ(d.batchLossChart()->seriesCount(), 1);
    EXPECT_EQ(d.batchLossChart()->points(0).size(), 15u * 17u);
    const int train = seriesNamed(*d.epochLossChart(), "train");
    ASSERT_GE(train, 0);
    const auto& losses = d.epochLossChart()->points(train);
    ASSERT_EQ(losses.size(), 15u);
    EXPECT_LT(losses.back().y(), 0.6 * losses.front().y());
    EXPECT_GE(seriesNamed(*d.epochLossChart(), "validation"), 0);
    EXPECT_GE(d.epochLossChart()->visibleRange().top(), 0.0);  // losses never go below zero: neither does the axis
    const int precision = seriesNamed(*d.metricsChart(), "precision_at_5");
    ASSERT_GE(precision, 0);
    EXPECT_EQ(d.metricsChart()->points(precision).size(), 15u);
    // 12 validation tracks: each query has 10 candidates outside its own source, 2 of them relevant, so precision@5
    // is at most 0.4; MAP reaches 1 when both come first (hum / whistle / noise separate easily).
    EXPECT_LE(d.metricsChart()->points(precision).back().y(), 0.4 + 1e-9);
    const int map = seriesNamed(*d.metricsChart(), "map");
    ASSERT_GE(map, 0);
    EXPECT_GE(d.metricsChart()->points(map).back().y(), 0.8);
    EXPECT_TRUE(d.statusText().contains("precision@10")) << d.statusText().toStdString();

    // Stored once by the pipeline, listed, and offered to the Similarity tab as a space (not as a classifier).
    ASSERT_EQ(db->runs().size(), 1u);
    const auto run = db->runs()[0];
    EXPECT_EQ(run.status, "finished");
    EXPECT_EQ(run.task, "siamese:single:low,high,noise@kind");
    EXPECT_EQ(d.currentRunId(), run.id);
    ASSERT_EQ(d.runsList()->table()->rowCount(), 1);
    const QString retrieval = d.runsList()->table()->item(0, RunsList::Retrieval)->text();
    EXPECT_TRUE(retrieval.contains(" · ")) << retrieval.toStdString();  // test precision@10 · MAP
    ASSERT_EQ(space.count(), 1);
    EXPECT_EQ(space.at(0).at(0).toString(), "run:" + QString::fromStdString(d.currentRunFolder().string()));
    EXPECT_EQ(classifier.count(), 0);
    EXPECT_EQ(ml::readSavedModelInfo(d.currentRunFolder()).model.architecture, "siamese_dense");

    d.metricsChart()->refreshNow();
    QApplication::processEvents();
    QPixmap shot = d.grab();
    shot.save(QString::fromStdString((dir / "training-siamese.png").string()));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR")) shot.save(QString(out) + "/training-siamese.png");

    // Reopening the stored run brings back its curves, retrieval metrics included, and its settings.
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("single"));
    ASSERT_TRUE(d.reopenRun(run.id));
    EXPECT_TRUE(form.isSiamese());
    const int reopened = seriesNamed(*d.metricsChart(), "precision_at_5");
    ASSERT_GE(reopened, 0);
    EXPECT_EQ(d.metricsChart()->points(reopened).size(), 15u);
}

// The screenshot for the docs, on the demo collection (real recordings; see scripts/make-demo-collection.sh):
// SONOLAB_DEMO_LIBRARY=~/.cache/sonolab/demo/library.sqlite SONOLAB_SCREENSHOT_DIR=docs/screenshots. The library is
// copied (the run goes into the copy's runs table); features come from the original's cache.
TEST(SiameseRun, DemoCollectionStylesScreenshot) {
    const char* demo = std::getenv("SONOLAB_DEMO_LIBRARY");
    if (!demo) GTEST_SKIP() << "set SONOLAB_DEMO_LIBRARY to the demo collection's library.sqlite to run this";
    const auto dir = sonolab::test::freshDir("uitraining-siamese-demo");
    std::filesystem::copy_file(demo, dir / "library.sqlite");
    auto db = std::make_shared<library::LibraryDatabase>(dir / "library.sqlite");
    auto dashboard = sonolab::test::showDashboard(db, dir / "runs");
    TrainingDashboard& d = *dashboard;
    d.setJob(libraryRunJob(std::filesystem::path(demo).string() + ".features"), false);
    RunForm& form = *d.form();
    selectLabelSet(form, "demo");
    form.kindBox()->setCurrentIndex(form.kindBox()->findData("siamese"));
    form.setCheckedClasses({"orchestral", "electronic", "rock", "chiptune"});
    form.splitBox()->setCurrentIndex(form.splitBox()->findData("demo"));
    form.epochsBox()->setValue(30);
    ASSERT_TRUE(form.validate().isEmpty()) << form.validate().toStdString();
    RunSettings s = form.settings();
    s.name = "styles · siamese_dense · label pairs";
    s.config.threads = 1;
    ASSERT_TRUE(d.startRun(s)) << d.statusText().toStdString();
    ASSERT_TRUE(sonolab::test::waitForRunEnd(d, 600000));
    ASSERT_EQ(d.controller()->state(), ml::TrainingState::Finished) << d.statusText().toStdString();
    EXPECT_GE(seriesNamed(*d.metricsChart(), "precision_at_5"), 0);
    for (LiveChart* c : {d.batchLossChart(), d.epochLossChart(), d.metricsChart()}) c->refreshNow();
    QApplication::processEvents();
    QPixmap shot = d.grab();
    shot.save(QString::fromStdString((dir / "training-siamese.png").string()));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR")) shot.save(QString(out) + "/training-siamese.png");
    std::cout << d.statusText().toStdString() << "\n";
    d.tabs()->setCurrentWidget(d.runsList());  // the runs list with the retrieval column
    QApplication::processEvents();
    EXPECT_FALSE(d.runsList()->table()->item(0, RunsList::Retrieval)->text().isEmpty());
    d.grab().save(QString::fromStdString((dir / "training-siamese-runs.png").string()));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR")) d.grab().save(QString(out) + "/training-siamese-runs.png");
}
