#pragma once
// Runs onset detection (core/onsets/rnn/OnsetDetector.h) for one file on a BackgroundJob, reporting progress and
// honouring cancel, and hands the result to the GUI thread. A new start() cancels the previous run, whose result is
// then dropped. GUI thread: every public function; signals arrive on the GUI thread.
#include "core/onsets/rnn/OnsetDetector.h"
#include "core/util/Progress.h"
#include "ui/player/OnsetTrack.h"
#include "ui/widgets/BackgroundJob.h"

#include <QObject>
#include <QString>

namespace sonolab::ui {

class OnsetDetectionJob : public QObject {
    Q_OBJECT
public:
    explicit OnsetDetectionJob(QObject* parent = nullptr);
    ~OnsetDetectionJob() override;  // cancels and waits for the worker

    void start(const QString& file, const onsets::OnsetMethod& method);
    void cancel();
    bool running() const { return job_.isRunning(); }
    QString file() const { return file_; }

    // The per-frame threshold peak picking compares the activation with (what the views draw dashed).
    static std::vector<float> thresholdCurve(const onsets::OnsetDetection& detection,
                                             const onsets::OnsetDetectorParams& params = {});

signals:
    void progress(double fraction, const QString& message);
    void finished(const QString& file, const sonolab::ui::OnsetTrack::Detection& detection);
    void failed(const QString& file, const QString& message);
    void cancelled(const QString& file);
    void runningChanged(bool running);

private:
    void setRunning(bool running);

    QString file_;
    bool running_ = false;  // what runningChanged last said
    BackgroundJob job_;     // last member: its workers end before the rest goes
};

}  // namespace sonolab::ui
