#pragma once
// "Label the Unlabelled…": the new set's name and how the neighbours vote (core/pipeline/NeighbourLabelling.h's
// VoteRule). Voters matter: with a few labelled recordings the nearest one or three labelled best, with most of a
// collection labelled five (README, "Labelling from neighbours"); and tracks unlike every labelled one are left
// unlabelled unless the user asks otherwise.
#include "core/pipeline/NeighbourLabelling.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sonolab::ui {

class LabelUnlabelledDialog : public QDialog {
    Q_OBJECT
public:
    // from: the voting set; name: the new set's proposed name; taken: names already in the library (refused).
    LabelUnlabelledDialog(const QString& from, bool multiLabel, const QString& name, QStringList taken,
                          const pipeline::VoteRule& rule, QWidget* parent = nullptr);

    QString name() const;
    pipeline::VoteRule rule() const;
    // Why it cannot start ("" when it can); the OK button is off meanwhile.
    QString problem() const;

    QLineEdit* nameEdit() const { return name_; }
    QSpinBox* votersBox() const { return voters_; }
    QCheckBox* noneOfTheseBox() const { return noneOfThese_; }

private:
    void check();

    QStringList taken_;
    pipeline::VoteRule rule_;
    QLineEdit* name_;
    QSpinBox* voters_;
    QCheckBox* noneOfThese_;
    QLabel* problem_;
    QDialogButtonBox* buttons_;
};

}  // namespace sonolab::ui
