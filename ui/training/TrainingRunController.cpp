#include "ui/training/TrainingRunController.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStandardPaths>

namespace sonolab::ui {

TrainingRunController::TrainingRunController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ml::ClassificationReport>();
    qRegisterMetaType<Evaluation>();
    qRegisterMetaType<RunSettings>();
    runsFolder_ = (QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/runs"))
                      .toStdString();
    connect(&run_, &TrainingJob::stateChanged, this, &TrainingRunController::stateChanged);
    connect(&run_, &TrainingJob::progress, this, &TrainingRunController::preparationProgress);
    connect(&run_, &TrainingJob::deviceChanged, this, &TrainingRunController::deviceChanged);
    connect(&run_, &TrainingJob::batchesReported, this, &TrainingRunController::batchesReported);
    connect(&run_, &TrainingJob::epochReported, this, &TrainingRunController::epochReported);
    // A finished job reports through its outcome (below); these ends never produced one.
    connect(&run_, &TrainingJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Cancelled) finish(ml::TrainingState::Stopped, tr("stopped while preparing data"), 0);
        else if (end == JobEnd::Failed) finish(ml::TrainingState::Failed, error, 0);
    });
}

TrainingRunController::~TrainingRunController() = default;

void TrainingRunController::setJob(RunJob job) { job_ = std::move(job); }
void TrainingRunController::setPreparer(DataPreparer preparer) { job_ = datasetRunJob(std::move(preparer)); }
void TrainingRunController::setRunsFolder(const std::filesystem::path& folder) { runsFolder_ = folder; }

bool TrainingRunController::start(const RunSettings& requested) {
    if (isActive()) {
        lastError_ = tr("A run is already active: stop it first.");
        return false;
    }
    if (!job_) {
        lastError_ = tr("No data source is connected to the dashboard.");
        return false;
    }
    RunSettings settings = requested;
    try {
        if (!settings.pretrain) (void)TaskSpec::parse(settings.task.toStdString());  // pretraining has no labels
        (void)ml::ModelSpec::parse(settings.model.toStdString());
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        return false;
    }
    if (settings.config.runDir.empty()) {
        QString safe = settings.name;
        safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
        const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        settings.config.runDir = runsFolder_ / (stamp + '-' + safe).toStdString();
    }
    settings_ = settings;
    lastError_.clear();
    emit started(settings_);
    // The run keeps its own copy of the job: setJob() meanwhile only changes the next run.
    run_.start(
        [job = job_, settings](const TrainingContext& c) {
            return job(settings, c.observer, c.job.progress, [&c](ml::Trainer& trainer) { c.attachTrainer(&trainer); });
        },
        [this](RunOutcome outcome) {
            if (outcome.evaluation) emit evaluationReady(*outcome.evaluation, outcome.report);
            finish(outcome.state, QString::fromStdString(outcome.message), outcome.storedRunId);
        });
    return true;
}

void TrainingRunController::finish(ml::TrainingState state, const QString& message, qint64 storedRunId) {
    if (run_.state() != state) run_.setState(state, message);
    emit runFinished(state, message, storedRunId);
}

}  // namespace sonolab::ui
