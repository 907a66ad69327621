#pragma once
// Per-band standardisation: mean and standard deviation of each row (band) over every frame of the matrices it is
// fitted on, which should be the training split only (the tutorial fitted on all data and so leaked the test set).
// Stored as plain text next to whatever uses it, so a model and its normaliser travel together.
#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace sonolab::features {

class FeatureMatrix;

class Standardizer {
public:
    // Adds one (bands, frames) row-major matrix to the statistics (double accumulation, Chan's parallel update).
    void partialFit(std::span<const float> values, std::size_t bands, std::size_t frames);
    void partialFit(const FeatureMatrix& m);
    // Resets and fits on these matrices.
    void fit(std::span<const FeatureMatrix> matrices);

    bool fitted() const { return count_ > 0; }
    std::size_t bands() const { return mean_.size(); }
    std::size_t count() const { return count_; }  // frames seen
    std::vector<float> mean() const;
    // Population standard deviation; a constant band gets 1 so apply() leaves it centred, not infinite.
    std::vector<float> stddev() const;

    // (x - mean[band]) / std[band], in place on a (bands, frames) row-major matrix. Throws Error on a band mismatch.
    void apply(std::span<float> values, std::size_t bands, std::size_t frames) const;
    std::vector<float> applied(const FeatureMatrix& m) const;

    void save(const std::filesystem::path& file) const;  // atomic, plain text
    static Standardizer load(const std::filesystem::path& file);

private:
    std::vector<double> mean_, m2_;
    std::size_t count_ = 0;
};

}  // namespace sonolab::features
