#pragma once
// Onset strength as in the tutorial's spectral-flux detector (madmom chain: FramedSignal -> STFT magnitude ->
// logarithmic triangular filterbank -> log10(mul*S + add) -> positive first difference summed over bands).
// Frames follow madmom (symmetric numpy.hanning window, magnitudes of the first frameSize/2 bins): frame i starts at sample floor(i * sampleRate / fps) - frameSize/2, zero-padded at the borders,
// ceil(len * fps / sampleRate) frames. The filterbank has bandsPerOctave triangles between fmin and fmax placed on
// 440 Hz-referenced log frequencies, each mapped to its nearest FFT bin, duplicates removed, each normalised to unit
// area (madmom LogarithmicFilterbank(num_bands=12, fmin=30, fmax=17000, norm_filters=True, unique_filters=True)).
#include "core/dsp/Spectrogram.h"

#include <memory>
#include <span>
#include <vector>

namespace sonolab::dsp {

struct OnsetStrengthParams {
    int sampleRate = 44100;
    double fps = 100.0;
    int frameSize = 2048;
    int bandsPerOctave = 12;
    float fmin = 30.0f;
    float fmax = 17000.0f;
    float logMul = 1.0f;
    float logAdd = 1.0f;
    int diffFrames = 0;  // 0 = from the window like madmom (frames until the Hann window reaches half its peak; >= 1)
};

class OnsetStrength {
public:
    explicit OnsetStrength(OnsetStrengthParams params = {});
    ~OnsetStrength();
    OnsetStrength(OnsetStrength&&) noexcept;
    OnsetStrength& operator=(OnsetStrength&&) noexcept;

    const OnsetStrengthParams& params() const { return params_; }
    int bands() const;
    int diffFrames() const { return diffFrames_; }
    std::size_t frameCount(std::size_t signalLength) const;

    // The log-filtered spectrogram (frames, bands): what the onset view can draw under the curve.
    Spectrogram logFiltered(std::span<const float> signal);
    // Positive spectral flux per frame (frameCount values, the first diffFrames are 0).
    std::vector<float> compute(std::span<const float> signal);
    // The same from an existing log-filtered spectrogram.
    std::vector<float> fluxOf(const Spectrogram& logFiltered) const;

    // (bands, frameSize/2+1) dense row-major, for tests.
    const std::vector<float>& filterbank() const { return filters_; }
    const std::vector<float>& centreFrequencies() const { return centres_; }

private:
    struct Impl;
    OnsetStrengthParams params_;
    int diffFrames_ = 1;
    std::vector<float> filters_;
    std::vector<float> centres_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonolab::dsp
