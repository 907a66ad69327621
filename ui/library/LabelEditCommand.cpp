#include "ui/library/LabelEditCommand.h"

#include "ui/library/TrackTableModel.h"

namespace sonolab::ui {

LabelEditCommand::LabelEditCommand(TrackTableModel* model, library::TrackId track, QStringList before,
                                   QStringList after)
    : model_(model), track_(track), before_(std::move(before)), after_(std::move(after)) {
    setText(QObject::tr("Edit labels: %1").arg(after_.isEmpty() ? QObject::tr("(none)") : after_.join(QStringLiteral(", "))));
}

// A write the database refused makes the command obsolete: QUndoStack drops it instead of offering to undo nothing.
void LabelEditCommand::undo() { setObsolete(!model_->applyLabels(track_, before_)); }
void LabelEditCommand::redo() { setObsolete(!model_->applyLabels(track_, after_)); }

}  // namespace sonolab::ui
