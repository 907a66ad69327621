#pragma once
// The track view: spectrogram settings, time ruler, spectrogram and waveform sharing one TimeViewport, a scroll bar
// and the transport. It plays through the app's PlaybackService as one of its views: its cursor follows the output
// only while its own track is the one playing, and Play/Space always act on its own track (taking the output back
// from whichever view had it). Works on its own (tests, other panels) or as MainWindow's central widget.
// GUI thread only.
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/TransportBar.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QAction;
class QScrollBar;

namespace sonolab::ui {

class AnnotationController;
class AudioDocument;
class OnsetBar;
class OnsetController;
class PlaybackService;
class SpectrogramSettingsBar;
class SpectrogramView;
class TimeRuler;
class TimeViewport;
class WaveformView;

class PlayerWidget : public QWidget {
    Q_OBJECT
public:
    // Without a playback service (benchmarks, thumbnails) the transport is disabled and says why.
    explicit PlayerWidget(QWidget* parent = nullptr, PlaybackService* playback = nullptr);
    ~PlayerWidget() override;  // gives the output back if it has it

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
    // Annotation files imported over the open track as layers (File > Import Annotations…).
    AnnotationController* annotations() const { return annotations_; }
    PlaybackService* playback() const;
    // The output this player plays through (the app's one service; nullptr: none).
    void setPlayback(PlaybackService* playback);

    bool playbackAvailable() const;
    QString playbackUnavailableReason() const;
    // This player's track is the one playing now.
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
    void showCursor(double seconds);
    void updateScrollBar();
    // The output holds this player's open file (it may hold another view's track, or this player's previous one).
    bool ownsOutput() const;
    // Makes this player's file the output's source unless it is already; false (with a status message) if it fails.
    bool takeOutput();

    std::unique_ptr<AudioDocument> document_;
    QPointer<PlaybackService> playback_;
    TimeViewport* viewport_;
    SpectrogramSettingsBar* settingsBar_;
    OnsetBar* onsetBar_;
    OnsetController* onsets_;
    AnnotationController* annotations_;
    TimeRuler* ruler_;
    SpectrogramView* spectrogram_;
    WaveformView* waveform_;
    QScrollBar* scrollBar_;
    TransportBar* transport_;
    QList<QAction*> transportActions_;
    QList<QAction*> viewActions_;
    QString currentFile_;
    double cursor_ = 0;
    bool updatingScrollBar_ = false;
    int decodeSegments_ = 0;
};

}  // namespace sonolab::ui
