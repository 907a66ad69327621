#pragma once
// One example's input: a bands x frames matrix (row-major: values[band * frames + frame]), e.g. a log-mel
// spectrogram. A flat feature vector (MFCC statistics, RP/SSD) is a matrix with bands = dims and frames = 1.
#include <cstddef>
#include <vector>

namespace sonolab::ml {

struct InputShape {
    std::size_t bands = 0;
    std::size_t frames = 0;
    std::size_t size() const { return bands * frames; }
    bool operator==(const InputShape&) const = default;
};

struct FeatureMatrix {
    std::size_t bands = 0;
    std::size_t frames = 0;
    std::vector<float> values;  // bands * frames, row-major (band-major)

    InputShape shape() const { return {bands, frames}; }
    float at(std::size_t band, std::size_t frame) const { return values[band * frames + frame]; }
    // A flat vector as a one-column matrix.
    static FeatureMatrix vector(std::vector<float> v) {
        FeatureMatrix m;
        m.bands = v.size();
        m.frames = 1;
        m.values = std::move(v);
        return m;
    }
};

}  // namespace sonolab::ml
