#pragma once
// Runs an onset-detector experiment on a worker thread and reports to the GUI thread by queued calls: first the
// features of every file (through OnsetFeatureCache, with progress), then the recurrent detector trained with
// ml::trainOnsetRnn for the chosen test fold (or each fold: cross-validation) via onsets::crossValidateRnn, then
// the spectral-flux baseline on the same test files. Batch reports are coalesced so a fast model cannot flood the
// event loop. stop() ends training after the current batch; the epochs done so far are still scored.
#include "core/ml/TrainingObserver.h"
#include "core/onsets/OnsetDataset.h"
#include "core/onsets/rnn/OnsetExperiments.h"
#include "ui/onsets/OnsetRunSettings.h"

#include <QList>
#include <QObject>

#include <memory>
#include <thread>

namespace sonolab::ui {

struct OnsetRunResult {
    onsets::OnsetDataset data;
    onsets::OnsetExperimentResult rnn;
    onsets::OnsetExperimentResult flux;  // on the same test files as rnn
    std::filesystem::path runFolder;
    std::filesystem::path modelFolder;   // the last trained fold's folder (holds onset-rnn.pt): usable as rnn:PATH
};

class OnsetTrainingRunner : public QObject {
    Q_OBJECT
public:
    explicit OnsetTrainingRunner(QObject* parent = nullptr);
    ~OnsetTrainingRunner() override;  // stops a running experiment and joins its thread

    // False (with lastError()) when one is running or the settings are unusable.
    bool start(const OnsetRunSettings& settings);
    void stop();
    bool isActive() const { return active_; }
    QString lastError() const { return lastError_; }
    const OnsetRunSettings& settings() const { return settings_; }

signals:
    void featureProgress(int done, int total, const QString& file);
    // A fold's training starts (the GUI starts new curves); folds = the data set's fold count, runs = folds trained.
    void foldStarted(int fold, int index, int runs);
    void batchesReported(const QList<sonolab::ml::BatchReport>& reports);
    void epochReported(const sonolab::ml::EpochReport& report);
    void stateChanged(sonolab::ml::TrainingState state, const QString& message);
    void evaluationProgress(int done, int total, const QString& file);
    // Last signal of a run: the state it ended in; result is set when anything was scored.
    void finished(sonolab::ml::TrainingState state, const QString& message, std::shared_ptr<const sonolab::ui::OnsetRunResult> result);

private:
    struct Shared;
    class Observer;
    void work(OnsetRunSettings settings);
    void deliverBatches();

    OnsetRunSettings settings_;
    std::shared_ptr<Shared> shared_;
    std::thread worker_;
    bool active_ = false;
    QString lastError_;
};

}  // namespace sonolab::ui
