#include "ui/onsets/OnsetEvaluationModel.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

#include <map>

namespace sonolab::ui {

double OnsetFileRow::firstMistake() const {
    if (rnn) return rnn->firstMistake();
    if (flux) return flux->firstMistake();
    return -1;
}

OnsetEvaluationModel::OnsetEvaluationModel(QObject* parent) : QAbstractTableModel(parent) {}

std::vector<OnsetFileRow> OnsetEvaluationModel::rowsFrom(const onsets::OnsetDataset& data,
                                                         const onsets::OnsetExperimentResult* flux,
                                                         const onsets::OnsetExperimentResult* rnn) {
    std::map<std::size_t, OnsetFileRow> byItem;  // data set order
    auto add = [&](const onsets::OnsetExperimentResult* r, bool isRnn) {
        if (!r) return;
        for (std::size_t i = 0; i < r->files.size() && i < r->fileItem.size(); ++i) {
            const std::size_t item = r->fileItem[i];
            if (item >= data.items.size()) continue;
            auto& row = byItem[item];
            row.name = QString::fromStdString(data.items[item].name);
            row.path = QString::fromStdU16String(data.items[item].audio.u16string());
            row.fold = i < r->fileFold.size() ? int(r->fileFold[i]) : -1;
            row.annotations = int(data.items[item].onsets.size());
            (isRnn ? row.rnn : row.flux) = r->files[i].counts;
        }
    };
    add(flux, false);
    add(rnn, true);
    std::vector<OnsetFileRow> rows;
    for (auto& [item, row] : byItem) rows.push_back(std::move(row));
    return rows;
}

void OnsetEvaluationModel::setRows(std::vector<OnsetFileRow> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    fluxSummary_.reset();
    rnnSummary_.reset();
    for (bool isRnn : {false, true}) {
        std::vector<onsets::FileScore> scores;
        for (const auto& r : rows_)
            if (const auto& c = isRnn ? r.rnn : r.flux) scores.push_back({r.name.toStdString(), *c});
        if (!scores.empty()) (isRnn ? rnnSummary_ : fluxSummary_) = onsets::summarize(scores);
    }
    endResetModel();
}

std::optional<onsets::OnsetScoreSummary> OnsetEvaluationModel::summary(bool rnn) const {
    return rnn ? rnnSummary_ : fluxSummary_;
}

int OnsetEvaluationModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || rows_.empty()) return 0;
    return int(rows_.size()) + 2;
}

int OnsetEvaluationModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OnsetEvaluationModel::methodCell(const onsets::OnsetCounts& c, int column, int role) const {
    double value = 0;
    bool score = false;
    switch (column) {
    case Detections: value = double(c.detections()); break;
    case TruePositives: value = double(c.truePositives); break;
    case FalsePositives: value = double(c.falsePositives); break;
    case FalseNegatives: value = double(c.falseNegatives); break;
    case Precision: value = c.precision(); score = true; break;
    case Recall: value = c.recall(); score = true; break;
    default: value = c.fmeasure(); score = true; break;
    }
    if (role == SortRole) return value;
    if (role == Qt::DisplayRole) return score ? QString::number(value, 'f', 3) : QString::number(qlonglong(value));
    return {};
}

QVariant OnsetEvaluationModel::summaryCell(bool mean, int column, int role) const {
    if (role == Qt::FontRole) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::BackgroundRole) return QPalette().alternateBase();
    if (role == Qt::TextAlignmentRole)
        return column == File ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter)) : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole)
        return mean ? tr("Mean: precision, recall and F-measure of each file, averaged over the files")
                    : tr("Sum: the counts of all files added up, and the scores of those sums");
    if (role != Qt::DisplayRole && role != SortRole) return {};
    if (column == File) return mean ? tr("mean") : tr("sum");
    if (column == Fold) return {};
    if (column == Annotations) {
        if (mean) return {};
        qlonglong n = 0;
        for (const auto& r : rows_) n += r.annotations;
        return role == SortRole ? QVariant(double(n)) : QVariant(QString::number(n));
    }
    const bool isRnn = column >= RnnFirst;
    const auto& s = isRnn ? rnnSummary_ : fluxSummary_;
    if (!s) return {};
    const int offset = column - (isRnn ? RnnFirst : FluxFirst);
    if (!mean) return methodCell(s->sum, offset, role);
    const double value = offset == Precision ? s->meanPrecision : offset == Recall ? s->meanRecall
                         : offset == Fmeasure ? s->meanFmeasure : -1;
    if (value < 0) return {};  // counts have no mean worth showing
    return role == SortRole ? QVariant(value) : QVariant(QString::number(value, 'f', 3));
}

QVariant OnsetEvaluationModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const int row = index.row(), column = index.column();
    if (row >= int(rows_.size())) {
        const bool mean = row == int(rows_.size()) + 1;
        if (role == SummaryRole) return mean ? 2 : 1;
        return summaryCell(mean, column, role);
    }
    if (role == SummaryRole) return 0;
    if (role == Qt::FontRole && (column == FluxFirst + int(Fmeasure) || column == RnnFirst + int(Fmeasure))) {
        QFont f;
        f.setBold(true);
        return f;
    }
    const auto& r = rows_[std::size_t(row)];
    if (role == Qt::TextAlignmentRole)
        return column == File ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter)) : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole && column == File) {
        const double t = r.firstMistake();
        return t >= 0 ? tr("%1\nDouble-click: open in the player at the first mistake (%2 s)").arg(r.path).arg(t, 0, 'f', 2)
                      : tr("%1\nDouble-click: open in the player").arg(r.path);
    }
    if (role != Qt::DisplayRole && role != SortRole) return {};
    switch (column) {
    case File: return r.name;
    case Fold: return role == SortRole ? QVariant(double(r.fold)) : QVariant(QString::number(r.fold));
    case Annotations: return role == SortRole ? QVariant(double(r.annotations)) : QVariant(QString::number(r.annotations));
    default: break;
    }
    const bool isRnn = column >= RnnFirst;
    const auto& c = isRnn ? r.rnn : r.flux;
    if (!c) return role == Qt::DisplayRole ? QVariant(QStringLiteral("–")) : QVariant(-1.0);
    return methodCell(*c, column - (isRnn ? RnnFirst : FluxFirst), role);
}

QVariant OnsetEvaluationModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    static const char* kMethodColumns[] = {"#det", "TP", "FP", "FN", "P", "R", "F"};
    if (role == Qt::DisplayRole) {
        if (section == File) return tr("File");
        if (section == Fold) return tr("Fold");
        if (section == Annotations) return tr("#ann");
        if (section >= FluxFirst && section < ColumnCount) {
            const bool isRnn = section >= RnnFirst;
            return QStringLiteral("%1\n%2").arg(isRnn ? tr("RNN") : tr("Flux"),
                                               QString::fromLatin1(kMethodColumns[section - (isRnn ? RnnFirst : FluxFirst)]));
        }
    }
    if (role == Qt::ToolTipRole) {
        if (section == Annotations) return tr("Annotated onsets (after combining within 30 ms they may be fewer)");
        if (section >= FluxFirst) return tr("±25 ms window; P precision, R recall, F F-measure");
    }
    return {};
}

bool OnsetEvaluationSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int ls = left.data(OnsetEvaluationModel::SummaryRole).toInt();
    const int rs = right.data(OnsetEvaluationModel::SummaryRole).toInt();
    if (ls != 0 || rs != 0) {
        // Ranks file 0 < sum 1 < mean 2 stay in that order on screen in either sort order (descending reverses).
        return sortOrder() == Qt::AscendingOrder ? ls < rs : ls > rs;
    }
    const QVariant l = left.data(OnsetEvaluationModel::SortRole), r = right.data(OnsetEvaluationModel::SortRole);
    if (l.typeId() == QMetaType::QString || r.typeId() == QMetaType::QString)
        return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
    return l.toDouble() < r.toDouble();
}

}  // namespace sonolab::ui
