#pragma once
// The part every Sonolab Vamp plugin shares: core's analyses look at the whole signal (centred frames, moving
// averages both ways), so process() only collects the mono audio and getRemainingFeatures() analyses it at the
// sample rate the analysis needs (resampled as the CLI's decoder would).
#include <vamp-sdk/Plugin.h>

#include <vector>

namespace sonolab::vamp {

class WholeSignalPlugin : public ::Vamp::Plugin {
public:
    explicit WholeSignalPlugin(float inputSampleRate) : ::Vamp::Plugin(inputSampleRate) {}

    std::string getMaker() const override { return "Sonolab"; }
    std::string getCopyright() const override { return "Sonolab contributors"; }
    int getPluginVersion() const override { return 1; }
    InputDomain getInputDomain() const override { return TimeDomain; }
    size_t getPreferredBlockSize() const override { return 1024; }
    size_t getPreferredStepSize() const override { return 1024; }
    bool initialise(size_t channels, size_t stepSize, size_t blockSize) override;
    void reset() override { samples_.clear(); }
    FeatureSet process(const float* const* inputBuffers, ::Vamp::RealTime timestamp) override;

protected:
    // The collected input as mono at `rate` Hz.
    std::vector<float> signalAt(int rate) const;

private:
    std::size_t step_ = 0;
    std::vector<float> samples_;  // at the host's rate
};

}  // namespace sonolab::vamp
