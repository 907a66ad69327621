#pragma once
// The one crop code: fixed-length windows of N frames cut from a (bands, frames) row-major matrix
// (values[band * frames + frame]), as models take them. Training crops at random (seeded: reproducible
// augmentation), evaluation and siamese items take the centre (the tutorial's choice), prediction slides windows
// with a hop over the whole track. A matrix shorter than N is padded at the end, so every window has N frames.
#include "core/util/Matrix.h"

#include <cstddef>
#include <random>
#include <span>
#include <vector>

namespace sonolab::features {

// Start frames of a window of n frames in a matrix of `total` frames (0 when total <= n).
std::size_t centreCropStart(std::size_t total, std::size_t n);
// Uniform over every start; draws from rng only when there is a choice (total > n).
std::size_t randomCropStart(std::size_t total, std::size_t n, std::mt19937_64& rng);
// Windows every `hop` frames, plus one ending at the last frame when the hop misses it; {0} when total <= n.
// Throws sonolab::Error when hop or n is 0.
std::vector<std::size_t> slidingStarts(std::size_t total, std::size_t n, std::size_t hop);

// Copies the (bands, n) window starting at frame `start` into out (bands * n floats); frames past the end of the
// matrix are padValue. Returns how many frames came from the matrix. Throws when values is not bands x frames.
std::size_t copyWindow(std::span<const float> values, std::size_t bands, std::size_t frames, std::size_t start,
                       std::size_t n, std::span<float> out, float padValue = 0.0f);
// The centre window of n frames of a bands x frames matrix (Layout::BinsByFrames, else Error) as a new matrix,
// padded with padValue when the matrix is shorter: one clip per track, as validation and siamese items take it.
Matrix centreWindow(const Matrix& m, std::size_t n, float padValue = 0.0f);

}  // namespace sonolab::features
