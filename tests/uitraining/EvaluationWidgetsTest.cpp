#include "ui/training/ClassMetricsModel.h"
#include "ui/training/ConfusionMatrixView.h"
#include "ui/training/CurveChart.h"
#include "ui/training/Evaluation.h"
#include "ui/training/PredictionTimeline.h"
#include "ui/widgets/TrainingProgressPanel.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

// Six clips of a 3-class task with known outcomes: a->a twice, a->b once, b->b, c->a, c->c.
Evaluation threeClassEvaluation() {
    Evaluation e;
    e.kind = TaskKind::SingleLabel;
    e.labels = {"a", "b", "c"};
    auto clip = [](QString id, int t, std::vector<float> p) {
        EvaluatedClip c;
        c.id = id;
        c.title = id;
        c.target.assign(3, 0.f);
        c.target[std::size_t(t)] = 1.f;
        c.probabilities = std::move(p);
        return c;
    };
    e.clips = {clip("a1", 0, {.8f, .1f, .1f}), clip("a2", 0, {.6f, .3f, .1f}), clip("a3", 0, {.2f, .7f, .1f}),
               clip("b1", 1, {.1f, .8f, .1f}), clip("c1", 2, {.5f, .2f, .3f}), clip("c2", 2, {.1f, .1f, .8f})};
    return e;
}

}  // namespace

TEST(Evaluation, ConfusionCellsHoldTheRightClips) {
    Evaluation e = threeClassEvaluation();
    ConfusionSlice s = confusionSlice(e);
    ASSERT_EQ(s.counts.size(), 3u);
    EXPECT_EQ(s.counts[0][0], 2u);
    EXPECT_EQ(s.counts[0][1], 1u);
    EXPECT_EQ(s.counts[1][1], 1u);
    EXPECT_EQ(s.counts[2][0], 1u);
    EXPECT_EQ(s.counts[2][2], 1u);
    EXPECT_EQ(s.clipsIn(0, 1), std::vector<int>{2});
    EXPECT_EQ(s.clipsIn(2, 0), std::vector<int>{4});
    EXPECT_EQ(s.clipsIn(0, 0), (std::vector<int>{0, 1}));
    // A multi-label output becomes a 2x2 matrix at the threshold.
    Evaluation m = e;
    m.kind = TaskKind::MultiLabel;
    m.threshold = 0.5f;
    ConfusionSlice tag = confusionSlice(m, 0);  // output "a": positives a1,a2,a3; predicted >= .5: a1,a2,c1
    EXPECT_EQ(tag.labels, (QStringList{"not a", "a"}));
    EXPECT_EQ(tag.counts[1][1], 2u);
    EXPECT_EQ(tag.counts[1][0], 1u);
    EXPECT_EQ(tag.counts[0][1], 1u);
    EXPECT_EQ(tag.counts[0][0], 2u);
}

TEST(Evaluation, RocAndPrCurvesByHand) {
    Evaluation e;
    e.kind = TaskKind::Binary;
    e.labels = {"speech"};
    // scores .9(+) .8(-) .7(+) .3(-)
    for (auto [p, t] : std::vector<std::pair<float, float>>{{.9f, 1}, {.8f, 0}, {.7f, 1}, {.3f, 0}})
        e.clips.push_back({"x", "x", "", {p}, {t}});
    QList<QPointF> roc = rocCurve(e, 0);
    ASSERT_EQ(roc.size(), 5);
    EXPECT_EQ(roc[1], QPointF(0, 0.5));
    EXPECT_EQ(roc[2], QPointF(0.5, 0.5));
    EXPECT_EQ(roc[3], QPointF(0.5, 1));
    EXPECT_EQ(roc[4], QPointF(1, 1));
    QList<QPointF> pr = precisionRecallCurve(e, 0);
    ASSERT_EQ(pr.size(), 4);
    EXPECT_EQ(pr[0], QPointF(0.5, 1));
    EXPECT_EQ(pr[1], QPointF(0.5, 0.5));
    EXPECT_NEAR(pr[2].y(), 2.0 / 3.0, 1e-12);
    // Ties form one step.
    e.clips[1].probabilities = {.9f};
    EXPECT_EQ(rocCurve(e, 0).size(), 4);
    EXPECT_EQ(rocCurve(e, 0)[1], QPointF(0.5, 0.5));
}

TEST(ConfusionMatrixViewTest, ClickingACellEmitsItsClasses) {
    ConfusionMatrixView view;
    view.resize(420, 400);
    view.show();
    ConfusionSlice s = confusionSlice(threeClassEvaluation());
    view.setMatrix(s.labels, s.counts);
    QSignalSpy spy(&view, &ConfusionMatrixView::cellActivated);
    const QRect cell = view.cellRect(2, 0);
    ASSERT_FALSE(cell.isEmpty());
    EXPECT_EQ(view.cellAt(cell.center()), QPoint(0, 2));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, cell.center());
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).toInt(), 2);
    EXPECT_EQ(spy.at(0).at(1).toInt(), 0);
    EXPECT_EQ(view.selectedCell(), QPoint(0, 2));
    // Cells are coloured by the row fraction: the diagonal cell of b (1/1) is darker than c->c (1/2).
    QImage img = view.grab().toImage();
    QColor full = img.pixelColor(view.cellRect(1, 1).topLeft() + QPoint(4, 4));
    QColor half = img.pixelColor(view.cellRect(2, 2).topLeft() + QPoint(4, 4));
    QColor none = img.pixelColor(view.cellRect(1, 0).topLeft() + QPoint(4, 4));
    EXPECT_LT(full.lightness(), half.lightness());
    EXPECT_LT(half.lightness(), none.lightness());
    // Keyboard moves the selection too.
    QTest::keyClick(&view, Qt::Key_Right);
    EXPECT_EQ(view.selectedCell(), QPoint(1, 2));
    // A matrix that does not match its labels is refused.
    view.setMatrix({"a"}, {{1, 2}});
    EXPECT_TRUE(view.labels().isEmpty());
}

TEST(ClassMetricsModelTest, ShowsPerClassRowsAndMacroRow) {
    ml::ClassificationReport r;
    r.kind = TaskKind::SingleLabel;
    r.examples = 6;
    r.macroF1 = 0.7;
    r.balancedAccuracy = 0.72;
    r.rocAuc = std::nan("");
    r.perClass = {{"a", 0.5, 2.0 / 3.0, 0.571, 3, std::nan(""), std::nan("")}, {"b", 0.5, 1, 0.667, 1, 0.9, 0.8}};
    ClassMetricsModel model;
    model.setReport(r);
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.data(model.index(0, ClassMetricsModel::Label)).toString(), "a");
    EXPECT_EQ(model.data(model.index(0, ClassMetricsModel::Recall)).toString(), "0.667");
    EXPECT_EQ(model.data(model.index(1, ClassMetricsModel::RocAuc)).toString(), "0.900");
    EXPECT_EQ(model.data(model.index(0, ClassMetricsModel::RocAuc)).toString(), "–");
    EXPECT_EQ(model.data(model.index(2, ClassMetricsModel::F1)).toString(), "0.700");
    QString csv = model.toCsv();
    EXPECT_TRUE(csv.startsWith("class,precision,recall,F1,support,ROC-AUC,PR-AUC\n"));
    EXPECT_TRUE(csv.contains("\nb,0.500,1.000,0.667,1,0.900,0.800\n")) << csv.toStdString();
}

TEST(CurveChartTest, OneCurvePerOutputWithBothClasses) {
    Evaluation e = threeClassEvaluation();
    e.kind = TaskKind::MultiLabel;
    e.clips[3].target = {0, 0, 0};  // b has no positive left: no curve for it
    CurveChart roc(CurveChart::Kind::Roc);
    roc.setEvaluation(e, {0.75, std::nan(""), 1.0});
    ASSERT_EQ(roc.curveCount(), 2);
    EXPECT_EQ(roc.curveName(0), "a (0.750)");
    EXPECT_EQ(roc.curve(1).back(), QPointF(1, 1));
    CurveChart pr(CurveChart::Kind::PrecisionRecall);
    pr.setEvaluation(e);
    EXPECT_EQ(pr.curveCount(), 2);
}

TEST(PredictionTimelineTest, RowsFollowWindowsAndCursorSeeks) {
    PredictionTimeline t;
    t.resize(600, 60);
    t.show();
    // 4 windows of 2 s with a 1 s hop; "music" rises over time, "speech" falls.
    t.setPredictions({"music", "speech"}, {0, 1, 2, 3}, 2.0, {{0.f, 1.f}, {0.3f, .7f}, {.7f, .3f}, {1.f, 0.f}}, {.5f, .5f});
    EXPECT_NEAR(t.probabilityAt(0, 0.9), 0.0, 1e-6);   // nearest centre 1.0 -> window 0
    EXPECT_NEAR(t.probabilityAt(0, 4.6), 1.0, 1e-6);
    EXPECT_TRUE(std::isnan(t.probabilityAt(0, 7.0)));
    QImage img = t.grab().toImage();
    const QRect music = t.rowRect(0);
    QColor early = img.pixelColor(t.xOfSeconds(0.3), music.center().y());
    QColor late = img.pixelColor(t.xOfSeconds(4.7), music.center().y());
    EXPECT_GT(late.lightness(), early.lightness() + 80);  // yellow vs dark purple
    QSignalSpy seek(&t, &PredictionTimeline::seekRequested);
    QTest::mouseClick(&t, Qt::LeftButton, Qt::NoModifier, QPoint(t.xOfSeconds(2.5), music.center().y()));
    ASSERT_EQ(seek.count(), 1);
    EXPECT_NEAR(seek.at(0).at(0).toDouble(), 2.5, 0.05);
    t.setCursorSeconds(2.5);
    QImage withCursor = t.grab().toImage();
    EXPECT_GT(withCursor.pixelColor(t.xOfSeconds(2.5), music.center().y()).red(), 200);
    // Zooming to the second half aligns with a spectrogram showing 2.5..5 s.
    t.setVisibleRange(2.5, 5.0);
    EXPECT_EQ(t.xOfSeconds(2.5), music.left());
}

TEST(TrainingProgressPanelTest, ShowsEpochRateEtaAndDevice) {
    TrainingProgressPanel p;
    p.start(4, "cpu (2 threads)");
    ml::BatchReport r{.epoch = 1, .batch = 4, .batches = 10, .step = 14, .loss = 0.5, .samplesPerSecond = 512};
    p.updateFromBatch(ml::BatchReport{.epoch = 0, .batch = 0, .batches = 10, .step = 0}, 1.0);
    p.updateFromBatch(r, 30.0);  // 15 of 40 batches in 30 s -> 25 left at 2 s each
    EXPECT_EQ(p.percent(), 37);
    EXPECT_NEAR(p.etaSeconds(), 50.0, 1e-9);
    QString text = p.text();
    EXPECT_TRUE(text.contains("epoch 2/4")) << text.toStdString();
    EXPECT_TRUE(text.contains("batch 5/10"));
    EXPECT_TRUE(text.contains("512 samples/s"));
    EXPECT_TRUE(text.contains("ETA 0:50"));
    EXPECT_TRUE(text.contains("cpu (2 threads)"));
    EXPECT_EQ(TrainingProgressPanel::formatDuration(3725), "1:02:05");
    p.setState(ml::TrainingState::Finished);
    EXPECT_EQ(p.percent(), 100);
}
