#include "OnsetOutputs.h"

namespace sonolab::vamp {
namespace {

::Vamp::Plugin::Feature instant(double seconds) {
    ::Vamp::Plugin::Feature f;
    f.hasTimestamp = true;
    f.timestamp = ::Vamp::RealTime::fromSeconds(seconds);
    return f;
}

}  // namespace

::Vamp::Plugin::OutputList onsetOutputs(const OnsetOutputText& text, float fps) {
    using OutputDescriptor = ::Vamp::Plugin::OutputDescriptor;
    OutputDescriptor onsetsOut;
    onsetsOut.identifier = "onsets";
    onsetsOut.name = "Onsets";
    onsetsOut.description = text.onsetsDescription;
    onsetsOut.hasFixedBinCount = true;
    onsetsOut.binCount = 0;
    onsetsOut.sampleType = OutputDescriptor::VariableSampleRate;
    onsetsOut.sampleRate = fps;  // times are frame times: 1/fps resolution

    OutputDescriptor detection;
    detection.identifier = "detection";
    detection.name = text.detectionName;
    detection.description = text.detectionDescription;
    detection.hasFixedBinCount = true;
    detection.binCount = 1;
    detection.hasKnownExtents = text.detectionExtents.has_value();
    if (text.detectionExtents) {
        detection.minValue = text.detectionExtents->first;
        detection.maxValue = text.detectionExtents->second;
    }
    detection.isQuantized = false;
    detection.sampleType = OutputDescriptor::FixedSampleRate;
    detection.sampleRate = fps;
    return {onsetsOut, detection};
}

::Vamp::Plugin::FeatureSet onsetFeatures(std::span<const double> times, std::span<const float> detection, double fps) {
    ::Vamp::Plugin::FeatureSet out;
    for (double t : times) out[0].push_back(instant(t));
    for (std::size_t i = 0; i < detection.size(); ++i) {
        auto f = instant(double(i) / fps);
        f.values.push_back(detection[i]);
        out[1].push_back(std::move(f));
    }
    return out;
}

}  // namespace sonolab::vamp
