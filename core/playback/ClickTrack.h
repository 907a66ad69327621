#pragma once
// A metronome-style click at each onset, so a listener hears whether detected (or annotated) onsets are right.
// Immutable once built: the schedule is fixed to one sample rate (the output stream's), so the audio callback only
// reads it. A click is a short decaying sine burst starting at phase 0 (no step at its first sample):
//   burst[n] = gain * sin(2 pi f n / rate) * exp(-n / (decay * rate)),  n in [0, length * rate)
// and click k sounds from source frame llround(onset_k * rate).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sonolab::playback {

struct ClickParams {
    double frequencyHz = 1000.0;
    double lengthSeconds = 0.010;
    double decaySeconds = 0.0025;  // time constant of the exponential decay
    float gain = 0.5f;
};

class ClickTrack {
public:
    // Times in seconds (any order; negative and non-finite ones are dropped). Throws sonolab::Error for rate <= 0.
    ClickTrack(std::span<const double> onsetSeconds, int sampleRate, ClickParams params = {});

    int sampleRate() const { return sampleRate_; }
    const ClickParams& params() const { return params_; }
    // First frame of each click, ascending (duplicates removed).
    const std::vector<std::int64_t>& startFrames() const { return starts_; }
    std::span<const float> burst() const { return burst_; }

    // Adds every click sounding within source frames [firstFrame, firstFrame + frames) into `out` (interleaved,
    // `channels` per frame, the same click on every channel). Never allocates or locks: safe in an audio callback.
    void mixInto(float* out, std::size_t frames, int channels, std::int64_t firstFrame) const noexcept;

private:
    int sampleRate_;
    ClickParams params_;
    std::vector<std::int64_t> starts_;
    std::vector<float> burst_;
};

}  // namespace sonolab::playback
