#pragma once
// Sonolab's spectral-flux onset detector (the tutorial's part 3a, madmom's order: core/onsets) as a Vamp plugin, so
// Sonic Visualiser, Audacity and sonic-annotator-style hosts run exactly what `sonolab-cli onsets --method flux`
// runs. Outputs: "onsets" (the onset instants) and "detection" (the detection function at 100 frames per second).
// No Qt, no libtorch.
#include "WholeSignalPlugin.h"

namespace sonolab::vamp {

class OnsetsPlugin : public WholeSignalPlugin {
public:
    explicit OnsetsPlugin(float inputSampleRate) : WholeSignalPlugin(inputSampleRate) {}

    std::string getIdentifier() const override { return "sonolab-onsets"; }
    std::string getName() const override { return "Sonolab Onsets (spectral flux)"; }
    std::string getDescription() const override;
    OutputList getOutputDescriptors() const override;
    FeatureSet getRemainingFeatures() override;
};

}  // namespace sonolab::vamp
