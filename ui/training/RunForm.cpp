#include "ui/training/RunForm.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Siamese.h"
#include "core/pipeline/LibraryPretraining.h"
#include "core/pipeline/SiameseTraining.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/SiameseSettingsBox.h"
#include "ui/widgets/Inputs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>

#include <thread>

namespace sonolab::ui {

namespace {

// Feature kinds that are one small fixed matrix per clip (vectors for the dense model) rather than a time series.
bool isVectorFeature(const QString& spec) {
    const QString kind = spec.section(':', 0, 0).trimmed().toLower();
    return kind == "rp" || kind == "ssd" || kind == "rh" || kind == "summary" || kind.endsWith("_stats") ||
           kind == "stats";
}

QString taskKindOfLabelKind(const QString& kind) { return kind == "binary" ? "binary" : kind == "single" ? "single" : "multi"; }

}  // namespace

FormChoices FormChoices::fromLibrary(library::LibraryDatabase& db) {
    FormChoices c;
    c.dataSet = QString::fromStdString(db.file().string());
    for (const auto& set : db.labelSets()) {
        LabelSetChoice l;
        l.name = QString::fromStdString(set.name);
        l.kind = QString::fromUtf8(library::toString(set.kind).data());
        for (const auto& cls : set.classes) l.classes << QString::fromStdString(cls);
        c.labelSets << l;
    }
    for (const auto& s : db.splits()) c.splits << SplitChoice{QString::fromStdString(s.name), s.train, s.validation, s.test};
    c.models = builtinModels();
    c.siameseModels = builtinSiameseModels();
    c.pretrainedRuns = pretrainedRunsOf(db);
    return c;
}

QList<QPair<QString, QString>> FormChoices::pretrainedRunsOf(library::LibraryDatabase& db) {
    QList<QPair<QString, QString>> out;
    for (const auto& run : db.runs())
        if (run.task == pipeline::kPretrainingTask && (run.status == "finished" || run.status == "stopped"))
            out << qMakePair(QStringLiteral("%1 (%2)").arg(QString::fromStdString(run.name), QString::fromStdString(run.model)),
                             QString::fromStdString(run.runDir));
    return out;
}

QList<ModelChoice> FormChoices::builtinSiameseModels() {
    QList<ModelChoice> out;
    for (const auto& a : ml::architectures(ml::ArchitectureKind::Siamese))
        out << ModelChoice{QString::fromStdString(a.name), QString::fromStdString(a.description),
                               QString::fromStdString(a.defaultFeatures), a.expectsVector};
    // A classifier's encoder learns the space too, and can start from a pretrained run (`train-siamese --init`).
    for (const auto& a : ml::architectures(ml::ArchitectureKind::Classifier))
        if (pipeline::learnsSpaceThroughEncoder(a))
            out << ModelChoice{QString::fromStdString(a.name),
                               QObject::tr("%1. Its encoder learns the space with the triplet loss, from scratch or "
                                           "from a pretrained run (Start from)")
                                   .arg(QString::fromStdString(a.description)),
                               QString::fromStdString(a.defaultFeatures), a.expectsVector, true};
    return out;
}

QList<ModelChoice> FormChoices::builtinModels() {
    QList<ModelChoice> out;
    for (const auto& a : ml::architectures(ml::ArchitectureKind::Classifier)) {
        out << ModelChoice{QString::fromStdString(a.name), QString::fromStdString(a.description),
                           QString::fromStdString(a.defaultFeatures), a.expectsVector};
    }
    return out;
}

RunForm::RunForm(QWidget* parent) : QWidget(parent) {
    name_ = new QLineEdit;
    name_->setPlaceholderText(tr("e.g. genre compact_cnn lr 3e-3"));
    name_->setToolTip(tr("A name for the runs list; leave empty to name it after task and model"));
    dataSet_ = new QLabel(tr("(no library open)"));
    dataSet_->setToolTip(tr("The library whose tracks, labels and splits the run trains on"));
    dataSet_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    labelSet_ = new QComboBox;
    labelSet_->setToolTip(tr("Which labels to learn: a label set of the library (imported tags, folders, your own)"));
    kind_ = choiceBox({{tr("binary (one label: yes / no)"), "binary"},
                       {tr("single-label (exactly one class per clip)"), "single"},
                       {tr("multi-label (any number of tags per clip)"), "multi"},
                       {tr("similarity (siamese network)"), "siamese"}},
                      tr("Binary: one sigmoid output (e.g. speech vs not). Single-label: softmax over the ticked classes; "
                         "only clips with exactly one of them are used. Multi-label: one sigmoid per ticked tag. "
                         "Similarity: a siamese network learns an embedding where similar tracks lie close (pairs from "
                         "the ticked classes or from tag similarity); the Similarity tab can search it when done."));
    classes_ = new QListWidget;
    classes_->setToolTip(tr("Tick the classes the model should predict (binary: exactly one)"));
    classes_->setMaximumHeight(110);
    split_ = new QComboBox;
    split_->setToolTip(tr("Train / validation / test assignment of the tracks. Use a group-aware split so clips of one "
                          "source track never sit on both sides"));
    features_ = new QLineEdit;
    features_->setToolTip(tr("The input features as a spec string; empty = the model's own (the tutorial's settings). "
                             "Spectrogram kinds (logmel, mfcc, chroma) feed CNNs; rp, ssd, rh and summary: vectors "
                             "feed the dense model"));
    model_ = new QComboBox;
    model_->setToolTip(tr("The network architecture; hover an entry for what it is"));
    modelParams_ = new QLineEdit;
    modelParams_->setPlaceholderText(tr("e.g. layers=3,filters=32,dropout=0.2"));
    modelParams_->setToolTip(tr("Architecture parameters as key=value pairs separated by commas; empty = defaults"));
    optimizer_ = new QComboBox;
    optimizer_->addItems({"sgd", "adam", "nadam"});
    optimizer_->setToolTip(tr("SGD (with momentum) as in the tutorial's small CNNs; Adam/Nadam for Choi's compact CNN"));
    lr_ = new QDoubleSpinBox;
    lr_->setDecimals(5);
    lr_->setRange(1e-5, 10.0);
    lr_->setSingleStep(1e-4);
    lr_->setToolTip(tr("Step size of the optimizer. Too high: the loss jumps or explodes (the run stops with a message); "
                       "too low: it falls slowly"));
    batch_ = spinBox(1, 4096, 1, tr("Examples per gradient step"));
    epochs_ = spinBox(1, 10000, 1, tr("Passes over the training split"));
    seed_ = spinBox(0, 1 << 30, 42, tr("Same seed, same data and settings: same result on the CPU"));
    threads_ = spinBox(0, 256, 0, tr("CPU threads for the network's arithmetic. Training runs below the window's "
                                     "priority, so even on all cores the app answers clicks as quickly as at rest"));
    threads_->setSpecialValueText(tr("all cores (%1)").arg(std::max(1u, std::thread::hardware_concurrency())));
    // What "all cores" leaves the rest of the app, said where the choice is made.
    threadsNote_ = new QLabel(tr("Training yields to the window: on all cores it takes only the time the app leaves idle."));
    threadsNote_->setWordWrap(true);
    threadsNote_->setForegroundRole(QPalette::PlaceholderText);
    patience_ = spinBox(0, 1000, 0, tr("Stop when the validation loss has not improved for this many epochs (needs a validation split)"));
    patience_->setSpecialValueText(tr("off"));
    // Which epoch's model the run keeps. The best validation epoch, picked on a validation part of a few dozen clips,
    // measured far below the last one on the demo's folds (README, "The recipe for small labelled sets").
    keep_ = choiceBox({{tr("last epoch"), "last"}, {tr("best validation epoch"), "best"}},
                      tr("The model the run keeps: the last epoch's, or the epoch with the lowest validation loss "
                         "(needs a validation split; a small one picks an epoch by chance)"));
    window_ = spinBox(0, 100000, 0, tr("Train on random crops of this many frames; prediction slides windows of the same length"));
    window_->setSpecialValueText(tr("whole clip"));
    classWeighting_ = new QCheckBox(tr("weight classes by inverse frequency"));
    classWeighting_->setToolTip(tr("For unbalanced sets: rare classes count as much as frequent ones in the loss"));
    // The recipe for small labelled sets (issue 16), measured by scripts/bench-recipe.sh.
    schedule_ = choiceBox({{tr("constant"), "constant"}, {tr("cosine decay"), "cosine"}, {tr("step (halve every 10 epochs)"), "step"},
                           {tr("lower on plateau"), "plateau"}},
                          tr("How the learning rate changes over the epochs; cosine falls smoothly to almost zero at the last epoch"));
    warmup_ = spinBox(0, 100, 0, tr("Raise the learning rate linearly from almost zero over this many epochs (per batch), "
                                    "so the first steps of a fresh network are small; cosine decays after them"));
    warmup_->setSpecialValueText(tr("off"));
    warmup_->setSuffix(tr(" epochs"));
    mixup_ = new QDoubleSpinBox;
    mixup_->setRange(0.0, 2.0);
    mixup_->setSingleStep(0.1);
    mixup_->setDecimals(2);
    mixup_->setSpecialValueText(tr("off"));
    mixup_->setToolTip(tr("Mixup: train on blends of two clips and of their labels (mix ~ Beta(alpha, alpha)). "
                          "Helps small labelled sets generalise; 0.2-0.4 is usual"));
    augmentations_ = new QLineEdit;
    augmentations_->setPlaceholderText(tr("none"));
    augmentations_->setToolTip(tr("Random changes to each training batch's spectrograms, comma-separated: tmask, fmask "
                                  "(time and frequency masks), gain, stretch, shift, mix (another clip 3-12 dB below); "
                                  "all; empty = none"));
    device_ = choiceBox({{tr("auto (GPU if available)"), "auto"}, {tr("CPU"), "cpu"}, {tr("CUDA GPU"), "cuda"}},
                        tr("Where the network runs; auto uses a CUDA GPU when libtorch has one"));
    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setStyleSheet("color: #b00020");

    siameseBox_ = new SiameseSettingsBox;
    siameseBox_->setVisible(false);
    init_ = new EncoderInitBox;

    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Run name"), name_);
    form->addRow(tr("Library"), dataSet_);
    form->addRow(tr("Label set"), labelSet_);
    form->addRow(tr("Task"), kind_);
    form->addRow(tr("Classes"), classes_);
    form->addRow(tr("Split"), split_);
    form->addRow(tr("Model"), model_);
    form->addRow(tr("Model parameters"), modelParams_);
    form->addRow(siameseBox_);
    form->addRow(tr("Start from"), init_);
    form->addRow(tr("Features"), features_);
    form->addRow(tr("Optimizer"), optimizer_);
    form->addRow(tr("Learning rate"), lr_);
    form->addRow(tr("Batch size"), batch_);
    form->addRow(tr("Epochs"), epochs_);
    form->addRow(tr("Crop (frames)"), window_);
    form->addRow(tr("Early stopping"), patience_);
    form->addRow(tr("Keep"), keep_);
    form->addRow(tr("Learning-rate schedule"), schedule_);
    form->addRow(tr("Warm-up"), warmup_);
    form->addRow(tr("Mixup alpha"), mixup_);
    form->addRow(tr("Augmentation"), augmentations_);
    form->addRow(QString(), classWeighting_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("Threads"), threads_);
    form->addRow(QString(), threadsNote_);
    form->addRow(tr("Device"), device_);
    form->addRow(message_);

    // The form sits in a narrow column beside the charts: long choices (task kinds, label sets with their class
    // counts) show whole in the open list and elide in the closed box, so the column never needs scrolling sideways.
    for (QComboBox* box : findChildren<QComboBox*>()) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }

    connect(labelSet_, &QComboBox::currentIndexChanged, this, [this] { labelSetChanged(); });
    connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
        fillModels();
        if (!loading_) applyDefaults(kind_->currentData().toString());
        revalidate();
    });
    connect(siameseBox_, &SiameseSettingsBox::changed, this, [this] { revalidate(); });
    connect(init_, &EncoderInitBox::changed, this, [this] {
        // An encoder learning a space from a pretrained run takes the gentler rate it measured best with.
        if (const ModelChoice* m = currentModel(); m && isSiamese() && m->encoder && !loading_)
            lr_->setValue(pipeline::defaultSiameseLearningRate(ml::ModelSpec::parse(m->name.toStdString()),
                                                               !init_->runFolder().empty()));
        revalidate();
    });
    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        if (const ModelChoice* m = currentModel(); m && !loading_) {
            features_->clear();
            features_->setPlaceholderText(tr("model default: %1").arg(m->defaultFeatures));
            if (isSiamese() && m->encoder) {
                // The only loss that trains single tracks, and the epochs it measured best with.
                siameseBox_->lossBox()->setCurrentIndex(siameseBox_->lossBox()->findData("triplet"));
                const auto spec = ml::ModelSpec::parse(m->name.toStdString());
                epochs_->setValue(pipeline::defaultSiameseEpochs(spec));
                lr_->setValue(pipeline::defaultSiameseLearningRate(spec, !init_->runFolder().empty()));
            }
        }
        updateForEncoder();
        revalidate();
    });
    connect(classes_, &QListWidget::itemChanged, this, [this] { revalidate(); });
    for (QLineEdit* e : {name_, features_, modelParams_}) connect(e, &QLineEdit::textChanged, this, [this] { revalidate(); });
    for (QComboBox* c : {split_, optimizer_, device_, schedule_})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { revalidate(); });
    for (QSpinBox* s : {batch_, epochs_, patience_, window_, warmup_}) connect(s, &QSpinBox::valueChanged, this, [this] { revalidate(); });
    for (QDoubleSpinBox* d : {lr_, mixup_}) connect(d, &QDoubleSpinBox::valueChanged, this, [this] { revalidate(); });
    connect(augmentations_, &QLineEdit::textChanged, this, [this] { revalidate(); });
    setChoices({});
    applyDefaults("binary");
}

void RunForm::setChoices(const FormChoices& choices) {
    loading_ = true;
    choices_ = choices;
    // The file name fits the column; the whole path is a hover away.
    dataSet_->setText(choices_.dataSet.isEmpty() ? tr("(no library open)") : QFileInfo(choices_.dataSet).fileName());
    dataSet_->setToolTip(choices_.dataSet.isEmpty() ? tr("The library whose tracks, labels and splits the run trains on")
                                                    : choices_.dataSet);
    labelSet_->clear();
    for (const LabelSetChoice& l : choices_.labelSets)
        labelSet_->addItem(QStringLiteral("%1 (%2, %3 classes)").arg(l.name, l.kind).arg(l.classes.size()), l.name);
    init_->setRuns(choices_.pretrainedRuns);
    split_->clear();
    split_->addItem(tr("(none)"), QString());
    for (const SplitChoice& s : choices_.splits)
        split_->addItem(QStringLiteral("%1 (%2 / %3 / %4)").arg(s.name).arg(s.train).arg(s.validation).arg(s.test), s.name);
    if (split_->count() > 1) split_->setCurrentIndex(1);
    modelsAreSiamese_ = !isSiamese();  // forces a refill
    fillModels();
    loading_ = false;
    labelSetChanged();
    applyDefaults(kind_->currentData().toString());
}

void RunForm::labelSetChanged() {
    const int i = labelSet_->currentIndex();
    const bool wasLoading = std::exchange(loading_, true);
    classes_->clear();
    if (i >= 0 && i < choices_.labelSets.size()) {
        const LabelSetChoice& set = choices_.labelSets[i];
        for (const QString& c : set.classes) {
            auto* item = new QListWidgetItem(c, classes_);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(set.kind == "binary" || set.classes.size() <= 8 ? Qt::Checked : Qt::Unchecked);
        }
        // A similarity run keeps its task: the label set only changes which classes or tags pairs come from.
        if (!wasLoading && !isSiamese()) kind_->setCurrentIndex(kind_->findData(taskKindOfLabelKind(set.kind)));
        if (set.kind == "binary" && classes_->count() > 0) setCheckedClasses({set.classes.first()});
    }
    loading_ = wasLoading;
    if (!loading_) applyDefaults(kind_->currentData().toString());
    revalidate();
}

bool RunForm::isSiamese() const { return kind_->currentData().toString() == "siamese"; }

void RunForm::fillModels() {
    const bool siamese = isSiamese();
    // Crops, class weights and batch augmentations are classifier settings that a siamese run does not read.
    window_->setEnabled(!siamese);
    classWeighting_->setEnabled(!siamese);
    augmentations_->setEnabled(!siamese);
    siameseBox_->setVisible(siamese);
    if (siamese == modelsAreSiamese_ && model_->count() > 0) {
        updateForEncoder();
        return;
    }
    modelsAreSiamese_ = siamese;
    const QSignalBlocker block(model_);
    model_->clear();
    const QList<ModelChoice>& models = siamese ? choices_.siameseModels : choices_.models;
    for (int i = 0; i < models.size(); ++i) {
        model_->addItem(models[i].name, models[i].name);
        model_->setItemData(i, models[i].description, Qt::ToolTipRole);
    }
    updateForEncoder();
}

void RunForm::updateForEncoder() {
    const ModelChoice* model = currentModel();
    const bool encoder = isSiamese() && model && model->encoder;
    // A siamese network has no classifier encoder to start from; an encoder learning a space has nothing to train
    // once frozen.
    init_->setEnabled(!isSiamese() || encoder);
    init_->setFreezable(!isSiamese());
}

void RunForm::applyDefaults(const QString& kind) {
    const bool wasLoading = std::exchange(loading_, true);
    if (kind == "siamese") {
        // ML 4b's siamese network: Adam-like optimiser at 1e-3; more pairs per batch than a classifier's clips.
        if (int m = model_->findData("siamese_dense"); m >= 0) model_->setCurrentIndex(m);
        optimizer_->setCurrentText("adam");
        lr_->setValue(0.001);
        epochs_->setValue(pipeline::defaultSiameseEpochs(ml::ModelSpec::parse("siamese_dense")));
        batch_->setValue(64);
        features_->clear();
        if (const ModelChoice* m = currentModel()) features_->setPlaceholderText(tr("model default: %1").arg(m->defaultFeatures));
        loading_ = wasLoading;
        revalidate();
        return;
    }
    // The tutorial's settings: ML 2's CNN for music/speech (SGD, batch 32, 15 epochs, 40 mels x 80 frames);
    // Choi's compact CNN for genre and mood/tags (Adam 3e-3, batch 32, 10 epochs, 80 mels).
    QString model = kind == "binary" ? "tutorial_cnn" : "compact_cnn";
    if (model_->findData(model) < 0 && model_->count() > 0) model = model_->itemData(0).toString();
    if (int m = model_->findData(model); m >= 0) model_->setCurrentIndex(m);
    if (kind == "binary") {
        optimizer_->setCurrentText("sgd");
        lr_->setValue(0.01);
        epochs_->setValue(15);
    } else {
        optimizer_->setCurrentText("adam");
        lr_->setValue(0.003);
        epochs_->setValue(10);
    }
    batch_->setValue(32);
    applyRecipeDefaults();
    features_->clear();
    if (const ModelChoice* m = currentModel()) features_->setPlaceholderText(tr("model default: %1").arg(m->defaultFeatures));
    loading_ = wasLoading;
    revalidate();
}

void RunForm::applyRecipeDefaults() {
    // scripts/bench-recipe.sh on the demo collection's 4-style task (compact_cnn, 2026-12-06; README, "The recipe
    // for small labelled sets"), macro-F1 mean over folds. No piece beat training with none of them in every
    // setting: 4 source-track folds x 30 epochs put mixup 0.4 first (0.53 against 0.49 for none) and batch
    // augmentation below none (0.44); 3 folds x 15 epochs put augmentation first (0.48 against 0.37); album folds
    // cannot rank them (one fold can only score 0); the fold spreads (0.08-0.13) exceed these gaps. All pieces
    // together (cosine + warm-up + mixup + early stopping) measured below none in every setting (0.33-0.34 on
    // track folds), so the form starts with all of them off, augmentation included; each stays one click away.
    schedule_->setCurrentIndex(schedule_->findData("constant"));
    warmup_->setValue(0);
    mixup_->setValue(0.0);
    augmentations_->clear();
}

const ModelChoice* RunForm::currentModel() const {
    const QString name = model_->currentData().toString();
    for (const ModelChoice& m : isSiamese() ? choices_.siameseModels : choices_.models)
        if (m.name == name) return &m;
    return nullptr;
}

const SplitChoice* RunForm::currentSplit() const {
    const QString name = split_->currentData().toString();
    for (const SplitChoice& s : choices_.splits)
        if (s.name == name) return &s;
    return nullptr;
}

void RunForm::setCheckedClasses(const QStringList& classes) {
    const QSignalBlocker block(classes_);
    for (int i = 0; i < classes_->count(); ++i)
        classes_->item(i)->setCheckState(classes.contains(classes_->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    revalidate();
}

QStringList RunForm::checkedClasses() const {
    QStringList out;
    for (int i = 0; i < classes_->count(); ++i)
        if (classes_->item(i)->checkState() == Qt::Checked) out << classes_->item(i)->text();
    return out;
}

QString RunForm::validate() const {
    if (choices_.dataSet.isEmpty()) return tr("Open a library first: runs train on its labelled tracks.");
    if (labelSet_->currentIndex() < 0) return tr("The library has no label sets: import or label tracks first.");
    if (isSiamese()) return validateSiamese();
    const LabelSetChoice& set = choices_.labelSets[labelSet_->currentIndex()];
    const QString kind = kind_->currentData().toString();
    const QStringList classes = checkedClasses();
    if (kind == "binary" && classes.size() != 1)
        return tr("A binary task predicts one label: tick exactly one class (ticked: %1).").arg(classes.size());
    if (kind == "single" && classes.size() < 2)
        return tr("A single-label task needs at least two classes to choose between.");
    if (kind == "multi" && classes.isEmpty()) return tr("Tick at least one tag for a multi-label task.");
    if (kind == "multi" && set.kind == "single")
        return tr("Label set %1 gives every clip exactly one class: train it as a single-label task.").arg(set.name);
    const ModelChoice* model = currentModel();
    if (!model) return tr("Choose a model.");
    if (QString problem = modelSpecProblem(model->name); !problem.isEmpty()) return problem;
    const QString features = features_->text().trimmed().isEmpty() ? model->defaultFeatures : features_->text().trimmed();
    if (model->expectsVector && !isVectorFeature(features))
        return tr("%1 takes a feature vector per clip (rp, ssd, rh), not the time series %2.")
            .arg(model->name, features.section(':', 0, 0));
    if (!model->expectsVector && isVectorFeature(features))
        return tr("%1 is a CNN over a spectrogram-like time series (logmel, mfcc, chroma); %2 is a per-clip vector: use the dense model.")
            .arg(model->name, features.section(':', 0, 0));
    const SplitChoice* split = currentSplit();
    if (!split && !choices_.splits.isEmpty()) return tr("Choose a split so the model is judged on tracks it has not seen.");
    if (split && split->train == 0) return tr("Split %1 has no training tracks.").arg(split->name);
    if (patience_->value() > 0 && (!split || split->validation == 0))
        return tr("Early stopping watches the validation loss: choose a split with validation tracks, or turn it off.");
    try {
        (void)ml::SpectrogramAugmentation::parse(augmentations_->text().toStdString());
    } catch (const std::exception& e) {
        return tr("Augmentation: %1").arg(QString::fromUtf8(e.what()));
    }
    return startFromProblem();
}

QString RunForm::startFromProblem() const {
    if (const auto init = init_->runFolder(); !init.empty() && !ml::isRunFolder(init))
        return tr("Start from: %1 is not a run folder (pretrain one with \"Pretrain on the library…\").")
            .arg(QString::fromStdString(init.string()));
    return {};
}

QString RunForm::modelSpec(const QString& modelName) const {
    const QString params = modelParams_->text().trimmed();
    return params.isEmpty() ? modelName : modelName + ':' + params;
}

QString RunForm::modelSpecProblem(const QString& modelName) const {
    try {
        (void)ml::ModelSpec::parse(modelSpec(modelName).toStdString());
    } catch (const std::exception& e) {
        return tr("Model parameters: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
}

QString RunForm::validateSiamese() const {
    const LabelSetChoice& set = choices_.labelSets[labelSet_->currentIndex()];
    const QStringList classes = checkedClasses();
    if (QString problem = siameseBox_->problem(set.name, set.kind, int(classes.size())); !problem.isEmpty())
        return problem;
    const ModelChoice* model = currentModel();
    if (!model) return tr("Choose a siamese model (siamese_dense on feature vectors, siamese_cnn on log-mel patches).");
    if (QString problem = modelSpecProblem(model->name); !problem.isEmpty()) return problem;
    if (model->encoder && siameseBox_->settings().loss != QLatin1String("triplet"))
        return tr("%1 embeds single tracks: its encoder learns the space with the triplet loss.").arg(model->name);
    if (model->encoder)
        if (QString problem = startFromProblem(); !problem.isEmpty()) return problem;
    const QString features = features_->text().trimmed();
    if (!features.isEmpty() && model->expectsVector != isVectorFeature(features))
        return model->expectsVector
                   ? tr("%1 embeds a feature vector per track (mfcc_stats, rp, ssd), not the time series %2.")
                         .arg(model->name, features.section(':', 0, 0))
                   : tr("%1 embeds a spectrogram patch (logmel, mfcc); %2 is a per-track vector: use siamese_dense.")
                         .arg(model->name, features.section(':', 0, 0));
    const SplitChoice* split = currentSplit();
    if (!split)
        return tr("Choose a split: pairs come from its training tracks and the learned space is scored on tracks "
                  "it has not seen.");
    if (split->train < 2) return tr("Split %1 has fewer than two training tracks.").arg(split->name);
    if (patience_->value() > 0 && split->validation == 0)
        return tr("Early stopping watches the validation loss: choose a split with validation tracks, or turn it off.");
    return {};
}

RunSettings RunForm::settings() const {
    RunSettings s;
    const QString kind = kind_->currentData().toString();
    const QStringList classes = checkedClasses();
    s.task = kind + ':' + classes.join(',');
    if (isSiamese()) {
        s.siamese = siameseBox_->settings();
        const SiameseSettings& m = s.siamese;
        // Tags: the tag set's multi-hot vectors; labels/table: one class per track. Pinned to the label set.
        s.task = (m.pairs == "tags" ? QStringLiteral("multi:") : QStringLiteral("single:")) + classes.join(',');
        if (labelSet_->currentIndex() >= 0) s.task += '@' + labelSet_->currentData().toString();
    }
    s.dataSet = choices_.dataSet;
    s.split = split_->currentData().toString();
    s.featureSpec = features_->text().trimmed();
    s.model = modelSpec(model_->currentData().toString());
    s.name = name_->text().trimmed().isEmpty()
                 ? (s.siamese.enabled ? tr("similarity (%1 pairs) · %2").arg(s.siamese.pairs, s.model)
                                      : QStringLiteral("%1 · %2").arg(s.task, s.model))
                 : name_->text().trimmed();
    ml::TrainingConfig& c = s.config;
    c.optimizer = ml::parseOptimizer(optimizer_->currentText().toStdString());
    c.learningRate = lr_->value();
    c.batchSize = batch_->value();
    c.epochs = epochs_->value();
    c.seed = std::uint64_t(seed_->value());
    c.threads = threads_->value();
    c.earlyStoppingPatience = patience_->value();
    c.restoreBest = keep_->currentData().toString() == QLatin1String("best");
    c.schedule = ml::parseSchedule(schedule_->currentData().toString().toStdString());
    c.warmupEpochs = warmup_->value();
    c.mixupAlpha = mixup_->value();
    c.windowFrames = std::size_t(window_->value());
    c.classWeighting = classWeighting_->isChecked();
    c.device = ml::parseDevice(device_->currentData().toString().toStdString());
    c.featureSpec = s.featureSpec.toStdString();
    c.datasetName = s.dataSet.toStdString();
    // A classifier, or an encoder learning a space (never frozen there: init_ is not freezable then).
    if (const ModelChoice* m = currentModel(); !s.siamese.enabled || (m && m->encoder)) {
        c.initRun = init_->runFolder();
        c.freezeEncoder = init_->freeze();
        if (!s.siamese.enabled && !c.freezeEncoder && !c.initRun.empty() && c.initRun == loadedInit_) {
            c.probeEpochs = loadedProbeEpochs_;
            c.fineTuneLearningRate = loadedFineTuneRate_;
        }
    }
    if (!s.siamese.enabled)
        c.spectrogramAugmentation = ml::SpectrogramAugmentation::parse(augmentations_->text().toStdString());
    return s;
}

void RunForm::load(const RunSettings& s) {
    loading_ = true;
    name_->setText(s.name);
    const QString kind = s.siamese.enabled ? QStringLiteral("siamese") : s.task.section(':', 0, 0);
    const QStringList classes = s.task.section(':', 1).section('@', 0, 0).split(',', Qt::SkipEmptyParts);
    if (int k = kind_->findData(kind); k >= 0) kind_->setCurrentIndex(k);
    fillModels();
    if (s.siamese.enabled) siameseBox_->load(s.siamese);
    // The label set that holds all of the run's classes.
    for (int i = 0; i < choices_.labelSets.size(); ++i) {
        bool all = !classes.isEmpty();
        for (const QString& c : classes) all = all && choices_.labelSets[i].classes.contains(c);
        if (all) {
            labelSet_->setCurrentIndex(i);
            break;
        }
    }
    labelSetChanged();
    setCheckedClasses(classes);
    if (int sp = split_->findData(s.split); sp >= 0) split_->setCurrentIndex(sp);
    const QString arch = s.model.section(':', 0, 0);
    if (model_->findData(arch) < 0) {
        (s.siamese.enabled ? choices_.siameseModels : choices_.models) << ModelChoice{arch, {}, {}, false};
        model_->addItem(arch, arch);
    }
    model_->setCurrentIndex(model_->findData(arch));
    modelParams_->setText(s.model.section(':', 1));
    features_->setText(s.featureSpec);
    optimizer_->setCurrentText(QString::fromUtf8(ml::toString(s.config.optimizer).data()));
    lr_->setValue(s.config.learningRate);
    batch_->setValue(s.config.batchSize);
    epochs_->setValue(s.config.epochs);
    seed_->setValue(int(s.config.seed));
    threads_->setValue(s.config.threads);
    patience_->setValue(s.config.earlyStoppingPatience);
    keep_->setCurrentIndex(keep_->findData(s.config.restoreBest ? "best" : "last"));
    schedule_->setCurrentIndex(std::max(0, schedule_->findData(QString::fromUtf8(ml::toString(s.config.schedule).data()))));
    warmup_->setValue(s.config.warmupEpochs);
    mixup_->setValue(s.config.mixupAlpha);
    augmentations_->setText(s.config.spectrogramAugmentation.any()
                                ? QString::fromStdString(s.config.spectrogramAugmentation.toString())
                                : QString());
    window_->setValue(int(s.config.windowFrames));
    classWeighting_->setChecked(s.config.classWeighting);
    init_->load(s.config.initRun, s.config.freezeEncoder);
    loadedInit_ = s.config.initRun;
    loadedProbeEpochs_ = s.config.probeEpochs;
    loadedFineTuneRate_ = s.config.fineTuneLearningRate;
    device_->setCurrentIndex(std::max(0, device_->findData(QString::fromUtf8(ml::toString(s.config.device).data()))));
    loading_ = false;
    revalidate();
}

void RunForm::revalidate() {
    if (loading_) return;
    const QString problem = validate();
    message_->setText(problem);
    emit validityChanged(problem.isEmpty(), problem);
}

}  // namespace sonolab::ui
