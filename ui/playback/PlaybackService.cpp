#include "ui/playback/PlaybackService.h"

#include "core/audio/AudioBuffer.h"
#include "core/playback/PlaybackEngine.h"

#include <filesystem>

namespace sonolab::ui {

using playback::PlaybackState;

namespace {
std::filesystem::path toPath(const QString& file) { return std::filesystem::path(file.toStdU16String()); }
}  // namespace

PlaybackService::PlaybackService(QObject* parent, bool withDevice) : QObject(parent) {
    ticker_.setInterval(30);  // ~33 cursor updates a second while playing
    connect(&ticker_, &QTimer::timeout, this, &PlaybackService::tick);
    if (!withDevice) {
        offReason_ = tr("Playback is off in this window.");
        return;
    }
    engine_ = std::make_unique<playback::PlaybackEngine>();
    if (engine_->available()) {
        // Called on the GUI thread (our own control calls) or on the feeder thread (the source ended): either way
        // the state is read again on the GUI thread, so a late report never undoes a newer change.
        engine_->setStateCallback([this](PlaybackState) {
            QMetaObject::invokeMethod(this, &PlaybackService::onEngineState, Qt::QueuedConnection);
        });
    }
}

PlaybackService::~PlaybackService() {
    for (auto& [client, connection] : watched_) disconnect(connection);
    if (engine_) {
        engine_->setStateCallback({});
        engine_->unload();
    }
}

bool PlaybackService::available() const { return engine_ && engine_->available(); }

QString PlaybackService::unavailableReason() const {
    return engine_ ? QString::fromStdString(engine_->unavailableReason()) : offReason_;
}

bool PlaybackService::isPlaying(const QObject* client) const {
    return owns(client) && engine_ && engine_->state() == PlaybackState::Playing;
}

double PlaybackService::positionSeconds() const { return engine_ ? engine_->positionSeconds() : 0.0; }
double PlaybackService::durationSeconds() const { return engine_ ? engine_->durationSeconds() : 0.0; }
std::int64_t PlaybackService::framesPlayed() const { return engine_ ? engine_->framesPlayed() : 0; }
bool PlaybackService::clicksEnabled() const { return engine_ && engine_->clicksEnabled(); }

QString PlaybackService::lastError() const {
    if (!engine_) return offReason_;
    const std::string error = engine_->lastError();
    return QString::fromStdString(error.empty() ? engine_->unavailableReason() : error);
}

bool PlaybackService::load(QObject* client, const QString& file) {
    if (!client || !available() || file.isEmpty()) return false;
    resume_.reset();  // a view taking the output over a preview replaces both
    return loadSource(client, Source{file, nullptr, -1});
}

bool PlaybackService::playFile(QObject* client, const QString& file, double startSeconds, double durationSeconds) {
    if (!load(client, file)) return false;
    engine_->playSegment(startSeconds, durationSeconds);
    source_.segmentEnd = durationSeconds < 0 ? -1 : startSeconds + durationSeconds;
    onEngineState();
    return true;
}

bool PlaybackService::startPreview(QObject* client, std::shared_ptr<const audio::AudioBuffer> buffer) {
    if (!client || !available() || !buffer) return false;
    // A preview over a preview goes back to the view the first one interrupted.
    std::optional<Resume> resume = std::move(resume_);
    resume_.reset();
    if (!resume && owner_ && owner_ != client)
        resume = Resume{owner_, source_, engine_->positionSeconds(), engine_->state() == PlaybackState::Playing};
    if (!loadSource(client, Source{QString(), std::move(buffer), -1})) {
        resume_ = std::move(resume);
        if (resume_) resumeInterrupted();
        return false;
    }
    resume_ = std::move(resume);
    engine_->play();
    onEngineState();
    return true;
}

void PlaybackService::stopPreview(QObject* client) {
    if (!owns(client)) return;  // someone else has the output by now: nothing of the preview is left to stop
    engine_->stop();
    if (resume_) resumeInterrupted();
    else onEngineState();
}

bool PlaybackService::play(QObject* client) {
    if (!owns(client) || !engine_) return false;
    engine_->play();
    onEngineState();
    return engine_->state() == PlaybackState::Playing;
}

bool PlaybackService::pause(QObject* client) {
    if (!owns(client) || !engine_) return false;
    engine_->pause();
    onEngineState();
    return true;
}

bool PlaybackService::stop(QObject* client) {
    if (!owns(client) || !engine_) return false;
    engine_->stop();
    onEngineState();
    return true;
}

bool PlaybackService::seek(QObject* client, double seconds) {
    if (!owns(client) || !engine_) return false;
    engine_->seek(seconds);
    source_.segmentEnd = -1;  // the engine clears its segment on a seek
    onEngineState();
    return true;
}

void PlaybackService::setClickTimes(QObject* client, std::vector<double> seconds) {
    if (!client) return;
    watch(client);
    clicks_[client].times = std::move(seconds);
    if (owns(client)) applyClicks();
}

void PlaybackService::setClicksEnabled(QObject* client, bool on) {
    if (!client) return;
    watch(client);
    clicks_[client].on = on;
    if (owns(client)) applyClicks();
}

bool PlaybackService::loadSource(QObject* client, Source source) {
    // loadFile throws for a bad file before it touches the engine: the owner stays who it was.
    const bool ok = source.buffer ? engine_->load(source.buffer) : engine_->loadFile(toPath(source.file));
    // A refused load has already stopped and forgotten the previous source: nobody owns the output then.
    setOwner(ok ? client : nullptr, ok ? std::move(source) : Source{});
    return ok;
}

void PlaybackService::setOwner(QObject* client, Source source) {
    owner_ = client;
    source_ = std::move(source);
    if (client) watch(client);
    applyClicks();
    // The new source is loaded and not playing yet; the previous owner learns that it lost the output here.
    wasPlaying_ = false;
    ticker_.stop();
    emit nowPlayingChanged(owner_, source_.file);
}

void PlaybackService::applyClicks() {
    if (!engine_) return;
    const auto it = owner_ ? clicks_.find(owner_) : clicks_.end();
    engine_->setClicksEnabled(it != clicks_.end() && it->second.on);
    engine_->setClickTimes(it != clicks_.end() ? it->second.times : std::vector<double>{});
}

void PlaybackService::resumeInterrupted() {
    Resume r = std::move(*resume_);
    resume_.reset();
    bool ok = false;
    if (r.client) {
        try {
            ok = loadSource(r.client, r.source);
        } catch (const std::exception&) {
            ok = false;  // the file went away meanwhile: nothing to go back to
        }
    }
    if (!ok) {
        engine_->unload();
        setOwner(nullptr, {});
        return;
    }
    if (r.playing && r.source.segmentEnd > r.position) {
        engine_->playSegment(r.position, r.source.segmentEnd - r.position);
    } else {
        source_.segmentEnd = -1;
        engine_->seek(r.position);  // stopped at the position: the view's Play resumes from there
        if (r.playing) engine_->play();
    }
    onEngineState();
}

void PlaybackService::watch(QObject* client) {
    if (watched_.count(client)) return;
    watched_[client] = connect(client, &QObject::destroyed, this, &PlaybackService::forget);
}

void PlaybackService::forget(QObject* client) {
    watched_.erase(client);
    clicks_.erase(client);
    if (resume_ && resume_->client == client) resume_->client = nullptr;
    if (owner_ != client) return;
    // A view that goes away takes its sound with it (a preview gives the output back).
    engine_->stop();
    if (resume_) {
        resumeInterrupted();
    } else {
        engine_->unload();
        setOwner(nullptr, {});
    }
}

void PlaybackService::onEngineState() {
    if (!engine_) return;
    const PlaybackState state = engine_->state();
    // A preview that played out gives the output back as stopPreview() would.
    if (resume_ && owner_ && state == PlaybackState::Stopped) {
        resumeInterrupted();
        return;
    }
    const bool playing = owner_ && state == PlaybackState::Playing;
    if (playing == wasPlaying_) return;
    wasPlaying_ = playing;
    if (playing) {
        ticker_.start();
    } else {
        ticker_.stop();
        if (owner_) emit positionChanged(owner_, engine_->positionSeconds());
    }
    emit playingChanged(owner_, playing);
}

void PlaybackService::tick() {
    if (owner_ && engine_->state() == PlaybackState::Playing) emit positionChanged(owner_, engine_->positionSeconds());
    else onEngineState();
}

}  // namespace sonolab::ui
