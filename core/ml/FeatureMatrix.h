#pragma once
// One example's input: a bands x frames matrix (Layout::BinsByFrames: values[band * frames + frame]), e.g. a
// log-mel spectrogram, often borrowed straight from the feature cache's mapped file. A flat feature vector (MFCC
// statistics, RP/SSD) is a matrix with bands = dims and frames = 1 (Matrix::column).
#include "core/util/Matrix.h"

#include <cstddef>

namespace sonolab::ml {

struct InputShape {
    std::size_t bands = 0;
    std::size_t frames = 0;
    std::size_t size() const { return bands * frames; }
    bool operator==(const InputShape&) const = default;
};

using FeatureMatrix = sonolab::Matrix;

inline InputShape shapeOf(const FeatureMatrix& m) { return {m.bins(), m.frames()}; }

}  // namespace sonolab::ml
