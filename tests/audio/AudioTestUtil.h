#pragma once
// Helpers for audio tests (header-only so tests/playback can use them too).
#include "support/TestSupport.h"

#include <cmath>
#include <filesystem>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace sonolab::test {

// Frequency of the strongest DFT bin between 20 Hz and maxHz, over `n` samples from the middle of a mono signal.
// A direct DFT restricted to the low bins: exact, independent of the project's FFT code, and quick enough.
inline double peakFrequency(std::span<const float> mono, int sampleRate, std::size_t n = 16384, double maxHz = 2000) {
    if (mono.size() < n) n = mono.size();
    const std::size_t offset = (mono.size() - n) / 2;
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = (0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(i) / double(n))) * mono[offset + i];
    double bestHz = 0, best = -1;
    const auto maxBin = static_cast<std::size_t>(maxHz * double(n) / sampleRate);
    for (std::size_t k = std::size_t(20.0 * double(n) / sampleRate) + 1; k <= maxBin; ++k) {
        // e^{-i w t} advanced by one complex multiplication per sample instead of a sin and a cos.
        const double w = 2 * std::numbers::pi * double(k) / double(n);
        const double cw = std::cos(w), sw = std::sin(w);
        double c = 1, s = 0, re = 0, im = 0;
        for (std::size_t i = 0; i < n; ++i) {
            re += x[i] * c;
            im -= x[i] * s;
            const double nc = c * cw - s * sw;
            s = s * cw + c * sw;
            c = nc;
        }
        const double mag = re * re + im * im;
        if (mag > best) {
            best = mag;
            bestHz = double(k) * sampleRate / double(n);
        }
    }
    return bestHz;
}

inline double rms(std::span<const float> x) {
    double s = 0;
    for (float v : x) s += double(v) * v;
    return x.empty() ? 0 : std::sqrt(s / double(x.size()));
}

// Encodes a WAV with the ffmpeg CLI (an independent encoder); returns false when ffmpeg or the codec is missing.
inline bool ffmpegEncode(const std::filesystem::path& wav, const std::filesystem::path& out, const std::string& codecArgs) {
    if (!haveProgram("ffmpeg")) return false;
    return run("ffmpeg -nostdin -loglevel error -y -i '" + wav.string() + "' " + codecArgs + " '" + out.string() + "'") == 0;
}

}  // namespace sonolab::test
