#pragma once
// The per-file onset evaluation table: one row per test file with its annotation count and, for the spectral-flux
// baseline and the trained recurrent detector side by side, #detections, TP, FP, FN, precision, recall and F;
// then a "sum" row (counts summed, scores of the summed counts) and a "mean" row (per-file scores averaged), as
// the onset literature reports both. Sorting (through OnsetEvaluationSortProxy) keeps the two summary rows last.
#include "core/onsets/OnsetDataset.h"
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/rnn/OnsetExperiments.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <optional>
#include <vector>

namespace sonolab::ui {

struct OnsetFileRow {
    QString name;
    QString path;  // the audio file
    int fold = -1;
    int annotations = 0;
    std::optional<onsets::OnsetCounts> flux;
    std::optional<onsets::OnsetCounts> rnn;
    // Where to open the file: the earliest mistake of the trained detector (else of flux), seconds; -1 = none.
    double firstMistake() const;
};

class OnsetEvaluationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { File, Fold, Annotations, FluxFirst, RnnFirst = FluxFirst + 7, ColumnCount = RnnFirst + 7 };
    // Offsets within a method's block of 7 columns.
    enum MethodColumn { Detections, TruePositives, FalsePositives, FalseNegatives, Precision, Recall, Fmeasure };
    static constexpr int SortRole = Qt::UserRole + 1;     // numbers sort as numbers
    static constexpr int SummaryRole = Qt::UserRole + 2;  // 0 file row, 1 sum, 2 mean

    explicit OnsetEvaluationModel(QObject* parent = nullptr);

    // Rows of every file scored by flux or rnn (either may be null), in data set order.
    static std::vector<OnsetFileRow> rowsFrom(const onsets::OnsetDataset& data, const onsets::OnsetExperimentResult* flux,
                                              const onsets::OnsetExperimentResult* rnn);
    void setRows(std::vector<OnsetFileRow> rows);
    void clear() { setRows({}); }
    const std::vector<OnsetFileRow>& rows() const { return rows_; }
    int fileRows() const { return int(rows_.size()); }
    // Summed counts and per-file means of one method over the file rows (nullopt when no row has that method).
    std::optional<onsets::OnsetScoreSummary> summary(bool rnn) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant methodCell(const onsets::OnsetCounts& c, int column, int role) const;
    QVariant summaryCell(bool mean, int column, int role) const;

    std::vector<OnsetFileRow> rows_;
    std::optional<onsets::OnsetScoreSummary> fluxSummary_, rnnSummary_;
};

// Sorts file rows by the clicked column and leaves the sum and mean rows at the bottom in either order.
class OnsetEvaluationSortProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

}  // namespace sonolab::ui
