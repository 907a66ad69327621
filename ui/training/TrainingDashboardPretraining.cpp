// TrainingDashboard's "Pretrain on the library…" (TrainingDashboard.h): the pretraining dialog, then every track of the
// library through the same run machinery as a training run (live batch loss, epoch loss, progress line, stop).
#include "ui/training/TrainingDashboard.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/LibraryPretraining.h"
#include "ui/training/PretrainDialog.h"
#include "ui/training/RunForm.h"
#include "ui/widgets/LiveChart.h"

#include <QLabel>

namespace sonolab::ui {
namespace {

// The encoders pretraining can teach: the classifier architectures on spectrograms.
QStringList cnnEncoders() {
    QStringList out;
    for (const auto& a : ml::architectures(ml::ArchitectureKind::Classifier))
        if (a.isPretrainableEncoder()) out << QString::fromStdString(a.name);
    return out;
}

// What an epoch goes through: tracks, or with pairs by group the groups (tracks without one stand alone).
std::size_t pairingUnitsOf(library::LibraryDatabase& db, ml::PairBy by) {
    return std::size_t(std::max<std::int64_t>(0, by == ml::PairBy::Group ? db.groupedTrackCount() : db.trackCount()));
}

}  // namespace

PretrainDialog* TrainingDashboard::pretrainDialog() const { return pretrainDialog_.data(); }

PretrainDialog* TrainingDashboard::openPretrainDialog() {
    if (!db_ || customJob_) {
        showStatus(tr("Open a library first: pretraining learns from its tracks."));
        return nullptr;
    }
    if (pretrainDialog_) {
        pretrainDialog_->raise();
        return pretrainDialog_;
    }
    const QStringList encoders = cnnEncoders();
    RunSettings start = lastPretraining_ ? *lastPretraining_ : PretrainDialog::fromForm(form_->settings(), encoders);
    start.dataSet = QString::fromStdString(db_->file().string());
    start.config.runDir.clear();  // a new run folder each time
    const PretrainingUnits units{pairingUnitsOf(*db_, ml::PairBy::Track), pairingUnitsOf(*db_, ml::PairBy::Group)};
    auto* dialog = new PretrainDialog(start, encoders, units, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        lastPretraining_ = dialog->settings();
        startPretraining(*lastPretraining_);
    });
    pretrainDialog_ = dialog;
    dialog->open();
    return dialog;
}

bool TrainingDashboard::startPretraining(const RunSettings& requested) {
    if (!db_ || customJob_) {
        showStatus(tr("Open a library first: pretraining learns from its tracks."));
        return false;
    }
    RunSettings settings = requested;
    const std::string arch = settings.model.section(':', 0, 0).toStdString();
    try {
        const auto& info = ml::architectureInfo(arch);
        if (!info.isPretrainableEncoder()) {
            showStatus(tr("Pretraining teaches a spectrogram encoder: choose a CNN model (e.g. compact_cnn), not %1.")
                           .arg(QString::fromStdString(arch)));
            return false;
        }
    } catch (const std::exception& e) {
        showStatus(QString::fromUtf8(e.what()));
        return false;
    }
    if (settings.config.schedule == ml::ScheduleKind::Plateau) {
        showStatus(tr("Pretraining has no validation loss for \"lower on plateau\" to watch: choose another "
                      "learning-rate schedule."));
        return false;
    }
    settings.pretrain = true;
    settings.siamese = {};
    settings.task = QString::fromUtf8(pipeline::kPretrainingTask);
    settings.split.clear();
    settings.config.initRun.clear();
    settings.config.freezeEncoder = false;
    settings.config.earlyStoppingPatience = 0;  // no labels, no validation loss
    if (settings.name.isEmpty()) settings.name = tr("pretrained · %1").arg(settings.model);
    // The epochs the steps take on this library, so the progress line counts toward the real end (the pipeline
    // resolves the same from its tracks; a fresh run's row and settings then say what ran).
    const std::size_t units = pairingUnitsOf(*db_, settings.pretraining.pairBy);
    if (!settings.resume) settings.config.epochs = ml::resolvedEpochs(settings.pretrainingConfig(), units);
    if (!startRun(settings)) return false;
    metricsChart_->setTitle(tr("Pair accuracy per epoch (training batches: a crop's nearest is its pair)"));
    // Fewer steps than pretrain's default learn a poorer space: say so, and what would learn more.
    const std::string advice = ml::fewStepsAdvice(settings.config.epochs, settings.config.batchSize, units,
                                                  pairingUnitsOf(*db_, ml::PairBy::Track));
    if (!advice.empty()) showStatus(tr("Pretraining: %1.").arg(QString::fromStdString(advice)));
    return true;
}

}  // namespace sonolab::ui
