#pragma once
// Peak picking of an onset detection function, as madmom's peak_picking() and OnsetPeakPickingProcessor (the one
// peak picker in Sonolab; checked against scripts/reference/madmom_onsets_reference.py), in madmom's order:
//   optional smoothing with an (unnormalised) Hamming window of `smooth` frames (np.convolve 'same');
//   a frame is kept when it is >= its moving average over [f - preAvg, f + postAvg] plus threshold
//   (zero-padded at the edges, scipy uniform_filter mode='constant'),
//   and equal to the maximum over [f - preMax, f + postMax] of the kept values.
// OnsetPeakPicking works in seconds and combines onsets closer than `combine` seconds (keeping the first).
#include <span>
#include <vector>

namespace sonolab::onsets {

struct PeakPickingParams {
    float threshold = 1.25f;
    int smooth = 0;  // frames of the Hamming window (0 or 1: none)
    int preAvg = 15;
    int postAvg = 0;
    int preMax = 1;
    int postMax = 5;
};

// Frame indices of the picked peaks, ascending.
std::vector<int> pickPeaks(std::span<const float> activation, const PeakPickingParams& params);
// The smoothed function pickPeaks() thresholds (for display).
std::vector<float> smoothActivation(std::span<const float> activation, int smoothFrames);

enum class CombineMode { Left, Mean };
// Events (ascending seconds) closer than delta to the first event of their group are merged into it.
std::vector<double> combineEvents(std::vector<double> events, double delta, CombineMode mode = CombineMode::Left);

struct OnsetPeakPickingParams {
    double fps = 100.0;
    float threshold = 0.35f;
    double smooth = 0.07;  // seconds
    double preAvg = 0.0;
    double postAvg = 0.0;
    double preMax = 0.01;
    double postMax = 0.01;
    double combine = 0.03;
    double delay = 0.0;  // added to every onset
};

// Onset times in seconds.
std::vector<double> pickOnsets(std::span<const float> activation, const OnsetPeakPickingParams& params = {});

// The tutorial's spectral-flux peak picking (part 3a) at `fps`, returned as seconds.
std::vector<double> pickFluxOnsets(std::span<const float> flux, double fps = 100.0, const PeakPickingParams& params = {});

}  // namespace sonolab::onsets
