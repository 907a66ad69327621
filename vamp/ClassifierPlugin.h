#pragma once
// A trained Sonolab classifier or tagger (`sonolab-cli train`, the Training tab) over time, as a Vamp plugin: the
// run is the program (RunPrograms.h); the audio goes through the run's own features and sliding windows exactly as
// `sonolab-cli predict --run RUN FILE --json --windows` does. Outputs:
//   "top"        the top label as segments (the dashboard's prediction timeline; `predict --format`'s segments),
//                valued with its mean probability
//   "p-LABEL"    one per class or tag: its probability per window, sampled every window hop
// The outputs depend on the program (its labels). libtorch is loaded when the host first initialises the plugin.
// No Qt.
#include "RunProgramPlugin.h"

#include <memory>

namespace sonolab::ml {
class Predictor;
struct SavedModelInfo;
}

namespace sonolab::vamp {

class ClassifierPlugin : public RunProgramPlugin {
public:
    explicit ClassifierPlugin(float inputSampleRate);
    ~ClassifierPlugin() override;

    std::string getIdentifier() const override { return "sonolab-classifier"; }
    std::string getName() const override { return "Sonolab Classifier over time"; }
    std::string getDescription() const override;
    bool initialise(size_t channels, size_t stepSize, size_t blockSize) override;
    OutputList getOutputDescriptors() const override;
    FeatureSet getRemainingFeatures() override;

protected:
    void programChanged() override;

private:
    // The current run's metadata (labels, features), read without libtorch; null when there is no usable run.
    void readInfo();
    FeatureSet predictOverTime();

    std::shared_ptr<const ml::SavedModelInfo> info_;
    double frameSeconds_ = 0;                  // of the run's features
    std::unique_ptr<ml::Predictor> predictor_;  // loaded by initialise()
};

}  // namespace sonolab::vamp
