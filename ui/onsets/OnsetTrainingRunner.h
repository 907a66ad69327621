#pragma once
// Runs an onset-detector experiment on a TrainingJob (the dashboard's runs use the same one) and reports to the GUI
// thread: first the features of every file (through OnsetFeatureCache, with progress), then the recurrent detector
// trained with ml::trainOnsetRnn for the chosen test fold (or each fold: cross-validation) via
// onsets::crossValidateRnn, then the spectral-flux baseline on the same test files. stop() ends training after the
// current batch; the epochs done so far are still scored.
#include "core/ml/TrainingObserver.h"
#include "core/onsets/OnsetDataset.h"
#include "core/onsets/rnn/OnsetExperiments.h"
#include "ui/onsets/OnsetRunSettings.h"
#include "ui/widgets/TrainingJob.h"

#include <QList>
#include <QObject>

#include <memory>

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
    ~OnsetTrainingRunner() override;  // stops a running experiment and waits for its worker

    // False (with lastError()) when one is running or the settings are unusable.
    bool start(const OnsetRunSettings& settings);
    void stop() { run_.stop(); }
    bool isActive() const { return run_.isActive(); }
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
    std::shared_ptr<const OnsetRunResult> work(const OnsetRunSettings& settings, const TrainingContext& context);
    void finish(ml::TrainingState state, const QString& message, std::shared_ptr<const OnsetRunResult> result);

    OnsetRunSettings settings_;
    QString lastError_;
    TrainingJob run_;  // last member: its worker ends before the rest goes
};

}  // namespace sonolab::ui
