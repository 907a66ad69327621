#pragma once
// "Onset detector" in the training dashboard: train the tutorial's recurrent onset detector (part 3b) on an onset
// data set (ISMIR 2012 layout or audio with .onsets sidecars) and compare it with spectral flux (part 3a).
// Left: data set, cell (RNN/LSTM/GRU), layers, units, epochs, patience, learning rate, batch, test fold or k-fold
// cross-validation, Train/Stop. Right: progress with ETA, live curves (batch loss, epoch train/validation loss,
// validation F-measure) and the per-file evaluation of both methods. Work runs on OnsetTrainingRunner's thread.
// The run folder (fold-K/onset-rnn.pt) is what `sonolab-cli onsets FILE --method rnn:RUN/fold-K` and the
// player's RNN option load; modelReady() announces it.
#include "core/ml/TrainingObserver.h"
#include "ui/onsets/OnsetRunSettings.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace sonolab::ui {

class LiveChart;
class OnsetEvaluationView;
class OnsetTrainingRunner;
struct OnsetRunResult;
class TrainingProgressPanel;

class OnsetTrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit OnsetTrainingPanel(QWidget* parent = nullptr);
    ~OnsetTrainingPanel() override;

    // Fills the fold choice from the data set (and says what was found); false with a message when unusable.
    bool setDataFolder(const QString& folder);
    // Where new runs go: <runsFolder>/<date-time>-<cell>/ (default: the app's data folder/onset-runs).
    void setRunsFolder(const QString& folder);
    OnsetRunSettings settings() const;
    void setSettings(const OnsetRunSettings& settings);

    bool startRun();
    void stopRun();
    bool isRunning() const;

    // The last run's folder and the folder of its (last) trained model, usable as rnn:PATH; empty before a run.
    QString runFolder() const { return runFolder_; }
    QString modelFolder() const { return modelFolder_; }
    std::shared_ptr<const OnsetRunResult> lastResult() const { return result_; }

    QLineEdit* dataFolderEdit() const { return dataFolder_; }
    QComboBox* cellCombo() const { return cell_; }
    QSpinBox* layersSpin() const { return layers_; }
    QSpinBox* unitsSpin() const { return units_; }
    QSpinBox* epochsSpin() const { return epochs_; }
    QSpinBox* patienceSpin() const { return patience_; }
    QDoubleSpinBox* learningRateSpin() const { return learningRate_; }
    QSpinBox* batchSpin() const { return batch_; }
    QComboBox* foldCombo() const { return fold_; }
    QPushButton* trainButton() const { return train_; }
    QPushButton* stopButton() const { return stop_; }
    LiveChart* batchLossChart() const { return batchChart_; }
    LiveChart* epochLossChart() const { return epochChart_; }
    LiveChart* fmeasureChart() const { return fChart_; }
    TrainingProgressPanel* progress() const { return progress_; }
    OnsetEvaluationView* evaluation() const { return evaluation_; }
    OnsetTrainingRunner* runner() const { return runner_; }
    QTabWidget* tabs() const { return tabs_; }
    QString statusText() const;

signals:
    void openFileRequested(const QString& path, double seconds);
    void modelReady(const QString& modelFolder);
    void statusMessage(const QString& message);
    void runFinished(sonolab::ml::TrainingState state, const QString& message);

private:
    void browse();
    void updateButtons();
    void showStatus(const QString& message);
    void onFoldStarted(int fold, int index, int runs);
    void onFinished(ml::TrainingState state, const QString& message, std::shared_ptr<const OnsetRunResult> result);

    OnsetTrainingRunner* runner_;
    QString runsFolder_;
    QString runFolder_;
    QString modelFolder_;
    std::shared_ptr<const OnsetRunResult> result_;
    std::size_t foldCount_ = 0;
    bool crossValidating_ = false;
    QString seriesSuffix_;
    double stepOffset_ = 0;  // batch-loss x continues across folds
    double lastStep_ = 0;

    QLineEdit* dataFolder_;
    QLabel* dataInfo_;
    QComboBox* cell_;
    QSpinBox* layers_;
    QSpinBox* units_;
    QSpinBox* epochs_;
    QSpinBox* patience_;
    QDoubleSpinBox* learningRate_;
    QSpinBox* batch_;
    QComboBox* fold_;
    QPushButton* train_;
    QPushButton* stop_;
    QProgressBar* featureBar_;
    TrainingProgressPanel* progress_;
    QTabWidget* tabs_;
    LiveChart* batchChart_;
    LiveChart* epochChart_;
    LiveChart* fChart_;
    OnsetEvaluationView* evaluation_;
    QLabel* status_;
};

}  // namespace sonolab::ui
