#include "ui/training/ClassMetricsModel.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <cmath>
#include <QFont>

namespace sonolab::ui {

ClassMetricsModel::ClassMetricsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ClassMetricsModel::setReport(const ml::ClassificationReport& report) {
    beginResetModel();
    report_ = report;
    hasReport_ = true;
    endResetModel();
}

void ClassMetricsModel::clear() {
    beginResetModel();
    report_ = {};
    hasReport_ = false;
    endResetModel();
}

int ClassMetricsModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !hasReport_) return 0;
    return int(report_.perClass.size()) + 1;
}

int ClassMetricsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ClassMetricsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const bool macro = std::size_t(index.row()) == report_.perClass.size();
    auto number = [](double v) -> QVariant {
        if (!std::isfinite(v)) return QStringLiteral("–");
        return QString::number(v, 'f', 3);
    };
    if (role == Qt::TextAlignmentRole)
        return index.column() == Label ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && macro) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::BackgroundRole && !macro && index.column() == F1) {
        const double f1 = report_.perClass[std::size_t(index.row())].f1;
        // Weak classes stand out: red below 0.5, fading to none at 1.
        const int alpha = std::isfinite(f1) ? int(std::clamp(1.0 - f1, 0.0, 1.0) * 110) : 0;
        return QBrush(QColor(220, 60, 40, alpha));
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    if (macro) {
        switch (index.column()) {
        case Label: return tr("macro average");
        case F1: return number(report_.macroF1);
        case Recall: return number(report_.balancedAccuracy);
        case Support: return qulonglong(report_.examples);
        case RocAuc: return number(report_.rocAuc);
        case PrAuc: return number(report_.prAuc);
        default: return {};
        }
    }
    const ml::ClassScores& c = report_.perClass[std::size_t(index.row())];
    switch (index.column()) {
    case Label: return QString::fromStdString(c.label);
    case Precision: return number(c.precision);
    case Recall: return number(c.recall);
    case F1: return number(c.f1);
    case Support: return qulonglong(c.support);
    case RocAuc: return number(c.rocAuc);
    case PrAuc: return number(c.prAuc);
    default: return {};
    }
}

QVariant ClassMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role == Qt::ToolTipRole && orientation == Qt::Horizontal) {
        switch (section) {
        case Precision: return tr("Of the clips predicted as this class, the fraction that truly are");
        case Recall: return tr("Of the clips truly of this class, the fraction found (macro row: balanced accuracy)");
        case F1: return tr("Harmonic mean of precision and recall");
        case Support: return tr("Clips truly of this class in the evaluated split");
        case RocAuc: return tr("Area under the ROC curve of this output's scores (undefined for one-class truth)");
        case PrAuc: return tr("Average precision of this output's scores");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Label: return tr("class");
    case Precision: return tr("precision");
    case Recall: return tr("recall");
    case F1: return tr("F1");
    case Support: return tr("support");
    case RocAuc: return tr("ROC-AUC");
    case PrAuc: return tr("PR-AUC");
    default: return {};
    }
}

QString ClassMetricsModel::toCsv() const {
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c) header << headerData(c, Qt::Horizontal).toString();
    lines << header.join(',');
    for (int r = 0; r < rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c) {
            QString v = data(index(r, c)).toString();
            if (v == QStringLiteral("–")) v.clear();
            if (v.contains(',') || v.contains('"')) v = '"' + v.replace('"', "\"\"") + '"';
            cells << v;
        }
        lines << cells.join(',');
    }
    return lines.join('\n') + '\n';
}

}  // namespace sonolab::ui
