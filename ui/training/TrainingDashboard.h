#pragma once
// The training dashboard MainWindow hosts: set up a run (RunForm), start/pause/resume/stop it, watch it learn
// (live batch loss, epoch losses and validation metrics with one smoothing slider and log toggles for all charts,
// a progress line with epoch, ETA, samples/s and device), listen to the results (EvaluationView), and browse,
// reopen, rename, delete and compare stored runs (RunsList). Training runs on a worker thread; this widget only
// reacts to queued reports.
#include "core/library/LibraryTypes.h"
#include "ui/training/TrainingData.h"

#include <QPointer>
#include <QWidget>

#include <filesystem>
#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
class QTabWidget;

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

class CrossValidationPanel;
class EvaluationView;
class LiveChart;
class PredictionTimeline;
class PretrainDialog;
class RunForm;
class RunFolderFollower;
class RunRecorder;
class RunsList;
class TrainingProgressPanel;
class TrainingRunController;

class TrainingDashboard : public QWidget {
    Q_OBJECT
public:
    // withPlayer = false: the evaluation view has no embedded player (no audio device opened).
    explicit TrainingDashboard(QWidget* parent = nullptr, bool withPlayer = true);
    ~TrainingDashboard() override;

    // The library the form offers label sets and splits from, and where runs are stored and listed. By default
    // runs train through core/pipeline on this library; setJob/setPreparer replace that (tests, other sources).
    void setLibrary(std::shared_ptr<library::LibraryDatabase> db);
    void setJob(RunJob job, bool recordRuns = true);
    void setPreparer(DataPreparer preparer);  // = setJob(datasetRunJob(preparer), true)
    void setRunsFolder(const std::filesystem::path& folder);

    bool startRun();                              // from the form; false with a message when refused
    bool startRun(const RunSettings& settings);
    // "Pretrain on the library…": opens the pretraining dialog (not modal to the event loop: it returns at once),
    // filled with the last pretraining's settings, else `sonolab-cli pretrain`'s defaults and the form's model and seed;
    // accepting it starts the run. Null with a message when there is no library to pretrain on.
    PretrainDialog* openPretrainDialog();
    PretrainDialog* pretrainDialog() const;  // the open one, or null
    // Self-supervised pretraining on every track of the library (TrainingDashboardPretraining.cpp); the finished run
    // is a similarity space and a "Start from" choice of the form. False with a message when refused.
    bool startPretraining(const RunSettings& settings);
    void pauseRun();
    void resumeRun();
    void stopRun();
    // Shows a stored run's curves and settings (and fills the form with them).
    bool reopenRun(library::RunId id);
    // Continues a stored run that stopped (or whose process ended) from its last checkpoint with the settings it was
    // started with, as `sonolab-cli train --resume` does: its curves so far stay and the new epochs join them.
    // False with a status message when it cannot.
    bool resumeStoredRun(library::RunId id);
    library::RunId currentRunId() const { return currentRunId_; }
    // Shows the curves of a run folder another process writes (`sonolab-cli train`, a torchrun job on a shared file
    // system) and follows them as its epochs come (RunFolderFollower.h), until another run is started, reopened or
    // followed. False with a status message when the folder does not exist.
    bool followRunFolder(const std::filesystem::path& folder);
    RunFolderFollower* follower() const { return follower_; }
    // The folder of the run shown (trained or reopened); empty when none.
    const std::filesystem::path& currentRunFolder() const { return currentRunFolder_; }

    // Another kind of training beside "Tagger / classifier" (the app adds the onset detector's panel here).
    void addMode(QWidget* page, const QString& title);

    RunForm* form() const { return form_; }
    TrainingRunController* controller() const { return controller_; }
    LiveChart* batchLossChart() const { return batchChart_; }
    LiveChart* epochLossChart() const { return epochChart_; }
    LiveChart* metricsChart() const { return metricsChart_; }
    TrainingProgressPanel* progress() const { return progress_; }
    EvaluationView* evaluation() const { return evaluation_; }
    // The "Cross-validation" tab: the run shown (trained, reopened or followed) cross-validated on the library.
    CrossValidationPanel* crossValidation() const { return crossValidation_; }
    RunsList* runsList() const { return runsList_; }
    QTabWidget* tabs() const { return tabs_; }
    QSlider* smoothingSlider() const { return smoothing_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* stopButton() const { return stop_; }
    QPushButton* pretrainButton() const { return pretrain_; }
    QString statusText() const;

    // Writes every chart as PNG, SVG and CSV into folder (batch_loss.*, epoch_loss.*, metrics.*).
    bool exportCharts(const QString& folder, QString* error = nullptr);

signals:
    void statusMessage(const QString& message);
    // A clip from the evaluation the user wants to hear (the host may also open it in its main player).
    void clipActivated(const QString& path, const QString& title);
    // A usable model is there (a run finished or was stopped after an epoch, or a stored run was reopened):
    // connect it to TrackPredictionPanel::setRun so the player shows this model's predictions.
    void modelReady(const QString& runFolder);
    // A similarity (siamese) run finished with a usable model: its learned space, "run:<folder>", for the Similarity
    // tab (connect to SimilarityBrowser::requestSpace).
    void similaritySpaceReady(const QString& spaceName);
    // The runs list was read again (a run started, ended, was renamed or deleted): e.g. for the Space box of the
    // Similarity tab.
    void runsChanged();

private:
    void clearCharts();
    void setMetricsTitle(bool siamese);
    void updateButtons();
    void onBatches(const QList<ml::BatchReport>& reports);
    void onEpoch(const ml::EpochReport& report);
    void plotEpoch(const ml::EpochReport& report);
    void onFollowedEpochs(const std::vector<ml::EpochReport>& epochs, bool restarted);
    void onState(ml::TrainingState state, const QString& message);
    void onFinished(ml::TrainingState state, const QString& message, qint64 storedRunId);
    void showStatus(const QString& message);
    QString crossValidationRunning() const;
    void showRunFolder(const std::filesystem::path& folder);  // the run shown: the curves' and cross-validation's

    std::shared_ptr<library::LibraryDatabase> db_;
    TrainingRunController* controller_;
    RunRecorder* recorder_;
    RunFolderFollower* follower_;
    bool recordRuns_ = true;
    bool customJob_ = false;
    library::RunId currentRunId_ = 0;
    library::RunId continuingRun_ = 0;  // the stored run a resumed run goes on in
    std::filesystem::path currentRunFolder_;

    RunForm* form_;
    QPushButton* start_;
    QPushButton* pause_;
    QPushButton* stop_;
    QPushButton* pretrain_;
    QPointer<PretrainDialog> pretrainDialog_;
    std::optional<RunSettings> lastPretraining_;  // what the dialog offers next time
    TrainingProgressPanel* progress_;
    QTabWidget* modes_;
    QTabWidget* tabs_;
    LiveChart* batchChart_;
    LiveChart* epochChart_;
    LiveChart* metricsChart_;
    QSlider* smoothing_;
    QLabel* smoothingValue_;
    QCheckBox* logY_;
    QCheckBox* logX_;
    EvaluationView* evaluation_;
    CrossValidationPanel* crossValidation_;
    RunsList* runsList_;
    QLabel* status_;
};

}  // namespace sonolab::ui
