#pragma once
// The library's tracks as a Qt table: title, artist, duration, labels, split, path. Reads everything it shows in one
// pass over the database (reload()), so scrolling a 20,000-track library never touches SQLite.
// Labels are editable (the Labels column, comma-separated) in one label set, the "edit set"; with an undo stack
// attached every edit becomes an undoable command. Reads and edits run in Qt slots (a view's edit, undo, a split
// choice): a database that fails never throws out of them; errorOccurred says what went wrong and the rows stay.
#include "core/library/LibraryDatabase.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

class QUndoStack;

namespace sonolab::ui {

class TrackTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Artist, Duration, Labels, Split, Path, ColumnCount };
    enum Role { TrackIdRole = Qt::UserRole + 1, PathRole, SortRole };

    explicit TrackTableModel(QObject* parent = nullptr);

    // The database the model shows (shared with the panel); reload() reads it.
    void setDatabase(std::shared_ptr<library::LibraryDatabase> db);
    library::LibraryDatabase* database() const { return db_.get(); }
    // False (after errorOccurred) when the database could not be read; the rows shown before stay.
    bool reload();

    // Which split fills the Split column ("" = none).
    void setSplitName(const QString& name);
    QString splitName() const { return splitName_; }
    // The label set whose labels the Labels column edits; created (multi-label, source "user") on first edit if absent.
    void setEditLabelSet(const QString& name);
    QString editLabelSet() const { return editLabelSet_; }
    void setUndoStack(QUndoStack* stack) { undo_ = stack; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    int rowOfTrack(library::TrackId id) const;  // -1 when absent
    library::TrackId trackAt(int row) const;
    // The track's labels in the edit set.
    QStringList labelsOf(library::TrackId id) const;
    // Writes the track's labels in the edit set (no undo; the undo command calls this) and refreshes its row.
    // False (after errorOccurred) when the database refused: nothing changed.
    bool applyLabels(library::TrackId id, const QStringList& labels);
    // Pushes an undoable edit (or applies it directly without an undo stack).
    void editLabels(library::TrackId id, const QStringList& labels);

signals:
    void errorOccurred(const QString& message);

private:
    struct Row {
        library::TrackRecord track;
        QString labels;          // every positive label, "set: a, b; set2: c" (set names omitted with one set)
        QStringList editLabels;  // labels in the edit set
        QString split;
    };
    void refreshLabels(Row& row) const;

    std::shared_ptr<library::LibraryDatabase> db_;
    std::vector<Row> rows_;
    QString splitName_;
    QString editLabelSet_ = QStringLiteral("user");
    QUndoStack* undo_ = nullptr;
    int labelSetCount_ = 0;
};

}  // namespace sonolab::ui
