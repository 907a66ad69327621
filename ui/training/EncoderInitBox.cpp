#include "ui/training/EncoderInitBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>

namespace sonolab::ui {

EncoderInitBox::EncoderInitBox(QWidget* parent) : QWidget(parent) {
    run_ = new QComboBox;
    run_->setEditable(true);
    run_->setInsertPolicy(QComboBox::NoInsert);
    run_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    run_->setMinimumContentsLength(12);
    run_->setToolTip(tr("Start the network's encoder (everything but its classifier layer) from a pretrained run of the "
                        "same model and features, or type a run folder; empty = from scratch"));
    freeze_ = new QCheckBox(tr("freeze (linear probe)"));
    freeze_->setToolTip(tr("Keep the pretrained encoder fixed and train the classifier layer alone; off = fine-tune all. "
                           "On by default: the probe measured best on the demo's styles"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(run_, 1);
    layout->addWidget(freeze_);
    setRuns({});
    connect(run_, &QComboBox::currentTextChanged, this, [this] {
        const bool scratch = runFolder().empty();
        if (fromScratch_ && !scratch && freezable_) freeze_->setChecked(true);  // the probe measured best (header)
        fromScratch_ = scratch;
        freeze_->setEnabled(!scratch);
        emit changed();
    });
    connect(freeze_, &QCheckBox::toggled, this, &EncoderInitBox::changed);
}

void EncoderInitBox::setRuns(const QList<QPair<QString, QString>>& runs) {
    const auto keep = runFolder();
    const QSignalBlocker block(run_);
    run_->clear();
    run_->addItem(tr("(from scratch)"), QString());
    for (const auto& [label, folder] : runs) {
        run_->addItem(label, folder);
        run_->setItemData(run_->count() - 1, folder, Qt::ToolTipRole);
    }
    load(keep, freeze_->isChecked());
}

std::filesystem::path EncoderInitBox::runFolder() const {
    const int i = run_->findText(run_->currentText());
    const QString folder = i >= 0 ? run_->itemData(i).toString() : run_->currentText().trimmed();
    return folder.toStdString();
}

bool EncoderInitBox::freeze() const { return freezable_ && freeze_->isChecked() && !runFolder().empty(); }

void EncoderInitBox::setFreezable(bool freezable) {
    freezable_ = freezable;
    freeze_->setVisible(freezable);
}

void EncoderInitBox::load(const std::filesystem::path& runFolder, bool freeze) {
    const QString folder = QString::fromStdString(runFolder.string());
    const int i = run_->findData(folder);
    if (i >= 0) run_->setCurrentIndex(i);
    else if (folder.isEmpty()) run_->setCurrentIndex(0);
    else run_->setEditText(folder);
    freeze_->setChecked(freeze);
    freeze_->setEnabled(!runFolder.empty());
    fromScratch_ = runFolder.empty();
}

}  // namespace sonolab::ui
