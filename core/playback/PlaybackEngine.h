#pragma once
// Audio output: PortAudio's callback thread pulls samples from a lock-free RingBuffer that a feeder thread fills from
// an in-memory AudioBuffer or by decoding a file. Threads:
//   - control thread: whoever calls load/play/pause/stop/seek (usually the GUI thread); these calls are serialised
//     by a mutex and may block briefly (starting/stopping the stream, joining the feeder).
//   - feeder thread: owned by the engine, fills the ring; on the natural end of the source it stops the stream and
//     reports the Stopped state.
//   - PortAudio's callback thread: copies from the ring only; never allocates, locks or logs.
// Getters (state, positionSeconds, framesPlayed, ...) read atomics and may be called from any thread.
// Without an output device the engine is still constructible: available() is false, unavailableReason() says why,
// and load/play return without effect (load returns false).
#include "core/audio/AudioBuffer.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace sonolab::playback {

template <typename T>
class RingBuffer;

enum class PlaybackState { Stopped, Playing, Paused };
const char* toString(PlaybackState state);

struct PlaybackOptions {
    double ringSeconds = 0.5;       // audio buffered ahead of the callback
    unsigned long framesPerBuffer = 0;  // 0 = let PortAudio choose
    double suggestedLatency = 0;    // seconds, 0 = the device's default low latency
};

class PlaybackEngine {
public:
    explicit PlaybackEngine(PlaybackOptions options = {});
    ~PlaybackEngine();
    PlaybackEngine(const PlaybackEngine&) = delete;
    PlaybackEngine& operator=(const PlaybackEngine&) = delete;

    // Any thread. False when PortAudio found no usable output device; the reason is a sentence for the user.
    bool available() const { return available_; }
    const std::string& unavailableReason() const { return reason_; }

    // Control thread. Stops what was playing and makes this the source; position 0, framesPlayed 0.
    // Returns false when playback is unavailable or the device refuses the format (lastError() says why).
    bool load(std::shared_ptr<const audio::AudioBuffer> buffer);
    // Control thread. Plays a file by decoding it in the feeder thread (throws sonolab::Error for a bad file).
    bool loadFile(const std::filesystem::path& file);

    // Control thread. Starts or resumes. At the end of the source (or segment) the state becomes Stopped.
    void play();
    // Control thread. Plays [startSeconds, startSeconds + durationSeconds) then stops (duration < 0 = to the end).
    void playSegment(double startSeconds, double durationSeconds);
    void pause();
    // Control thread. Stops and returns to the start (of the segment, if one is playing).
    void stop();
    // Control thread. Moves the play position; keeps playing if it was playing. Clamped to [0, duration].
    void seek(double seconds);
    void togglePlayPause() { state() == PlaybackState::Playing ? pause() : play(); }

    // Any thread.
    PlaybackState state() const { return state_.load(std::memory_order_acquire); }
    // Where the listener is: frames handed to the device minus those still in its output latency.
    double positionSeconds() const;
    double durationSeconds() const;
    int sampleRate() const { return streamRate_; }
    int outputChannels() const { return outputChannels_; }
    // Frames of the source handed to the device since load() (silence on underrun not counted).
    std::int64_t framesPlayed() const { return framesPlayed_.load(std::memory_order_acquire); }
    // Output latency PortAudio reports for the open stream.
    double outputLatencySeconds() const { return latencySeconds_.load(std::memory_order_relaxed); }
    std::string lastError() const;

    // Control thread: called on the control thread for play/pause/stop, and on the feeder thread when the source ends
    // (hand it to the GUI thread with a queued call). Must not call back into the engine synchronously.
    void setStateCallback(std::function<void(PlaybackState)> callback);

    // Any thread (tests, CLI): waits until the state is not Playing, up to timeoutSeconds. True if it stopped.
    bool waitUntilNotPlaying(double timeoutSeconds) const;

private:
    struct Stream;
    static int callback(const void* input, void* output, unsigned long frames, const void* timeInfo,
                        unsigned long statusFlags, void* self);
    int fillOutput(float* out, unsigned long frames);  // callback thread
    void feederLoop(std::int64_t fromFrame, std::int64_t endFrame);  // feeder thread
    bool openStream(int sampleRate, int sourceChannels);  // control thread, holds mutex_
    void closeStream();
    void haltLocked();   // stops stream and feeder; control thread, holds mutex_
    void startFeederLocked(std::int64_t fromFrame);
    void setState(PlaybackState s);
    std::int64_t totalFrames() const;

    PlaybackOptions options_;
    bool available_ = false;
    bool paInitialised_ = false;
    std::string reason_;
    mutable std::mutex mutex_;
    std::string lastError_;

    std::shared_ptr<const audio::AudioBuffer> buffer_;
    std::filesystem::path file_;
    std::int64_t fileFrames_ = 0;
    int sourceChannels_ = 0;
    int streamRate_ = 0;
    int outputChannels_ = 0;
    std::unique_ptr<Stream> stream_;
    std::unique_ptr<RingBuffer<float>> ring_;

    std::thread feeder_;
    std::atomic<bool> feederStop_{false};
    std::atomic<bool> sourceEnded_{false};  // feeder wrote the last frame
    std::atomic<bool> drained_{false};      // callback delivered the last frame
    std::atomic<PlaybackState> state_{PlaybackState::Stopped};
    std::atomic<std::int64_t> baseFrame_{0};    // source frame where the current feed began
    std::atomic<std::int64_t> consumed_{0};     // frames the callback delivered since baseFrame_
    std::atomic<std::int64_t> framesPlayed_{0};
    std::atomic<double> latencySeconds_{0};
    std::int64_t segmentStart_ = 0;
    std::int64_t segmentEnd_ = -1;  // -1 = to the end

    std::mutex callbackMutex_;
    std::function<void(PlaybackState)> stateCallback_;
};

}  // namespace sonolab::playback
