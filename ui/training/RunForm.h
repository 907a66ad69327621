#pragma once
// Setting up a run: data set, task (binary / single-label / multi-label over a label set's classes, or a similarity
// space learned by a siamese network from label or tag-similarity pairs), split, feature set, model and
// hyperparameters. Picking a task kind loads the tutorial's defaults for it; every field explains
// itself in a tooltip; impossible combinations are refused with a sentence saying what to change.
#include "ui/training/RunSettings.h"

#include <QStringList>
#include <QWidget>

#include <filesystem>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

class EncoderInitBox;
class SiameseSettingsBox;

struct LabelSetChoice {
    QString name;
    QString kind;  // "binary", "single", "multi" (the library's LabelKind)
    QStringList classes;
};

struct SplitChoice {
    QString name;
    qint64 train = 0, validation = 0, test = 0;
};

struct ModelChoice {
    QString name;
    QString description;
    QString defaultFeatures;  // feature spec suggestion
    bool expectsVector = false;
    // Similarity task: a classifier whose encoder learns the space (triplet loss), from scratch or from a pretrained run.
    bool encoder = false;
};

struct FormChoices {
    QString dataSet;  // the library file
    QList<LabelSetChoice> labelSets;
    QList<SplitChoice> splits;
    QList<ModelChoice> models;         // classifiers and taggers
    QList<ModelChoice> siameseModels;  // for the similarity task: siamese_dense, siamese_cnn, then encoders
    QList<QPair<QString, QString>> pretrainedRuns;  // (label, folder): encoders a classifier can start from

    // Label sets and splits of a library; models from core/ml's built-in factory.
    static FormChoices fromLibrary(library::LibraryDatabase& db);
    static QList<ModelChoice> builtinModels();
    static QList<ModelChoice> builtinSiameseModels();
    // The library's finished or stopped pretraining runs, as (label, folder).
    static QList<QPair<QString, QString>> pretrainedRunsOf(library::LibraryDatabase& db);
};

class RunForm : public QWidget {
    Q_OBJECT
public:
    explicit RunForm(QWidget* parent = nullptr);

    void setChoices(const FormChoices& choices);
    const FormChoices& choices() const { return choices_; }

    // Empty when the settings can be trained; else what is wrong, for the user.
    QString validate() const;
    RunSettings settings() const;
    // Fills the form from stored settings (reopening a run); unknown label sets/models are added as choices.
    void load(const RunSettings& settings);

    // The task kind's defaults (tutorial's): model, optimizer, learning rate, batch size, epochs, features.
    void applyDefaults(const QString& kind);

    // Widgets, for the dashboard's layout and tests.
    QComboBox* labelSetBox() const { return labelSet_; }
    QComboBox* kindBox() const { return kind_; }
    QListWidget* classList() const { return classes_; }
    QComboBox* splitBox() const { return split_; }
    QComboBox* modelBox() const { return model_; }
    QLineEdit* featuresEdit() const { return features_; }
    QSpinBox* epochsBox() const { return epochs_; }
    QSpinBox* batchBox() const { return batch_; }
    QDoubleSpinBox* learningRateBox() const { return lr_; }
    QSpinBox* seedBox() const { return seed_; }
    QSpinBox* earlyStoppingBox() const { return patience_; }
    // The recipe for small labelled sets: learning-rate schedule, its warm-up, mixup.
    QComboBox* scheduleBox() const { return schedule_; }
    QComboBox* keepBox() const { return keep_; }  // "last" | "best" (data): which epoch's model the run keeps
    QSpinBox* warmupBox() const { return warmup_; }
    QDoubleSpinBox* mixupBox() const { return mixup_; }
    QLineEdit* augmentationsEdit() const { return augmentations_; }  // SpectrogramAugmentation::parse's list
    QLabel* messageLabel() const { return message_; }
    // The similarity (siamese) task's settings, shown when the task is "siamese".
    SiameseSettingsBox* siameseBox() const { return siameseBox_; }
    // Where a classifier starts: from scratch or a pretrained run's encoder (fine-tuned or frozen).
    EncoderInitBox* initBox() const { return init_; }
    bool isSiamese() const;

    // Ticks exactly these classes (others unticked).
    void setCheckedClasses(const QStringList& classes);
    QStringList checkedClasses() const;

signals:
    // Emitted on every change, with validate()'s result.
    void validityChanged(bool valid, const QString& message);

private:
    void labelSetChanged();
    void fillModels();
    void updateForEncoder();  // "Start from" for classifiers and for an encoder learning a space
    QString validateSiamese() const;
    QString startFromProblem() const;  // empty, or why "Start from" names no run
    // The model name with the parameters typed in the form ("name:key=value,..."), and why it does not parse.
    QString modelSpec(const QString& modelName) const;
    QString modelSpecProblem(const QString& modelName) const;
    void revalidate();
    void applyRecipeDefaults();  // what scripts/bench-recipe.sh measured best on a small labelled set
    const ModelChoice* currentModel() const;
    const SplitChoice* currentSplit() const;

    FormChoices choices_;
    QLineEdit* name_;
    QLabel* dataSet_;
    QComboBox* labelSet_;
    QComboBox* kind_;
    QListWidget* classes_;
    QComboBox* split_;
    QLineEdit* features_;
    QComboBox* model_;
    QLineEdit* modelParams_;
    QComboBox* optimizer_;
    QDoubleSpinBox* lr_;
    QSpinBox* batch_;
    QSpinBox* epochs_;
    QSpinBox* seed_;
    QSpinBox* threads_;
    QLabel* threadsNote_;
    QSpinBox* patience_;
    QComboBox* keep_;
    QSpinBox* window_;
    QCheckBox* classWeighting_;
    QComboBox* schedule_;
    QSpinBox* warmup_;
    QDoubleSpinBox* mixup_;
    QLineEdit* augmentations_;
    QComboBox* device_;
    QLabel* message_;
    SiameseSettingsBox* siameseBox_;
    EncoderInitBox* init_;
    bool modelsAreSiamese_ = false;
    bool loading_ = false;
    // LP-FT settings of a reopened run (`train --probe-epochs`), which the form has no field for: carried into
    // settings() while the start run is the one it was loaded with and not frozen, so Start trains the same recipe.
    std::filesystem::path loadedInit_;
    int loadedProbeEpochs_ = 0;
    double loadedFineTuneRate_ = 0;
};

}  // namespace sonolab::ui
