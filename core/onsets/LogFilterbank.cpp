#include "core/onsets/LogFilterbank.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace sonolab::onsets {

std::vector<double> logFrequencies(int bandsPerOctave, double fmin, double fmax, double fref) {
    if (bandsPerOctave <= 0 || fmin <= 0 || fmax <= fmin)
        throw Error("log filterbank", "needs bands per octave > 0 and 0 < fmin < fmax");
    const double left = std::floor(std::log2(fmin / fref) * bandsPerOctave);
    const double right = std::ceil(std::log2(fmax / fref) * bandsPerOctave);
    std::vector<double> all;
    for (double k = left; k < right; k += 1.0) all.push_back(fref * std::pow(2.0, k / bandsPerOctave));
    // numpy searchsorted(left) for fmin, searchsorted(right) for fmax: keep fmin <= f <= fmax
    std::vector<double> kept;
    for (double f : all)
        if (f >= fmin && f <= fmax) kept.push_back(f);
    return kept;
}

LogFilterbank::LogFilterbank(std::size_t fftBins, int sampleRate, const LogFilterbankParams& params) : fftBins_(fftBins) {
    if (fftBins < 2 || sampleRate <= 0) throw Error("log filterbank", "needs at least 2 FFT bins and a sample rate");
    // Bin centre frequencies as numpy's fftfreq(2 * fftBins, 1 / sr)[:fftBins].
    std::vector<double> binFreq(fftBins);
    for (std::size_t k = 0; k < fftBins; ++k) binFreq[k] = double(k) * sampleRate / double(2 * fftBins);

    // madmom frequencies2bins(unique_bins=True): nearest bin (ties go to the upper one), then unique.
    std::vector<std::size_t> bins;
    for (double f : logFrequencies(params.bandsPerOctave, params.fmin, params.fmax, params.fref)) {
        auto idx = std::size_t(std::lower_bound(binFreq.begin(), binFreq.end(), f) - binFreq.begin());
        idx = std::clamp<std::size_t>(idx, 1, fftBins - 1);
        if (f - binFreq[idx - 1] < binFreq[idx] - f) --idx;
        bins.push_back(idx);
    }
    std::sort(bins.begin(), bins.end());
    bins.erase(std::unique(bins.begin(), bins.end()), bins.end());
    if (bins.size() < 3)
        throw Error("log filterbank", "fewer than 3 distinct bins between fmin and fmax: FFT too small");

    // madmom TriangularFilter.filters(bins, overlap=True): consecutive triples; a too narrow one becomes a single bin.
    for (std::size_t i = 0; i + 2 < bins.size(); ++i) {
        std::size_t start = bins[i], centre = bins[i + 1], stop = bins[i + 2];
        if (stop - start < 2) {
            centre = start;
            stop = start + 1;
        }
        Filter filter{start, centre, stop, std::vector<float>(stop - start, 0.0f)};
        const std::size_t relCentre = centre - start, relStop = stop - start;
        // np.linspace(0, 1, relCentre, endpoint=False) then np.linspace(1, 0, relStop - relCentre, endpoint=False)
        for (std::size_t k = 0; k < relCentre; ++k) filter.weights[k] = float(double(k) / double(relCentre));
        const std::size_t down = relStop - relCentre;
        for (std::size_t k = 0; k < down; ++k) filter.weights[relCentre + k] = float(1.0 - double(k) / double(down));
        if (params.normalize) {
            double sum = 0;
            for (float w : filter.weights) sum += w;
            if (sum > 0)
                for (float& w : filter.weights) w = float(w / sum);
        }
        filters_.push_back(std::move(filter));
    }
}

void LogFilterbank::apply(const float* magnitudes, float* out) const {
    for (std::size_t b = 0; b < filters_.size(); ++b) {
        const Filter& f = filters_[b];
        float sum = 0.0f;
        for (std::size_t k = 0; k < f.weights.size(); ++k) sum += magnitudes[f.start + k] * f.weights[k];
        out[b] = sum;
    }
}

std::vector<float> LogFilterbank::dense() const {
    std::vector<float> m(fftBins_ * filters_.size(), 0.0f);
    for (std::size_t b = 0; b < filters_.size(); ++b)
        for (std::size_t k = 0; k < filters_[b].weights.size(); ++k)
            m[(filters_[b].start + k) * filters_.size() + b] = filters_[b].weights[k];
    return m;
}

}  // namespace sonolab::onsets
