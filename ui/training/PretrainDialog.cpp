#include "ui/training/PretrainDialog.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ModelSpec.h"
#include "core/pipeline/LibraryPretraining.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {
namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QSpinBox* spinBox(int lo, int hi, const QString& tip) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setToolTip(tip);
    return box;
}

QDoubleSpinBox* doubleBox(double lo, double hi, int decimals, double step, const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setDecimals(decimals);
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setToolTip(tip);
    return box;
}

}  // namespace

RunSettings PretrainDialog::fromForm(const RunSettings& form, const QStringList& models) {
    const ml::PretrainingConfig defaults;
    RunSettings s;
    s.dataSet = form.dataSet;
    s.model = models.contains(form.model.section(':', 0, 0)) || models.isEmpty() ? form.model : models.front();
    if (s.model == form.model) s.featureSpec = form.featureSpec;  // features chosen for another model may not fit
    s.task = QString::fromUtf8(pipeline::kPretrainingTask);
    s.pretrain = true;
    // pretrain's own optimizer, rate, batch and schedule, not the form's classifier ones (SGD at 0.01 for
    // music/speech, Adam at 3e-3 for 10 epochs otherwise).
    s.config = defaults.training;
    s.config.epochs = 1;  // the steps decide
    s.config.spectrogramAugmentation = defaults.augmentation;
    s.config.seed = form.config.seed;
    s.config.threads = form.config.threads;
    s.config.device = form.config.device;
    return s;
}

PretrainDialog::PretrainDialog(const RunSettings& start, const QStringList& models, PretrainingUnits units,
                               QWidget* parent)
    : QDialog(parent), start_(start), units_(units) {
    setWindowTitle(tr("Pretrain on the library"));
    const ml::PretrainingConfig defaults;

    model_ = new QComboBox;
    model_->setEditable(true);
    model_->addItems(models);
    model_->setToolTip(tr("The encoder to teach: a CNN on spectrograms, with parameters if you like "
                          "(e.g. compact_cnn:filters=64/128/128,hidden=256)"));
    steps_ = spinBox(1, 100'000'000, tr("Optimizer steps to take at least, rounded up to whole epochs. Contrastive "
                                        "training goes on improving for thousands of steps (README: precision@10 "
                                        "0.62 after 1,000 steps on the demo, 0.74 after 6,000)"));
    steps_->setSingleStep(1000);
    batch_ = spinBox(2, 1'000'000, tr("Tracks per step: the other tracks of the batch are each pair's negatives"));
    lr_ = doubleBox(1e-5, 1.0, 5, 1e-4, tr("Adam's step size (pretrain's default: 2e-3)"));
    schedule_ = new QComboBox;
    for (const ml::ScheduleKind k : {ml::ScheduleKind::Constant, ml::ScheduleKind::Step, ml::ScheduleKind::Cosine})
        schedule_->addItem(text(ml::toString(k)), text(ml::toString(k)));
    schedule_->setToolTip(tr("The learning rate over the epochs (\"lower on plateau\" needs a validation loss, which "
                             "pretraining has not)"));
    warmup_ = spinBox(0, 1'000'000, tr("Epochs of linear learning-rate warm-up"));
    warmup_->setSpecialValueText(tr("off"));
    temperature_ = doubleBox(0.01, 10.0, 3, 0.05, tr("NT-Xent temperature: lower values push hard negatives apart "
                                                     "harder (CLMR: 0.5)"));
    pairBy_ = new QComboBox;
    pairBy_->addItem(tr("one recording (any clip of its group)"), text(ml::toString(ml::PairBy::Group)));
    pairBy_->addItem(tr("one clip (track)"), text(ml::toString(ml::PairBy::Track)));
    pairBy_->setToolTip(tr("What the two crops of a positive pair come from. By group, clips of one source track "
                           "are one recording and never each other's negatives; tracks without a group stand alone"));
    augmentations_ = new QLineEdit;
    augmentations_->setToolTip(tr("Changes to each crop: comma list of tmask, fmask, gain, stretch, shift, mix; all; "
                                  "none"));
    seed_ = spinBox(0, 1 << 30, tr("Same seed, same library and settings: same encoder on the CPU"));
    summary_ = new QLabel;
    summary_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Encoder"), model_);
    form->addRow(tr("Steps"), steps_);
    form->addRow(tr("Tracks per step"), batch_);
    form->addRow(tr("Learning rate"), lr_);
    form->addRow(tr("Learning-rate schedule"), schedule_);
    form->addRow(tr("Warm-up"), warmup_);
    form->addRow(tr("Temperature"), temperature_);
    form->addRow(tr("Pairs from"), pairBy_);
    form->addRow(tr("Augmentations"), augmentations_);
    form->addRow(tr("Seed"), seed_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults);
    accept_ = buttons_->addButton(tr("Pretrain"), QDialogButtonBox::AcceptRole);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons_->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            &PretrainDialog::restoreDefaults);

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Teaches the encoder from every track of the library, labelled or not: two crops of "
                                "one recording must find each other among the batch's other tracks. The run becomes "
                                "a similarity space and a \"Start from\" choice for classifiers."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(buttons_);
    accept_->setDefault(true);  // Enter pretrains (not Restore Defaults, which comes first); once in the dialog

    load(start);
    for (QSpinBox* b : {steps_, batch_}) connect(b, &QSpinBox::valueChanged, this, [this] { refresh(); });
    connect(pairBy_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(model_, &QComboBox::currentTextChanged, this, [this] { refresh(); });
    connect(augmentations_, &QLineEdit::textChanged, this, [this] { refresh(); });
    refresh();
}

void PretrainDialog::load(const RunSettings& s) {
    model_->setCurrentText(s.model);
    steps_->setValue(s.pretraining.steps);
    batch_->setValue(s.config.batchSize);
    lr_->setValue(s.config.learningRate);
    schedule_->setCurrentIndex(std::max(0, schedule_->findData(text(ml::toString(s.config.schedule)))));
    warmup_->setValue(s.config.warmupEpochs);
    temperature_->setValue(s.pretraining.temperature);
    pairBy_->setCurrentIndex(std::max(0, pairBy_->findData(text(ml::toString(s.pretraining.pairBy)))));
    augmentations_->setText(s.config.spectrogramAugmentation.any()
                                ? QString::fromStdString(s.config.spectrogramAugmentation.toString())
                                : QStringLiteral("none"));
    seed_->setValue(int(s.config.seed));
}

void PretrainDialog::restoreDefaults() {
    RunSettings d = fromForm(start_, {});
    d.model = model_->currentText();
    d.config.seed = std::uint64_t(seed_->value());
    load(d);
}

RunSettings PretrainDialog::settings() const {
    RunSettings s = start_;
    s.pretrain = true;
    s.model = model_->currentText().trimmed();
    if (s.model != start_.model) s.featureSpec.clear();  // the new model's default features
    s.name = tr("pretrained · %1").arg(s.model);
    s.pretraining.steps = steps_->value();
    s.config.epochs = 1;  // the steps decide
    s.config.batchSize = batch_->value();
    s.config.learningRate = lr_->value();
    s.config.schedule = ml::parseSchedule(schedule_->currentData().toString().toStdString());
    s.config.warmupEpochs = warmup_->value();
    s.pretraining.temperature = temperature_->value();
    s.pretraining.pairBy = ml::parsePairBy(pairBy_->currentData().toString().toStdString());
    try {
        s.config.spectrogramAugmentation = ml::SpectrogramAugmentation::parse(augmentations_->text().trimmed().toStdString());
    } catch (const std::exception&) {  // problem() says so
    }
    s.config.seed = std::uint64_t(seed_->value());
    return s;
}

QString PretrainDialog::problem() const {
    try {
        const auto spec = ml::ModelSpec::parse(model_->currentText().trimmed().toStdString());
        const auto& info = ml::architectureInfo(spec.architecture);
        if (!info.isPretrainableEncoder())
            return tr("Encoder: %1 is no CNN on spectrograms (e.g. compact_cnn).").arg(text(spec.architecture));
    } catch (const std::exception& e) {
        return tr("Encoder: %1").arg(QString::fromUtf8(e.what()));
    }
    try {
        (void)ml::SpectrogramAugmentation::parse(augmentations_->text().trimmed().toStdString());
    } catch (const std::exception& e) {
        return tr("Augmentations: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
}

void PretrainDialog::refresh() {
    const QString why = problem();
    accept_->setEnabled(why.isEmpty());
    if (!why.isEmpty()) {
        summary_->setText(why);
        return;
    }
    const bool byGroup = pairBy_->currentData().toString() == text(ml::toString(ml::PairBy::Group));
    const std::size_t units = byGroup ? units_.groups : units_.tracks;
    const int perEpoch = ml::pretrainingStepsPerEpoch(units, batch_->value());
    if (perEpoch == 0) {
        accept_->setEnabled(false);
        summary_->setText(tr("The library has too few tracks to pair: pretraining needs at least 2 %1.")
                              .arg(byGroup ? tr("recordings") : tr("tracks")));
        return;
    }
    ml::PretrainingConfig c;
    c.training.epochs = 1;
    c.training.batchSize = batch_->value();
    c.steps = std::size_t(steps_->value());
    const int epochs = ml::resolvedEpochs(c, units);
    const QString what = byGroup && units != units_.tracks
                             ? tr("%1 recordings (%2 tracks)").arg(units).arg(units_.tracks)
                             : tr("%1 tracks").arg(units);
    summary_->setText(tr("%1 epochs over %2, %3 each: %4 steps.")
                          .arg(epochs)
                          .arg(what)
                          .arg(perEpoch == 1 ? tr("1 step") : tr("%1 steps").arg(perEpoch))
                          .arg(epochs * perEpoch));
}

}  // namespace sonolab::ui
