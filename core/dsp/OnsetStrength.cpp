#include "core/dsp/OnsetStrength.h"

#include "core/dsp/RealFft.h"
#include "core/dsp/Window.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sonolab::dsp {

struct OnsetStrength::Impl {
    RealFft fft;
    std::vector<float> window;
    std::vector<float> magnitude;
    // Sparse filters: per band its first bin and weights.
    std::vector<int> first, offset, length;
    std::vector<float> packed;
    explicit Impl(int size) : fft(size) {}
};

namespace {

// madmom.audio.filters.log_frequencies
std::vector<double> logFrequencies(int bandsPerOctave, double fmin, double fmax, double fref) {
    const double left = std::floor(std::log2(fmin / fref) * bandsPerOctave);
    const double right = std::ceil(std::log2(fmax / fref) * bandsPerOctave);
    std::vector<double> f;
    for (double k = left; k < right; k += 1.0) {
        const double v = fref * std::pow(2.0, k / bandsPerOctave);
        if (v >= fmin && v <= fmax) f.push_back(v);
    }
    return f;
}

// madmom.audio.filters.frequencies2bins with unique_bins=True
std::vector<int> frequenciesToBins(const std::vector<double>& freqs, const std::vector<double>& binFreqs) {
    std::set<int> unique;
    const int nb = static_cast<int>(binFreqs.size());
    for (double f : freqs) {
        int idx = static_cast<int>(std::lower_bound(binFreqs.begin(), binFreqs.end(), f) - binFreqs.begin());
        idx = std::clamp(idx, 1, nb - 1);
        if (f - binFreqs[idx - 1] < binFreqs[idx] - f) --idx;
        unique.insert(idx);
    }
    return {unique.begin(), unique.end()};
}

}  // namespace

OnsetStrength::OnsetStrength(OnsetStrengthParams p) : params_(p) {
    if (p.sampleRate <= 0 || p.fps <= 0 || p.frameSize < 16 || p.bandsPerOctave < 1)
        throw Error("onset strength", "invalid parameters (sample rate, fps, frame size >= 16, bands per octave)");
    impl_ = std::make_unique<Impl>(p.frameSize);
    impl_->window = makeWindow(WindowType::Hann, p.frameSize, false);  // numpy.hanning, as madmom
    const int nBins = p.frameSize / 2;                                  // madmom drops the Nyquist bin
    impl_->magnitude.resize(static_cast<std::size_t>(nBins));
    std::vector<double> binFreqs(static_cast<std::size_t>(nBins));
    for (int k = 0; k < nBins; ++k) binFreqs[k] = double(k) * p.sampleRate / p.frameSize;
    const double fmax = std::min<double>(p.fmax, p.sampleRate / 2.0);
    auto bins = frequenciesToBins(logFrequencies(p.bandsPerOctave, p.fmin, fmax, 440.0), binFreqs);
    if (bins.size() < 3) throw Error("onset strength", "too few frequency bins for a filterbank; raise frameSize");
    const int nBands = static_cast<int>(bins.size()) - 2;
    filters_.assign(static_cast<std::size_t>(nBands) * nBins, 0.0f);
    for (int b = 0; b < nBands; ++b) {
        int start = bins[b], centre = bins[b + 1], stop = bins[b + 2];
        if (stop - start < 2) {  // madmom keeps such a filter as a single bin
            centre = start;
            stop = start + 1;
        }
        // madmom TriangularFilter: linspace(0,1,c,endpoint=False) rising, linspace(1,0,stop-c,endpoint=False) falling
        const int c = centre - start, len = stop - start;
        std::vector<double> data(static_cast<std::size_t>(len));
        for (int i = 0; i < c; ++i) data[i] = double(i) / c;
        for (int i = 0; i < len - c; ++i) data[c + i] = 1.0 - double(i) / (len - c);
        double sum = 0;
        for (double v : data) sum += v;
        impl_->first.push_back(start);
        impl_->offset.push_back(static_cast<int>(impl_->packed.size()));
        impl_->length.push_back(len);
        for (int i = 0; i < len; ++i) {
            const float w = static_cast<float>(data[i] / sum);
            impl_->packed.push_back(w);
            if (start + i < nBins) filters_[static_cast<std::size_t>(b) * nBins + start + i] = w;
        }
        centres_.push_back(static_cast<float>(binFreqs[std::min(centre, nBins - 1)]));
    }
    if (p.diffFrames > 0) {
        diffFrames_ = p.diffFrames;
    } else {  // madmom _diff_frames(diff_ratio=0.5)
        const auto& w = impl_->window;
        const float peak = *std::max_element(w.begin(), w.end());
        int sample = 0;
        while (sample < p.frameSize && !(w[sample] > 0.5f * peak)) ++sample;
        const double diffSamples = p.frameSize / 2.0 - sample;
        diffFrames_ = std::max(1, static_cast<int>(std::lround(diffSamples / (p.sampleRate / p.fps))));
    }
}

OnsetStrength::~OnsetStrength() = default;
OnsetStrength::OnsetStrength(OnsetStrength&&) noexcept = default;
OnsetStrength& OnsetStrength::operator=(OnsetStrength&&) noexcept = default;

int OnsetStrength::bands() const { return static_cast<int>(impl_->first.size()); }

std::size_t OnsetStrength::frameCount(std::size_t n) const {
    const double hop = params_.sampleRate / params_.fps;
    return static_cast<std::size_t>(std::ceil(double(n) / hop));
}

Spectrogram OnsetStrength::logFiltered(std::span<const float> signal) {
    Spectrogram s;
    s.frames = frameCount(signal.size());
    s.bins = static_cast<std::size_t>(bands());
    s.values.resize(s.frames * s.bins);
    const double hop = params_.sampleRate / params_.fps;
    const long long n = static_cast<long long>(signal.size()), size = params_.frameSize;
    auto in = impl_->fft.input();
    const float* w = impl_->window.data();
    auto& mag = impl_->magnitude;
    const int nBins = static_cast<int>(mag.size());
    for (std::size_t f = 0; f < s.frames; ++f) {
        const long long start = static_cast<long long>(double(f) * hop) - size / 2;
        for (long long j = 0; j < size; ++j) {
            const long long p = start + j;
            in[static_cast<std::size_t>(j)] = (p >= 0 && p < n) ? signal[static_cast<std::size_t>(p)] * w[j] : 0.0f;
        }
        impl_->fft.execute();
        auto X = impl_->fft.output();
        for (int k = 0; k < nBins; ++k) mag[k] = std::abs(X[k]);
        auto out = s.frame(f);
        for (std::size_t b = 0; b < s.bins; ++b) {
            const float* wt = impl_->packed.data() + impl_->offset[b];
            const int first = impl_->first[b], len = std::min(impl_->length[b], nBins - first);
            float acc = 0;
            for (int i = 0; i < len; ++i) acc += wt[i] * mag[first + i];
            out[b] = std::log10(params_.logMul * acc + params_.logAdd);
        }
    }
    return s;
}

std::vector<float> OnsetStrength::fluxOf(const Spectrogram& s) const {
    std::vector<float> flux(s.frames, 0.0f);
    const auto d = static_cast<std::size_t>(diffFrames_);
    for (std::size_t f = d; f < s.frames; ++f) {
        auto now = s.frame(f), before = s.frame(f - d);
        float acc = 0;
        for (std::size_t b = 0; b < s.bins; ++b) acc += std::max(0.0f, now[b] - before[b]);
        flux[f] = acc;
    }
    return flux;
}

std::vector<float> OnsetStrength::compute(std::span<const float> signal) { return fluxOf(logFiltered(signal)); }

}  // namespace sonolab::dsp
