#pragma once
// The run form's settings for the similarity task: where pairs come from (labels, a class-similarity table, tag
// similarity), the loss (contrastive, or triplet with batch-hard mining), margin, pairs per track, identity pairs and
// the user's marks. Says which combinations cannot be trained.
#include "ui/training/RunSettings.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace sonolab::ui {

class SiameseSettingsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit SiameseSettingsBox(QWidget* parent = nullptr);

    SiameseSettings settings() const;  // enabled = true
    void load(const SiameseSettings& settings);

    // Empty when these settings can train on a label set of this kind ("single", "multi", "binary") with this many
    // ticked classes; else what to change, for the user.
    QString problem(const QString& labelSetName, const QString& labelSetKind, int checkedClasses) const;

    QComboBox* pairsBox() const { return pairs_; }
    QComboBox* lossBox() const { return loss_; }
    QLineEdit* classTableEdit() const { return classTable_; }

signals:
    void changed();

private:
    QComboBox* pairs_;
    QComboBox* loss_;
    QDoubleSpinBox* margin_;
    QSpinBox* pairsPerTrack_;
    QCheckBox* identity_;
    QCheckBox* marks_;
    QLineEdit* classTable_;
    bool loading_ = false;
};

}  // namespace sonolab::ui
