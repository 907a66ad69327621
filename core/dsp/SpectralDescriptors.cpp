#include "core/dsp/SpectralDescriptors.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {

SpectralDescriptors::SpectralDescriptors(SpectralParams p) : params_(p) {
    if (p.sampleRate <= 0 || p.nFft < 2) throw Error("spectral descriptors", "invalid sample rate or FFT size");
}

std::vector<float> SpectralDescriptors::centroid(const Matrix& S) const {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    std::vector<float> out(S.frames(), 0.0f);
    for (std::size_t f = 0; f < S.frames(); ++f) {
        auto fr = S.row(f);
        double num = 0, den = 0;
        for (std::size_t k = 0; k < S.bins(); ++k) num += double(binHz(k)) * fr[k], den += fr[k];
        out[f] = den > 0 ? float(num / den) : 0.0f;
    }
    return out;
}

std::vector<float> SpectralDescriptors::bandwidth(const Matrix& S) const {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    const auto c = centroid(S);
    std::vector<float> out(S.frames(), 0.0f);
    const double p = params_.bandwidthP;
    for (std::size_t f = 0; f < S.frames(); ++f) {
        auto fr = S.row(f);
        double den = 0;
        for (float v : fr) den += v;
        if (den <= 0) continue;
        double acc = 0;
        for (std::size_t k = 0; k < S.bins(); ++k) acc += fr[k] / den * std::pow(std::abs(double(binHz(k)) - c[f]), p);
        out[f] = float(std::pow(acc, 1.0 / p));
    }
    return out;
}

std::vector<float> SpectralDescriptors::rolloff(const Matrix& S) const {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    std::vector<float> out(S.frames(), 0.0f);
    for (std::size_t f = 0; f < S.frames(); ++f) {
        auto fr = S.row(f);
        double total = 0;
        for (float v : fr) total += v;
        if (total <= 0) continue;
        const double threshold = params_.rollPercent * total;
        double cum = 0;
        for (std::size_t k = 0; k < S.bins(); ++k) {
            cum += fr[k];
            if (cum >= threshold) {
                out[f] = binHz(k);
                break;
            }
        }
    }
    return out;
}

std::vector<float> SpectralDescriptors::flatness(const Matrix& S) const {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    std::vector<float> out(S.frames(), 1.0f);
    for (std::size_t f = 0; f < S.frames(); ++f) {
        auto fr = S.row(f);
        double logSum = 0, sum = 0;
        for (float v : fr) {
            const double x = std::max(double(params_.flatnessAmin), std::pow(double(v), double(params_.flatnessPower)));
            logSum += std::log(x);
            sum += x;
        }
        const double n = double(S.bins());
        out[f] = float(std::exp(logSum / n) / (sum / n));
    }
    return out;
}

std::vector<float> SpectralDescriptors::flux(const Matrix& S) const {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    std::vector<float> out(S.frames(), 0.0f);
    for (std::size_t f = 1; f < S.frames(); ++f) {
        auto now = S.row(f), before = S.row(f - 1);
        double acc = 0;
        for (std::size_t k = 0; k < S.bins(); ++k) acc += std::max(0.0f, now[k] - before[k]);
        out[f] = float(acc);
    }
    return out;
}

namespace {
template <typename PerFrame>
std::vector<float> framewise(std::span<const float> x, const FrameParams& p, bool edgePad, PerFrame perFrame) {
    if (p.frameLength < 1 || p.hop < 1) throw Error("framing", "frame length and hop must be positive");
    const long long n = static_cast<long long>(x.size()), L = p.frameLength;
    const long long pad = p.center ? L / 2 : 0;
    const long long padded = n + 2 * pad;
    if (padded < L || n == 0) return {};
    const std::size_t frames = static_cast<std::size_t>(1 + (padded - L) / p.hop);
    std::vector<float> out(frames);
    std::vector<float> buf(static_cast<std::size_t>(L));
    for (std::size_t f = 0; f < frames; ++f) {
        const long long start = static_cast<long long>(f) * p.hop - pad;
        for (long long j = 0; j < L; ++j) {
            const long long i = start + j;
            buf[j] = (i >= 0 && i < n) ? x[i] : (edgePad ? x[std::clamp(i, 0LL, n - 1)] : 0.0f);
        }
        out[f] = perFrame(buf);
    }
    return out;
}
}  // namespace

std::vector<float> zeroCrossingRate(std::span<const float> x, const FrameParams& p) {
    return framewise(x, p, true, [](const std::vector<float>& b) {
        auto negative = [](float v) { return std::abs(v) <= 1e-10f ? false : std::signbit(v); };
        std::size_t crossings = 0;
        for (std::size_t i = 1; i < b.size(); ++i) crossings += negative(b[i]) != negative(b[i - 1]);
        return float(double(crossings) / double(b.size()));
    });
}

std::vector<float> rms(std::span<const float> x, const FrameParams& p) {
    return framewise(x, p, false, [](const std::vector<float>& b) {
        double acc = 0;
        for (float v : b) acc += double(v) * v;
        return float(std::sqrt(acc / double(b.size())));
    });
}

}  // namespace sonolab::dsp
