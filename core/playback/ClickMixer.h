#pragma once
// Hands a ClickTrack from the control thread to the audio callback without locks or allocation on the audio side.
// The control thread publishes a new track with one atomic store; the callback announces the track it is reading in
// a hazard slot (load, announce, re-check), and the control thread frees a replaced track only once the callback is
// not announcing it. One reader (the audio callback) and any number of control threads (serialised by a mutex that
// the callback never touches).
#include "core/playback/ClickTrack.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sonolab::playback {

class ClickMixer {
public:
    ClickMixer() = default;
    ClickMixer(const ClickMixer&) = delete;
    ClickMixer& operator=(const ClickMixer&) = delete;

    // Control thread. nullptr: no clicks.
    void setTrack(std::shared_ptr<const ClickTrack> track);
    std::shared_ptr<const ClickTrack> track() const;
    // Replaced tracks still waiting for the callback to let go of them (for tests; normally 0 or 1).
    std::size_t retiredCount();

    // Any thread.
    void setEnabled(bool on) { enabled_.store(on, std::memory_order_relaxed); }
    bool enabled() const { return enabled_.load(std::memory_order_relaxed); }

    // Audio thread: adds the current track's clicks for source frames [firstFrame, firstFrame + frames) when enabled.
    void mix(float* out, std::size_t frames, int channels, std::int64_t firstFrame) noexcept;

private:
    void collectLocked();

    mutable std::mutex controlMutex_;
    std::shared_ptr<const ClickTrack> owned_;
    std::vector<std::shared_ptr<const ClickTrack>> retired_;
    std::atomic<const ClickTrack*> current_{nullptr};
    std::atomic<const ClickTrack*> inUse_{nullptr};
    std::atomic<bool> enabled_{false};
};

}  // namespace sonolab::playback
