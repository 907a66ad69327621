#pragma once
// The feature kinds Sonolab computes from audio, named as on the command line, and the one place that turns
// user options into a complete FeatureSpec (every parameter that changes the numbers, so cache keys are exact)
// and a spec into a matrix. Output layout (Layout::BinsByFrames, C order, what `sonolab-cli features` writes to .npy):
//   logmel   (nMels, frames)    librosa power_to_db(melspectrogram(...)) ref 1.0, amin 1e-10, top_db 80;
//                               Slaney mel scale with area ("slaney") normalisation; periodic Hann, centred frames
//   mfcc     (nMfcc, frames)    orthonormal DCT-II of that log-mel (librosa.feature.mfcc)
//   chroma   (12, frames)       librosa chroma_stft with tuning 0, each frame divided by its maximum
//   spectral (7, frames)        centroid, bandwidth, rolloff (Hz), flatness, flux, zero-crossing rate, RMS
//   rp       (24, 60)           Rhythm Patterns: Bark band x modulation frequency (0.168..10.1 Hz), rp_extract;
//                               rp_extract's 1440-vector is this array flattened in Fortran order
//   ssd      (24, 7)            Statistical Spectrum Descriptor: Bark band x (mean, var, skew, kurtosis, median,
//                               min, max); rp_extract's 168-vector is this flattened in Fortran order
//   rh       (60,)              Rhythm Histogram
//   onsets   (1, frames)        spectral-flux onset strength at 100 fps (core/onsets: madmom's chain, 44.1 kHz)
// rp/ssd/rh/onsets decode at 44.1 kHz whatever --sr says (their definitions are tied to it).
#include "core/features/FeatureSpec.h"
#include "core/util/Matrix.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace sonolab::extraction {

struct FeatureOptions {
    std::string kind = "logmel";
    int sampleRate = 22050;
    int nFft = 1024;
    int hop = 512;
    int nMels = 80;
    int nMfcc = 20;
    float fmin = 0;
    float fmax = 0;  // 0 = sampleRate / 2
    bool htk = false;
    bool slaneyNorm = true;
};

const std::vector<std::string>& featureKinds();
// Throws Error for an unknown kind or inconsistent parameters.
features::FeatureSpec specFor(const FeatureOptions& options);
// The sample rate audio must be decoded at for this spec.
int decodeRateFor(const features::FeatureSpec& spec);
// From mono samples at decodeRateFor(spec).
Matrix computeFeature(const features::FeatureSpec& spec, std::span<const float> mono);
// Decode (mono, decodeRateFor(spec)) and compute. Throws Error naming the file when it cannot be decoded.
Matrix computeFeatureForFile(const features::FeatureSpec& spec, const std::filesystem::path& file,
                              double* audioSeconds = nullptr);

}  // namespace sonolab::extraction
