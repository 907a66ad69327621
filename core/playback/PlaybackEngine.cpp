#include "core/playback/PlaybackEngine.h"

#include "core/audio/AudioDecoder.h"
#include "core/audio/Resample.h"
#include "core/playback/RingBuffer.h"
#include "core/util/Error.h"

#include <dlfcn.h>
#include <portaudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace sonolab::playback {

const char* toString(PlaybackState state) {
    switch (state) {
        case PlaybackState::Stopped: return "stopped";
        case PlaybackState::Playing: return "playing";
        case PlaybackState::Paused: return "paused";
    }
    return "?";
}

struct PlaybackEngine::Stream {
    PaStream* handle = nullptr;
    ~Stream() {
        if (handle) Pa_CloseStream(handle);
    }
};

namespace {

constexpr std::size_t kFeedFrames = 2048;  // frames the feeder converts and pushes at a time

std::string paText(PaError e) { return Pa_GetErrorText(e); }

void silentAlsa(const char*, int, const char*, int, const char*, ...) {}
void silentJack(const char*) {}

// Probing devices on a machine without a sound card or JACK server makes ALSA and JACK print dozens of lines to
// stderr; the engine reports the one thing that matters (unavailableReason). Both libraries come in with PortAudio,
// so their setters are looked up at run time instead of linking them. SONOLAB_AUDIO_DEBUG=1 keeps their messages.
void quietAudioBackends() {
    if (std::getenv("SONOLAB_AUDIO_DEBUG")) return;
    using AlsaHandler = void (*)(const char*, int, const char*, int, const char*, ...);
    if (auto set = reinterpret_cast<int (*)(AlsaHandler)>(dlsym(RTLD_DEFAULT, "snd_lib_error_set_handler")))
        set(&silentAlsa);
    for (const char* name : {"jack_set_error_function", "jack_set_info_function"})
        if (auto set = reinterpret_cast<void (*)(void (*)(const char*))>(dlsym(RTLD_DEFAULT, name))) set(&silentJack);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Construction: find out once whether output is possible at all.

PlaybackEngine::PlaybackEngine(PlaybackOptions options) : options_(options) {
    // PortAudio's JACK backend would otherwise try to launch a JACK server on machines without one.
    setenv("JACK_NO_START_SERVER", "1", 0);
    quietAudioBackends();
    PaError err = Pa_Initialize();
    if (err != paNoError) {
        reason_ = "Playback is unavailable: the audio system did not start (" + paText(err) + ").";
        return;
    }
    paInitialised_ = true;
    const PaDeviceIndex device = Pa_GetDefaultOutputDevice();
    if (device == paNoDevice) {
        reason_ = "Playback is unavailable: no audio output device was found.";
        return;
    }
    // A listed device may still refuse to open (e.g. ALSA's "default" without a sound card): try it now, so the app
    // can say so once at start instead of failing at the first play.
    const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
    PaStreamParameters params{device, std::min(2, std::max(1, info->maxOutputChannels)), paFloat32,
                              info->defaultLowOutputLatency, nullptr};
    PaStream* probe = nullptr;
    err = Pa_OpenStream(&probe, nullptr, &params, info->defaultSampleRate, paFramesPerBufferUnspecified, paNoFlag,
                        nullptr, nullptr);
    if (err != paNoError) {
        reason_ = std::string("Playback is unavailable: the audio output '") + info->name + "' cannot be opened (" +
                  paText(err) + ").";
        return;
    }
    Pa_CloseStream(probe);
    available_ = true;
}

PlaybackEngine::~PlaybackEngine() {
    {
        std::lock_guard lock(mutex_);
        haltLocked();
        closeStreamLocked();
    }
    if (paInitialised_) Pa_Terminate();
}

std::string PlaybackEngine::lastError() const {
    std::lock_guard lock(errorMutex_);
    return lastError_;
}

void PlaybackEngine::setError(std::string message) {
    std::lock_guard lock(errorMutex_);
    lastError_ = std::move(message);
}

void PlaybackEngine::setStateCallback(std::function<void(PlaybackState)> callback) {
    std::lock_guard lock(callbackMutex_);
    stateCallback_ = std::move(callback);
}

template <typename F>
void PlaybackEngine::control(F&& f) {
    PlaybackState before;
    {
        std::lock_guard lock(mutex_);
        before = state();
        f();
    }
    notify(before);
}

void PlaybackEngine::notify(PlaybackState before) {
    const PlaybackState now = state();
    if (now == before) return;
    std::function<void(PlaybackState)> cb;
    {
        std::lock_guard lock(callbackMutex_);
        cb = stateCallback_;
    }
    if (cb) cb(now);
}

// ---------------------------------------------------------------------------------------------------------------
// Sources and the stream.

bool PlaybackEngine::openStreamLocked(int sampleRate, int sourceChannels) {
    const PaDeviceIndex device = Pa_GetDefaultOutputDevice();
    const PaDeviceInfo* info = device == paNoDevice ? nullptr : Pa_GetDeviceInfo(device);
    if (!info) {
        setError("no audio output device");
        return false;
    }
    const int channels = std::min(2, std::max(1, info->maxOutputChannels));
    PaStreamParameters params{device, channels, paFloat32,
                              options_.suggestedLatency > 0 ? options_.suggestedLatency : info->defaultLowOutputLatency,
                              nullptr};
    int rate = sampleRate;
    // Devices that cannot run at the source's rate get the source converted to their default rate.
    if (Pa_IsFormatSupported(nullptr, &params, rate) != paFormatIsSupported) rate = int(info->defaultSampleRate);
    auto stream = std::make_unique<Stream>();
    PaError err = Pa_OpenStream(&stream->handle, nullptr, &params, rate,
                                options_.framesPerBuffer ? options_.framesPerBuffer : paFramesPerBufferUnspecified,
                                paClipOff, &PlaybackEngine::paCallback, this);
    if (err != paNoError) {
        stream->handle = nullptr;
        setError(std::string("cannot open the audio output '") + info->name + "': " + paText(err));
        return false;
    }
    const PaStreamInfo* si = Pa_GetStreamInfo(stream->handle);
    latencySeconds_.store(si ? si->outputLatency : 0.0, std::memory_order_relaxed);
    stream_ = std::move(stream);
    streamRate_.store(rate, std::memory_order_relaxed);
    outputChannels_.store(channels, std::memory_order_relaxed);
    sourceChannels_ = sourceChannels;
    const auto ringFrames = std::size_t(std::max(0.05, options_.ringSeconds) * rate);
    ring_ = std::make_unique<RingBuffer<float>>(ringFrames * std::size_t(channels));
    rebuildClicksLocked();  // the schedule is in frames of the stream's rate
    return true;
}

void PlaybackEngine::closeStreamLocked() {
    stream_.reset();
    ring_.reset();
    buffer_.reset();
    file_.clear();
    hasSource_.store(false, std::memory_order_release);
    durationFrames_.store(0, std::memory_order_relaxed);
}

// Under the control lock: stops the stream and forgets the old source's position, so load() and loadFile() start
// from the same clean state. Returns false (with the reason recorded) when there is no output device.
bool PlaybackEngine::resetForNewSourceLocked() {
    haltLocked();
    closeStreamLocked();
    state_.store(PlaybackState::Stopped, std::memory_order_release);
    framesPlayed_.store(0);
    baseFrame_.store(0);
    consumed_.store(0);
    segmentStart_ = 0;
    segmentEnd_ = -1;
    if (!available_) {
        setError(reason_);
        return false;
    }
    return true;
}

bool PlaybackEngine::load(std::shared_ptr<const audio::AudioBuffer> buffer) {
    bool ok = false;
    control([&] {
        if (!resetForNewSourceLocked()) return;
        if (!buffer || buffer->channels < 1 || buffer->sampleRate < 1) {
            setError("nothing to play: the buffer is empty");
            return;
        }
        if (!openStreamLocked(buffer->sampleRate, buffer->channels)) return;
        if (streamRate_ != buffer->sampleRate)
            buffer = std::make_shared<const audio::AudioBuffer>(audio::resample(*buffer, streamRate_));
        buffer_ = std::move(buffer);
        durationFrames_.store(std::int64_t(buffer_->frames()), std::memory_order_relaxed);
        hasSource_.store(true, std::memory_order_release);
        ok = true;
    });
    return ok;
}

bool PlaybackEngine::loadFile(const std::filesystem::path& file) {
    const audio::AudioInfo info = audio::probe(file);  // throws a clear error for a bad file, before touching state
    bool ok = false;
    control([&] {
        if (!resetForNewSourceLocked()) return;
        if (!openStreamLocked(info.sampleRate, info.channels)) return;
        file_ = file;
        // The decoder converts to the stream's rate; the header's length, scaled, is the best estimate before decoding.
        fileFrames_ = std::llround(info.durationSeconds * streamRate_);
        durationFrames_.store(fileFrames_, std::memory_order_relaxed);
        hasSource_.store(true, std::memory_order_release);
        ok = true;
    });
    return ok;
}

void PlaybackEngine::unload() {
    control([&] {
        haltLocked();
        closeStreamLocked();
        state_.store(PlaybackState::Stopped, std::memory_order_release);
    });
}

std::int64_t PlaybackEngine::totalFramesLocked() const { return durationFrames_.load(std::memory_order_relaxed); }

std::int64_t PlaybackEngine::endFrameLocked() const {
    const std::int64_t total = totalFramesLocked();
    return segmentEnd_ >= 0 ? std::min(segmentEnd_, total) : total;
}

double PlaybackEngine::durationSeconds() const {
    const int rate = sampleRate();
    return rate > 0 ? double(durationFrames_.load(std::memory_order_relaxed)) / rate : 0.0;
}

std::int64_t PlaybackEngine::positionFrame() const {
    return baseFrame_.load(std::memory_order_acquire) + consumed_.load(std::memory_order_acquire);
}

double PlaybackEngine::positionSeconds() const {
    const int rate = sampleRate();
    if (rate <= 0) return 0;
    const std::int64_t base = baseFrame_.load(std::memory_order_acquire);
    double pos = double(base + consumed_.load(std::memory_order_acquire)) / rate;
    // While playing, the last `latency` seconds handed over are still in the device's buffers, not yet heard.
    // Paused/stopped streams have played out everything (Pa_StopStream drains), so no correction then.
    if (state() == PlaybackState::Playing) pos = std::max(double(base) / rate, pos - outputLatencySeconds());
    return pos;
}

// ---------------------------------------------------------------------------------------------------------------
// Transport (control thread).

void PlaybackEngine::haltLocked() {
    if (stream_ && stream_->handle && !Pa_IsStreamStopped(stream_->handle)) Pa_AbortStream(stream_->handle);
    feederStop_.store(true, std::memory_order_release);
    if (feeder_.joinable()) feeder_.join();
    feederStop_.store(false, std::memory_order_release);
    if (ring_) ring_->reset();  // safe: neither the callback nor the feeder runs now
}

void PlaybackEngine::startFeederLocked(std::int64_t fromFrame) {
    // Position bookkeeping restarts at fromFrame; framesPlayed keeps counting across seeks.
    baseFrame_.store(fromFrame, std::memory_order_release);
    consumed_.store(0, std::memory_order_release);
    sourceEnded_.store(false, std::memory_order_release);
    drained_.store(false, std::memory_order_release);
    const std::int64_t end = endFrameLocked();
    feeder_ = std::thread([this, fromFrame, end] { feederLoop(fromFrame, file_.empty() ? end : segmentEnd_); });
    // Pre-fill so the first callbacks find audio rather than an underrun (bounded wait: a slow disk must not hang
    // the GUI; the callback plays silence until data arrives).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    const std::size_t want = ring_->capacity() / 2;
    while (ring_->readAvailable() < want && !sourceEnded_.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
}

void PlaybackEngine::startStreamLocked() {
    PaError err = Pa_StartStream(stream_->handle);
    if (err != paNoError && err != paStreamIsNotStopped) {
        setError("cannot start the audio output: " + paText(err));
        return;
    }
    state_.store(PlaybackState::Playing, std::memory_order_release);
}

void PlaybackEngine::play() {
    control([&] {
        if (!stream_ || state() == PlaybackState::Playing) return;
        if (state() == PlaybackState::Stopped) {
            haltLocked();
            std::int64_t from = positionFrame();
            const std::int64_t end = endFrameLocked();
            if (from >= end || from < segmentStart_) from = segmentStart_;  // finished: play again from the start
            startFeederLocked(from);
        }
        startStreamLocked();
    });
}

void PlaybackEngine::playSegment(double startSeconds, double durationSeconds) {
    control([&] {
        if (!stream_) return;
        haltLocked();
        const int rate = streamRate_;
        const std::int64_t total = totalFramesLocked();
        segmentStart_ = std::clamp<std::int64_t>(std::llround(std::max(0.0, startSeconds) * rate), 0, total);
        segmentEnd_ = durationSeconds < 0 ? -1 : std::min<std::int64_t>(total, segmentStart_ + std::llround(durationSeconds * rate));
        startFeederLocked(segmentStart_);
        startStreamLocked();
    });
}

void PlaybackEngine::pause() {
    control([&] {
        if (!stream_ || state() != PlaybackState::Playing) return;
        // Stop (not abort): the device plays out what it holds, so the position stays exact; the ring keeps the rest.
        Pa_StopStream(stream_->handle);
        state_.store(PlaybackState::Paused, std::memory_order_release);
    });
}

void PlaybackEngine::stop() {
    control([&] {
        haltLocked();
        baseFrame_.store(segmentStart_, std::memory_order_release);
        consumed_.store(0, std::memory_order_release);
        state_.store(PlaybackState::Stopped, std::memory_order_release);
    });
}

void PlaybackEngine::seek(double seconds) {
    control([&] {
        if (!stream_) return;
        const PlaybackState was = state();
        haltLocked();
        segmentStart_ = 0;
        segmentEnd_ = -1;
        const std::int64_t target =
            std::clamp<std::int64_t>(std::llround(std::max(0.0, seconds) * streamRate_), 0, totalFramesLocked());
        if (was == PlaybackState::Stopped) {
            baseFrame_.store(target, std::memory_order_release);
            consumed_.store(0, std::memory_order_release);
            return;
        }
        startFeederLocked(target);  // a paused engine stays paused, with the ring filled at the new place
        if (was == PlaybackState::Playing) startStreamLocked();
    });
}

void PlaybackEngine::setClickTimes(std::vector<double> seconds) {
    std::lock_guard lock(mutex_);
    clickTimes_ = std::move(seconds);
    rebuildClicksLocked();
}

void PlaybackEngine::rebuildClicksLocked() {
    const int rate = streamRate_.load(std::memory_order_relaxed);
    clicks_.setTrack(rate > 0 && !clickTimes_.empty() ? std::make_shared<const ClickTrack>(clickTimes_, rate) : nullptr);
}

bool PlaybackEngine::waitUntilNotPlaying(double timeoutSeconds) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
    while (state() == PlaybackState::Playing) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Feeder thread.

bool PlaybackEngine::pushFrames(const float* src, std::size_t frames, int srcChannels, std::vector<float>& scratch) {
    const int outCh = outputChannels_.load(std::memory_order_relaxed);
    scratch.resize(frames * std::size_t(outCh));
    for (std::size_t f = 0; f < frames; ++f) {
        const float* in = src + f * std::size_t(srcChannels);
        float* out = scratch.data() + f * std::size_t(outCh);
        if (srcChannels == outCh) {
            std::memcpy(out, in, sizeof(float) * std::size_t(outCh));
        } else if (srcChannels == 1) {
            for (int c = 0; c < outCh; ++c) out[c] = in[0];
        } else if (outCh == 1) {
            float s = 0;
            for (int c = 0; c < srcChannels; ++c) s += in[c];
            out[0] = s / float(srcChannels);
        } else {  // more than two channels onto stereo: even channels left, odd channels right
            float l = 0, r = 0;
            for (int c = 0; c < srcChannels; ++c) (c % 2 ? r : l) += in[c];
            out[0] = l / float((srcChannels + 1) / 2);
            out[1] = r / float(srcChannels / 2);
        }
    }
    // The ring is full most of the time: sleep for a slice of what it holds, then top it up.
    const int rate = streamRate_.load(std::memory_order_relaxed);
    const auto nap = std::chrono::microseconds(
        std::clamp<long>(long(1e6 * double(ring_->capacity()) / outCh / rate / 8), 500, 20000));
    std::size_t done = 0;
    while (done < scratch.size()) {
        if (feederStop_.load(std::memory_order_acquire)) return false;
        done += ring_->write(std::span<const float>(scratch).subspan(done));
        if (done < scratch.size()) std::this_thread::sleep_for(nap);
    }
    return true;
}

void PlaybackEngine::feederLoop(std::int64_t fromFrame, std::int64_t endFrame) {
    std::vector<float> scratch;
    scratch.reserve(kFeedFrames * 2);
    try {
        if (buffer_) {
            const std::int64_t end = std::min<std::int64_t>(endFrame, std::int64_t(buffer_->frames()));
            const int ch = buffer_->channels;
            for (std::int64_t f = fromFrame; f < end;) {
                const auto n = std::size_t(std::min<std::int64_t>(std::int64_t(kFeedFrames), end - f));
                if (!pushFrames(buffer_->samples.data() + std::size_t(f) * std::size_t(ch), n, ch, scratch)) return;
                f += std::int64_t(n);
            }
        } else if (!file_.empty()) {
            const int rate = streamRate_.load(std::memory_order_relaxed);
            audio::DecodeOptions opts{.sampleRate = rate, .mono = false, .startSeconds = double(fromFrame) / rate,
                                      .durationSeconds = endFrame >= 0 ? double(endFrame - fromFrame) / rate : -1.0};
            bool stopped = false;
            audio::decodeStreaming(file_, opts, [&](std::span<const float> chunk) {
                const std::size_t frames = chunk.size() / std::size_t(sourceChannels_);
                for (std::size_t f = 0; f < frames; f += kFeedFrames) {
                    const std::size_t n = std::min(kFeedFrames, frames - f);
                    if (!pushFrames(chunk.data() + f * std::size_t(sourceChannels_), n, sourceChannels_, scratch)) {
                        stopped = true;
                        return false;
                    }
                }
                return true;
            });
            if (stopped) return;
        }
    } catch (const std::exception& e) {
        // A file that turns out damaged midway: play what came through, then stop, and say why.
        setError(e.what());
    }
    sourceEnded_.store(true, std::memory_order_release);
    finishFromFeeder();
}

void PlaybackEngine::finishFromFeeder() {
    // Wait for the callback to hand over the last frame and for the device to play it, unless told to stop.
    while (!drained_.load(std::memory_order_acquire) || Pa_IsStreamActive(stream_->handle) == 1) {
        if (feederStop_.load(std::memory_order_acquire)) return;
        // A paused stream never drains; wait for resume, a seek or a stop.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    PlaybackState before;
    for (;;) {
        if (feederStop_.load(std::memory_order_acquire)) return;
        // try_lock: a control thread holding mutex_ may be joining this thread right now.
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
        }
        before = state();
        Pa_StopStream(stream_->handle);  // completes the paComplete shutdown so the stream can start again
        state_.store(PlaybackState::Stopped, std::memory_order_release);
        break;
    }
    notify(before);
}

// ---------------------------------------------------------------------------------------------------------------
// Callback thread: no allocation, no locks, no logging.

int PlaybackEngine::paCallback(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
                               unsigned long, void* self) {
    return static_cast<PlaybackEngine*>(self)->fillOutput(static_cast<float*>(output), frames);
}

int PlaybackEngine::fillOutput(float* out, unsigned long frames) {
    const auto ch = std::size_t(outputChannels_.load(std::memory_order_relaxed));
    const std::size_t wanted = std::size_t(frames) * ch;
    const std::size_t got = ring_->read(std::span<float>(out, wanted));
    if (got < wanted) std::memset(out + got, 0, (wanted - got) * sizeof(float));
    const auto delivered = std::int64_t(got / ch);
    // The ring holds source frames in order from baseFrame_, so these are frames [position, position + delivered).
    clicks_.mix(out, std::size_t(delivered), int(ch), positionFrame());
    consumed_.fetch_add(delivered, std::memory_order_acq_rel);
    framesPlayed_.fetch_add(delivered, std::memory_order_acq_rel);
    if (got < wanted) {
        // The feeder wrote its last frame before setting sourceEnded_, so an empty ring now means the end.
        if (sourceEnded_.load(std::memory_order_acquire) && ring_->readAvailable() == 0) {
            drained_.store(true, std::memory_order_release);
            return paComplete;
        }
        underruns_.fetch_add(1, std::memory_order_relaxed);
    }
    return paContinue;
}

}  // namespace sonolab::playback
