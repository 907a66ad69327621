#pragma once
// Onsets in the player: owns the OnsetTrack of the open track and the OnsetDetectionJob, drives the OnsetBar, hands
// onset times to the playback service as this player's clicks, loads a .onsets sidecar as annotations, exports detections, and
// provides the actions (next/previous onset, clicks, detect, export). Created by PlayerWidget. GUI thread.
#include "core/onsets/rnn/OnsetDetector.h"

#include <QList>
#include <QObject>
#include <QString>

class QAction;

namespace sonolab::ui {

class OnsetBar;
class OnsetDetectionJob;
class OnsetTrack;
class PlayerWidget;

class OnsetController : public QObject {
    Q_OBJECT
public:
    OnsetController(PlayerWidget* player, OnsetBar* bar);

    OnsetTrack* track() const { return track_; }
    OnsetDetectionJob* job() const { return job_; }
    OnsetBar* bar() const { return bar_; }
    bool busy() const;
    // PlayerWidget::setPlayback: the click controls follow whether the player can play, and the service gets the
    // clicks of this player's track.
    void playbackChanged();
    // Next/previous onset (. and ,), click on onsets: MainWindow's Playback menu gets these with the transport.
    QList<QAction*> navigationActions() const { return navigationActions_; }
    // Detect onsets, export onsets…: for a File or Analysis menu.
    QList<QAction*> fileActions() const { return fileActions_; }

public slots:
    // PlayerWidget::openFile: forgets the previous track's onsets, loads NAME.onsets beside the file as annotations,
    // and detects when onsets are switched on.
    void documentOpened(const QString& path);
    void detect();
    void detectWith(const sonolab::onsets::OnsetMethod& method);
    void cancel();
    // Writes the detected onsets (one time per line); false with a statusMessage when there are none or it fails.
    bool exportTo(const QString& path);
    void exportWithDialog();
    void loadAnnotations(const QString& onsetsFile);
    void seekToNext();
    void seekToPrevious();
    void setClicks(bool on);

signals:
    void statusMessage(const QString& message);
    void detectionFinished();  // results (or an error) are in; busy() is false

private:
    void updateSummary();
    void updateClickTimes();

    PlayerWidget* player_;
    OnsetBar* bar_;
    OnsetTrack* track_;
    OnsetDetectionJob* job_;
    QAction* clickAction_ = nullptr;
    QList<QAction*> navigationActions_;
    QList<QAction*> fileActions_;
    QString file_;
    QString error_;
    QString clickTip_;  // the click box's own tooltip, shown again when playback becomes available
};

}  // namespace sonolab::ui
