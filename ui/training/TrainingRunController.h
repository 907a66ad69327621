#pragma once
// Runs a training job (TrainingData.h: a core/ml Trainer on prepared data, or core/pipeline's library training) on a
// worker thread and forwards what it reports to the GUI thread by queued signals: the GUI never waits on training.
// Batch reports are coalesced (one queued delivery carries every batch since the last one), so a fast model cannot
// flood the event loop. The job's evaluation (per-clip probabilities) arrives after the run.
#include "core/ml/Metrics.h"
#include "core/ml/Trainer.h"
#include "ui/training/Evaluation.h"
#include "ui/training/RunSettings.h"
#include "ui/training/TrainingData.h"

#include <QList>
#include <QMetaType>
#include <QObject>

#include <filesystem>
#include <memory>
#include <thread>

namespace sonolab::ui {

class TrainingRunController : public QObject {
    Q_OBJECT
public:
    explicit TrainingRunController(QObject* parent = nullptr);
    ~TrainingRunController() override;  // stops a running training and joins its thread

    void setJob(RunJob job);
    // Shorthand for setJob(datasetRunJob(preparer)).
    void setPreparer(DataPreparer preparer);
    // Runs without a run folder in their settings get <runsFolder>/<date-time>-<name>.
    void setRunsFolder(const std::filesystem::path& folder);

    // Starts a run; false (with lastError()) when a run is active, no preparer is set, or the model/task is invalid.
    bool start(const RunSettings& settings);
    void pause();
    void resume();
    void stop();

    bool isActive() const { return active_; }
    bool isPaused() const { return pauseRequested_; }
    ml::TrainingState state() const { return state_; }
    const RunSettings& settings() const { return settings_; }
    QString lastError() const { return lastError_; }

signals:
    void started(const sonolab::ui::RunSettings& settings);
    void stateChanged(sonolab::ml::TrainingState state, const QString& message);
    void preparationProgress(double done, double total, const QString& message);
    void deviceChanged(const QString& device);
    void batchesReported(const QList<sonolab::ml::BatchReport>& reports);
    void epochReported(const sonolab::ml::EpochReport& report);
    void evaluationReady(const sonolab::ui::Evaluation& evaluation, const sonolab::ml::ClassificationReport& report);
    // Last signal of a run: the state it ended in and why; storedRunId > 0 when the job stored the run itself.
    void runFinished(sonolab::ml::TrainingState state, const QString& message, qint64 storedRunId);

private:
    struct Shared;
    class Observer;
    void work(RunSettings settings);
    void joinWorker();
    void deliverBatches();
    void setStateFromWorker(ml::TrainingState state, const QString& message);

    RunJob job_;
    std::filesystem::path runsFolder_;
    RunSettings settings_;
    std::shared_ptr<Shared> shared_;
    std::thread worker_;
    bool active_ = false;
    bool pauseRequested_ = false;
    ml::TrainingState state_ = ml::TrainingState::Idle;
    QString lastError_;
};

}  // namespace sonolab::ui
