#include "core/onsets/OnsetFeatures.h"

#include "core/dsp/RealFft.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>

namespace sonolab::onsets {
namespace {

// Magnitudes of one frame. Built on dsp::RealFft so that every FFTW plan in the process is made under one planner
// lock: FFTW's planner is not thread-safe, and onset detection plans while the spectrogram view renders tiles.
class MagnitudeFft {
public:
    explicit MagnitudeFft(int n) : fft_(n) {}
    float* input() { return fft_.input().data(); }
    // |X[k]| for k < count
    void magnitudes(float* dst, std::size_t count) {
        fft_.execute();
        const auto out = fft_.output();
        for (std::size_t k = 0; k < count; ++k) dst[k] = std::hypot(out[k].real(), out[k].imag());
    }

private:
    dsp::RealFft fft_;
};

std::vector<float> symmetricHann(int n) {
    std::vector<float> w(std::size_t(n), 1.0f);
    if (n == 1) return w;
    for (int i = 0; i < n; ++i) w[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / (n - 1)));
    return w;
}

void checkParams(int sampleRate, double fps, int frameSize) {
    if (sampleRate <= 0 || fps <= 0 || frameSize < 16 || frameSize % 2 != 0)
        throw Error("onset features", "needs a sample rate and fps > 0 and an even frame size >= 16");
}

}  // namespace

Matrix logFilteredSpectrogram(std::span<const float> mono, const OnsetSpectrogramParams& p) {
    checkParams(p.sampleRate, p.fps, p.frameSize);
    const double hop = double(p.sampleRate) / p.fps;
    const std::size_t frames = mono.empty() ? 0 : std::size_t(std::ceil(double(mono.size()) / hop));
    const std::size_t bins = std::size_t(p.frameSize / 2);
    LogFilterbank filterbank(bins, p.sampleRate, {.bandsPerOctave = p.bandsPerOctave, .fmin = p.fmin, .fmax = p.fmax});
    Matrix out(frames, filterbank.bands(), Layout::FramesByBins);
    if (frames == 0) return out;

    MagnitudeFft fft(p.frameSize);
    const auto window = symmetricHann(p.frameSize);
    std::vector<float> magnitudes(bins);
    const auto n = std::int64_t(mono.size());
    for (std::size_t f = 0; f < frames; ++f) {
        const auto start = std::int64_t(double(f) * hop) - p.frameSize / 2;
        float* in = fft.input();
        for (int i = 0; i < p.frameSize; ++i) {
            const std::int64_t s = start + i;
            in[i] = (s >= 0 && s < n) ? mono[std::size_t(s)] * window[std::size_t(i)] : 0.0f;
        }
        fft.magnitudes(magnitudes.data(), bins);
        const auto row = out.mutableRow(f);
        filterbank.apply(magnitudes.data(), row.data());
        for (float& v : row) v = std::log10(p.logMul * v + p.logAdd);
    }
    return out;
}

int differenceFrames(int frameSize, double hopSize, double diffRatio) {
    const auto window = symmetricHann(frameSize);
    const float peak = *std::max_element(window.begin(), window.end());
    // np.argmax(window > ratio * max): the first sample above the ratio (0 if none is).
    std::size_t sample = 0;
    for (std::size_t i = 0; i < window.size(); ++i)
        if (window[i] > float(diffRatio) * peak) {
            sample = i;
            break;
        }
    const double diffSamples = double(frameSize) / 2.0 - double(sample);
    // Python's round() rounds half to even, as nearbyint does in the default rounding mode.
    const double frames = std::nearbyint(diffSamples / hopSize);
    return std::max(1, int(frames));
}

Matrix positiveDifference(const Matrix& spec, int lag) {
    if (lag < 1) throw Error("onset features", "difference lag must be >= 1 frame");
    spec.requireLayout(Layout::FramesByBins, "onset features");
    Matrix out(spec.frames(), spec.bins(), Layout::FramesByBins);
    for (std::size_t f = std::size_t(lag); f < spec.frames(); ++f) {
        const auto now = spec.row(f);
        const auto before = spec.row(f - std::size_t(lag));
        const auto dst = out.mutableRow(f);
        for (std::size_t b = 0; b < dst.size(); ++b) dst[b] = std::max(now[b] - before[b], 0.0f);
    }
    return out;
}

Matrix spectrogramDifference(const Matrix& spec, const OnsetSpectrogramParams& p) {
    return positiveDifference(spec, differenceFrames(p.frameSize, p.sampleRate / p.fps, p.diffRatio));
}

std::vector<float> spectralFlux(std::span<const float> mono, const OnsetSpectrogramParams& p) {
    const Matrix diff = spectrogramDifference(logFilteredSpectrogram(mono, p), p);
    std::vector<float> flux(diff.frames(), 0.0f);
    for (std::size_t f = 0; f < diff.frames(); ++f) {
        double sum = 0;
        for (float v : diff.row(f)) sum += v;
        flux[f] = float(sum);
    }
    return flux;
}

Matrix rnnOnsetFeatures(std::span<const float> mono, const RnnOnsetFeatureParams& p) {
    if (p.frameSizes.empty() || p.frameSizes.size() != p.bandsPerOctave.size())
        throw Error("onset features", "needs one bands-per-octave value per frame size");
    std::vector<Matrix> parts;
    for (std::size_t r = 0; r < p.frameSizes.size(); ++r) {
        OnsetSpectrogramParams sp = p.spectrogram;
        sp.frameSize = p.frameSizes[r];
        sp.bandsPerOctave = p.bandsPerOctave[r];
        Matrix spec = logFilteredSpectrogram(mono, sp);
        Matrix diff = spectrogramDifference(spec, sp);
        parts.push_back(std::move(spec));
        parts.push_back(std::move(diff));
    }
    std::vector<const Matrix*> views;
    for (const auto& part : parts) views.push_back(&part);
    return stackBins(views);
}

std::size_t rnnOnsetFeatureDims(const RnnOnsetFeatureParams& p) {
    std::size_t dims = 0;
    for (std::size_t r = 0; r < p.frameSizes.size() && r < p.bandsPerOctave.size(); ++r)
        dims += 2 * LogFilterbank(std::size_t(p.frameSizes[r] / 2), p.spectrogram.sampleRate,
                                  {.bandsPerOctave = p.bandsPerOctave[r], .fmin = p.spectrogram.fmin,
                                   .fmax = p.spectrogram.fmax})
                        .bands();
    return dims;
}

}  // namespace sonolab::onsets
