#pragma once
// Log-mel spectrogram in one pass per frame (window -> FFT -> power -> sparse mel -> dB), reusing one FFTW plan and
// two small buffers: no (frames x bins) intermediate, no allocation per frame. Numbers are those of
// librosa.power_to_db(librosa.feature.melspectrogram(y, sr, n_fft, hop_length, n_mels, fmin, fmax, htk, norm))
// with ref 1.0, amin 1e-10, top_db 80 unless DecibelParams says otherwise (the Stft/MelFilterbank/powerToDb chain).
#include "core/dsp/Decibels.h"
#include "core/dsp/MelFilterbank.h"
#include "core/dsp/Stft.h"
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::dsp {

struct LogMelParams {
    MelParams mel{.nFft = 1024, .nMels = 80};
    int hop = 512;
    bool toDb = true;  // false: the mel power spectrogram
    DecibelParams db{};
};

class LogMel {
public:
    explicit LogMel(LogMelParams params = {});
    const LogMelParams& params() const { return params_; }
    int bands() const { return params_.mel.nMels; }
    std::size_t frameCount(std::size_t samples) const { return stft_.frameCount(samples); }
    // (frames, nMels).
    Matrix compute(std::span<const float> signal);

private:
    LogMelParams params_;
    Stft stft_;
    MelFilterbank mel_;
    std::vector<float> power_;
};

}  // namespace sonolab::dsp
