#pragma once
// The recurrent detector's features per audio file, computed once and kept as .npy (frames x dims) in a cache
// folder, keyed by the file's path, size, modification time and the feature parameters. Without a cache folder
// the features are computed each time. Thread-safe: distinct files may be requested from several threads.
#include "core/onsets/OnsetFeatures.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <string>

namespace sonolab::onsets {

class OnsetFeatureCache {
public:
    explicit OnsetFeatureCache(std::filesystem::path cacheDir = {}, RnnOnsetFeatureParams params = {});

    // Decodes (44.1 kHz mono), computes rnnOnsetFeatures(), caches; a cached entry is memory-mapped (borrowed).
    // Throws sonolab::Error naming the file.
    Matrix features(const std::filesystem::path& audioFile, const Progress* progress = nullptr) const;
    std::filesystem::path cachePathFor(const std::filesystem::path& audioFile) const;
    const RnnOnsetFeatureParams& params() const { return params_; }

private:
    std::filesystem::path dir_;
    RnnOnsetFeatureParams params_;
    std::string paramsKey_;
};

}  // namespace sonolab::onsets
