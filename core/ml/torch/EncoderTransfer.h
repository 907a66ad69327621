#pragma once
// Internal (torch): a classifier started from another run's encoder (`train --init RUN [--freeze]`,
// TrainingConfig::initRun). The encoder is what a network's embed() computes; the rest (the classifier layer) stays
// freshly initialised. Which parameters are which is found by running embed() once, so every architecture works.
#include "core/ml/Standardization.h"
#include "core/ml/torch/TorchExtension.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::ml {

// One flag per net.parameters() entry: true when embed() depends on it.
std::vector<bool> encoderParameterMask(Network& net, InputShape input);

// Copies the encoder's parameters and the network's buffers (batch-norm statistics) of runDir's saved model into
// `net`, built as `spec` for `input` (features `featureSpec`). Throws Error naming runDir's file and the reason when
// it is no run, another architecture or layer setting, another input shape or features, or its weights do not load.
// With `freeze` the copied parameters stop requiring gradients. Returns the standardisation the encoder learnt with.
Standardization initEncoderFrom(Network& net, const ModelSpec& spec, InputShape input, const std::string& featureSpec,
                                const std::filesystem::path& runDir, bool freeze);

// After net.train(): layers with nothing left to train (frozen batch norm, dropout) back in eval mode, so frozen
// features stay the features the encoder computes at inference.
void keepFrozenLayersInEval(torch::nn::Module& net);

// encoderStateOf() of ContrastivePretraining.h.
std::vector<float> torchEncoderStateOf(const std::filesystem::path& runDir);

}  // namespace sonolab::ml
