#include "OnsetsPlugin.h"

#include "OnsetOutputs.h"

#include "core/onsets/OnsetFeatures.h"
#include "core/onsets/OnsetPeakPicking.h"

namespace sonolab::vamp {

std::string OnsetsPlugin::getDescription() const {
    return "Note onsets by spectral flux of a log-filtered spectrogram (madmom's order, peak picking threshold 1.25), "
           "as sonolab-cli onsets --method flux";
}

::Vamp::Plugin::OutputList OnsetsPlugin::getOutputDescriptors() const {
    const onsets::OnsetSpectrogramParams params;
    return onsetOutputs({.onsetsDescription = "Onset instants",
                         .detectionName = "Detection function",
                         .detectionDescription =
                             "Spectral flux: positive differences of the log-filtered spectrogram, summed per frame"},
                        float(params.fps));
}

::Vamp::Plugin::FeatureSet OnsetsPlugin::getRemainingFeatures() {
    const onsets::OnsetSpectrogramParams params;
    // At 44.1 kHz, as the CLI decodes to: the filterbank and 100 fps assume it.
    const auto mono = signalAt(params.sampleRate);
    const auto activation = onsets::spectralFlux(mono, params);
    const auto times = onsets::pickFluxOnsets(activation, params.fps);
    return onsetFeatures(times, activation, params.fps);
}

}  // namespace sonolab::vamp
