#pragma once
// Listening to the results: the confusion matrix (per tag for binary/multi-label tasks), a click on a cell lists
// its clips, a click on a clip plays it in an embedded player that shows its spectrogram (one more view of the app's
// PlaybackService: no output of its own, and the main player keeps its place while a clip plays); the per-class
// precision/recall/F1 table; ROC and precision-recall curves; CSV export of metrics and predictions.
#include "core/ml/Metrics.h"
#include "ui/training/Evaluation.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QTableView;
class QPushButton;

namespace sonolab::ui {

class ClassMetricsModel;
class ConfusionMatrixView;
class CurveChart;
class PlaybackService;
class PlayerWidget;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    // withPlayer = false leaves out the embedded player.
    explicit EvaluationView(QWidget* parent = nullptr, bool withPlayer = true);
    // The app's audio output, which the embedded player plays clips through (without it clips only show).
    void setPlayback(PlaybackService* playback);

    void setEvaluation(const Evaluation& evaluation, const ml::ClassificationReport& report);
    void clear();
    const Evaluation& evaluation() const { return evaluation_; }

    ConfusionMatrixView* matrix() const { return matrix_; }
    QListWidget* clipList() const { return clips_; }
    ClassMetricsModel* metricsModel() const { return metrics_; }
    CurveChart* rocChart() const { return roc_; }
    CurveChart* prChart() const { return pr_; }
    PlayerWidget* player() const { return player_; }
    // For binary/multi-label tasks: which output the matrix shows.
    void setOutput(int output);
    int output() const { return output_; }

    // Clip indices (into evaluation().clips) listed now, in list order.
    std::vector<int> listedClips() const;
    void showCell(int trueClass, int predictedClass);
    void activateClip(int row);  // as a click on the list's row does

    bool exportMetricsCsv(const QString& path, QString* error = nullptr) const;
    // id,title,path,true labels,predicted labels,one probability column per output.
    bool exportPredictionsCsv(const QString& path, QString* error = nullptr) const;

signals:
    // A clip the user wants to hear (path may be empty for generated data).
    void clipActivated(const QString& path, const QString& title);

private:
    void rebuildMatrix();
    void exportWithDialog(bool predictions);

    Evaluation evaluation_;
    ml::ClassificationReport report_;
    int output_ = 0;
    std::vector<QPoint> cellOfClip_;
    std::vector<int> listed_;
    QComboBox* outputBox_;
    QLabel* summary_;
    ConfusionMatrixView* matrix_;
    QLabel* cellTitle_;
    QListWidget* clips_;
    ClassMetricsModel* metrics_;
    QTableView* table_;
    CurveChart* roc_;
    CurveChart* pr_;
    PlayerWidget* player_ = nullptr;
    QString pendingPlay_;
};

}  // namespace sonolab::ui
