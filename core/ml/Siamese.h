#pragma once
// Siamese networks for learned similarity (tutorial IS 2b/2c, ML 4b/4c), trained by the ordinary Trainer:
//
//   auto losses = ml::siameseLosses();                        // "contrastive", "triplet"
//   ml::Dataset pairs = ml::makePairDataset("genre pairs", items, pairList);
//   config.loss = "contrastive";
//   ml::Trainer(ModelSpec::parse("siamese_cnn"), config, pairs, &val, &observer, losses.get()).run();
//
// Pair mode (the default, spec "input=pair"): each example stacks the two items along the band axis (2H x W), the
// network embeds both halves with shared weights and outputs their Euclidean distance [batch, 1]; the contrastive loss
// mean(y d^2 + (1 - y) max(margin - d, 0)^2) compares it with the pair's target y in [0, 1] (soft values allowed).
// Item mode ("input=item"): examples are single items with a one-hot class target; the network outputs embeddings
// and the "triplet" loss mines, in each batch, the hardest positive and hardest negative of every anchor.
// embed() always gives the item embedding: the learned space for similarity search (see siameseEmbed).
#include "core/ml/Dataset.h"
#include "core/ml/FeatureMatrix.h"

#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

class LossRegistry;
class Predictor;

// The architectures (ArchitectureCatalog.h, built in core/ml/torch/models/SiameseNetworks.cpp):
// siamese_cnn: IS 2b (GaussianNoise 0.2, BN, conv16 (21,11) + pool (20,4) || conv16 (11,21) + pool (4,20), each BN,
//   concat, dense 256 elu, unit length): ~663k parameters on 80x80 items. Params: input=pair|item, noise, embedding.
// siamese_dense: ML 4b (dense 100 selu x 2) on feature vectors. Params: input, hidden, layers, embedding.

struct SiameseLossParams {
    double margin = 1.0;         // contrastive: dissimilar pairs are pushed at least this far apart
    double tripletMargin = 0.2;  // triplet: d(anchor, negative) must exceed d(anchor, positive) by this
};
// A registry holding "contrastive" and "triplet" (batch-hard), for the Trainer (loads the model runtime).
std::shared_ptr<const LossRegistry> siameseLosses(SiameseLossParams params = {});

// The registered losses on plain numbers (tests, reports; no torch types): distances and targets [n]; embeddings
// [n x dim] row-major with one class index per row.
double contrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets, double margin = 1.0);
double tripletLossValue(const std::vector<float>& embeddings, std::size_t dim, const std::vector<int>& classes,
                        double margin = 0.2);

struct ItemPair {
    std::size_t a = 0, b = 0;  // indices into the items
    float target = 0;          // 1 similar ... 0 dissimilar
};

// Both items of a pair as one example: a's bands on top of b's. Throws Error when their shapes differ.
FeatureMatrix stackPair(const FeatureMatrix& a, const FeatureMatrix& b);

// A Binary-task dataset ("similar") of stacked pairs; items must share one shape. Example ids are "idA|idB".
Dataset makePairDataset(std::string name, std::vector<FeatureMatrix> items, const std::vector<ItemPair>& pairs,
                        const std::vector<std::string>& itemIds = {});

// The learned embedding of one item from a saved siamese (or any) run: pair-trained runs take the item stacked with
// itself (the network embeds the top half), other runs take it as it is.
std::vector<float> siameseEmbed(const Predictor& predictor, const FeatureMatrix& item);

}  // namespace sonolab::ml
