#pragma once
// Decoded audio in memory: interleaved float samples in [-1, 1] at one sample rate.
#include <cstddef>
#include <vector>

namespace sonolab::audio {

struct AudioBuffer {
    int sampleRate = 0;
    int channels = 0;
    std::vector<float> samples;  // interleaved: frame i, channel c is samples[i * channels + c]

    std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
    double durationSeconds() const { return sampleRate > 0 ? double(frames()) / sampleRate : 0.0; }
};

}  // namespace sonolab::audio
