#pragma once
// Cross-validation of the run shown, in the Training tab: its recipe (model, features, training settings) is trained
// on K-1 folds of its labelled clips and tested on the remaining fold, K times, whole source tracks or albums on one
// side (core/pipeline/FoldEvaluation.h, as `sonolab-cli evaluate --folds K`). A figure from a few dozen test clips is
// noisy; this shows each fold's figures and their mean ± spread, and hands every clip's out-of-fold prediction to the
// evaluation view (the confusion matrix over the whole label set: each mistake can be heard).
// The work runs on a TrainingJob (below the window's priority; Cancel reaches the fold model in training) with
// progress; fold models stay in <run>/folds, so a second
// cross-validation with the same settings only predicts (more models per fold trains only the new ones).
// Threads: every member function on the GUI thread.
#include "core/ml/Metrics.h"
#include "ui/training/Evaluation.h"
#include "ui/widgets/TrainingJob.h"

#include <QWidget>

#include <filesystem>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;

namespace sonolab::pipeline {
struct FoldResult;
}

namespace sonolab::ui {

class CrossValidationPanel : public QWidget {
    Q_OBJECT
public:
    explicit CrossValidationPanel(QWidget* parent = nullptr);
    ~CrossValidationPanel() override;  // cancels a running cross-validation and waits for its worker

    // The run to cross-validate (a classifier trained on `library`) or none (empty paths). The panel says when it is
    // not a classifier run. A running cross-validation goes on with the run it started with.
    void setRun(const std::filesystem::path& runDir, const std::filesystem::path& library);
    // Why nothing can start now ("" = it can), e.g. while the dashboard trains: both would share the cores.
    void setBlocked(const QString& reason);

    // Starts with the fields' settings; false with the reason in the status line.
    bool start();
    void cancel();  // stops the model training now after its current batch; the finished fold models are kept
    bool isRunning() const { return job_.isActive(); }

    QSpinBox* foldsBox() const { return folds_; }
    QComboBox* foldByBox() const { return foldBy_; }
    QSpinBox* seedsBox() const { return seeds_; }
    QSpinBox* epochsBox() const { return epochs_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QTableView* table() const { return table_; }
    QString runText() const;  // what the panel says of the run: its name, or why it cannot be cross-validated
    QString statusText() const;

signals:
    // Every clip's out-of-fold prediction (each clip tested once, by the fold model that never saw it) and the
    // report over all of them: for the evaluation view.
    void evaluationReady(const sonolab::ui::Evaluation& evaluation, const sonolab::ml::ClassificationReport& report);
    void started();
    // The cross-validation ended (finished, cancelled or failed), with what the status line says.
    void ended(const QString& message);

private:
    struct Outcome;
    void updateButtons();
    void showOutcome(const Outcome& outcome);
    void fillTable(const pipeline::FoldResult& result);
    void setStatus(const QString& text);

    std::filesystem::path runDir_, library_;
    QString runProblem_, blocked_;
    QString startTip_;        // what Cross-validate does (its tooltip unless something blocks it)
    QString validationNote_;  // whether the folds hold out validation clips, from the run's settings
    QLabel* runLabel_;
    QSpinBox* folds_;
    QComboBox* foldBy_;
    QSpinBox* seeds_;
    QSpinBox* epochs_;
    QPushButton* start_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QStandardItemModel* model_;
    QTableView* table_;
    TrainingJob job_;  // last member: its worker ends before the widgets it reports to go
};

}  // namespace sonolab::ui
