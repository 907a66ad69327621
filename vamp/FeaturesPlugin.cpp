#include "FeaturesPlugin.h"

#include "core/extraction/FeatureKinds.h"

#include <array>

namespace sonolab::vamp {
namespace {

// Output index -> the feature kind of `sonolab-cli features --kind`.
constexpr std::array<const char*, 2> kKinds{"logmel", "mfcc"};

features::FeatureSpec specOf(const char* kind) { return extraction::specFor({.kind = kind}); }

}  // namespace

std::string FeaturesPlugin::getDescription() const {
    return "Log-mel spectrogram (dB) and MFCCs as sonolab-cli features --kind logmel|mfcc computes them";
}

::Vamp::Plugin::OutputList FeaturesPlugin::getOutputDescriptors() const {
    const extraction::FeatureOptions defaults;
    OutputList outputs;
    for (const char* kind : kKinds) {
        OutputDescriptor d;
        d.identifier = kind;
        d.name = std::string(kind) == "logmel" ? "Log-mel spectrogram" : "MFCC";
        d.description = std::string("sonolab-cli features --kind ") + kind;
        d.unit = std::string(kind) == "logmel" ? "dB" : "";
        d.hasFixedBinCount = true;
        d.binCount = std::size_t(std::string(kind) == "logmel" ? defaults.nMels : defaults.nMfcc);
        d.hasKnownExtents = false;
        d.isQuantized = false;
        d.sampleType = OutputDescriptor::FixedSampleRate;
        d.sampleRate = float(defaults.sampleRate) / float(defaults.hop);
        outputs.push_back(d);
    }
    return outputs;
}

::Vamp::Plugin::FeatureSet FeaturesPlugin::getRemainingFeatures() {
    FeatureSet out;
    for (std::size_t k = 0; k < kKinds.size(); ++k) {
        const auto spec = specOf(kKinds[k]);
        const auto m = extraction::computeFeature(spec, signalAt(extraction::decodeRateFor(spec)));
        // (bins, frames) in C order (Layout::BinsByFrames): frame f is column f.
        const std::size_t bins = m.bins(), frames = m.frames();
        const auto data = m.values();
        const double frameSeconds = double(spec.number("hop", 512)) / double(extraction::decodeRateFor(spec));
        for (std::size_t f = 0; f < frames; ++f) {
            Feature feature;
            feature.hasTimestamp = true;
            feature.timestamp = ::Vamp::RealTime::fromSeconds(double(f) * frameSeconds);
            feature.values.resize(bins);
            for (std::size_t b = 0; b < bins; ++b) feature.values[b] = data[b * frames + f];
            out[int(k)].push_back(std::move(feature));
        }
    }
    return out;
}

}  // namespace sonolab::vamp
