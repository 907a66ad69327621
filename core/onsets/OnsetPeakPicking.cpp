#include "core/onsets/OnsetPeakPicking.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonolab::onsets {
namespace {

// scipy.ndimage's placement of a window of `size` with `origin`: output i reads input [i - size/2 - origin, ...).
int windowStart(int size, int origin) { return -(size / 2) - origin; }

// numpy floor of a possibly negative half
int floorHalf(int v) { return int(std::floor(double(v) / 2.0)); }

}  // namespace

std::vector<float> smoothActivation(std::span<const float> activation, int smoothFrames) {
    std::vector<float> out(activation.begin(), activation.end());
    if (smoothFrames <= 1) return out;
    std::vector<double> kernel(static_cast<std::size_t>(smoothFrames));
    for (int k = 0; k < smoothFrames; ++k)
        kernel[std::size_t(k)] = 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * k / (smoothFrames - 1));
    // np.convolve(signal, kernel, 'same'): full convolution, centre part of the signal's length.
    const auto n = std::int64_t(activation.size());
    const auto m = std::int64_t(smoothFrames);
    const std::int64_t offset = (m - 1) / 2;
    for (std::int64_t i = 0; i < n; ++i) {
        double sum = 0;
        const std::int64_t full = i + offset;  // index into the full convolution
        for (std::int64_t k = 0; k < m; ++k) {
            const std::int64_t j = full - k;
            if (j >= 0 && j < n) sum += double(activation[std::size_t(j)]) * kernel[std::size_t(k)];
        }
        out[std::size_t(i)] = float(sum);
    }
    return out;
}

std::vector<int> pickPeaks(std::span<const float> activation, const PeakPickingParams& p) {
    if (p.preAvg < 0 || p.postAvg < 0 || p.preMax < 0 || p.postMax < 0 || p.smooth < 0)
        throw Error("peak picking", "window sizes must not be negative");
    const std::vector<float> act = smoothActivation(activation, p.smooth);
    const auto n = int(act.size());

    std::vector<float> detections(act.size());
    const int avgLength = p.preAvg + p.postAvg + 1;
    const int avgStart = windowStart(avgLength, floorHalf(p.preAvg - p.postAvg));
    for (int i = 0; i < n; ++i) {
        double movAvg = 0;
        if (avgLength > 1) {
            for (int k = 0; k < avgLength; ++k) {
                const int j = i + avgStart + k;
                if (j >= 0 && j < n) movAvg += act[std::size_t(j)];
            }
            movAvg /= avgLength;
        }
        const float a = act[std::size_t(i)];
        detections[std::size_t(i)] = (double(a) >= movAvg + double(p.threshold)) ? a : 0.0f;
    }

    const int maxLength = p.preMax + p.postMax + 1;
    const int maxStart = windowStart(maxLength, floorHalf(p.preMax - p.postMax));
    std::vector<int> peaks;
    for (int i = 0; i < n; ++i) {
        const float d = detections[std::size_t(i)];
        if (d == 0.0f) continue;  // np.nonzero
        if (maxLength > 1) {
            float movMax = 0.0f;  // mode='constant', cval 0
            bool first = true;
            for (int k = 0; k < maxLength; ++k) {
                const int j = i + maxStart + k;
                const float v = (j >= 0 && j < n) ? detections[std::size_t(j)] : 0.0f;
                if (first || v > movMax) movMax = v;
                first = false;
            }
            if (d != movMax) continue;
        }
        peaks.push_back(i);
    }
    return peaks;
}

std::vector<double> combineEvents(std::vector<double> events, double delta, CombineMode mode) {
    if (events.size() <= 1) return events;
    std::sort(events.begin(), events.end());
    // A little slack: onsets quantised to frames must combine at exactly `delta` apart despite rounding.
    const double limit = delta + 1e-9;
    std::size_t idx = 0;
    for (std::size_t i = 1; i < events.size(); ++i) {
        const double right = events[i];
        if (right - events[idx] > limit) {
            events[++idx] = right;
        } else if (mode == CombineMode::Mean) {
            events[idx] = 0.5 * (right + events[idx]);
        }
    }
    events.resize(idx + 1);
    return events;
}

std::vector<double> pickOnsets(std::span<const float> activation, const OnsetPeakPickingParams& p) {
    if (p.fps <= 0) throw Error("peak picking", "fps must be > 0");
    auto frames = [&](double seconds) { return int(std::nearbyint(seconds * p.fps)); };
    const PeakPickingParams pp{.threshold = p.threshold, .smooth = frames(p.smooth), .preAvg = frames(p.preAvg),
                               .postAvg = frames(p.postAvg), .preMax = frames(p.preMax), .postMax = frames(p.postMax)};
    std::vector<double> onsets;
    for (int frame : pickPeaks(activation, pp)) onsets.push_back(double(frame) / p.fps + p.delay);
    if (p.combine > 0) onsets = combineEvents(std::move(onsets), p.combine, CombineMode::Left);
    return onsets;
}

std::vector<double> pickFluxOnsets(std::span<const float> flux, double fps, const PeakPickingParams& params) {
    if (fps <= 0) throw Error("peak picking", "fps must be > 0");
    std::vector<double> onsets;
    for (int frame : pickPeaks(flux, params)) onsets.push_back(double(frame) / fps);
    return onsets;
}

}  // namespace sonolab::onsets
