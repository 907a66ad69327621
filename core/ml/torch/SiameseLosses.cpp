// The siamese networks' losses (see Siamese.h), registered for the trainer by name.
#include "core/ml/torch/TorchBackends.h"

#include "core/ml/torch/TorchExtension.h"
#include "core/util/Error.h"

#include <algorithm>
#include <memory>

namespace sonolab::ml {

namespace {

// output: distances [batch, 1]; target: similarity in [0, 1].
torch::Tensor contrastiveLoss(const torch::Tensor& distance, const torch::Tensor& target, double margin) {
    auto d = distance.reshape({-1});
    auto y = target.reshape({-1}).to(d.dtype());
    return (y * d.pow(2) + (1 - y) * torch::clamp_min(margin - d, 0).pow(2)).mean();
}

// output: embeddings [batch, dim]; target: one-hot classes [batch, classes]. For every anchor, the farthest item of
// its class and the nearest item of another class in the batch (batch-hard mining); anchors without both are skipped.
torch::Tensor batchHardTripletLoss(const torch::Tensor& embeddings, const torch::Tensor& target, double margin) {
    auto e = embeddings.flatten(1);
    const auto n = e.size(0);
    auto labels = target.argmax(1);
    auto squared = (e.unsqueeze(1) - e.unsqueeze(0)).pow(2).sum(2);
    auto d = torch::sqrt(torch::clamp_min(squared, 1e-12));
    auto same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
    auto eye = torch::eye(n, torch::TensorOptions().dtype(torch::kBool).device(e.device()));
    auto positive = same.logical_and(eye.logical_not());
    auto negative = same.logical_not();
    const float big = 1e6f;
    auto hardestPositive = std::get<0>(torch::where(positive, d, torch::zeros_like(d)).max(1));
    auto hardestNegative = std::get<0>(torch::where(negative, d, torch::full_like(d, big)).min(1));
    auto valid = positive.any(1).logical_and(negative.any(1));
    if (valid.sum().item<std::int64_t>() == 0) return (e * 0).sum();  // no triplet in this batch: zero, with a graph
    auto losses = torch::clamp_min(hardestPositive - hardestNegative + margin, 0);
    return losses.masked_select(valid).mean();
}

}  // namespace

void addSiameseLosses(LossRegistry& registry, const SiameseLossParams& params) {
    registry.add("contrastive", [m = params.margin](const torch::Tensor& out, const torch::Tensor& target,
                                                   const torch::Tensor&) { return contrastiveLoss(out, target, m); });
    registry.add("triplet", [m = params.tripletMargin](const torch::Tensor& out, const torch::Tensor& target,
                                                      const torch::Tensor&) { return batchHardTripletLoss(out, target, m); });
}

double torchContrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets, double margin) {
    if (distances.size() != targets.size() || distances.empty())
        throw Error("contrastive loss", "needs as many targets as distances");
    auto d = torch::tensor(distances).reshape({-1, 1});
    auto y = torch::tensor(targets).reshape({-1, 1});
    return contrastiveLoss(d, y, margin).item<double>();
}

double torchTripletLossValue(const std::vector<float>& embeddings, std::size_t dim, const std::vector<int>& classes,
                        double margin) {
    if (dim == 0 || embeddings.size() != classes.size() * dim || classes.empty())
        throw Error("triplet loss", "needs one class per embedding row");
    const int n = int(classes.size());
    const int c = *std::max_element(classes.begin(), classes.end()) + 1;
    auto e = torch::tensor(embeddings).reshape({n, std::int64_t(dim)});
    auto oneHot = torch::zeros({n, c});
    for (int i = 0; i < n; ++i) oneHot[i][classes[std::size_t(i)]] = 1.0f;
    return batchHardTripletLoss(e, oneHot, margin).item<double>();
}

std::shared_ptr<const LossRegistry> torchSiameseLosses(SiameseLossParams params) {
    auto registry = std::make_shared<LossRegistry>();
    addSiameseLosses(*registry, params);
    return registry;
}

}  // namespace sonolab::ml
