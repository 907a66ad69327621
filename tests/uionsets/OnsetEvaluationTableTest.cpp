// The per-file onset table on hand-made detections whose counts can be checked by eye: every cell, the sum and
// mean rows, sorting that keeps the summary rows last, and double-click opening the file at its first mistake.
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/rnn/OnsetExperiments.h"
#include "ui/onsets/OnsetEvaluationModel.h"
#include "ui/onsets/OnsetEvaluationView.h"
#include "support/TestSupport.h"

#include <QFile>

#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::onsets;
using sonolab::ui::OnsetEvaluationModel;

namespace {

// Two files. a: annotations 0.5 1.0 1.5 2.0; flux finds 0.51 1.2 1.5 2.02 2.5 (TP 3: 0.51, 1.5, 2.02; FP 2: 1.2, 2.5;
// FN 1: 1.0); the network finds 0.5 1.0 1.49 (TP 3, FP 0, FN 1: 2.0).
// b: annotations 0.3 0.9; flux finds 0.3 0.9 (perfect); the network finds 0.31 0.6 0.9 (TP 2, FP 1: 0.6).
struct Fixture {
    OnsetDataset data;
    OnsetExperimentResult flux, rnn;
    Fixture() {
        data.items = {{"a", "/music/a.flac", "/music/a.onsets", {0.5, 1.0, 1.5, 2.0}},
                      {"b", "/music/b.flac", "/music/b.onsets", {0.3, 0.9}}};
        data.folds = {{0}, {1}};
        auto add = [&](OnsetExperimentResult& r, std::size_t item, std::vector<double> detections) {
            r.files.push_back({data.items[item].name, evaluateOnsets(detections, data.items[item].onsets)});
            r.fileFold.push_back(item);
            r.fileItem.push_back(item);
        };
        add(flux, 0, {0.51, 1.2, 1.5, 2.02, 2.5});
        add(flux, 1, {0.3, 0.9});
        // the network's results arrive in another order: rows must still follow the data set
        add(rnn, 1, {0.31, 0.6, 0.9});
        add(rnn, 0, {0.5, 1.0, 1.49});
    }
};

QString cell(const QAbstractItemModel& m, int row, int column) { return m.index(row, column).data().toString(); }

constexpr int F0 = OnsetEvaluationModel::FluxFirst, R0 = OnsetEvaluationModel::RnnFirst;

}  // namespace

TEST(OnsetEvaluationTable, PerFileCountsAndScores) {
    Fixture f;
    OnsetEvaluationModel model;
    model.setRows(OnsetEvaluationModel::rowsFrom(f.data, &f.flux, &f.rnn));
    ASSERT_EQ(model.rowCount(), 4);  // a, b, sum, mean
    ASSERT_EQ(model.columnCount(), 17);
    EXPECT_EQ(cell(model, 0, OnsetEvaluationModel::File), "a");
    EXPECT_EQ(cell(model, 0, OnsetEvaluationModel::Annotations), "4");
    // flux on a: 5 detections, TP 3, FP 2, FN 1, P 0.6, R 0.75, F 2*0.45/1.35 = 0.667
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::Detections), "5");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::TruePositives), "3");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::FalsePositives), "2");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::FalseNegatives), "1");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::Precision), "0.600");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::Recall), "0.750");
    EXPECT_EQ(cell(model, 0, F0 + OnsetEvaluationModel::Fmeasure), "0.667");
    // network on a: 3 detections, TP 3, FP 0, FN 1: P 1, R 0.75, F 0.857
    EXPECT_EQ(cell(model, 0, R0 + OnsetEvaluationModel::Detections), "3");
    EXPECT_EQ(cell(model, 0, R0 + OnsetEvaluationModel::FalseNegatives), "1");
    EXPECT_EQ(cell(model, 0, R0 + OnsetEvaluationModel::Fmeasure), "0.857");
    // network on b: TP 2, FP 1: P 0.667, R 1, F 0.8
    EXPECT_EQ(cell(model, 1, R0 + OnsetEvaluationModel::FalsePositives), "1");
    EXPECT_EQ(cell(model, 1, R0 + OnsetEvaluationModel::Fmeasure), "0.800");
    EXPECT_EQ(cell(model, 1, F0 + OnsetEvaluationModel::Fmeasure), "1.000");

    // sum: flux TP 5 FP 2 FN 1 (P 5/7, R 5/6, F 10/13 = 0.769); network TP 5 FP 1 FN 1 (F 5/6 = 0.833)
    EXPECT_EQ(cell(model, 2, OnsetEvaluationModel::Annotations), "6");
    EXPECT_EQ(cell(model, 2, F0 + OnsetEvaluationModel::TruePositives), "5");
    EXPECT_EQ(cell(model, 2, F0 + OnsetEvaluationModel::FalsePositives), "2");
    EXPECT_EQ(cell(model, 2, F0 + OnsetEvaluationModel::Fmeasure), "0.769");
    EXPECT_EQ(cell(model, 2, R0 + OnsetEvaluationModel::Fmeasure), "0.833");
    // mean of per-file F: flux (0.6667 + 1) / 2 = 0.833; network (0.8571 + 0.8) / 2 = 0.829
    EXPECT_EQ(cell(model, 3, F0 + OnsetEvaluationModel::Fmeasure), "0.833");
    EXPECT_EQ(cell(model, 3, R0 + OnsetEvaluationModel::Fmeasure), "0.829");
    EXPECT_EQ(cell(model, 3, R0 + OnsetEvaluationModel::TruePositives), "");  // counts have no mean row entry
}

TEST(OnsetEvaluationTable, SortingKeepsSummaryRowsLastAndDoubleClickOpensAtFirstMistake) {
    Fixture f;
    ui::OnsetEvaluationView view;
    view.resize(900, 300);
    view.setRows(OnsetEvaluationModel::rowsFrom(f.data, &f.flux, &f.rnn));
    EXPECT_TRUE(view.headline().contains("Flux: F 0.769 (sum), 0.833 (mean)")) << view.headline().toStdString();
    EXPECT_TRUE(view.headline().contains("RNN: F 0.833 (sum), 0.829 (mean)")) << view.headline().toStdString();
    auto* proxy = view.proxy();
    for (auto order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        view.table()->sortByColumn(R0 + OnsetEvaluationModel::Fmeasure, order);
        // a has the higher network F (0.857 > 0.8)
        EXPECT_EQ(cell(*proxy, 0, 0), order == Qt::AscendingOrder ? "b" : "a");
        EXPECT_EQ(cell(*proxy, 2, 0), "sum");
        EXPECT_EQ(cell(*proxy, 3, 0), "mean");
    }
    view.table()->sortByColumn(F0 + OnsetEvaluationModel::FalsePositives, Qt::DescendingOrder);
    ASSERT_EQ(cell(*proxy, 0, 0), "a");  // 2 false positives against none

    QSignalSpy opened(&view, &ui::OnsetEvaluationView::openFileRequested);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    auto* viewport = view.table()->viewport();
    // a real double-click: press/release, then the double-click event (item views need the first press)
    auto doubleClick = [&](int row) {
        const QPoint at = view.table()->visualRect(proxy->index(row, 0)).center();
        QTest::mouseClick(viewport, Qt::LeftButton, {}, at);
        QTest::mouseDClick(viewport, Qt::LeftButton, {}, at);
    };
    doubleClick(0);
    ASSERT_EQ(opened.count(), 1);
    EXPECT_EQ(opened[0][0].toString(), "/music/a.flac");
    // the network's first mistake on a: the missed onset at 2.0 s; opened 1 s before it
    EXPECT_NEAR(opened[0][1].toDouble(), 1.0, 1e-9);
    // b's first mistake is the network's false positive at 0.6 s: 1 s before is clamped to the start
    doubleClick(1);
    ASSERT_EQ(opened.count(), 2);
    EXPECT_EQ(opened[1][0].toString(), "/music/b.flac");
    EXPECT_DOUBLE_EQ(opened[1][1].toDouble(), 0.0);
    // summary rows open nothing
    doubleClick(2);
    EXPECT_EQ(opened.count(), 2);
}

TEST(OnsetEvaluationTable, ExportsTheTableAsShown) {
    Fixture f;
    ui::OnsetEvaluationView view;
    view.setRows(OnsetEvaluationModel::rowsFrom(f.data, &f.flux, nullptr));  // flux only: network columns empty
    EXPECT_EQ(cell(*view.proxy(), 0, R0 + OnsetEvaluationModel::Fmeasure), "–");
    const QString path = QString::fromStdString((sonolab::test::freshDir("onset-table") / "table.csv").string());
    ASSERT_TRUE(view.exportCsv(path));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 5);
    EXPECT_TRUE(lines[0].startsWith("File,Fold,#ann,Flux #det,Flux TP")) << lines[0].toStdString();  // one-line headers in CSV
    EXPECT_TRUE(lines[1].startsWith("a,0,4,5,3,2,1,0.600,0.750,0.667")) << lines[1].toStdString();
}
