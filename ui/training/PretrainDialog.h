#pragma once
// "Pretrain on the library…": the settings of one self-supervised pretraining run, filled with `sonolab-cli
// pretrain`'s defaults (ml::PretrainingConfig: at least 6,000 steps, 64 tracks a step, rate 2e-3, temperature 0.5,
// pairs by group, four augmentations), because the run form's classifier values (10 epochs at 3e-3) are a few dozen
// steps here and learn a poor space (README, "Pretraining on the whole library"). The dashboard opens it from its
// button and starts the run when it is accepted; it keeps the last accepted settings for the next time.
#include "ui/training/RunSettings.h"

#include <QDialog>
#include <QStringList>

#include <cstddef>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace sonolab::ui {

// What an epoch of pretraining goes through in the open library, to say how many epochs the steps are.
struct PretrainingUnits {
    std::size_t tracks = 0;
    std::size_t groups = 0;  // tracks counted once per group (LibraryDatabase::groupedTrackCount)
};

class PretrainDialog : public QDialog {
    Q_OBJECT
public:
    // start: the run offered (its data set, features, seed, threads and run folder are kept); models: the CNN encoders
    // to choose from (the model box is editable, for parameters such as compact_cnn:filters=64/128/128).
    PretrainDialog(const RunSettings& start, const QStringList& models, PretrainingUnits units,
                   QWidget* parent = nullptr);

    // The settings as filled in (pretrain = true). Only meaningful when problem() is empty.
    RunSettings settings() const;
    // Why the settings cannot run, naming the field ("" when they can); the Pretrain button is off meanwhile.
    QString problem() const;
    // `sonolab-cli pretrain`'s defaults in every field but the model and seed (the Restore Defaults button).
    void restoreDefaults();

    // A pretraining run made from the run form's settings: pretrain's defaults (ml::PretrainingConfig), the form's
    // model where it is one of `models` (else the first of them), the form's data set, seed, threads and features.
    static RunSettings fromForm(const RunSettings& form, const QStringList& models);

    QComboBox* modelBox() const { return model_; }
    QSpinBox* stepsBox() const { return steps_; }
    QSpinBox* batchBox() const { return batch_; }
    QDoubleSpinBox* learningRateBox() const { return lr_; }
    QComboBox* scheduleBox() const { return schedule_; }
    QSpinBox* warmupBox() const { return warmup_; }
    QDoubleSpinBox* temperatureBox() const { return temperature_; }
    QComboBox* pairByBox() const { return pairBy_; }
    QLineEdit* augmentationsEdit() const { return augmentations_; }
    QSpinBox* seedBox() const { return seed_; }
    QLabel* summaryLabel() const { return summary_; }
    QPushButton* pretrainButton() const { return accept_; }

private:
    void load(const RunSettings& s);
    void refresh();  // the summary line and the Pretrain button

    RunSettings start_;
    PretrainingUnits units_;
    QComboBox* model_;
    QSpinBox* steps_;
    QSpinBox* batch_;
    QDoubleSpinBox* lr_;
    QComboBox* schedule_;
    QSpinBox* warmup_;
    QDoubleSpinBox* temperature_;
    QComboBox* pairBy_;
    QLineEdit* augmentations_;
    QSpinBox* seed_;
    QLabel* summary_;
    QDialogButtonBox* buttons_;
    QPushButton* accept_;
};

}  // namespace sonolab::ui
