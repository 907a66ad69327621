#pragma once
// Play/pause, stop, the position read-out and the follow mode, below the views.
#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace sonolab::ui {

enum class FollowMode { Off, Page, Continuous };

class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget* parent = nullptr);

    void setPlaying(bool playing);
    // What the play button shows: true while this bar's track plays.
    bool isPlaying() const { return playing_; }
    void setPosition(double seconds, double duration);
    // Disables the play controls and says why (no audio device); an empty reason enables them again.
    void setPlaybackUnavailable(const QString& reason);
    void setLoadingText(const QString& text);
    FollowMode followMode() const;
    void setFollowMode(FollowMode mode);
    QString positionText() const;

signals:
    void playPauseClicked();
    void stopClicked();
    void followModeChanged(FollowMode mode);

private:
    bool playing_ = false;
    QToolButton* playButton_;
    QToolButton* stopButton_;
    QLabel* position_;
    QLabel* loading_;
    QLabel* unavailable_;
    QComboBox* follow_;
};

}  // namespace sonolab::ui
