#pragma once
// Each frame of a (frames, bins) matrix multiplied by a dense (outBins, bins) row-major matrix, summed in double:
// what chroma (pitch-class weights) and MFCC (DCT rows) do to a spectrogram.
#include "core/util/Matrix.h"

#include <span>
#include <string_view>

namespace sonolab::dsp {

// (frames, outBins). Throws Error, naming `what`, when in is not frames x bins or its bins do not match
// weights.size() / outBins.
Matrix projectFrames(const Matrix& in, std::span<const float> weights, std::size_t outBins, std::string_view what);

}  // namespace sonolab::dsp
