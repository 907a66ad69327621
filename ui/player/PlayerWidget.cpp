#include "ui/player/PlayerWidget.h"

#include "core/playback/PlaybackEngine.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetBar.h"
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
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

PlayerWidget::PlayerWidget(QWidget* parent, bool withPlayback)
    : QWidget(parent), document_(std::make_unique<AudioDocument>()), viewport_(new TimeViewport(this)) {
    if (withPlayback) engine_ = std::make_unique<playback::PlaybackEngine>();

    settingsBar_ = new SpectrogramSettingsBar(this);
    onsetBar_ = new OnsetBar(this);
    ruler_ = new TimeRuler(viewport_, this);
    spectrogram_ = new SpectrogramView(viewport_, this);
    waveform_ = new WaveformView(viewport_, this);
    scrollBar_ = new QScrollBar(Qt::Horizontal, this);
    scrollBar_->setFocusPolicy(Qt::NoFocus);
    transport_ = new TransportBar(this);
    cursorTimer_ = new QTimer(this);
    cursorTimer_->setInterval(30);  // ~33 cursor updates a second while playing

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
    connect(cursorTimer_, &QTimer::timeout, this, &PlayerWidget::updateCursor);

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

    if (engine_) {
        if (!engine_->available()) {
            transport_->setPlaybackUnavailable(QString::fromStdString(engine_->unavailableReason()));
        } else {
            engine_->setStateCallback([this](playback::PlaybackState) {
                QMetaObject::invokeMethod(this, &PlayerWidget::playbackStateChanged, Qt::QueuedConnection);
            });
        }
    } else {
        transport_->setPlaybackUnavailable(tr("Playback is off in this window."));
    }
    createActions();
}

PlayerWidget::~PlayerWidget() {
    if (engine_) {
        engine_->setStateCallback({});
        engine_->stop();
    }
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

bool PlayerWidget::playbackAvailable() const { return engine_ && engine_->available(); }

QString PlayerWidget::playbackUnavailableReason() const {
    if (!engine_) return tr("Playback is off in this window.");
    return QString::fromStdString(engine_->unavailableReason());
}

bool PlayerWidget::isPlaying() const { return engine_ && engine_->state() == playback::PlaybackState::Playing; }

double PlayerWidget::durationSeconds() const { return document_->isOpen() ? document_->durationSeconds() : 0.0; }

void PlayerWidget::setSpectrogramSettings(const SpectrogramSettings& settings) {
    settingsBar_->setSettings(settings);
    spectrogram_->setSettings(settings);
}

SpectrogramSettings PlayerWidget::spectrogramSettings() const { return spectrogram_->settings(); }

void PlayerWidget::openFile(const QString& path) {
    if (engine_ && playbackLoaded_) engine_->stop();
    playbackLoaded_ = false;
    cursorTimer_->stop();
    transport_->setPlaying(false);
    currentFile_ = path;
    onsets_->documentOpened(path);
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
    if (playbackAvailable()) {
        try {
            // The engine decodes the file itself as it plays: playback can start before the views are complete.
            playbackLoaded_ = engine_->loadFile(std::filesystem::path(path.toStdU16String()));
        } catch (const std::exception&) {
            playbackLoaded_ = false;  // the document reports the same bad file with its own message
        }
    }
}

void PlayerWidget::togglePlayPause() {
    if (!playbackLoaded_) {
        if (document_->isOpen() && !playbackAvailable()) emit statusMessage(tr("Playback unavailable: %1").arg(playbackUnavailableReason()));
        return;
    }
    if (engine_->state() == playback::PlaybackState::Playing) {
        engine_->pause();
        cursor_ = engine_->positionSeconds();
    } else {
        if (engine_->state() == playback::PlaybackState::Stopped) engine_->seek(cursor_);
        engine_->play();
    }
    playbackStateChanged();
}

void PlayerWidget::stop() {
    if (playbackLoaded_) engine_->stop();
    seek(0);
    playbackStateChanged();
}

void PlayerWidget::seek(double seconds) {
    cursor_ = std::clamp(seconds, 0.0, std::max(0.0, durationSeconds()));
    if (playbackLoaded_) engine_->seek(cursor_);
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

void PlayerWidget::playbackStateChanged() {
    bool playing = isPlaying();
    transport_->setPlaying(playing);
    if (playing) {
        cursorTimer_->start();
    } else {
        cursorTimer_->stop();
        if (playbackLoaded_ && engine_->state() == playback::PlaybackState::Paused) cursor_ = engine_->positionSeconds();
    }
}

void PlayerWidget::updateCursor() {
    if (!isPlaying()) {
        playbackStateChanged();
        return;
    }
    cursor_ = std::min(engine_->positionSeconds(), durationSeconds());
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
