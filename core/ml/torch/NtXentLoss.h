#pragma once
// Internal (torch): the NT-Xent loss of SimCLR (Chen et al. 2020, eq. 1), as CLMR and COLA train audio encoders.
#include <torch/torch.h>

namespace sonolab::ml {

// z1, z2: [N, dim] projections of the two views; row i of z1 and of z2 are a positive pair, all other 2N - 2 rows
// negatives. Cosine similarity / temperature, softmax cross-entropy per anchor, averaged over the 2N anchors.
// `pairAccuracy`, when given, receives the share of anchors whose most similar other row is their pair.
torch::Tensor ntXentLoss(const torch::Tensor& z1, const torch::Tensor& z2, double temperature,
                         double* pairAccuracy = nullptr);

}  // namespace sonolab::ml
