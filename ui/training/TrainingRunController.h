#pragma once
// Runs a dashboard training job (TrainingData.h: a core/ml Trainer on prepared data, or core/pipeline's library
// training) on a TrainingJob and forwards what it reports to the GUI thread: the GUI never waits on training. The
// job is copied into the run at start(): setJob() while a run is going changes the next run, never the current one.
// The job's evaluation (per-clip probabilities) arrives after the run.
#include "core/ml/Metrics.h"
#include "ui/training/Evaluation.h"
#include "ui/training/RunSettings.h"
#include "ui/training/TrainingData.h"
#include "ui/widgets/TrainingJob.h"

#include <QList>
#include <QObject>

#include <filesystem>

namespace sonolab::ui {

class TrainingRunController : public QObject {
    Q_OBJECT
public:
    explicit TrainingRunController(QObject* parent = nullptr);
    ~TrainingRunController() override;  // stops a running training and waits for its worker

    void setJob(RunJob job);
    // Shorthand for setJob(datasetRunJob(preparer)).
    void setPreparer(DataPreparer preparer);
    // Runs without a run folder in their settings get <runsFolder>/<date-time>-<name>.
    void setRunsFolder(const std::filesystem::path& folder);

    // Starts a run; false (with lastError()) when a run is active, no preparer is set, or the model/task is invalid.
    bool start(const RunSettings& settings);
    // Runs train below the window's priority unless this is turned off (TrainingJob::setBelowWindowPriority).
    void setBelowWindowPriority(bool on) { run_.setBelowWindowPriority(on); }
    void pause() { run_.pause(); }
    void resume() { run_.resume(); }
    void stop() { run_.stop(); }

    bool isActive() const { return run_.isActive(); }
    bool isPaused() const { return run_.isPaused(); }
    ml::TrainingState state() const { return run_.state(); }
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
    void finish(ml::TrainingState state, const QString& message, qint64 storedRunId);

    RunJob job_;
    std::filesystem::path runsFolder_;
    RunSettings settings_;
    QString lastError_;
    TrainingJob run_;  // last member: its worker ends before the rest goes
};

}  // namespace sonolab::ui
