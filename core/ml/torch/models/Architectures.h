#pragma once
// Internal to core/ml: the built-in architectures, one file each. Each adds itself to a factory.
#include "core/ml/torch/TorchExtension.h"

#include <vector>

namespace sonolab::ml::models {

void addTutorialCnn(ModelFactory& factory);
void addMirex2015(ModelFactory& factory);
void addParallelCnn(ModelFactory& factory);
void addCompactCnn(ModelFactory& factory);
void addDense(ModelFactory& factory);
void addShortChunkResNet(ModelFactory& factory);
void addSiameseArchitectures(ModelFactory& factory);

// The usual registration: a classifier network built as Net(spec, input shape, outputs).
template <class Net>
void addClassifier(ModelFactory& factory, const std::string& name) {
    addArchitecture(factory, name, [](const ModelSpec& s, InputShape in, std::size_t out) {
        return std::make_shared<Net>(s, in, out);
    });
}

// Size of a [1, 1, bands, frames] input after `body` (for sizing dense layers from the input shape).
std::int64_t flattenedSize(torch::nn::Module& body, const std::function<torch::Tensor(torch::Tensor)>& forward,
                           InputShape input);

// Throws sonolab::Error naming the model when a spec parameter is not one the architecture knows.
void checkParams(const ModelSpec& spec, std::initializer_list<const char*> known);

// A dimension too small for a pooling or kernel size is an error with a message that says which input is needed.
void requireInput(const ModelSpec& spec, InputShape input, std::size_t minBands, std::size_t minFrames);

}  // namespace sonolab::ml::models
