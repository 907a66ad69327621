#pragma once
// Examples for training and evaluation: feature matrices (held in memory or loaded lazily, e.g. from the feature
// cache) + target vectors + ids + groups (clips of the same source track share a group; splits keep groups together).
//
// Batching: every example given to a network has the dataset's window shape. With window frames = 0 every example
// must have the same shape; otherwise examples are cropped to `windowFrames` (random position when training,
// centre when evaluating) and shorter ones are zero-padded. Standardisation is applied after cropping.
// Thread-safety: const methods may be called from several threads at once (the trainer's prefetch thread reads
// while the caller waits); lazily loaded examples are cached under a lock.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/Standardization.h"
#include "core/util/TaskSpec.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace sonolab::ml {

// Returns an example's features on demand (reads the feature cache, decodes...). Throws sonolab::Error on failure.
using FeatureLoader = std::function<FeatureMatrix()>;

struct ExampleInfo {
    std::string id;        // track id, clip id or file name: how results refer back to the example
    std::string group;     // source track / artist for group-aware splits; empty = its own group
    std::vector<float> target;
};

// What changes a training crop as it is cut (never a validation or prediction crop). Gain, masks, stretch and mixing
// have one owner, SpectrogramAugmentation.h, applied to whole batches (TrainingConfig::spectrogramAugmentation).
struct Augmentation {
    bool randomCrop = true;     // random crop position (else centre) when windowFrames < example frames
    float noiseStd = 0.0f;      // gaussian noise added after standardisation
    bool any() const { return noiseStd > 0; }
};

class Dataset {
public:
    Dataset(std::string name, TaskSpec task);
    ~Dataset();
    Dataset(Dataset&&) noexcept;
    Dataset& operator=(Dataset&&) noexcept;

    const std::string& name() const;
    const TaskSpec& task() const;

    // Adds an example held in memory. Throws if the target's size differs from task().outputs().
    void add(ExampleInfo info, FeatureMatrix features);
    // Adds an example loaded on first use (and then kept in memory). `shape` is its known shape (needed to batch).
    void addLazy(ExampleInfo info, InputShape shape, FeatureLoader loader);

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    const ExampleInfo& info(std::size_t i) const;
    InputShape exampleShape(std::size_t i) const;
    // The full (uncropped, unstandardised) features of example i.
    const FeatureMatrix& features(std::size_t i) const;

    // The shape every batch element has: (bands, windowFrames), or the common example shape when windowFrames is 0.
    void setWindowFrames(std::size_t frames);
    std::size_t windowFrames() const;
    InputShape inputShape() const;  // throws if examples differ in bands, or in frames while windowFrames == 0

    // Fits on this dataset (call it on the training split only) and returns the statistics; apply them to every
    // split with setStandardization().
    Standardization fitStandardization(StandardizationMode mode) const;
    void setStandardization(Standardization s);
    const Standardization& standardization() const;

    void setAugmentation(Augmentation a);
    const Augmentation& augmentation() const;

    // Writes example i's window (inputShape().size() floats) into out: cropped, standardised, augmented when
    // `training` (crop position and augmentation drawn from rng), centre crop otherwise.
    void fill(std::size_t i, bool training, std::mt19937_64& rng, float* out) const;

    // Per output: how many examples have it on (for class weighting and reports).
    std::vector<std::size_t> positives() const;
    // Loads every lazy example now (in parallel with `threads` threads; 0 = hardware concurrency).
    void preload(int threads = 0) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonolab::ml
