#pragma once
// Which features a model is trained on, and computing them for a file the same way at training and prediction.
// The spec string stored with a saved model is the feature cache's canonical FeatureSpec text, prefixed with
// "summary:" when the model takes a per-track summary vector (mean and standard deviation of each band over time,
// e.g. MFCC statistics for the dense network) instead of the matrix itself.
#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/library/TrainingSet.h"
#include "core/ml/FeatureMatrix.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace sonolab::pipeline {

struct ModelFeatures {
    extraction::FeatureOptions options;
    bool summary = false;          // mean + std per band (a vector) instead of the bands x frames matrix
    std::size_t windowFrames = 0;  // crop length the model sees (0 = whole example: summaries)

    std::string specString() const;  // what SavedModelInfo::featureSpec stores
    // The rate audio is decoded at for these features, and the model's input from mono samples at that rate: for
    // hosts that hand over audio instead of a file (the Vamp plugin), computed as featuresForFile computes it.
    int decodeRate() const;
    ml::FeatureMatrix inputFromSamples(std::span<const float> mono) const;
    static ModelFeatures fromSpecString(const std::string& text, std::size_t windowFrames);
};

// The tutorial's settings for each architecture: 40 log-mel bands x 80 frames (n_fft 512, hop 256, fmax 8 kHz) for
// the ML Prague CNNs, 80 x 80 (n_fft 2048, hop 1024) for the compact CNN, 128 x 160 (n_fft 1024, hop 512) for the
// short-chunk ResNet, 20 MFCC means and deviations for the dense network.
ModelFeatures defaultModelFeatures(const std::string& architecture);

// The model's input for one file, from (or into) the feature cache.
ml::FeatureMatrix featuresForFile(const extraction::Extractor& extractor, const ModelFeatures& features,
                                  const std::filesystem::path& file);
// The model inputs of training examples: features extracted into the cache where missing (threads; 0 = all cores),
// then read back. Each example is keyed by its library content hash, so an example whose features are cached is never
// opened (its audio may even be gone). Examples whose features cannot be had are left out and named in `failures`
// ("path: reason"); cancel throws Cancelled.
struct LoadedExamples {
    std::vector<library::TrainingExample> examples;
    std::vector<ml::FeatureMatrix> inputs;  // one per example
    std::vector<std::string> failures;
};
LoadedExamples loadExampleFeatures(const std::vector<library::TrainingExample>& examples, const ModelFeatures& features,
                                   const std::filesystem::path& cacheDir, int threads, const Progress* progress);

// The feature cache a library uses unless told otherwise: "<library file>.features" beside it.
std::filesystem::path defaultFeatureCacheFor(const std::filesystem::path& libraryFile);

}  // namespace sonolab::pipeline
