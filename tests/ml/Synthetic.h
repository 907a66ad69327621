#pragma once
// Tiny learnable problems for training tests: spectrogram-like matrices whose class shows as extra energy in a
// class-specific band range, under gaussian noise, so every architecture can learn them in a few steps.
#include "core/ml/Dataset.h"

#include <random>
#include <string>

namespace sonolab::ml::test {

inline FeatureMatrix syntheticExample(int cls, int classes, std::size_t bands, std::size_t frames, std::mt19937& rng,
                                      float strength = 1.5f) {
    FeatureMatrix m(bands, frames, Layout::BinsByFrames);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    const std::size_t lo = bands * std::size_t(cls) / std::size_t(classes);
    const std::size_t hi = bands * std::size_t(cls + 1) / std::size_t(classes);
    for (std::size_t b = 0; b < bands; ++b)
        for (std::size_t f = 0; f < frames; ++f)
            m.mutableRow(b)[f] = -20.0f + noise(rng) + (b >= lo && b < hi ? strength : 0.0f);
    return m;
}

// n examples with balanced classes; binary tasks use class 1 = positive.
inline Dataset syntheticDataset(const std::string& task, std::size_t n, std::size_t bands, std::size_t frames,
                                unsigned seed, float strength = 1.5f) {
    TaskSpec spec = TaskSpec::parse(task);
    Dataset d("synthetic-" + std::to_string(seed), spec);
    std::mt19937 rng(seed);
    const int classes = spec.kind == TaskKind::Binary ? 2 : int(spec.labels.size());
    for (std::size_t i = 0; i < n; ++i) {
        ExampleInfo info;
        info.id = "ex" + std::to_string(i);
        info.group = "g" + std::to_string(i / 2);
        const int cls = int(i % std::size_t(classes));
        if (spec.kind == TaskKind::Binary) info.target = {float(cls)};
        else {
            info.target.assign(spec.outputs(), 0.0f);
            info.target[std::size_t(cls)] = 1.0f;
        }
        d.add(std::move(info), syntheticExample(cls, classes, bands, frames, rng, strength));
    }
    return d;
}

}  // namespace sonolab::ml::test
