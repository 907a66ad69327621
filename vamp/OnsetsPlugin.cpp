#include "OnsetsPlugin.h"

#include "core/onsets/OnsetFeatures.h"
#include "core/onsets/OnsetPeakPicking.h"

namespace sonolab::vamp {

namespace {
enum Output { kOnsets = 0, kDetection = 1 };
}

std::string OnsetsPlugin::getDescription() const {
    return "Note onsets by spectral flux of a log-filtered spectrogram (madmom's order, peak picking threshold 1.25), "
           "as sonolab-cli onsets --method flux";
}

::Vamp::Plugin::OutputList OnsetsPlugin::getOutputDescriptors() const {
    const onsets::OnsetSpectrogramParams params;
    OutputDescriptor onsetsOut;
    onsetsOut.identifier = "onsets";
    onsetsOut.name = "Onsets";
    onsetsOut.description = "Onset instants";
    onsetsOut.hasFixedBinCount = true;
    onsetsOut.binCount = 0;
    onsetsOut.sampleType = OutputDescriptor::VariableSampleRate;
    onsetsOut.sampleRate = float(params.fps);  // times are frame times: 1/fps resolution

    OutputDescriptor detection;
    detection.identifier = "detection";
    detection.name = "Detection function";
    detection.description = "Spectral flux: positive differences of the log-filtered spectrogram, summed per frame";
    detection.hasFixedBinCount = true;
    detection.binCount = 1;
    detection.hasKnownExtents = false;
    detection.isQuantized = false;
    detection.sampleType = OutputDescriptor::FixedSampleRate;
    detection.sampleRate = float(params.fps);
    return {onsetsOut, detection};
}

::Vamp::Plugin::FeatureSet OnsetsPlugin::getRemainingFeatures() {
    const onsets::OnsetSpectrogramParams params;
    // At 44.1 kHz, as the CLI decodes to: the filterbank and 100 fps assume it.
    const auto mono = signalAt(params.sampleRate);
    const auto activation = onsets::spectralFlux(mono, params);
    const auto times = onsets::pickFluxOnsets(activation, params.fps);
    FeatureSet out;
    for (double t : times) {
        Feature f;
        f.hasTimestamp = true;
        f.timestamp = ::Vamp::RealTime::fromSeconds(t);
        out[kOnsets].push_back(f);
    }
    for (std::size_t i = 0; i < activation.size(); ++i) {
        Feature f;
        f.hasTimestamp = true;
        f.timestamp = ::Vamp::RealTime::fromSeconds(double(i) / params.fps);
        f.values.push_back(activation[i]);
        out[kDetection].push_back(f);
    }
    return out;
}

}  // namespace sonolab::vamp
