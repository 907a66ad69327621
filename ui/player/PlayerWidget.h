#pragma once
// The track view: spectrogram settings, time ruler, spectrogram and waveform sharing one TimeViewport, a scroll bar
// and the transport, with playback through PlaybackEngine and a cursor polled from it while playing.
// Works on its own (tests, other panels) or as MainWindow's central widget.
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/TransportBar.h"

#include <QWidget>

#include <memory>

class QAction;
class QScrollBar;
class QTimer;

namespace sonolab::playback {
class PlaybackEngine;
}

namespace sonolab::ui {

class AudioDocument;
class OnsetBar;
class OnsetController;
class SpectrogramSettingsBar;
class SpectrogramView;
class TimeRuler;
class TimeViewport;
class WaveformView;

class PlayerWidget : public QWidget {
    Q_OBJECT
public:
    // withPlayback = false skips opening an audio device (benchmarks, thumbnails).
    explicit PlayerWidget(QWidget* parent = nullptr, bool withPlayback = true);
    ~PlayerWidget() override;

    AudioDocument* document() const { return document_.get(); }
    TimeViewport* viewport() const { return viewport_; }
    SpectrogramView* spectrogram() const { return spectrogram_; }
    WaveformView* waveform() const { return waveform_; }
    TimeRuler* ruler() const { return ruler_; }
    TransportBar* transport() const { return transport_; }
    SpectrogramSettingsBar* settingsBar() const { return settingsBar_; }
    // Onsets of the open track: detection, markers, clicks on onsets, sidecar annotations, export.
    OnsetController* onsets() const { return onsets_; }
    OnsetBar* onsetBar() const { return onsetBar_; }
    playback::PlaybackEngine* engine() const { return engine_.get(); }

    bool playbackAvailable() const;
    QString playbackUnavailableReason() const;
    bool isPlaying() const;
    // The playback cursor (where play starts, or where the listener is while playing).
    double positionSeconds() const { return cursor_; }
    double durationSeconds() const;
    QString currentFile() const { return currentFile_; }

    // Decoder threads per file (0 = one per core for long files); the open benchmark compares 1 with the default.
    void setDecodeSegments(int segments) { decodeSegments_ = segments; }

    void setSpectrogramSettings(const SpectrogramSettings& settings);
    SpectrogramSettings spectrogramSettings() const;

    // Play/pause (Space), stop, start/end (Home/End), seek back/forward (Left/Right), zoom in/out/fit (Ctrl +/-/0):
    // MainWindow puts these into its menus; they also work on a bare PlayerWidget.
    QList<QAction*> transportActions() const { return transportActions_; }
    QList<QAction*> viewActions() const { return viewActions_; }

public slots:
    // Starts loading; fileOpened or fileFailed follows. An empty path closes the current file.
    void openFile(const QString& path);
    void togglePlayPause();
    void stop();
    void seek(double seconds);
    void seekBy(double seconds);
    void seekToStart() { seek(0); }
    void seekToEnd();

signals:
    void fileOpened(const QString& path);            // header read: views are filling in
    void fileLoaded(const QString& path);            // fully decoded
    void fileFailed(const QString& path, const QString& message);
    void statusMessage(const QString& message);
    void hoverText(const QString& text);
    void positionChanged(double seconds);

private:
    void createActions();
    void updateCursor();
    void updateScrollBar();
    void playbackStateChanged();

    std::unique_ptr<AudioDocument> document_;
    std::unique_ptr<playback::PlaybackEngine> engine_;
    bool playbackLoaded_ = false;
    TimeViewport* viewport_;
    SpectrogramSettingsBar* settingsBar_;
    OnsetBar* onsetBar_;
    OnsetController* onsets_;
    TimeRuler* ruler_;
    SpectrogramView* spectrogram_;
    WaveformView* waveform_;
    QScrollBar* scrollBar_;
    TransportBar* transport_;
    QTimer* cursorTimer_;
    QList<QAction*> transportActions_;
    QList<QAction*> viewActions_;
    QString currentFile_;
    double cursor_ = 0;
    bool updatingScrollBar_ = false;
    int decodeSegments_ = 0;
};

}  // namespace sonolab::ui
