#include "core/dsp/LogMel.h"

namespace sonolab::dsp {

LogMel::LogMel(LogMelParams p)
    : params_(p),
      stft_({.nFft = p.mel.nFft, .hop = p.hop}),
      mel_(p.mel),
      power_(static_cast<std::size_t>(p.mel.nFft / 2 + 1)) {}

Matrix LogMel::compute(std::span<const float> signal) {
    Matrix out(stft_.frameCount(signal.size()), static_cast<std::size_t>(params_.mel.nMels), Layout::FramesByBins);
    for (std::size_t f = 0; f < out.frames(); ++f) {
        stft_.frame(signal, f, power_, false);
        mel_.applyFrame(power_, out.mutableRow(f));
    }
    if (params_.toDb) powerToDb(out.mutableValues(), params_.db);
    return out;
}

}  // namespace sonolab::dsp
