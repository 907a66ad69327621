#include "core/dsp/MelFilterbank.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {
namespace {
// Slaney's Auditory Toolbox scale: linear 0..1000 Hz at 200/3 Hz per mel, logarithmic above.
constexpr double kFsp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFsp;
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double hzToMelD(double hz, bool htk) {
    if (htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz >= kMinLogHz) return kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
    return hz / kFsp;
}

double melToHzD(double mel, bool htk) {
    if (htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= kMinLogMel) return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
    return kFsp * mel;
}

float hzToMel(float hz, bool htk) { return static_cast<float>(hzToMelD(hz, htk)); }
float melToHz(float mel, bool htk) { return static_cast<float>(melToHzD(mel, htk)); }

MelFilterbank::MelFilterbank(MelParams p) : params_(p) {
    if (p.sampleRate <= 0) throw Error("mel", "sample rate must be positive");
    if (p.nFft < 2) throw Error("mel", "nFft must be at least 2");
    if (p.nMels < 1) throw Error("mel", "nMels must be at least 1");
    if (params_.fmax <= 0) params_.fmax = static_cast<float>(p.sampleRate) / 2.0f;
    if (params_.fmin < 0 || params_.fmin >= params_.fmax)
        throw Error("mel", "need 0 <= fmin < fmax, got fmin " + std::to_string(params_.fmin) + " fmax " +
                               std::to_string(params_.fmax));
    const int nMels = p.nMels, nBins = p.nFft / 2 + 1;
    // In double, as librosa computes before casting to float32.
    const double melMin = hzToMelD(params_.fmin, p.htk), melMax = hzToMelD(params_.fmax, p.htk);
    std::vector<double> melF(static_cast<std::size_t>(nMels + 2));
    for (int i = 0; i < nMels + 2; ++i)
        melF[i] = melToHzD(melMin + (melMax - melMin) * i / double(nMels + 1), p.htk);
    dense_.assign(static_cast<std::size_t>(nMels) * nBins, 0.0f);
    first_.assign(nMels, 0);
    last_.assign(nMels, 0);
    offset_.assign(nMels, 0);
    for (int m = 0; m < nMels; ++m) {
        const double lo = melF[m], mid = melF[m + 1], hi = melF[m + 2];
        const double norm = p.slaneyNorm ? 2.0 / (hi - lo) : 1.0;
        int first = nBins, last = 0;
        for (int k = 0; k < nBins; ++k) {
            const double f = double(p.sampleRate) * k / p.nFft;  // == linspace(0, sr/2, nBins)
            const double lower = (f - lo) / (mid - lo);
            const double upper = (hi - f) / (hi - mid);
            const double w = std::max(0.0, std::min(lower, upper)) * norm;
            if (w > 0) {
                dense_[static_cast<std::size_t>(m) * nBins + k] = static_cast<float>(w);
                first = std::min(first, k);
                last = k + 1;
            }
        }
        if (last <= first) first = last = 0;  // an empty filter (too many bands for nFft), as librosa warns
        first_[m] = first;
        last_[m] = last;
        offset_[m] = static_cast<int>(packed_.size());
        for (int k = first; k < last; ++k) packed_.push_back(dense_[static_cast<std::size_t>(m) * nBins + k]);
    }
}

void MelFilterbank::applyFrame(std::span<const float> frame, std::span<float> out) const {
    const float* x = frame.data();
    for (int m = 0; m < params_.nMels; ++m) {
        const float* w = packed_.data() + offset_[m];
        const float* xs = x + first_[m];
        const int n = last_[m] - first_[m];
        // Four independent sums: a single running sum is bound by the latency of each add.
        float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            a0 += w[k] * xs[k];
            a1 += w[k + 1] * xs[k + 1];
            a2 += w[k + 2] * xs[k + 2];
            a3 += w[k + 3] * xs[k + 3];
        }
        for (; k < n; ++k) a0 += w[k] * xs[k];
        out[static_cast<std::size_t>(m)] = (a0 + a1) + (a2 + a3);
    }
}

Matrix MelFilterbank::apply(const Matrix& s) const {
    s.requireLayout(Layout::FramesByBins, "mel");
    if (s.bins() != static_cast<std::size_t>(bins()))
        throw Error("mel", "spectrogram has " + std::to_string(s.bins()) + " bins, the filterbank expects " +
                               std::to_string(bins()));
    Matrix out(s.frames(), static_cast<std::size_t>(bands()), Layout::FramesByBins);
    for (std::size_t f = 0; f < s.frames(); ++f) applyFrame(s.row(f), out.mutableRow(f));
    return out;
}

}  // namespace sonolab::dsp
