#include "WholeSignalPlugin.h"

#include "core/audio/Resample.h"

#include <cmath>

namespace sonolab::vamp {

bool WholeSignalPlugin::initialise(size_t channels, size_t stepSize, size_t blockSize) {
    // One channel: hosts mix down (the Vamp host SDK's channel adapter), as the CLI decodes to mono.
    if (channels != 1 || stepSize == 0 || stepSize > blockSize) return false;
    step_ = stepSize;
    samples_.clear();
    return true;
}

::Vamp::Plugin::FeatureSet WholeSignalPlugin::process(const float* const* inputBuffers, ::Vamp::RealTime) {
    // Consecutive blocks overlap by blockSize - stepSize; the new samples are the first stepSize of each.
    samples_.insert(samples_.end(), inputBuffers[0], inputBuffers[0] + step_);
    return {};
}

std::vector<float> WholeSignalPlugin::signalAt(int rate) const {
    const int hostRate = int(std::lround(m_inputSampleRate));
    if (hostRate == rate) return samples_;
    return audio::resample(audio::AudioBuffer{hostRate, 1, samples_}, rate, true).samples;
}

}  // namespace sonolab::vamp
