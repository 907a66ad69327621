#pragma once
// Mixup (Zhang et al., ICLR 2018) on an assembled training batch: every example i becomes
//   x_i' = lambda * x_i + (1 - lambda) * x_partner(i),   y_i' = lambda * y_i + (1 - lambda) * y_partner(i)
// with one lambda ~ Beta(alpha, alpha) per batch and partner a random permutation of the batch. Torch-free: the
// batch loader applies it to the float buffers it fills, and tests check it against the formula.
#include <cstddef>
#include <random>
#include <vector>

namespace sonolab::ml {

struct MixupDraw {
    float lambda = 1.0f;
    std::vector<std::size_t> partner;  // partner[i] = the example mixed into example i
};

// alpha > 0. Beta(alpha, alpha) as X / (X + Y) with X, Y ~ Gamma(alpha, 1).
MixupDraw drawMixup(std::size_t count, double alpha, std::mt19937_64& rng);

// Mixes `count` examples in place: inputs [count][inputSize], targets [count][outputs].
void applyMixup(const MixupDraw& draw, float* inputs, std::size_t inputSize, float* targets, std::size_t outputs);

}  // namespace sonolab::ml
