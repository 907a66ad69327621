#include "ui/library/TrackTableModel.h"

#include "ui/library/LabelEditCommand.h"

#include <QStringMatcher>
#include <QThreadPool>
#include <QUndoStack>

#include <algorithm>
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

// The Labels column's text: every positive label, "set: a, b; set2: c" (set names omitted with one set).
void appendLabels(QString& text, const std::string& set, const QStringList& names, std::size_t setCount) {
    if (!text.isEmpty()) text += QStringLiteral("; ");
    if (setCount > 1) text += QString::fromStdString(set) + QStringLiteral(": ");
    text += names.join(QStringLiteral(", "));
}

std::string foldedKey(const QString& text) { return text.toCaseFolded().toStdString(); }

// The search text: every column's folded text, one per line (a query never matches across two columns).
QString searchTextOf(const std::array<QString, TrackTableModel::ColumnCount>& text) {
    QString out;
    for (const auto& t : text) out += t.toCaseFolded() + QLatin1Char('\n');
    return out;
}

// Slots in ascending order of keys (stable: ties keep library order), and which sort equal to the one before.
template <class Key>
void orderBy(const std::vector<Key>& keys, std::vector<int>& ascending, std::vector<std::uint8_t>& tied) {
    ascending.resize(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) ascending[i] = static_cast<int>(i);
    std::stable_sort(ascending.begin(), ascending.end(), [&keys](int a, int b) { return keys[a] < keys[b]; });
    tied.assign(keys.size(), 0);
    for (std::size_t i = 1; i < keys.size(); ++i) tied[i] = keys[ascending[i]] == keys[ascending[i - 1]];
}

}  // namespace

TrackTableModel::TrackTableModel(QObject* parent) : QAbstractTableModel(parent) {
    // A failed read keeps the rows shown before.
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Failed) emit errorOccurred(tr("Could not read the library: %1").arg(error));
    });
}

TrackTableModel::~TrackTableModel() = default;

void TrackTableModel::setDatabase(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    reload();
}

TrackTableModel::Tracks TrackTableModel::readTracks(library::LibraryDatabase& db, const QString& editLabelSet,
                                                    const QString& splitName, const Progress* progress) {
    // A read superseded by a newer one (another split chosen while a big library loads) stops between steps.
    auto check = [progress] {
        if (progress && progress->cancelled()) throw Cancelled{};
    };
    const auto sets = db.labelSets();
    std::map<library::TrackId, QString> labelText;
    std::map<library::TrackId, QStringList> editText;
    for (const auto& set : sets) {
        const bool isEdit = QString::fromStdString(set.name) == editLabelSet;
        for (const auto& [track, labels] : db.positiveLabels(set.name)) {
            if (labels.empty()) continue;
            QStringList names;
            for (const auto& l : labels) names << QString::fromStdString(l);
            appendLabels(labelText[track], set.name, names, sets.size());
            if (isEdit) editText[track] = names;
        }
    }
    std::map<library::TrackId, QString> parts;
    if (!splitName.isEmpty())
        for (const auto& a : db.split(splitName.toStdString()))
            parts[a.track] = QString::fromLatin1(library::toString(a.part).data());
    check();
    Tracks out;
    std::vector<double> seconds;
    std::array<std::vector<std::string>, ColumnCount> keys;
    for (const auto& t : db.tracks()) {
        Track row;
        row.id = t.id;
        row.text[Title] = QString::fromStdString(t.title);
        row.text[Artist] = QString::fromStdString(t.artist);
        row.text[Duration] = clock(t.durationSeconds);
        row.text[Labels] = labelText[t.id];
        row.text[Split] = parts[t.id];
        row.text[Path] = QString::fromStdString(t.path);
        row.editLabels = editText[t.id];
        row.search = searchTextOf(row.text);
        seconds.push_back(t.durationSeconds);
        for (int c = 0; c < ColumnCount; ++c)
            if (c != Duration) keys[c].push_back(foldedKey(row.text[c]));
        out.rows.push_back(std::move(row));
    }
    for (int c = 0; c < ColumnCount; ++c) {
        check();
        if (c == Duration)
            orderBy(seconds, out.ascending[c], out.tied[c]);
        else
            orderBy(keys[c], out.ascending[c], out.tied[c]);
    }
    out.labelKeys = std::move(keys[Labels]);  // kept: a label edit moves its track in the Labels order
    return out;
}

void TrackTableModel::reload() {
    if (!db_ || readPending_) return;
    // Requests made in one turn of the event loop (a new database, then its split) become one read: a superseded
    // read of 100,000 tracks would still cost its worker seconds before it noticed.
    readPending_ = true;
    QMetaObject::invokeMethod(this, &TrackTableModel::startRead, Qt::QueuedConnection);
}

void TrackTableModel::startRead() {
    readPending_ = false;
    if (!db_) return;
    // The worker opens its own connection: in WAL mode it reads the last commit without waiting for, or holding up,
    // the panel's writes (label edits) on db_.
    job_.start([file = db_->file(), editSet = editLabelSet_, split = splitName_](const JobContext& job) {
                   BackgroundJob::runBelowWindow(4);  // seconds of sorting at 100k tracks: the window goes first
                   library::LibraryDatabase db(file);
                   return readTracks(db, editSet, split, &job.progress);
               },
               [this](Tracks tracks) { show(std::move(tracks)); });
}

void TrackTableModel::show(Tracks tracks) {
    beginResetModel();
    std::swap(tracks_, tracks);
    slotOfId_.clear();
    slotOfId_.reserve(tracks_.rows.size());
    for (std::size_t i = 0; i < tracks_.rows.size(); ++i) slotOfId_[tracks_.rows[i].id] = static_cast<int>(i);
    shown_ = shownSlots(false);  // a reset: no persistent index survives to be moved
    indexShown();
    endResetModel();
    // A million strings take a while to free: the old rows go on a pool thread, not in the GUI's way.
    QThreadPool::globalInstance()->start([old = std::make_shared<Tracks>(std::move(tracks))] {});
    emit loaded();
}

std::vector<int> TrackTableModel::orderedSlots() const {
    const auto& asc = tracks_.ascending[static_cast<std::size_t>(sortColumn_)];
    if (sortOrder_ == Qt::AscendingOrder) return asc;
    // Descending: the groups of equal keys in reverse, each group in library order (as a stable sort gives).
    const auto& tied = tracks_.tied[static_cast<std::size_t>(sortColumn_)];
    std::vector<int> out;
    out.reserve(asc.size());
    for (std::size_t end = asc.size(); end > 0;) {
        std::size_t begin = end - 1;
        while (begin > 0 && tied[begin]) --begin;
        out.insert(out.end(), asc.begin() + static_cast<std::ptrdiff_t>(begin), asc.begin() + static_cast<std::ptrdiff_t>(end));
        end = begin;
    }
    return out;
}

std::vector<int> TrackTableModel::shownSlots(bool narrowing) const {
    // A query that extends the last one can only hide rows: test the rows shown, already in order.
    std::vector<int> shown = narrowing ? shown_ : orderedSlots();
    if (!foldedSearch_.isEmpty()) {
        const QStringMatcher matcher(foldedSearch_);
        std::erase_if(shown, [&](int slot) { return matcher.indexIn(tracks_.rows[static_cast<std::size_t>(slot)].search) < 0; });
    }
    return shown;
}

void TrackTableModel::indexShown() {
    rowOfSlot_.assign(tracks_.rows.size(), -1);
    for (std::size_t r = 0; r < shown_.size(); ++r) rowOfSlot_[static_cast<std::size_t>(shown_[r])] = static_cast<int>(r);
}

void TrackTableModel::relayout(bool narrowing) {
    std::vector<int> shown = shownSlots(narrowing);
    // Persistent indexes (the view's selection and current row) follow their tracks.
    const auto before = persistentIndexList();
    std::vector<int> slotBefore;
    slotBefore.reserve(static_cast<std::size_t>(before.size()));
    for (const auto& p : before)
        slotBefore.push_back(p.row() < static_cast<int>(shown_.size()) ? shown_[static_cast<std::size_t>(p.row())] : -1);
    shown_ = std::move(shown);
    indexShown();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int slot = slotBefore[static_cast<std::size_t>(i)];
        const int row = slot >= 0 && slot < static_cast<int>(rowOfSlot_.size()) ? rowOfSlot_[static_cast<std::size_t>(slot)] : -1;
        after << (row < 0 ? QModelIndex() : index(row, before[i].column()));
    }
    changePersistentIndexList(before, after);
}

void TrackTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount) return;
    sortColumn_ = column;
    sortOrder_ = order;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    relayout();
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void TrackTableModel::setSearchText(const QString& text) {
    if (text == search_) return;
    search_ = text;
    const QString folded = text.toCaseFolded();
    const bool narrowing = !foldedSearch_.isEmpty() && folded.contains(foldedSearch_);
    foldedSearch_ = folded;
    emit layoutAboutToBeChanged();
    relayout(narrowing);
    emit layoutChanged();
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
    return parent.isValid() ? 0 : static_cast<int>(shown_.size());
}

int TrackTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TrackTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(shown_.size())) return {};
    const auto& row = tracks_.rows[static_cast<std::size_t>(shown_[static_cast<std::size_t>(index.row())])];
    if (role == TrackIdRole) return QVariant::fromValue<qint64>(row.id);
    if (role == PathRole || role == Qt::ToolTipRole) return row.text[Path];
    if (role == Qt::EditRole && index.column() == Labels) return row.editLabels.join(QStringLiteral(", "));
    if (role == Qt::TextAlignmentRole && index.column() == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    return row.text[static_cast<std::size_t>(index.column())];
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

int TrackTableModel::slotOf(library::TrackId id) const {
    const auto it = slotOfId_.find(id);
    return it == slotOfId_.end() ? -1 : it->second;
}

int TrackTableModel::rowOfTrack(library::TrackId id) const {
    const int slot = slotOf(id);
    return slot < 0 ? -1 : rowOfSlot_[static_cast<std::size_t>(slot)];
}

library::TrackId TrackTableModel::trackAt(int row) const {
    return row >= 0 && row < static_cast<int>(shown_.size())
               ? tracks_.rows[static_cast<std::size_t>(shown_[static_cast<std::size_t>(row)])].id
               : 0;
}

QStringList TrackTableModel::labelsOf(library::TrackId id) const {
    const int slot = slotOf(id);
    return slot < 0 ? QStringList() : tracks_.rows[static_cast<std::size_t>(slot)].editLabels;
}

void TrackTableModel::editLabels(library::TrackId id, const QStringList& labels) {
    if (undo_)
        undo_->push(new LabelEditCommand(this, id, labelsOf(id), labels));
    else
        applyLabels(id, labels);
}

void TrackTableModel::refreshLabels(int slot) {
    auto& row = tracks_.rows[static_cast<std::size_t>(slot)];
    auto& text = row.text[Labels];
    text.clear();
    row.editLabels.clear();
    const auto sets = db_->labelSets();
    std::map<std::string, QStringList> bySet;
    for (const auto& l : db_->labelsOfTrack(row.id))
        if (l.value > 0.5) bySet[l.labelSet] << QString::fromStdString(l.label);
    for (const auto& set : sets) {
        const auto it = bySet.find(set.name);
        if (it == bySet.end()) continue;
        appendLabels(text, set.name, it->second, sets.size());
        if (QString::fromStdString(set.name) == editLabelSet_) row.editLabels = it->second;
    }
    row.search = searchTextOf(row.text);
    // The track moves to its new place in the Labels order (the rows shown stay until the next sort).
    auto& keys = tracks_.labelKeys;
    auto& order = tracks_.ascending[Labels];
    auto& tied = tracks_.tied[Labels];
    const auto at = static_cast<std::size_t>(std::find(order.begin(), order.end(), slot) - order.begin());
    order.erase(order.begin() + static_cast<std::ptrdiff_t>(at));
    tied.erase(tied.begin() + static_cast<std::ptrdiff_t>(at));
    keys[static_cast<std::size_t>(slot)] = foldedKey(text);
    const std::string& key = keys[static_cast<std::size_t>(slot)];
    // After its equals whose slot is lower, before those whose slot is higher: where a stable sort puts it.
    const auto place = std::partition_point(order.begin(), order.end(), [&](int other) {
        const auto& k = keys[static_cast<std::size_t>(other)];
        return k < key || (k == key && other < slot);
    });
    const auto p = static_cast<std::size_t>(place - order.begin());
    order.insert(place, slot);
    tied.insert(tied.begin() + static_cast<std::ptrdiff_t>(p), 0);
    for (std::size_t i = p == 0 ? 1 : p; i <= p + 1 && i < order.size(); ++i)
        tied[i] = keys[static_cast<std::size_t>(order[i])] == keys[static_cast<std::size_t>(order[i - 1])];
    if (!tied.empty()) tied[0] = 0;
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
        if (const int slot = slotOf(id); slot >= 0) refreshLabels(slot);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not save the labels: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (row >= 0) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

}  // namespace sonolab::ui
