#include "core/dsp/Stft.h"

#include "core/util/Error.h"

#include <algorithm>

namespace sonolab::dsp {
namespace {

StftParams validated(StftParams p) {
    if (p.nFft < 2) throw Error("stft", "nFft must be at least 2");
    if (p.hop < 1) throw Error("stft", "hop must be at least 1");
    if (p.winLength == 0) p.winLength = p.nFft;
    if (p.winLength < 1 || p.winLength > p.nFft) throw Error("stft", "winLength must be in 1..nFft");
    return p;
}

// numpy.pad(mode="reflect") index for any position, folding repeatedly for pads longer than the signal.
std::size_t reflectIndex(long long p, long long n) {
    if (n == 1) return 0;
    const long long period = 2 * (n - 1);
    p %= period;
    if (p < 0) p += period;
    return static_cast<std::size_t>(p < n ? p : period - p);
}

}  // namespace

Stft::Stft(StftParams params) : params_(validated(params)), fft_(params_.nFft) {
    window_.assign(static_cast<std::size_t>(params_.nFft), 0.0f);
    auto w = makeWindow(params_.window, params_.winLength, params_.periodicWindow);
    const std::size_t left = static_cast<std::size_t>((params_.nFft - params_.winLength) / 2);  // librosa pad_center
    std::copy(w.begin(), w.end(), window_.begin() + static_cast<std::ptrdiff_t>(left));
}

Stft::~Stft() = default;
Stft::Stft(Stft&&) noexcept = default;
Stft& Stft::operator=(Stft&&) noexcept = default;

std::size_t Stft::frameCount(std::size_t n) const {
    const auto nFft = static_cast<std::size_t>(params_.nFft);
    const auto hop = static_cast<std::size_t>(params_.hop);
    if (params_.center) return n == 0 ? 0 : 1 + (n + 2 * (nFft / 2) - nFft) / hop;
    return n < nFft ? 0 : 1 + (n - nFft) / hop;
}

void Stft::frame(std::span<const float> signal, std::size_t index, std::span<float> out, bool magnitude) {
    const long long nFft = params_.nFft;
    const long long n = static_cast<long long>(signal.size());
    const long long start = static_cast<long long>(index) * params_.hop - (params_.center ? nFft / 2 : 0);
    auto in = fft_.input();
    const float* w = window_.data();
    if (start >= 0 && start + nFft <= n) {
        const float* x = signal.data() + start;
        for (long long j = 0; j < nFft; ++j) in[static_cast<std::size_t>(j)] = x[j] * w[j];
    } else {
        for (long long j = 0; j < nFft; ++j) {
            const long long p = start + j;
            float v = 0.0f;
            if (params_.center) v = signal[reflectIndex(p, n)];
            else if (p >= 0 && p < n) v = signal[static_cast<std::size_t>(p)];
            in[static_cast<std::size_t>(j)] = v * w[j];
        }
    }
    fft_.execute();
    auto X = fft_.output();
    const std::size_t bins = X.size();
    if (magnitude) {
        for (std::size_t k = 0; k < bins; ++k) out[k] = std::abs(X[k]);
    } else {
        for (std::size_t k = 0; k < bins; ++k) {
            const float re = X[k].real(), im = X[k].imag();
            out[k] = re * re + im * im;
        }
    }
}

Matrix Stft::power(std::span<const float> signal) { return power(signal, 0, frameCount(signal.size())); }
Matrix Stft::magnitude(std::span<const float> signal) { return magnitude(signal, 0, frameCount(signal.size())); }

Matrix Stft::power(std::span<const float> signal, std::size_t first, std::size_t count) {
    return frames(signal, first, count, false);
}

Matrix Stft::magnitude(std::span<const float> signal, std::size_t first, std::size_t count) {
    return frames(signal, first, count, true);
}

Matrix Stft::frames(std::span<const float> signal, std::size_t first, std::size_t count, bool magnitude) {
    const std::size_t total = frameCount(signal.size());
    first = std::min(first, total);
    Matrix s(std::min(count, total - first), static_cast<std::size_t>(bins()), Layout::FramesByBins);
    for (std::size_t f = 0; f < s.frames(); ++f) frame(signal, first + f, s.mutableRow(f), magnitude);
    return s;
}

}  // namespace sonolab::dsp
