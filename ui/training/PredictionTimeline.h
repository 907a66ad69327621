#pragma once
// The current model's predictions for the open track over time: one row per class or tag, each window's
// probability as a colour (dark = 0, yellow = 1), the whole-track probability beside the label, and the playback
// cursor. Its time axis follows the spectrogram's visible range so the rows line up with what the user sees;
// clicking asks the player to seek there.
#include "core/annotations/PredictionSegments.h"
#include "core/ml/Predictor.h"

#include <QStringList>
#include <QWidget>

#include <vector>

namespace sonolab::ui {

class PredictionTimeline : public QWidget {
    Q_OBJECT
public:
    explicit PredictionTimeline(QWidget* parent = nullptr);

    // windows[w][output]; windowStartSeconds[w] the start of window w; each window lasts windowSeconds.
    void setPredictions(const QStringList& labels, std::vector<double> windowStartSeconds, double windowSeconds,
                        std::vector<std::vector<float>> windows, std::vector<float> wholeTrack);
    // From core/ml's Predictor output; secondsPerFrame = the feature hop in seconds.
    void setPrediction(const QStringList& labels, const ml::TrackPrediction& prediction, double secondsPerFrame);
    void clear();

    void setVisibleRange(double startSeconds, double endSeconds);  // default: the whole track
    void setCursorSeconds(double seconds);
    double cursorSeconds() const { return cursor_; }

    // Probability of output at a time: the window whose centre is nearest (NaN outside the predictions).
    double probabilityAt(int output, double seconds) const;
    const std::vector<float>& wholeTrack() const { return whole_; }
    // What the timeline shows, for writing it as annotations (core/annotations/PredictionSegments.h).
    annotations::WindowScores scores() const;
    int rowCount() const { return int(labels_.size()); }
    QRect rowRect(int output) const;    // the heat strip of an output, in widget pixels
    int xOfSeconds(double seconds) const;
    double secondsAtX(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    int labelWidth() const;
    double trackEnd() const;

    QStringList labels_;
    std::vector<double> starts_;
    double windowSeconds_ = 0;
    std::vector<std::vector<float>> windows_;
    std::vector<float> whole_;
    double viewStart_ = 0, viewEnd_ = -1;  // viewEnd < viewStart: whole track
    double cursor_ = -1;
};

}  // namespace sonolab::ui
