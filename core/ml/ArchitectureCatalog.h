#pragma once
// The architectures Sonolab can train, by name, with what they are for: readable without libtorch, so the run form,
// `train`'s early check of --model and `bench` list them before the model runtime (ModelRuntime.h) is loaded.
// The runtime builds each of them (core/ml/torch/models/) and refuses a name that is not here.
//   tutorial_cnn        ML 2 CNN: conv32 3x3, pool 2, dropout .25, conv32 3x3, pool 2, dense256 sigmoid  (40x80 log-mel)
//   mirex2015           conv15 12x8 sigmoid, pool (2,1), dense200 sigmoid, dropout .5                   (40x80)
//   parallel_cnn        conv16 10x2 + pool(1,2) || conv25 2x10 + pool(2,1), concat, dense256 relu       (40x80)
//   compact_cnn         Choi: input BN, N x [3x3 conv, BN, ELU, max-pool], dropout, dense128 relu       (80x80 / 96x683)
//                       params: layers (default 3 for < 96 bands else 4), filters (32 -> [32,64,64,...]), dropout
//   dense               MLP on feature vectors (MFCC stats, RP/SSD): params hidden=512,layers=2,dropout,activation
//   short_chunk_resnet  Won et al. 2020: 128 mels x 160 frames (~3.7 s at 22050/512), 7 residual blocks, dense head
//   siamese_cnn, siamese_dense   learned similarity (Siamese.h)
// Heads follow the task (TaskSpec.h); the network itself ends with raw logits.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ModelSpec.h"

#include <string>
#include <vector>

namespace sonolab::ml {

enum class ArchitectureKind { Classifier, Siamese };

struct ArchitectureInfo {
    std::string name;
    std::string description;
    InputShape defaultInput;      // the input it is designed for (bench and GUI defaults): bands x frames
    std::string defaultFeatures;  // a feature spec string suggestion, e.g. "logmel:sr=22050,n_fft=512,hop=256,mels=40"
    bool expectsVector = false;   // true for models on flat feature vectors
    ArchitectureKind kind = ArchitectureKind::Classifier;

    // Whether self-supervised pretraining can teach it: a classifier CNN on spectrograms, not a model on feature vectors
    // (the pretrainer crops spectrograms) nor a siamese pair. One test for the CLI, the pretrainer and the Training tab.
    bool isPretrainableEncoder() const { return kind == ArchitectureKind::Classifier && !expectsVector; }
};

// Every architecture, classifiers first, in the order lists show them.
const std::vector<ArchitectureInfo>& architectureCatalog();
std::vector<ArchitectureInfo> architectures(ArchitectureKind kind);
bool hasArchitecture(const std::string& name);
// Throws sonolab::Error "model 'x': unknown architecture (known: ...)".
const ArchitectureInfo& architectureInfo(const std::string& name);

// Trainable parameters of this spec for an input shape and output count: builds the network once (loads the model
// runtime). Throws sonolab::Error on unknown names or parameters.
std::size_t parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs);

}  // namespace sonolab::ml
