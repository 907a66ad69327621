#pragma once
// Audio output: PortAudio's callback thread pulls samples from a lock-free RingBuffer that a feeder thread fills from
// an in-memory AudioBuffer or by decoding a file. Threads:
//   - control thread: whoever calls load/play/pause/stop/seek (usually the GUI thread). These calls are serialised by
//     a mutex and may block briefly (starting/stopping the stream, joining the feeder, pre-filling the ring).
//   - feeder thread: owned by the engine; fills the ring; at the natural end of the source it stops the stream and
//     reports the Stopped state.
//   - PortAudio's callback thread: copies from the ring only; never allocates, locks or logs.
// Getters (state, positionSeconds, framesPlayed, ...) read atomics and may be called from any thread.
// Without an output device the engine still constructs: available() is false, unavailableReason() says why, and
// load/play do nothing (load returns false), so the app stays usable.
#include "core/audio/AudioBuffer.h"
#include "core/playback/ClickMixer.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct PaStreamCallbackTimeInfo;  // portaudio.h, kept out of this header

namespace sonolab::playback {

template <typename T>
class RingBuffer;

enum class PlaybackState { Stopped, Playing, Paused };
const char* toString(PlaybackState state);

struct PlaybackOptions {
    double ringSeconds = 0.5;           // audio buffered ahead of the callback
    unsigned long framesPerBuffer = 0;  // 0 = let PortAudio choose
    double suggestedLatency = 0;        // seconds; 0 = the device's default low latency
};

class PlaybackEngine {
public:
    explicit PlaybackEngine(PlaybackOptions options = {});
    ~PlaybackEngine();
    PlaybackEngine(const PlaybackEngine&) = delete;
    PlaybackEngine& operator=(const PlaybackEngine&) = delete;

    // Any thread. False when there is no usable output device; the reason is a sentence for the user.
    bool available() const { return available_; }
    const std::string& unavailableReason() const { return reason_; }

    // Control thread. Stops what was playing and makes this the source; position 0, framesPlayed 0.
    // Returns false when playback is unavailable or the device refuses the format (lastError() says why).
    bool load(std::shared_ptr<const audio::AudioBuffer> buffer);
    // Control thread. Plays a file, decoded on the fly by the feeder thread (throws sonolab::Error for a bad file).
    bool loadFile(const std::filesystem::path& file);
    // Control thread. Stops and forgets the source (closes the device stream).
    void unload();

    // Control thread. Starts or resumes. At the end of the source (or segment) the state becomes Stopped; play()
    // after that starts again from the beginning (of the segment).
    void play();
    // Control thread. Plays [startSeconds, startSeconds + durationSeconds) and stops there (duration < 0 = to the end).
    // The segment stays in force for play()/stop() until seek(), another playSegment() or load().
    void playSegment(double startSeconds, double durationSeconds);
    // Control thread. The device plays out what it already holds (its latency), then stays silent.
    void pause();
    // Control thread. Stops and returns to the start (of the segment, if one is set).
    void stop();
    // Control thread. Moves the play position (clamped to the source) and clears any segment; keeps playing if it was.
    void seek(double seconds);
    void togglePlayPause() { state() == PlaybackState::Playing ? pause() : play(); }

    // Any thread.
    PlaybackState state() const { return state_.load(std::memory_order_acquire); }
    bool hasSource() const { return hasSource_.load(std::memory_order_acquire); }
    // What the listener hears now: frames handed to the device minus those still in its output latency.
    double positionSeconds() const;
    double durationSeconds() const;
    int sampleRate() const { return streamRate_.load(std::memory_order_relaxed); }
    int outputChannels() const { return outputChannels_.load(std::memory_order_relaxed); }
    // Frames of the source handed to the device since load() (underrun silence not counted).
    std::int64_t framesPlayed() const { return framesPlayed_.load(std::memory_order_acquire); }
    // Output latency PortAudio reports for the open stream, in seconds.
    double outputLatencySeconds() const { return latencySeconds_.load(std::memory_order_relaxed); }
    // Callback invocations that found the ring short of data while playing (underruns).
    std::int64_t underruns() const { return underruns_.load(std::memory_order_relaxed); }
    std::string lastError() const;

    // Called after each state change: on the control thread for play/pause/stop/seek, on the feeder thread when the
    // source ends. Runs outside the engine's lock; a GUI should forward it with a queued call.
    void setStateCallback(std::function<void(PlaybackState)> callback);

    // Control thread. A click (ClickTrack) at each of these source times, mixed sample-accurately into the output
    // while clicks are enabled; the schedule is rebuilt for the stream's rate and swapped in without stopping playback.
    void setClickTimes(std::vector<double> seconds);
    // Any thread; takes effect at the next audio callback.
    void setClicksEnabled(bool on) { clicks_.setEnabled(on); }
    bool clicksEnabled() const { return clicks_.enabled(); }

    // Any thread (tests, CLI): waits until the state is not Playing, up to timeoutSeconds. True if it stopped.
    bool waitUntilNotPlaying(double timeoutSeconds) const;

private:
    struct Stream;
    static int paCallback(const void* input, void* output, unsigned long frames, const PaStreamCallbackTimeInfo* timeInfo,
                          unsigned long statusFlags, void* self);
    int fillOutput(float* out, unsigned long frames);              // callback thread
    void feederLoop(std::int64_t fromFrame, std::int64_t endFrame);  // feeder thread
    bool pushFrames(const float* src, std::size_t frames, int srcChannels, std::vector<float>& scratch);  // feeder
    void finishFromFeeder();                                        // feeder thread

    // Control-thread helpers; all run with mutex_ held.
    bool openStreamLocked(int sampleRate, int sourceChannels);
    void closeStreamLocked();
    void haltLocked();  // stream stopped at once (abort), feeder joined, ring empty
    bool resetForNewSourceLocked();  // stop and forget the old source; false when no device exists
    void startFeederLocked(std::int64_t fromFrame);
    void startStreamLocked();
    std::int64_t endFrameLocked() const;
    std::int64_t totalFramesLocked() const;
    std::int64_t positionFrame() const;
    void rebuildClicksLocked();
    // Runs f with the lock held, then reports a state change (outside the lock).
    template <typename F>
    void control(F&& f);
    void notify(PlaybackState before);
    void setError(std::string message);

    PlaybackOptions options_;
    bool available_ = false;
    bool paInitialised_ = false;
    std::string reason_;
    mutable std::mutex mutex_;         // serialises control calls
    mutable std::mutex errorMutex_;    // guards lastError_ only (the feeder sets it while a control call may wait)
    std::string lastError_;

    std::shared_ptr<const audio::AudioBuffer> buffer_;
    std::filesystem::path file_;
    std::int64_t fileFrames_ = 0;
    int sourceChannels_ = 0;
    std::unique_ptr<Stream> stream_;
    std::unique_ptr<RingBuffer<float>> ring_;
    std::int64_t segmentStart_ = 0;
    std::int64_t segmentEnd_ = -1;  // -1 = to the end

    std::thread feeder_;
    std::atomic<bool> feederStop_{false};
    std::atomic<bool> sourceEnded_{false};  // feeder wrote the last frame
    std::atomic<bool> drained_{false};      // callback delivered the last frame
    std::atomic<bool> hasSource_{false};
    std::atomic<PlaybackState> state_{PlaybackState::Stopped};
    std::atomic<int> streamRate_{0};
    std::atomic<int> outputChannels_{0};
    std::atomic<std::int64_t> baseFrame_{0};  // source frame where the current feed began
    std::atomic<std::int64_t> consumed_{0};   // frames the callback delivered since baseFrame_
    std::atomic<std::int64_t> framesPlayed_{0};
    std::atomic<std::int64_t> underruns_{0};
    std::atomic<std::int64_t> durationFrames_{0};
    std::atomic<double> latencySeconds_{0};

    std::vector<double> clickTimes_;  // control thread (under mutex_)
    ClickMixer clicks_;

    std::mutex callbackMutex_;
    std::function<void(PlaybackState)> stateCallback_;
};

}  // namespace sonolab::playback
