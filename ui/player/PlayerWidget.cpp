#include "ui/player/PlayerWidget.h"

#include "ui/playback/PlaybackService.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetBar.h"
#include "ui/player/AnnotationController.h"
#include "ui/player/OnsetController.h"
#include "ui/player/OnsetTrack.h"
#include "ui/player/SpectrogramSettingsBar.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/TimeRuler.h"
#include "ui/player/TimeViewport.h"
#include "ui/player/WaveformView.h"

#include <QAction>
#include <QFileInfo>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

PlayerWidget::PlayerWidget(QWidget* parent, PlaybackService* playback)
    : QWidget(parent), document_(std::make_unique<AudioDocument>()), viewport_(new TimeViewport(this)) {
    settingsBar_ = new SpectrogramSettingsBar(this);
    onsetBar_ = new OnsetBar(this);
    ruler_ = new TimeRuler(viewport_, this);
    spectrogram_ = new SpectrogramView(viewport_, this);
    waveform_ = new WaveformView(viewport_, this);
    scrollBar_ = new QScrollBar(Qt::Horizontal, this);
    scrollBar_->setFocusPolicy(Qt::NoFocus);
    transport_ = new TransportBar(this);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(spectrogram_);
    splitter->addWidget(waveform_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(settingsBar_);
    layout->addWidget(onsetBar_);
    layout->addWidget(ruler_);
    layout->addWidget(splitter, 1);
    layout->addWidget(scrollBar_);
    layout->addWidget(transport_);

    spectrogram_->setDocument(document_.get());
    waveform_->setDocument(document_.get());
    setFocusProxy(spectrogram_);
    onsets_ = new OnsetController(this, onsetBar_);
    spectrogram_->setOnsets(onsets_->track());
    waveform_->setOnsets(onsets_->track());
    connect(onsets_, &OnsetController::statusMessage, this, &PlayerWidget::statusMessage);
    annotations_ = new AnnotationController(this);
    spectrogram_->setAnnotationLayers(annotations_->layers());
    waveform_->setAnnotationLayers(annotations_->layers());
    connect(annotations_, &AnnotationController::statusMessage, this, &PlayerWidget::statusMessage);

    connect(settingsBar_, &SpectrogramSettingsBar::settingsChanged, spectrogram_, &SpectrogramView::setSettings);
    for (TimelineView* view : {static_cast<TimelineView*>(spectrogram_), static_cast<TimelineView*>(waveform_)}) {
        connect(view, &TimelineView::seekRequested, this, &PlayerWidget::seek);
        connect(view, &TimelineView::hovered, this, &PlayerWidget::hoverText);
    }
    connect(ruler_, &TimeRuler::seekRequested, this, &PlayerWidget::seek);
    connect(viewport_, &TimeViewport::changed, this, &PlayerWidget::updateScrollBar);
    connect(scrollBar_, &QScrollBar::valueChanged, this, [this](int value) {
        if (!updatingScrollBar_) viewport_->scrollTo(value / 1000.0);
    });
    connect(transport_, &TransportBar::playPauseClicked, this, &PlayerWidget::togglePlayPause);
    connect(transport_, &TransportBar::stopClicked, this, &PlayerWidget::stop);

    auto* doc = document_.get();
    connect(doc, &AudioDocument::opened, this, [this, doc] {
        viewport_->setDuration(doc->durationSeconds());
        ruler_->setDuration(doc->durationSeconds());
        transport_->setPosition(cursor_, doc->durationSeconds());
        emit fileOpened(currentFile_);
    });
    connect(doc, &AudioDocument::dataGrew, this, [this, doc] {
        transport_->setLoadingText(doc->loading() ? tr("decoding %1%").arg(std::lround(doc->loadedFraction() * 100)) : QString());
    });
    connect(doc, &AudioDocument::finished, this, [this, doc] {
        // The decoded length replaces the container's estimate.
        viewport_->setDuration(doc->durationSeconds());
        ruler_->setDuration(doc->durationSeconds());
        transport_->setPosition(cursor_, doc->durationSeconds());
        transport_->setLoadingText({});
        if (!doc->hasFailed()) emit fileLoaded(currentFile_);
    });
    connect(doc, &AudioDocument::failed, this, [this](const QString& message) {
        transport_->setLoadingText({});
        emit fileFailed(currentFile_, message);
    });

    createActions();
    setPlayback(playback);
}

PlayerWidget::~PlayerWidget() { setPlayback(nullptr); }

void PlayerWidget::setPlayback(PlaybackService* playback) {
    if (playback_) {
        // First disconnect: the service's signals must not reach a player that is going away.
        disconnect(playback_, nullptr, this, nullptr);
        if (playback_->owns(this)) playback_->stop(this);
    }
    playback_ = playback;
    transport_->setPlaying(false);
    transport_->setPlaybackUnavailable(playbackAvailable() ? QString() : playbackUnavailableReason());
    onsets_->playbackChanged();
    if (!playback_) return;
    // Each signal names the view it is about: another view's track neither moves this cursor nor shows as playing here.
    connect(playback_, &PlaybackService::nowPlayingChanged, this, [this](QObject* owner) {
        if (owner != this) transport_->setPlaying(false);
    });
    connect(playback_, &PlaybackService::playingChanged, this, [this](QObject* owner, bool playing) {
        if (owner == this) transport_->setPlaying(playing && ownsOutput());
    });
    connect(playback_, &PlaybackService::positionChanged, this, [this](QObject* owner, double seconds) {
        if (owner == this && ownsOutput()) showCursor(seconds);
    });
}

void PlayerWidget::createActions() {
    auto make = [this](const QString& text, const QList<QKeySequence>& keys, Qt::ShortcutContext context, auto slot) {
        auto* action = new QAction(text, this);
        action->setShortcuts(keys);
        action->setShortcutContext(context);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    // Space and zoom work anywhere in the window; the arrow keys and Home/End only while the views have focus, so
    // lists and text fields in other panels keep them.
    const auto window = Qt::WindowShortcut, local = Qt::WidgetWithChildrenShortcut;
    transportActions_ = {
        make(tr("Play / Pause"), {Qt::Key_Space}, window, &PlayerWidget::togglePlayPause),
        make(tr("Stop"), {}, window, &PlayerWidget::stop),
        make(tr("Go to Start"), {Qt::Key_Home}, local, &PlayerWidget::seekToStart),
        make(tr("Go to End"), {Qt::Key_End}, local, &PlayerWidget::seekToEnd),
        make(tr("Seek Back"), {Qt::Key_Left}, local, [this] { seekBy(-std::max(0.05, viewport_->visibleSeconds() / 10)); }),
        make(tr("Seek Forward"), {Qt::Key_Right}, local, [this] { seekBy(std::max(0.05, viewport_->visibleSeconds() / 10)); }),
    };
    transportActions_ += onsets_->navigationActions();
    viewActions_ = {
        make(tr("Zoom In"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}, window, [this] { viewport_->zoomIn(); }),
        make(tr("Zoom Out"), {QKeySequence::ZoomOut}, window, [this] { viewport_->zoomOut(); }),
        make(tr("Zoom to Fit"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, window, [this] { viewport_->fitAll(); }),
    };
}

PlaybackService* PlayerWidget::playback() const { return playback_; }

bool PlayerWidget::playbackAvailable() const { return playback_ && playback_->available(); }

QString PlayerWidget::playbackUnavailableReason() const {
    if (!playback_) return tr("Playback is off in this window.");
    return playback_->unavailableReason();
}

bool PlayerWidget::isPlaying() const { return ownsOutput() && playback_->isPlaying(this); }

bool PlayerWidget::ownsOutput() const {
    return playback_ && playback_->owns(this) && !currentFile_.isEmpty() && playback_->file() == currentFile_;
}

bool PlayerWidget::takeOutput() {
    if (ownsOutput()) return true;
    if (!playbackAvailable() || currentFile_.isEmpty()) return false;
    try {
        // The engine decodes the file itself as it plays: playback can start before the views are complete.
        if (playback_->load(this, currentFile_)) return true;
        emit statusMessage(tr("Cannot play %1: %2").arg(currentFile_, playback_->lastError()));
    } catch (const std::exception& e) {
        emit statusMessage(tr("Cannot play %1").arg(QString::fromUtf8(e.what())));
    }
    return false;
}

double PlayerWidget::durationSeconds() const { return document_->isOpen() ? document_->durationSeconds() : 0.0; }

void PlayerWidget::setSpectrogramSettings(const SpectrogramSettings& settings) {
    settingsBar_->setSettings(settings);
    spectrogram_->setSettings(settings);
}

SpectrogramSettings PlayerWidget::spectrogramSettings() const { return spectrogram_->settings(); }

void PlayerWidget::openFile(const QString& path) {
    if (ownsOutput()) playback_->stop(this);
    transport_->setPlaying(false);
    currentFile_ = path;
    onsets_->documentOpened(path);
    annotations_->documentOpened(path);
    cursor_ = 0;
    spectrogram_->setCursorSeconds(0);
    waveform_->setCursorSeconds(0);
    ruler_->setCursorSeconds(0);
    viewport_->fitAll();
    if (path.isEmpty()) {
        document_->cancel();
        return;
    }
    document_->open(path, decodeSegments_);
    spectrogram_->setDocument(document_.get());  // clears the tile cache of the previous file
    waveform_->setDocument(document_.get());
    transport_->setLoadingText(tr("opening…"));
    // Ready to play at once, unless another view is playing now: that is not cut off by opening a file here, and
    // Space takes the output when the user asks for this track. A bad file is reported by the document.
    if (playbackAvailable() && !playback_->isPlaying(playback_->owner())) {
        try {
            playback_->load(this, path);
        } catch (const std::exception&) {
        }
    }
}

void PlayerWidget::togglePlayPause() {
    if (currentFile_.isEmpty()) return;
    if (!playbackAvailable()) {
        if (document_->isOpen()) emit statusMessage(tr("Playback unavailable: %1").arg(playbackUnavailableReason()));
        return;
    }
    if (isPlaying()) {
        playback_->pause(this);  // positionChanged brings the cursor to where the listener stopped hearing
        return;
    }
    if (!takeOutput()) return;
    // From this player's cursor: where it paused, where the user clicked, or where it was when another view took over.
    if (std::abs(playback_->positionSeconds() - cursor_) > 1e-3) playback_->seek(this, cursor_);
    playback_->play(this);
}

void PlayerWidget::stop() {
    if (ownsOutput()) playback_->stop(this);
    seek(0);
}

void PlayerWidget::seek(double seconds) {
    cursor_ = std::clamp(seconds, 0.0, std::max(0.0, durationSeconds()));
    if (ownsOutput()) playback_->seek(this, cursor_);
    spectrogram_->setCursorSeconds(cursor_);
    waveform_->setCursorSeconds(cursor_);
    ruler_->setCursorSeconds(cursor_);
    transport_->setPosition(cursor_, durationSeconds());
    // A seek outside the view brings the view along (page mode), unless the whole track is shown anyway.
    if (cursor_ < viewport_->start() || cursor_ > viewport_->end()) viewport_->follow(cursor_, false);
    emit positionChanged(cursor_);
}

void PlayerWidget::seekBy(double seconds) { seek(cursor_ + seconds); }

void PlayerWidget::seekToEnd() { seek(durationSeconds()); }

void PlayerWidget::showCursor(double seconds) {
    cursor_ = std::clamp(seconds, 0.0, std::max(0.0, durationSeconds()));
    spectrogram_->setCursorSeconds(cursor_);
    waveform_->setCursorSeconds(cursor_);
    ruler_->setCursorSeconds(cursor_);
    transport_->setPosition(cursor_, durationSeconds());
    auto mode = transport_->followMode();
    if (mode != FollowMode::Off) viewport_->follow(cursor_, mode == FollowMode::Continuous);
    emit positionChanged(cursor_);
}

void PlayerWidget::updateScrollBar() {
    updatingScrollBar_ = true;
    double hidden = std::max(0.0, viewport_->duration() - viewport_->visibleSeconds());
    scrollBar_->setRange(0, static_cast<int>(std::ceil(hidden * 1000)));
    scrollBar_->setPageStep(std::max(1, static_cast<int>(viewport_->visibleSeconds() * 1000)));
    scrollBar_->setSingleStep(std::max(1, static_cast<int>(viewport_->visibleSeconds() * 100)));
    scrollBar_->setValue(static_cast<int>(std::lround(viewport_->start() * 1000)));
    scrollBar_->setEnabled(hidden > 0);
    updatingScrollBar_ = false;
}

}  // namespace sonolab::ui
