#pragma once
// Short-time Fourier transform on FFTW3 float plans, librosa.stft conventions by default:
// frame t covers samples [t*hop - nFft/2, t*hop + nFft/2) of the signal reflect-padded by nFft/2 on each side
// (center = true), window of winLength zero-padded to nFft in the middle, bins = nFft/2 + 1,
// frames = 1 + len/hop when centred, else 1 + (len - nFft)/hop (0 when the signal is shorter than nFft).
// Plans and buffers are made once per Stft and reused for every frame; FFTW planning is serialised by a mutex
// (it is not thread-safe), execution is not. One Stft per thread. Results are (frames, bins) matrices
// (Layout::FramesByBins: one frame per row, as they are computed), as are those of mel, chroma and MFCC.
#include "core/dsp/RealFft.h"
#include "core/dsp/Window.h"
#include "core/util/Matrix.h"

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace sonolab::dsp {

struct StftParams {
    int nFft = 2048;
    int hop = 512;
    int winLength = 0;  // 0 = nFft
    WindowType window = WindowType::Hann;
    bool center = true;  // reflect padding by nFft/2, as librosa (numpy.pad mode="reflect", edge sample not repeated)
    bool periodicWindow = true;
};

class Stft {
public:
    explicit Stft(StftParams params);
    ~Stft();
    Stft(Stft&&) noexcept;
    Stft& operator=(Stft&&) noexcept;
    Stft(const Stft&) = delete;
    Stft& operator=(const Stft&) = delete;

    const StftParams& params() const { return params_; }
    int bins() const { return params_.nFft / 2 + 1; }
    std::size_t frameCount(std::size_t signalLength) const;
    const std::vector<float>& window() const { return window_; }  // length nFft (zero-padded winLength window)

    Matrix power(std::span<const float> signal);      // |X|^2
    Matrix magnitude(std::span<const float> signal);  // |X|
    // Frames [first, first+count) only (clipped to frameCount): what a tiled spectrogram view needs.
    Matrix power(std::span<const float> signal, std::size_t firstFrame, std::size_t count);
    Matrix magnitude(std::span<const float> signal, std::size_t firstFrame, std::size_t count);

    // Lowest level: the power (or magnitude) of one frame into out (bins() values). No allocation.
    void frame(std::span<const float> signal, std::size_t index, std::span<float> out, bool magnitude);

private:
    Matrix frames(std::span<const float> signal, std::size_t firstFrame, std::size_t count, bool magnitude);

    StftParams params_;
    std::vector<float> window_;
    RealFft fft_;
};

}  // namespace sonolab::dsp
