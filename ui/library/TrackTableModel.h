#pragma once
// The library's tracks as a Qt table: title, artist, duration, labels, split, path. Built for 100,000 tracks:
//   - the whole library is read in one pass on a worker with its own connection (reload()), so neither opening the
//     library nor scrolling it touches SQLite on the GUI thread;
//   - the same worker sorts every column once (case-folded text; Duration by seconds), so a header click only picks
//     a precomputed order, and keeps one case-folded search text per track, so a search key is one substring test
//     per track;
//   - sorting and searching are the model's own (no proxy): the rows shown are a list of tracks in display order.
// Labels are editable (the Labels column, comma-separated) in one label set, the "edit set"; with an undo stack
// attached every edit becomes an undoable command. Reads and edits run in Qt slots (a view's edit, undo, a split
// choice): a database that fails never throws out of them; errorOccurred says what went wrong and the rows stay.
//
// Threads: every member on the GUI thread; only readTracks() (inside reload()) runs on the model's worker.
#include "core/library/LibraryDatabase.h"
#include "ui/widgets/BackgroundJob.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class QUndoStack;

namespace sonolab::ui {

class TrackTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Artist, Duration, Labels, Split, Path, ColumnCount };
    enum Role { TrackIdRole = Qt::UserRole + 1, PathRole };

    explicit TrackTableModel(QObject* parent = nullptr);
    ~TrackTableModel() override;

    // The database the model shows (shared with the panel); starts reading it.
    void setDatabase(std::shared_ptr<library::LibraryDatabase> db);
    library::LibraryDatabase* database() const { return db_.get(); }
    // Reads the database again on the model's worker; the rows shown stay until the new ones arrive (loaded()), or
    // stay for good after errorOccurred. A newer reload supersedes one still reading.
    void reload();
    // True from reload() until its rows (or its error) have arrived.
    bool loading() const { return readPending_ || job_.isRunning(); }

    // Which split fills the Split column ("" = none).
    void setSplitName(const QString& name);
    QString splitName() const { return splitName_; }
    // The label set whose labels the Labels column edits; created (multi-label, source "user") on first edit if absent.
    void setEditLabelSet(const QString& name);
    QString editLabelSet() const { return editLabelSet_; }
    void setUndoStack(QUndoStack* stack) { undo_ = stack; }
    // Shows only the tracks whose title, artist, duration, labels, split or path contains text, ignoring case.
    void setSearchText(const QString& text);
    QString searchText() const { return search_; }
    // Tracks in the library (rowCount() is the tracks shown).
    int trackCount() const { return static_cast<int>(tracks_.rows.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    // Orders the rows by the column (ties keep library order either way); the selection follows its tracks.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    int rowOfTrack(library::TrackId id) const;  // -1 when absent or hidden by the search
    library::TrackId trackAt(int row) const;
    // The track's labels in the edit set.
    QStringList labelsOf(library::TrackId id) const;
    // Writes the track's labels in the edit set (no undo; the undo command calls this) and refreshes its row.
    // False (after errorOccurred) when the database refused: nothing changed.
    bool applyLabels(library::TrackId id, const QStringList& labels);
    // Pushes an undoable edit (or applies it directly without an undo stack).
    void editLabels(library::TrackId id, const QStringList& labels);

    // One read of the database: the tracks in library order ("slots") and each column's order. Any thread.
    struct Track {
        library::TrackId id = 0;
        std::array<QString, ColumnCount> text;  // what each column shows
        QString search;                         // every column's case-folded text, one per line
        QStringList editLabels;                 // labels in the edit set
    };
    struct Tracks {
        std::vector<Track> rows;
        std::array<std::vector<int>, ColumnCount> ascending;        // slots in ascending order of each column
        std::array<std::vector<std::uint8_t>, ColumnCount> tied;    // ascending[c][i] sorts equal to [i - 1]
        std::vector<std::string> labelKeys;                         // per slot: the Labels column's sort key
    };
    // Throws sonolab::Cancelled when progress is cancelled (a newer read superseded it).
    static Tracks readTracks(library::LibraryDatabase& db, const QString& editLabelSet, const QString& splitName,
                             const Progress* progress = nullptr);

signals:
    void errorOccurred(const QString& message);
    // The rows of the latest reload() are shown.
    void loaded();

private:
    void startRead();
    std::vector<int> orderedSlots() const;
    // The slots to show, in order, for the current sort and search.
    std::vector<int> shownSlots(bool narrowing) const;
    void indexShown();  // rowOfSlot_ from shown_
    // Recomputes the rows shown (order, then search) inside a layout change that keeps persistent indexes on their
    // tracks (those the search hides become invalid). narrowing: the search only grew, so only rows shown can stay.
    void relayout(bool narrowing = false);
    void show(Tracks tracks);
    int slotOf(library::TrackId id) const;
    void refreshLabels(int slot);

    std::shared_ptr<library::LibraryDatabase> db_;
    Tracks tracks_;
    std::vector<int> shown_;      // row -> slot
    std::vector<int> rowOfSlot_;  // slot -> row, -1 when hidden
    std::unordered_map<library::TrackId, int> slotOfId_;
    QString splitName_;
    QString editLabelSet_ = QStringLiteral("user");
    QString search_, foldedSearch_;
    int sortColumn_ = Title;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
    QUndoStack* undo_ = nullptr;
    bool readPending_ = false;  // a reload() waits for the event loop (several in one turn read once)
    BackgroundJob job_;  // last member: its worker ends before the rows it delivers to go
};

}  // namespace sonolab::ui
