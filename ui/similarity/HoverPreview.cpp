#include "ui/similarity/HoverPreview.h"

#include "core/audio/AudioBuffer.h"
#include "core/audio/AudioDecoder.h"
#include "ui/playback/PlaybackService.h"

#include <algorithm>
#include <filesystem>

namespace sonolab::ui {

HoverPreview::HoverPreview(QObject* parent, PreviewParams params) : QObject(parent), params_(params) {
    delay_.setSingleShot(true);
    delay_.setInterval(params_.delayMs);
    connect(&delay_, &QTimer::timeout, this, &HoverPreview::start);
    connect(&decode_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Failed) decoded(nullptr, error);
    });
}

HoverPreview::~HoverPreview() {
    decode_.discard();
    setPlayback(nullptr);  // leaves nothing of ours playing from a service that outlives us
}

void HoverPreview::setPlayback(PlaybackService* playback) {
    if (playback_) {
        disconnect(playback_, nullptr, this, nullptr);
        if (playingPreview_) playback_->stopPreview(this);
        playingPreview_ = false;
    }
    playback_ = playback;
    if (!playback_) return;
    // The preview played out (the output went back), or another view took the output (a click on a neighbour, even
    // while a preview is still being decoded): the preview is over.
    connect(playback_, &PlaybackService::nowPlayingChanged, this, [this](QObject* owner) {
        if (owner == this || starting_ || previewing_ < 0) return;
        playingPreview_ = false;
        const auto id = previewing_;
        previewing_ = -1;
        emit previewStopped(id);
    });
}

void HoverPreview::setEnabled(bool on) {
    enabled_ = on;
    if (!on) {
        delay_.stop();
        pending_ = -1;
        stop();
    }
}

void HoverPreview::hover(std::int64_t id) {
    if (!enabled_) return;
    if (id == pending_ && (delay_.isActive() || previewing_ == id)) return;
    pending_ = id;
    delay_.stop();
    if (previewing_ >= 0 && previewing_ != id) stop();
    if (id >= 0 && previewing_ != id) delay_.start();
}

void HoverPreview::stop() {
    if (previewing_ < 0) return;
    const auto id = previewing_;
    previewing_ = -1;
    if (playback_ && playingPreview_) {
        playingPreview_ = false;  // first: giving the output back must not report this stop a second time
        playback_->stopPreview(this);
    }
    emit previewStopped(id);
}

void HoverPreview::start() {
    const auto id = pending_;
    if (!enabled_ || id < 0 || !playback_ || !playback_->available() || !resolver_) return;
    const Source source = resolver_(id);
    if (source.path.isEmpty()) return;
    if (decode_.isRunning()) {
        // One decode at a time; the newest hover wins once this one is back.
        delay_.start();
        return;
    }
    previewing_ = id;
    previewStart_ = source.startSeconds;
    const PreviewParams p = params_;
    decode_.start(
        [path = source.path, start = source.startSeconds, p](const JobContext&) {
            auto buffer = std::make_shared<audio::AudioBuffer>(audio::decode(
                std::filesystem::path(path.toStdU16String()),
                audio::DecodeOptions{.sampleRate = 0, .mono = false, .startSeconds = start, .durationSeconds = p.seconds}));
            // Quieter than playback, with short fades so starting and stopping mid-note does not click.
            const std::size_t frames = buffer->frames(), channels = std::size_t(std::max(1, buffer->channels));
            const std::size_t fade = std::max<std::size_t>(1, std::size_t(p.fadeSeconds * buffer->sampleRate));
            for (std::size_t f = 0; f < frames; ++f) {
                float g = p.gain;
                if (f < fade) g *= float(f) / float(fade);
                if (frames - f <= fade) g *= float(frames - f - 1) / float(fade);
                for (std::size_t c = 0; c < channels; ++c) buffer->samples[f * channels + c] *= g;
            }
            return buffer;
        },
        [this](std::shared_ptr<audio::AudioBuffer> buffer) { decoded(std::move(buffer), {}); });
}

void HoverPreview::decoded(std::shared_ptr<audio::AudioBuffer> buffer, const QString& error) {
    const auto id = previewing_;
    // The pointer moved on (or preview was switched off) while decoding: play nothing.
    if (id < 0 || id != pending_ || !enabled_) {
        if (id >= 0 && id != pending_) previewing_ = -1;
        if (pending_ >= 0 && pending_ != id && enabled_) delay_.start();
        return;
    }
    if (!playback_) {
        previewing_ = -1;
        return;
    }
    if (!buffer || buffer->frames() == 0) {
        previewing_ = -1;
        emit previewFailed(id, error.isEmpty() ? tr("nothing to play") : error);
        return;
    }
    starting_ = true;  // the hand-over's own signals are not "another view took the output"
    playingPreview_ = playback_->startPreview(this, std::move(buffer));
    starting_ = false;
    if (!playingPreview_) {
        previewing_ = -1;
        emit previewFailed(id, playback_->lastError());
        return;
    }
    emit previewStarted(id, previewStart_);
}

}  // namespace sonolab::ui
