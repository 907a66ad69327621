#pragma once
// Inside the model runtime only (core/ml/torch): how an architecture and a loss join the engine. Never include this
// from a public header: programs see architectures through ArchitectureCatalog.h and losses through names.
//
// A pair-based model (siamese) fits the same trainer: each example's features stack the two items along the band
// axis (bands = 2 x item bands), forward() splits them, and a registered loss (e.g. "contrastive") turns the
// output into a loss against the example's target (1 = similar, 0 = dissimilar, soft values allowed).
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ModelSpec.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace sonolab::ml {

// Every architecture is a Network: forward() gives raw outputs (logits for the built-in heads), embed() the
// penultimate layer (the learned space used for similarity). Input: [batch, 1, bands, frames].
class Network : public torch::nn::Module {
public:
    virtual torch::Tensor forward(torch::Tensor x) = 0;
    virtual torch::Tensor embed(torch::Tensor x) = 0;
};

using NetworkBuilder =
    std::function<std::shared_ptr<Network>(const ModelSpec& spec, InputShape input, std::size_t outputs)>;

// Builds the networks of the catalog's architectures (ArchitectureCatalog.h) by name.
class ModelFactory {
public:
    // Every architecture of the catalog: the built-in classifiers and the siamese networks.
    static const ModelFactory& all();
    // Adds a builder for a catalogued name; throws sonolab::Error for a name the catalog does not know.
    void add(const std::string& name, NetworkBuilder build);
    // Throws sonolab::Error "model 'x': unknown architecture (known: ...)".
    const NetworkBuilder& builder(const std::string& name) const;
    std::shared_ptr<Network> build(const ModelSpec& spec, InputShape input, std::size_t outputs) const {
        return builder(spec.architecture)(spec, input, outputs);
    }

private:
    std::map<std::string, NetworkBuilder> builders_;
};

inline void addArchitecture(ModelFactory& factory, const std::string& name, NetworkBuilder build) {
    factory.add(name, std::move(build));
}

// Loss on a batch: network output [batch, outputs], targets [batch, outputs], optional per-output weights
// (class weighting; undefined tensor when unused). Returns a scalar.
using LossFunction =
    std::function<torch::Tensor(const torch::Tensor& output, const torch::Tensor& target, const torch::Tensor& weights)>;

// A custom loss given to the trainer (TrainingConfig::loss names it; "auto" = the task's head).
class LossRegistry {
public:
    void add(std::string name, LossFunction loss) { losses_[std::move(name)] = std::move(loss); }
    const LossFunction* find(const std::string& name) const {
        auto it = losses_.find(name);
        return it == losses_.end() ? nullptr : &it->second;
    }

private:
    std::map<std::string, LossFunction> losses_;
};

}  // namespace sonolab::ml
