#include "core/playback/ClickTrack.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonolab::playback {

ClickTrack::ClickTrack(std::span<const double> onsetSeconds, int sampleRate, ClickParams params)
    : sampleRate_(sampleRate), params_(params) {
    if (sampleRate <= 0) throw Error("click track", "sample rate must be > 0");
    const auto length = std::max<std::size_t>(1, std::size_t(std::llround(params.lengthSeconds * sampleRate)));
    burst_.resize(length);
    const double w = 2.0 * std::numbers::pi * params.frequencyHz / sampleRate;
    const double tau = std::max(1e-6, params.decaySeconds) * sampleRate;
    for (std::size_t n = 0; n < length; ++n)
        burst_[n] = float(params.gain * std::sin(w * double(n)) * std::exp(-double(n) / tau));

    starts_.reserve(onsetSeconds.size());
    for (double t : onsetSeconds)
        if (std::isfinite(t) && t >= 0) starts_.push_back(std::llround(t * sampleRate));
    std::sort(starts_.begin(), starts_.end());
    starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
}

void ClickTrack::mixInto(float* out, std::size_t frames, int channels, std::int64_t firstFrame) const noexcept {
    if (frames == 0 || channels <= 0 || starts_.empty()) return;
    const auto length = std::int64_t(burst_.size());
    const std::int64_t lastFrame = firstFrame + std::int64_t(frames);  // exclusive
    // The first click still sounding at firstFrame starts after firstFrame - length.
    auto it = std::upper_bound(starts_.begin(), starts_.end(), firstFrame - length);
    const auto ch = std::size_t(channels);
    for (; it != starts_.end() && *it < lastFrame; ++it) {
        const std::int64_t begin = std::max(*it, firstFrame);
        const std::int64_t end = std::min(*it + length, lastFrame);
        for (std::int64_t f = begin; f < end; ++f) {
            const float s = burst_[std::size_t(f - *it)];
            float* frame = out + std::size_t(f - firstFrame) * ch;
            for (std::size_t c = 0; c < ch; ++c) frame[c] += s;
        }
    }
}

}  // namespace sonolab::playback
