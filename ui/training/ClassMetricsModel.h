#pragma once
// Per-class precision / recall / F1 / support (and ROC-AUC / PR-AUC for sigmoid outputs) as a table model, from the
// engine's ClassificationReport; the last row holds the macro averages.
#include "core/ml/Metrics.h"

#include <QAbstractTableModel>

namespace sonolab::ui {

class ClassMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Label, Precision, Recall, F1, Support, RocAuc, PrAuc, ColumnCount };

    explicit ClassMetricsModel(QObject* parent = nullptr);
    void setReport(const ml::ClassificationReport& report);
    void clear();
    const ml::ClassificationReport& report() const { return report_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The table as CSV text (header + one row per class + the macro row).
    QString toCsv() const;

private:
    ml::ClassificationReport report_;
    bool hasReport_ = false;
};

}  // namespace sonolab::ui
