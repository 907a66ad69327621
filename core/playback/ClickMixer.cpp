#include "core/playback/ClickMixer.h"

#include <algorithm>

namespace sonolab::playback {

void ClickMixer::setTrack(std::shared_ptr<const ClickTrack> track) {
    std::lock_guard lock(controlMutex_);
    if (owned_) retired_.push_back(owned_);
    owned_ = std::move(track);
    current_.store(owned_.get());  // seq_cst: ordered before the hazard check below
    collectLocked();
}

std::shared_ptr<const ClickTrack> ClickMixer::track() const {
    std::lock_guard lock(controlMutex_);
    return owned_;
}

std::size_t ClickMixer::retiredCount() {
    std::lock_guard lock(controlMutex_);
    collectLocked();
    return retired_.size();
}

void ClickMixer::collectLocked() {
    // A reader that announced a retired track before this load keeps it; one announcing later re-checks current_,
    // sees the new track and moves off the old one (all seq_cst).
    const ClickTrack* busy = inUse_.load();
    std::erase_if(retired_, [busy](const auto& t) { return t.get() != busy; });
}

void ClickMixer::mix(float* out, std::size_t frames, int channels, std::int64_t firstFrame) noexcept {
    if (!enabled_.load(std::memory_order_relaxed)) return;
    const ClickTrack* track = current_.load();
    for (;;) {
        inUse_.store(track);
        const ClickTrack* again = current_.load();
        if (again == track) break;
        track = again;
    }
    if (track) track->mixInto(out, frames, channels, firstFrame);
    inUse_.store(nullptr);
}

}  // namespace sonolab::playback
