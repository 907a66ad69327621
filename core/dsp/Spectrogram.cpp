#include "core/dsp/Spectrogram.h"

namespace sonolab::dsp {

std::vector<float> Spectrogram::transposed() const {
    std::vector<float> out(values.size());
    for (std::size_t f = 0; f < frames; ++f)
        for (std::size_t b = 0; b < bins; ++b) out[b * frames + f] = values[f * bins + b];
    return out;
}

}  // namespace sonolab::dsp
