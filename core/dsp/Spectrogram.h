#pragma once
// A time-frequency matrix, frame-major so that one frame is contiguous: values[frame * bins + bin], shape (frames, bins).
// Frame-major suits streaming and tiled views; transpose when writing "bands x frames" files.
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::dsp {

struct Spectrogram {
    std::size_t frames = 0, bins = 0;
    std::vector<float> values;

    std::span<const float> frame(std::size_t f) const { return {values.data() + f * bins, bins}; }
    std::span<float> frame(std::size_t f) { return {values.data() + f * bins, bins}; }
    float at(std::size_t f, std::size_t bin) const { return values[f * bins + bin]; }
    // Bins x frames, C order (what librosa returns and what sonolab-cli writes to .npy).
    std::vector<float> transposed() const;
};

}  // namespace sonolab::dsp
