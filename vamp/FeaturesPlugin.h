#pragma once
// Log-mel and MFCC frames as Vamp outputs, computed by core/extraction exactly as `sonolab-cli features --kind
// logmel|mfcc` computes them with its defaults (22.05 kHz, n_fft 1024, hop 512, 80 mels, 20 MFCCs; centred frames,
// so frame i is at i * hop / 22050 s). No Qt, no libtorch.
#include "WholeSignalPlugin.h"

namespace sonolab::vamp {

class FeaturesPlugin : public WholeSignalPlugin {
public:
    explicit FeaturesPlugin(float inputSampleRate) : WholeSignalPlugin(inputSampleRate) {}

    std::string getIdentifier() const override { return "sonolab-features"; }
    std::string getName() const override { return "Sonolab Log-mel and MFCC"; }
    std::string getDescription() const override;

    OutputList getOutputDescriptors() const override;
    FeatureSet getRemainingFeatures() override;
};

}  // namespace sonolab::vamp
