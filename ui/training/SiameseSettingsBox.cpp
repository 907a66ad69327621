#include "ui/training/SiameseSettingsBox.h"

#include "ui/widgets/Inputs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>

namespace sonolab::ui {

SiameseSettingsBox::SiameseSettingsBox(QWidget* parent) : QGroupBox(tr("Similarity pairs and loss"), parent) {
    pairs_ = choiceBox({{tr("labels: same class = similar"), "labels"},
                        {tr("class table: soft similarity between classes"), "table"},
                        {tr("tags: IDF-weighted Dice of the ticked tags"), "tags"}},
                       tr("Where similar / dissimilar pairs come from (tutorial ML 4b/4c, IS 2b/2c). Labels: a random "
                          "track of the same class (1) and of another class (0). Class table: targets from a CSV of "
                          "classA,classB,similarity. Tags: positives among the 10 most tag-similar tracks, negatives "
                          "among the 10 least, targets = the similarity"));
    loss_ = choiceBox({{tr("contrastive (pairs)"), "contrastive"}, {tr("triplet, hard negatives mined per batch"), "triplet"}},
                      tr("Contrastive: similar pairs pulled together, dissimilar pushed beyond the margin. Triplet: for "
                         "every track in a batch, its farthest same-class track must be closer than its nearest "
                         "other-class track by the margin (needs classes: label pairs)"));
    margin_ = new QDoubleSpinBox;
    margin_->setRange(0.01, 10.0);
    margin_->setSingleStep(0.1);
    margin_->setValue(1.0);
    margin_->setToolTip(tr("Contrastive: how far apart dissimilar tracks are pushed (tutorial: 1). Triplet: the gap "
                           "required between positive and negative distances (e.g. 0.2)"));
    pairsPerTrack_ = spinBox(1, 100, 5, tr("Positive + negative pairs drawn per training track (IS 2b: 5, ML 4b: 10)"));
    identity_ = new QCheckBox(tr("identity pairs"));
    identity_->setChecked(true);
    identity_->setToolTip(tr("Add each track paired with itself as similar (IS 2b/2c, ML 4b variant 3)"));
    marks_ = new QCheckBox(tr("use my similarity marks"));
    marks_->setChecked(true);
    marks_->setToolTip(tr("Your similar / not similar marks from the Similarity tab, between training tracks, "
                          "become pairs"));
    classTable_ = new QLineEdit;
    classTable_->setPlaceholderText(tr("CSV: classA,classB,similarity"));
    classTable_->setToolTip(tr("For class-table pairs: a file of lines classA,classB,value (diagonal 1 unless given)"));
    classTable_->setEnabled(false);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Pairs from"), pairs_);
    form->addRow(tr("Class table"), classTable_);
    form->addRow(tr("Loss"), loss_);
    form->addRow(tr("Margin"), margin_);
    form->addRow(tr("Pairs per track"), pairsPerTrack_);
    form->addRow(identity_);
    form->addRow(marks_);

    connect(pairs_, &QComboBox::currentIndexChanged, this, [this] {
        classTable_->setEnabled(pairs_->currentData() == "table");
        emit changed();
    });
    connect(loss_, &QComboBox::currentIndexChanged, this, [this] {
        if (!loading_) margin_->setValue(loss_->currentData() == "triplet" ? 0.2 : 1.0);
        emit changed();
    });
    connect(classTable_, &QLineEdit::textChanged, this, &SiameseSettingsBox::changed);
    connect(pairsPerTrack_, &QSpinBox::valueChanged, this, &SiameseSettingsBox::changed);
}

SiameseSettings SiameseSettingsBox::settings() const {
    SiameseSettings s;
    s.enabled = true;
    s.pairs = pairs_->currentData().toString();
    s.loss = loss_->currentData().toString();
    s.margin = margin_->value();
    s.pairsPerTrack = pairsPerTrack_->value();
    s.identity = identity_->isChecked();
    s.marks = marks_->isChecked();
    s.classTable = s.pairs == "table" ? classTable_->text().trimmed() : QString();
    return s;
}

void SiameseSettingsBox::load(const SiameseSettings& s) {
    loading_ = true;
    pairs_->setCurrentIndex(std::max(0, pairs_->findData(s.pairs)));
    loss_->setCurrentIndex(std::max(0, loss_->findData(s.loss)));
    margin_->setValue(s.margin);
    pairsPerTrack_->setValue(s.pairsPerTrack);
    identity_->setChecked(s.identity);
    marks_->setChecked(s.marks);
    classTable_->setText(s.classTable);
    loading_ = false;
    emit changed();
}

QString SiameseSettingsBox::problem(const QString& labelSetName, const QString& labelSetKind, int checkedClasses) const {
    const QString pairs = pairs_->currentData().toString();
    const bool triplet = loss_->currentData() == "triplet";
    if (pairs == "tags") {
        if (labelSetKind != "multi")
            return tr("Label set %1 gives every track one class: tag-similarity pairs need a tag (multi-label) set; "
                      "use label pairs for classes.").arg(labelSetName);
        if (checkedClasses < 2) return tr("Tag-similarity pairs compare tracks by their tags: tick at least two tags.");
        if (triplet)
            return tr("The triplet loss mines positives and negatives by class: train tag-similarity pairs with the "
                      "contrastive loss, or choose label pairs.");
        return {};
    }
    if (checkedClasses < 2)
        return tr("Label pairs need at least two classes: similar = the same class, dissimilar = another one.");
    if (pairs == "table") {
        if (triplet)
            return tr("The triplet loss mines positives and negatives by class, not by a table's soft targets: use the "
                      "contrastive loss, or label pairs.");
        const QString file = classTable_->text().trimmed();
        if (file.isEmpty()) return tr("Class-table pairs need a table file (lines classA,classB,similarity).");
        if (!QFileInfo(file).isFile()) return tr("The class table %1 does not exist.").arg(file);
    }
    return {};
}

}  // namespace sonolab::ui
