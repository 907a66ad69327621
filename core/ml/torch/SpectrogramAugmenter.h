#pragma once
// Internal (torch): SpectrogramAugmentation.h on a batch, for the pretrainer's views and supervised batches alike.
#include "core/ml/SpectrogramAugmentation.h"
#include "core/ml/Standardization.h"

#include <torch/torch.h>

#include <cstdint>

namespace sonolab::ml {

// x: [N, 1, bands, frames], standardised with `s` (whose dB values the level changes work on). Returns a new tensor,
// standardised the same way, drawn from `seed` alone (the same seed, the same batch: resumable, reproducible). The
// mix partner of crop i is crop i - 1 (cyclically): in the pretrainer's [first views; second views] batch always
// another track.
torch::Tensor augmentSpectrograms(const torch::Tensor& x, const SpectrogramAugmentation& a, const Standardization& s,
                                  std::uint64_t seed);

}  // namespace sonolab::ml
