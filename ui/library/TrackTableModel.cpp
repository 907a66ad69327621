#include "ui/library/TrackTableModel.h"

#include "ui/library/LabelEditCommand.h"

#include <QUndoStack>

#include <map>

namespace sonolab::ui {

namespace {

QString clock(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QStringList parseLabels(const QString& text) {
    QStringList out;
    for (auto part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        if (!part.isEmpty() && !out.contains(part)) out << part;
    }
    return out;
}

}  // namespace

TrackTableModel::TrackTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TrackTableModel::setDatabase(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    reload();
}

bool TrackTableModel::reload() {
    // Read everything first: a failing database leaves the rows shown before in place.
    std::vector<Row> rows;
    int labelSetCount = 0;
    if (db_) {
        try {
            const auto sets = db_->labelSets();
            labelSetCount = static_cast<int>(sets.size());
            std::map<library::TrackId, QString> labelText;
            std::map<library::TrackId, QStringList> editText;
            for (const auto& set : sets) {
                const bool isEdit = QString::fromStdString(set.name) == editLabelSet_;
                for (const auto& [track, labels] : db_->positiveLabels(set.name)) {
                    if (labels.empty()) continue;
                    QStringList names;
                    for (const auto& l : labels) names << QString::fromStdString(l);
                    auto& text = labelText[track];
                    if (!text.isEmpty()) text += QStringLiteral("; ");
                    if (sets.size() > 1) text += QString::fromStdString(set.name) + QStringLiteral(": ");
                    text += names.join(QStringLiteral(", "));
                    if (isEdit) editText[track] = names;
                }
            }
            std::map<library::TrackId, QString> parts;
            if (!splitName_.isEmpty())
                for (const auto& a : db_->split(splitName_.toStdString()))
                    parts[a.track] = QString::fromLatin1(library::toString(a.part).data());
            for (auto& t : db_->tracks()) {
                Row row;
                row.labels = labelText[t.id];
                row.editLabels = editText[t.id];
                row.split = parts[t.id];
                row.track = std::move(t);
                rows.push_back(std::move(row));
            }
        } catch (const std::exception& e) {
            emit errorOccurred(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
            return false;
        }
    }
    beginResetModel();
    rows_ = std::move(rows);
    labelSetCount_ = labelSetCount;
    endResetModel();
    return true;
}

void TrackTableModel::setSplitName(const QString& name) {
    if (name == splitName_) return;
    splitName_ = name;
    reload();
}

void TrackTableModel::setEditLabelSet(const QString& name) {
    if (name == editLabelSet_ || name.isEmpty()) return;
    editLabelSet_ = name;
    reload();
}

int TrackTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TrackTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TrackTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
    const auto& row = rows_[static_cast<std::size_t>(index.row())];
    const auto& t = row.track;
    if (role == TrackIdRole) return QVariant::fromValue<qint64>(t.id);
    if (role == PathRole || role == Qt::ToolTipRole) return QString::fromStdString(t.path);
    if (role == Qt::EditRole && index.column() == Labels) return row.editLabels.join(QStringLiteral(", "));
    if (role == Qt::TextAlignmentRole && index.column() == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::EditRole) return {};
    switch (index.column()) {
        case Title: return QString::fromStdString(t.title);
        case Artist: return QString::fromStdString(t.artist);
        case Duration:
            if (role == SortRole) return t.durationSeconds;
            return clock(t.durationSeconds);
        case Labels: return row.labels;
        case Split: return row.split;
        case Path: return QString::fromStdString(t.path);
        default: return {};
    }
}

QVariant TrackTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case Title: return tr("Title");
        case Artist: return tr("Artist");
        case Duration: return tr("Duration");
        case Labels: return tr("Labels");
        case Split: return tr("Split");
        case Path: return tr("Path");
        default: return {};
    }
}

Qt::ItemFlags TrackTableModel::flags(const QModelIndex& index) const {
    auto f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Labels) f |= Qt::ItemIsEditable;
    return f;
}

bool TrackTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != Labels || role != Qt::EditRole) return false;
    const auto id = trackAt(index.row());
    const auto labels = parseLabels(value.toString());
    if (labels == labelsOf(id)) return false;
    editLabels(id, labels);
    return true;
}

int TrackTableModel::rowOfTrack(library::TrackId id) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].track.id == id) return static_cast<int>(i);
    return -1;
}

library::TrackId TrackTableModel::trackAt(int row) const {
    return row >= 0 && row < static_cast<int>(rows_.size()) ? rows_[static_cast<std::size_t>(row)].track.id : 0;
}

QStringList TrackTableModel::labelsOf(library::TrackId id) const {
    const int row = rowOfTrack(id);
    return row < 0 ? QStringList() : rows_[static_cast<std::size_t>(row)].editLabels;
}

void TrackTableModel::editLabels(library::TrackId id, const QStringList& labels) {
    if (undo_)
        undo_->push(new LabelEditCommand(this, id, labelsOf(id), labels));
    else
        applyLabels(id, labels);
}

void TrackTableModel::refreshLabels(Row& row) const {
    row.labels.clear();
    row.editLabels.clear();
    const auto sets = db_->labelSets();
    std::map<std::string, QStringList> bySet;
    for (const auto& l : db_->labelsOfTrack(row.track.id))
        if (l.value > 0.5) bySet[l.labelSet] << QString::fromStdString(l.label);
    for (const auto& set : sets) {
        const auto it = bySet.find(set.name);
        if (it == bySet.end()) continue;
        if (!row.labels.isEmpty()) row.labels += QStringLiteral("; ");
        if (sets.size() > 1) row.labels += QString::fromStdString(set.name) + QStringLiteral(": ");
        row.labels += it->second.join(QStringLiteral(", "));
        if (QString::fromStdString(set.name) == editLabelSet_) row.editLabels = it->second;
    }
}

bool TrackTableModel::applyLabels(library::TrackId id, const QStringList& labels) {
    if (!db_) return false;
    const auto set = editLabelSet_.toStdString();
    const int row = rowOfTrack(id);
    try {
        library::LibraryDatabase::Transaction tx(*db_);
        if (!db_->labelSet(set)) db_->createLabelSet(set, library::LabelKind::Multi, {}, "user");
        const auto before = labelsOf(id);
        for (const auto& old : before)
            if (!labels.contains(old)) db_->removeLabel(set, id, old.toStdString());
        db_->addLabelSetMember(set, id);
        for (const auto& l : labels) db_->setLabel(set, id, l.toStdString(), 1.0, "user");
        tx.commit();
        if (row >= 0) refreshLabels(rows_[static_cast<std::size_t>(row)]);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not save the labels: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (row >= 0) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

}  // namespace sonolab::ui
