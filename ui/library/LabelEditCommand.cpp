#include "ui/library/LabelEditCommand.h"

#include "ui/library/TrackTableModel.h"

namespace sonolab::ui {

LabelEditCommand::LabelEditCommand(TrackTableModel* model, library::TrackId track, QStringList before,
                                   QStringList after)
    : model_(model), track_(track), before_(std::move(before)), after_(std::move(after)) {
    setText(QObject::tr("Edit labels: %1").arg(after_.isEmpty() ? QObject::tr("(none)") : after_.join(QStringLiteral(", "))));
}

void LabelEditCommand::undo() { model_->applyLabels(track_, before_); }
void LabelEditCommand::redo() { model_->applyLabels(track_, after_); }

}  // namespace sonolab::ui
