#pragma once
// Onset peak picking as madmom.features.onsets.peak_picking (the function the tutorial calls):
// frame i is a detection when act[i] equals the maximum of act[i-preMax .. i+postMax] and
// act[i] >= mean(act[i-preAvg .. i+postAvg]) + threshold; values outside the signal count as 0 in both windows
// (scipy's mode='constant') and the mean always divides by preAvg+postAvg+1. All sizes in frames.
// The tutorial's values are the defaults.
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::dsp {

struct PeakPickingParams {
    float threshold = 1.25f;
    int preMax = 1;
    int postMax = 5;
    int preAvg = 15;
    int postAvg = 0;
    int combineFrames = 0;  // > 0: drop a detection closer than this to the previous kept one
};

// Frame indices of the detected peaks, ascending.
std::vector<std::size_t> pickPeaks(std::span<const float> activation, const PeakPickingParams& params = {});
// The same as times in seconds (index / fps).
std::vector<double> pickOnsetTimes(std::span<const float> activation, double fps, const PeakPickingParams& params = {});

}  // namespace sonolab::dsp
