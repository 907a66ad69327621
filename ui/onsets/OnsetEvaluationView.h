#pragma once
// The onset evaluation of a run: a headline (F-measure of flux and of the trained detector, summed and mean), the
// per-file table (OnsetEvaluationModel, sortable, sum and mean rows last), and "Export CSV". Double-clicking a file
// asks the host to open it in the player at its first mistake (1 s before, so the ear has context).
#include "ui/onsets/OnsetEvaluationModel.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace sonolab::ui {

class OnsetEvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit OnsetEvaluationView(QWidget* parent = nullptr);

    void setRows(std::vector<OnsetFileRow> rows);
    void clear();

    OnsetEvaluationModel* model() const { return model_; }
    OnsetEvaluationSortProxy* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QString headline() const;
    // Writes the table as shown (file rows in the current sort order, then sum and mean) as CSV.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    // Where a double-click on this (view) row opens the file: seconds, 0 when the file has no mistake.
    double openPosition(int viewRow) const;

signals:
    void openFileRequested(const QString& path, double seconds);

private:
    void activate(const QModelIndex& viewIndex);

    OnsetEvaluationModel* model_;
    OnsetEvaluationSortProxy* proxy_;
    QTableView* table_;
    QLabel* headline_;
};

}  // namespace sonolab::ui
