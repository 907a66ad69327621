#pragma once
// The current model's predictions for the track open in the player: loads a run's saved model, computes the
// track's features as at training and predicts by sliding windows on a worker thread, then shows the whole-track
// probabilities and the per-window ones over time (PredictionTimeline). The host keeps it aligned with the
// player: setCursorSeconds from the playback position, setVisibleRange from the spectrogram's viewport, and
// seekRequested back to the player.
#include "ui/widgets/BackgroundJob.h"

#include <QWidget>

#include <filesystem>

class QLabel;
class QPushButton;

namespace sonolab::ui {

class PredictionTimeline;

class TrackPredictionPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrackPredictionPanel(QWidget* parent = nullptr);
    ~TrackPredictionPanel() override;

    // The run whose model predicts (a run folder with model.txt/model.pt); the open track is predicted again.
    void setRun(const std::filesystem::path& runDir);
    // Predicts a file (what the player opened); empty clears.
    void predictFile(const QString& path);
    // The feature cache to reuse (optional).
    void setFeatureCache(const std::filesystem::path& cache) { cache_ = cache; }

    PredictionTimeline* timeline() const { return timeline_; }
    QString statusText() const;
    bool busy() const { return job_.isRunning(); }

    // Writes the timeline as annotations: the top label as segments, then each class's values (Audacity .txt,
    // Sonic Visualiser .csv: one file per layer, STEM.p_CLASS.EXT beside the first; .jams: one document). False
    // (with the reason in the status line) when there is nothing over time to write or writing fails.
    bool exportTo(const QString& path);
    void exportWithDialog();

public slots:
    void setCursorSeconds(double seconds);
    void setVisibleRange(double startSeconds, double endSeconds);

signals:
    void seekRequested(double seconds);
    void predictionReady(const QString& path);
    void predictionFailed(const QString& path, const QString& message);

private:
    struct Result;
    void showResult(const Result& r);

    std::filesystem::path runDir_;
    std::filesystem::path cache_;
    QString file_;
    PredictionTimeline* timeline_;
    QLabel* status_;
    QPushButton* export_;
    double duration_ = 0;     // of the predicted file (0: unknown), where the last segment ends
    bool overTime_ = false;   // the prediction has windows over time (not a per-track summary)
    BackgroundJob job_;  // last member: its worker ends before the views go
};

}  // namespace sonolab::ui
