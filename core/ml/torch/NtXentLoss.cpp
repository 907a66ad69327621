#include "core/ml/torch/NtXentLoss.h"

#include "core/ml/torch/TorchBackends.h"
#include "core/util/Error.h"

namespace sonolab::ml {

torch::Tensor ntXentLoss(const torch::Tensor& z1, const torch::Tensor& z2, double temperature, double* pairAccuracy) {
    if (z1.sizes() != z2.sizes() || z1.dim() != 2 || z1.size(0) < 2)
        throw Error("NT-Xent loss", "needs two [N, dim] views with N >= 2");
    if (!(temperature > 0)) throw Error("NT-Xent loss", "the temperature must be positive");
    const auto n = z1.size(0);
    auto z = torch::nn::functional::normalize(torch::cat({z1, z2}, 0), torch::nn::functional::NormalizeFuncOptions().dim(1));
    auto logits = torch::matmul(z, z.t()) / temperature;
    // An anchor is never its own negative.
    auto self = torch::eye(2 * n, torch::TensorOptions().dtype(torch::kBool).device(z.device()));
    logits = logits.masked_fill(self, -1e9);
    auto targets = torch::cat({torch::arange(n, 2 * n), torch::arange(0, n)}).to(z.device());
    if (pairAccuracy) *pairAccuracy = logits.argmax(1).eq(targets).to(torch::kFloat64).mean().item<double>();
    return torch::nn::functional::cross_entropy(logits, targets);
}

double torchNtXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim, double temperature) {
    if (dim == 0 || a.size() != b.size() || a.size() % dim != 0)
        throw Error("NT-Xent loss", "needs two [N x dim] arrays of one size");
    const auto n = std::int64_t(a.size() / dim);
    auto z1 = torch::tensor(a).view({n, std::int64_t(dim)});
    auto z2 = torch::tensor(b).view({n, std::int64_t(dim)});
    return ntXentLoss(z1, z2, temperature).item<double>();
}

}  // namespace sonolab::ml
