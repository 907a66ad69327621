#include "ui/similarity/LabelUnlabelledDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace sonolab::ui {

LabelUnlabelledDialog::LabelUnlabelledDialog(const QString& from, bool multiLabel, const QString& name,
                                             QStringList taken, const pipeline::VoteRule& rule, QWidget* parent)
    : QDialog(parent), taken_(std::move(taken)), rule_(rule) {
    setWindowTitle(tr("Label the Unlabelled"));
    auto* intro = new QLabel(
        multiLabel ? tr("Every track without a label in %1 gets each label that at least half of its nearest labelled "
                        "tracks carry, in a new label set (%1 stays as it is).")
                         .arg(from)
                   : tr("Every track without a label in %1 gets the class most of its nearest labelled tracks have, "
                        "in a new label set (%1 stays as it is).")
                         .arg(from));
    intro->setWordWrap(true);
    name_ = new QLineEdit(name);
    voters_ = new QSpinBox;
    voters_->setRange(0, 50);
    voters_->setSpecialValueText(tr("Auto"));  // 0: chosen from the labels (pipeline::chooseVoters)
    voters_->setValue(int(rule.k));
    voters_->setToolTip(tr("With a few labelled recordings per class, 1 to 3 voters labelled best; with most of a "
                           "collection labelled, 5 (README). Auto tries 1, 3, 5, 7 and 10 on the labelled tracks "
                           "themselves, each voted on by the other recordings', and keeps the best."));
    noneOfThese_ = new QCheckBox(tr("Leave tracks unlike every labelled one unlabelled"));
    noneOfThese_->setChecked(rule.reach > 0);
    noneOfThese_->setToolTip(tr("A track whose nearest labelled track stands farther, against its nearest track, than "
                                "for %1% of the labelled tracks gets no label (\"none of these\"): speech among music "
                                "styles, say.")
                                 .arg(int(std::lround((rule.reach > 0 ? rule.reach : pipeline::VoteRule{}.reach) * 100))));
    auto* form = new QFormLayout;
    form->addRow(tr("New label set:"), name_);
    form->addRow(tr("Voters:"), voters_);
    form->addRow(QString(), noneOfThese_);
    problem_ = new QLabel;
    problem_->setObjectName("problem");
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel);
    buttons_->addButton(tr("Label"), QDialogButtonBox::AcceptRole);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, &LabelUnlabelledDialog::check);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(buttons_);
    check();
}

QString LabelUnlabelledDialog::name() const { return name_->text().trimmed(); }

pipeline::VoteRule LabelUnlabelledDialog::rule() const {
    pipeline::VoteRule rule = rule_;
    rule.k = std::size_t(voters_->value());
    rule.reach = noneOfThese_->isChecked() ? (rule_.reach > 0 ? rule_.reach : pipeline::VoteRule{}.reach) : 0.0;
    return rule;
}

QString LabelUnlabelledDialog::problem() const {
    if (name().isEmpty()) return tr("Name the new label set.");
    if (taken_.contains(name())) return tr("The library has a label set called %1 already.").arg(name());
    return {};
}

void LabelUnlabelledDialog::check() {
    const QString why = problem();
    problem_->setText(why);
    problem_->setVisible(!why.isEmpty());
    for (auto* b : buttons_->buttons())
        if (buttons_->buttonRole(b) == QDialogButtonBox::AcceptRole) b->setEnabled(why.isEmpty());
}

}  // namespace sonolab::ui
