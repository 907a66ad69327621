#include "RnnOnsetsPlugin.h"

#include "core/ml/OnsetRnnModel.h"
#include "core/onsets/rnn/OnsetDetector.h"

#include <cstdio>

namespace sonolab::vamp {

namespace {
enum Output { kOnsets = 0, kDetection = 1 };

RunSearch onsetRuns() {
    return {.isRun = [](const std::filesystem::path& dir) { return std::filesystem::exists(dir / ml::OnsetRnnModel::kFileName); },
            .appFolders = {"onset-runs"}};
}

::Vamp::Plugin::Feature instant(double seconds) {
    ::Vamp::Plugin::Feature f;
    f.hasTimestamp = true;
    f.timestamp = ::Vamp::RealTime::fromSeconds(seconds);
    return f;
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
    const float fps = float(params.rnnFeatures.spectrogram.fps);
    OutputDescriptor onsetsOut;
    onsetsOut.identifier = "onsets";
    onsetsOut.name = "Onsets";
    onsetsOut.description = "Onset instants (peaks of the network's activation)";
    onsetsOut.hasFixedBinCount = true;
    onsetsOut.binCount = 0;
    onsetsOut.sampleType = OutputDescriptor::VariableSampleRate;
    onsetsOut.sampleRate = fps;

    OutputDescriptor detection;
    detection.identifier = "detection";
    detection.name = "Onset probability";
    detection.description = "The recurrent network's onset activation per frame";
    detection.hasFixedBinCount = true;
    detection.binCount = 1;
    detection.hasKnownExtents = true;
    detection.minValue = 0;
    detection.maxValue = 1;
    detection.isQuantized = false;
    detection.sampleType = OutputDescriptor::FixedSampleRate;
    detection.sampleRate = fps;
    return {onsetsOut, detection};
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
    for (double t : d.times) out[kOnsets].push_back(instant(t));
    for (std::size_t i = 0; i < d.activation.size(); ++i) {
        auto f = instant(double(i) / d.fps);
        f.values.push_back(d.activation[i]);
        out[kDetection].push_back(std::move(f));
    }
    return out;
}

}  // namespace sonolab::vamp
