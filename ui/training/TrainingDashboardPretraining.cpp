// TrainingDashboard's "Pretrain on the library" (TrainingDashboard.h): the form's model and hyperparameters, every
// track of the library, the same run machinery as a training run (live batch loss, epoch loss, progress line, stop).
#include "ui/training/TrainingDashboard.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/LibraryPretraining.h"
#include "ui/training/RunForm.h"
#include "ui/widgets/LiveChart.h"

#include <QLabel>

namespace sonolab::ui {

bool TrainingDashboard::startPretraining() {
    if (!db_ || customJob_) {
        showStatus(tr("Open a library first: pretraining learns from its tracks."));
        return false;
    }
    RunSettings settings = form_->settings();
    const std::string arch = settings.model.section(':', 0, 0).toStdString();
    try {
        const auto& info = ml::architectureInfo(arch);
        if (info.kind != ml::ArchitectureKind::Classifier || info.expectsVector) {
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
    const bool unnamed = settings.name == QStringLiteral("%1 · %2").arg(settings.task, settings.model);
    settings.pretrain = true;
    settings.siamese = {};
    settings.task = QString::fromUtf8(pipeline::kPretrainingTask);
    settings.split.clear();
    settings.config.initRun.clear();
    settings.config.freezeEncoder = false;
    settings.config.earlyStoppingPatience = 0;  // no labels, no validation loss
    // Contrastive pretraining wants many negatives per step: at least the batch `pretrain` takes by default (64
    // tracks, as every measurement in the README; the library's size caps it).
    settings.config.batchSize = std::max(settings.config.batchSize, ml::PretrainingConfig{}.training.batchSize);
    if (unnamed) settings.name = tr("pretrained · %1").arg(settings.model);
    if (!startRun(settings)) return false;
    metricsChart_->setTitle(tr("Pair accuracy per epoch (training batches: a crop's nearest is its pair)"));
    // The form's epochs are the user's; on a small library they are few steps, so say what would learn more.
    const bool byGroup = ml::PretrainingConfig{}.pairBy == ml::PairBy::Group;  // what the run will use
    const auto tracks = std::size_t(std::max<std::int64_t>(0, db_->trackCount()));
    const auto units = byGroup ? std::size_t(std::max<std::int64_t>(0, db_->groupedTrackCount())) : tracks;
    const std::string advice = ml::fewStepsAdvice(settings.config.epochs, settings.config.batchSize, units, tracks);
    if (!advice.empty()) showStatus(tr("Pretraining: %1.").arg(QString::fromStdString(advice)));
    return true;
}

}  // namespace sonolab::ui
