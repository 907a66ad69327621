#pragma once
// The recurrent onset detector of a trained onset run (`sonolab-cli onsets-train`, the Onsets tab) as a Vamp
// plugin: the run is the program (RunPrograms.h), and the plugin runs exactly what `sonolab-cli onsets FILE
// --method rnn:RUN` runs. Outputs: "onsets" (instants) and "detection" (the network's onset probability at 100
// frames per second). The network needs libtorch: the model runtime module is loaded (dlopen) when the host first
// initialises the plugin, never when it only lists plugins. No Qt.
#include "RunProgramPlugin.h"

#include <memory>

namespace sonolab::onsets {
class OnsetDetector;
}

namespace sonolab::vamp {

class RnnOnsetsPlugin : public RunProgramPlugin {
public:
    explicit RnnOnsetsPlugin(float inputSampleRate);
    ~RnnOnsetsPlugin() override;

    std::string getIdentifier() const override { return "sonolab-onsets-rnn"; }
    std::string getName() const override { return "Sonolab Onsets (recurrent network)"; }
    std::string getDescription() const override;
    bool initialise(size_t channels, size_t stepSize, size_t blockSize) override;
    OutputList getOutputDescriptors() const override;
    FeatureSet getRemainingFeatures() override;

protected:
    void programChanged() override;

private:
    std::unique_ptr<onsets::OnsetDetector> detector_;  // for the current program, loaded by initialise()
};

}  // namespace sonolab::vamp
