#pragma once
// The logarithmically spaced triangular filterbank of madmom (LogarithmicFilterbank): centre frequencies at
// fref * 2^(k / bandsPerOctave) between fmin and fmax, mapped to the nearest FFT bins, duplicate bins removed
// (unique_filters), each triangle spanning its neighbours' centres and normalised to unit area (norm_filters).
// This is what the onset features of the ISMIR 2018 tutorial (part 3) are built on; a mel filterbank is not.
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::onsets {

struct LogFilterbankParams {
    int bandsPerOctave = 12;
    double fmin = 30.0;
    double fmax = 17000.0;
    double fref = 440.0;
    bool normalize = true;  // each filter sums to 1 (madmom norm_filters=True)
};

class LogFilterbank {
public:
    // fftBins: the number of spectrogram bins (madmom uses frameSize / 2, without the Nyquist bin).
    LogFilterbank(std::size_t fftBins, int sampleRate, const LogFilterbankParams& params = {});

    std::size_t bands() const { return filters_.size(); }
    std::size_t fftBins() const { return fftBins_; }
    // out[b] = sum_k magnitudes[k] * filter_b[k]; magnitudes has fftBins() values, out has bands().
    void apply(const float* magnitudes, float* out) const;
    // The dense fftBins x bands matrix (row-major), for inspection and reference checks.
    std::vector<float> dense() const;
    // The FFT bin each filter starts at, peaks at, and stops before.
    struct Filter {
        std::size_t start = 0, centre = 0, stop = 0;
        std::vector<float> weights;  // stop - start values
    };
    const std::vector<Filter>& filters() const { return filters_; }

private:
    std::size_t fftBins_;
    std::vector<Filter> filters_;
};

// The centre frequencies madmom's log_frequencies() gives.
std::vector<double> logFrequencies(int bandsPerOctave, double fmin, double fmax, double fref = 440.0);

}  // namespace sonolab::onsets
