#pragma once
// Onset features as madmom computes them (the ISMIR 2018 tutorial, part 3), from mono samples at one rate. The one
// onset detection function in Sonolab: `features --kind onsets`, `onsets --method flux`, the player and the onset
// trainer all compute it here (no libtorch: core/extraction links it).
//   frames centred on sample round-down(i * sr / fps), zero-padded at both ends, ceil(len / hop) frames;
//   symmetric Hann window (np.hanning); |FFT| of frameSize/2 bins (no Nyquist bin);
//   log-filtered: log10(logMul * (|X| . LogFilterbank) + logAdd);
//   positive difference to the frame diffFrames earlier (from diffRatio, madmom's SpectrogramDifference).
// The madmom framing differs from core/dsp's STFT (frame centring, frame count, window, bin count), and the
// tutorial's numbers depend on it, so onsets computes its own.
#include "core/onsets/LogFilterbank.h"
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::onsets {

struct OnsetSpectrogramParams {
    int sampleRate = 44100;
    double fps = 100.0;
    int frameSize = 2048;
    int bandsPerOctave = 12;
    double fmin = 30.0;
    double fmax = 17000.0;
    float logMul = 1.0f;
    float logAdd = 1.0f;
    double diffRatio = 0.5;  // madmom: diff_frames from where the window exceeds diffRatio of its maximum
};

// frames x bands log-filtered magnitude spectrogram (Layout::FramesByBins, as every matrix here: the layout a
// recurrent network reads).
Matrix logFilteredSpectrogram(std::span<const float> mono, const OnsetSpectrogramParams& params = {});
// The number of frames madmom's SpectrogramDifference looks back (>= 1).
int differenceFrames(int frameSize, double hopSize, double diffRatio);
// max(spec[f] - spec[f - lag], 0) per bin; the first `lag` frames are 0.
Matrix positiveDifference(const Matrix& spec, int lag);
// positiveDifference at the lag differenceFrames() gives for these parameters (madmom's SpectrogramDifference).
Matrix spectrogramDifference(const Matrix& spec, const OnsetSpectrogramParams& params);

// The tutorial's 3a detection function: positive difference of the log-filtered spectrogram summed over bands,
// one value per frame at params.fps.
std::vector<float> spectralFlux(std::span<const float> mono, const OnsetSpectrogramParams& params = {});

struct RnnOnsetFeatureParams {
    OnsetSpectrogramParams spectrogram{};  // all but frameSize and bandsPerOctave, which each resolution sets
    std::vector<int> frameSizes{1024, 2048, 4096};
    std::vector<int> bandsPerOctave{3, 6, 12};
};

// For each resolution [log-filtered spectrogram | its positive difference], all resolutions side by side:
// 314 dims per frame at 44.1 kHz with the defaults.
Matrix rnnOnsetFeatures(std::span<const float> mono, const RnnOnsetFeatureParams& params = {});
// The dimension rnnOnsetFeatures() gives, without computing anything.
std::size_t rnnOnsetFeatureDims(const RnnOnsetFeatureParams& params = {});

}  // namespace sonolab::onsets
