#include "core/dsp/PeakPicking.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {

std::vector<std::size_t> pickPeaks(std::span<const float> act, const PeakPickingParams& p) {
    std::vector<std::size_t> peaks;
    const long long n = static_cast<long long>(act.size());
    const int preMax = std::max(0, p.preMax), postMax = std::max(0, p.postMax);
    const int preAvg = std::max(0, p.preAvg), postAvg = std::max(0, p.postAvg);
    // Running sum for the moving average, padded with zeros outside the signal.
    std::vector<double> prefix(static_cast<std::size_t>(n) + 1, 0.0);
    for (long long i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + act[i];
    const double avgLength = preAvg + postAvg + 1;
    for (long long i = 0; i < n; ++i) {
        const float v = act[i];
        if (v == 0.0f) continue;  // madmom multiplies by the activation: a zero never counts as a detection
        float mx = (i - preMax < 0 || i + postMax >= n) ? 0.0f : -INFINITY;
        for (long long j = std::max(0LL, i - preMax); j <= std::min(n - 1, i + postMax); ++j) mx = std::max(mx, act[j]);
        if (v != mx) continue;
        const long long a = std::max(0LL, i - preAvg), b = std::min(n - 1, i + postAvg);
        const double mean = (prefix[b + 1] - prefix[a]) / avgLength;
        if (double(v) < mean + p.threshold) continue;
        if (p.combineFrames > 0 && !peaks.empty() && i - static_cast<long long>(peaks.back()) < p.combineFrames)
            continue;
        peaks.push_back(static_cast<std::size_t>(i));
    }
    return peaks;
}

std::vector<double> pickOnsetTimes(std::span<const float> act, double fps, const PeakPickingParams& p) {
    std::vector<double> times;
    for (auto i : pickPeaks(act, p)) times.push_back(double(i) / fps);
    return times;
}

}  // namespace sonolab::dsp
