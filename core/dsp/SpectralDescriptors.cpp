#include "core/dsp/SpectralDescriptors.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {

SpectralDescriptors::SpectralDescriptors(SpectralParams p) : params_(p) {
    if (p.sampleRate <= 0 || p.nFft < 2) throw Error("spectral descriptors", "invalid sample rate or FFT size");
}

namespace {
// One value per frame of a (frames, bins) spectrogram: value(frame's bins, frame index).
template <typename Value>
std::vector<float> eachFrame(const Matrix& S, Value value) {
    S.requireLayout(Layout::FramesByBins, "spectral descriptors");
    std::vector<float> out(S.frames());
    for (std::size_t f = 0; f < S.frames(); ++f) out[f] = value(S.row(f), f);
    return out;
}
}  // namespace

std::vector<float> SpectralDescriptors::centroid(const Matrix& S) const {
    return eachFrame(S, [&](std::span<const float> fr, std::size_t) {
        double num = 0, den = 0;
        for (std::size_t k = 0; k < fr.size(); ++k) num += double(binHz(k)) * fr[k], den += fr[k];
        return den > 0 ? float(num / den) : 0.0f;
    });
}

std::vector<float> SpectralDescriptors::bandwidth(const Matrix& S) const {
    const auto c = centroid(S);
    const double p = params_.bandwidthP;
    return eachFrame(S, [&](std::span<const float> fr, std::size_t f) {
        double den = 0;
        for (float v : fr) den += v;
        if (den <= 0) return 0.0f;
        double acc = 0;
        for (std::size_t k = 0; k < fr.size(); ++k) acc += fr[k] / den * std::pow(std::abs(double(binHz(k)) - c[f]), p);
        return float(std::pow(acc, 1.0 / p));
    });
}

std::vector<float> SpectralDescriptors::rolloff(const Matrix& S) const {
    return eachFrame(S, [&](std::span<const float> fr, std::size_t) {
        double total = 0;
        for (float v : fr) total += v;
        if (total <= 0) return 0.0f;
        const double threshold = params_.rollPercent * total;
        double cum = 0;
        for (std::size_t k = 0; k < fr.size(); ++k) {
            cum += fr[k];
            if (cum >= threshold) return binHz(k);
        }
        return 0.0f;
    });
}

std::vector<float> SpectralDescriptors::flatness(const Matrix& S) const {
    return eachFrame(S, [&](std::span<const float> fr, std::size_t) {
        double logSum = 0, sum = 0;
        for (float v : fr) {
            const double x = std::max(double(params_.flatnessAmin), std::pow(double(v), double(params_.flatnessPower)));
            logSum += std::log(x);
            sum += x;
        }
        const double n = double(fr.size());
        return float(std::exp(logSum / n) / (sum / n));
    });
}

std::vector<float> SpectralDescriptors::flux(const Matrix& S) const {
    return eachFrame(S, [&](std::span<const float> now, std::size_t f) {
        if (f == 0) return 0.0f;
        const auto before = S.row(f - 1);
        double acc = 0;
        for (std::size_t k = 0; k < now.size(); ++k) acc += std::max(0.0f, now[k] - before[k]);
        return float(acc);
    });
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
