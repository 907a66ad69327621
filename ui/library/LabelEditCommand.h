#pragma once
// One hand edit of a track's labels, undoable: redo writes the new labels, undo writes the old ones back.
#include "core/library/LibraryTypes.h"

#include <QStringList>
#include <QUndoCommand>

namespace sonolab::ui {

class TrackTableModel;

class LabelEditCommand : public QUndoCommand {
public:
    LabelEditCommand(TrackTableModel* model, library::TrackId track, QStringList before, QStringList after);
    void undo() override;
    void redo() override;

private:
    TrackTableModel* model_;
    library::TrackId track_;
    QStringList before_, after_;
};

}  // namespace sonolab::ui
