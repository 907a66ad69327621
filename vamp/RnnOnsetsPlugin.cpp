#include "RnnOnsetsPlugin.h"

#include "OnsetOutputs.h"

#include "core/ml/OnsetRnnModel.h"
#include "core/onsets/rnn/OnsetDetector.h"

#include <cstdio>

namespace sonolab::vamp {

namespace {
RunSearch onsetRuns() {
    return {.isRun = [](const std::filesystem::path& dir) { return std::filesystem::exists(dir / ml::OnsetRnnModel::kFileName); },
            .appFolders = {"onset-runs"}};
}
}  // namespace

RnnOnsetsPlugin::RnnOnsetsPlugin(float inputSampleRate) : RunProgramPlugin(inputSampleRate, onsetRuns()) {}

RnnOnsetsPlugin::~RnnOnsetsPlugin() = default;

void RnnOnsetsPlugin::programChanged() { detector_.reset(); }

std::string RnnOnsetsPlugin::getDescription() const {
    return "Note onsets by a trained recurrent onset detector (sonolab-cli onsets --method rnn:RUN). Programs: the "
           "onset runs (folders holding onset-rnn.pt) in $SONOLAB_VAMP_RUNS and in the app's onset-runs folder "
           "($XDG_DATA_HOME or ~/.local/share, then Sonolab/Sonolab/onset-runs)";
}

bool RnnOnsetsPlugin::initialise(size_t channels, size_t stepSize, size_t blockSize) {
    if (!RunProgramPlugin::initialise(channels, stepSize, blockSize)) return false;
    if (runs().currentFolder().empty()) {
        std::fprintf(stderr, "sonolab-onsets-rnn: no onset run found (set SONOLAB_VAMP_RUNS)\n");
        return false;
    }
    if (detector_) return true;
    // Hosts know no exceptions: a run that cannot be loaded (or no libtorch) refuses the initialisation, and says why.
    try {
        detector_ = std::make_unique<onsets::OnsetDetector>(
            onsets::OnsetMethod{.kind = onsets::OnsetMethod::Kind::Rnn, .run = runs().currentFolder()});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab-onsets-rnn: %s\n", e.what());
        return false;
    }
    return true;
}

::Vamp::Plugin::OutputList RnnOnsetsPlugin::getOutputDescriptors() const {
    const onsets::OnsetDetectorParams params;
    return onsetOutputs({.onsetsDescription = "Onset instants (peaks of the network's activation)",
                         .detectionName = "Onset probability",
                         .detectionDescription = "The recurrent network's onset activation per frame",
                         .detectionExtents = std::pair{0.0f, 1.0f}},
                        float(params.rnnFeatures.spectrogram.fps));
}

::Vamp::Plugin::FeatureSet RnnOnsetsPlugin::getRemainingFeatures() {
    FeatureSet out;
    if (!detector_) return out;
    const onsets::OnsetDetectorParams params;
    const int rate = params.rnnFeatures.spectrogram.sampleRate;
    onsets::OnsetDetection d;
    try {
        d = detector_->detect(signalAt(rate), rate);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab-onsets-rnn: %s\n", e.what());
        return out;
    }
    return onsetFeatures(d.times, d.activation, d.fps);
}

}  // namespace sonolab::vamp
