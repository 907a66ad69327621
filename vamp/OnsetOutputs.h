#pragma once
// The two outputs every Sonolab onset plugin gives, in the same order and form: onset instants (no value) and the
// detection function, one value per frame at `fps`. What differs between detectors is only the wording and
// whether the function has known bounds (a probability) or not (spectral flux).
#include <vamp-sdk/Plugin.h>

#include <optional>
#include <span>
#include <string>
#include <utility>

namespace sonolab::vamp {

struct OnsetOutputText {
    std::string onsetsDescription;
    std::string detectionName;
    std::string detectionDescription;
    std::optional<std::pair<float, float>> detectionExtents;  // {min, max} when known
};

::Vamp::Plugin::OutputList onsetOutputs(const OnsetOutputText& text, float fps);
// Instants on output 0, the detection function (frame i at i / fps) on output 1.
::Vamp::Plugin::FeatureSet onsetFeatures(std::span<const double> times, std::span<const float> detection, double fps);

}  // namespace sonolab::vamp
