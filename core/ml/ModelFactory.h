#pragma once
// Architectures by name, sized from the input shape and the task. The built-in ones:
//   tutorial_cnn        ML 2 CNN: conv32 3x3, pool 2, dropout .25, conv32 3x3, pool 2, dense256 sigmoid  (40x80 log-mel)
//   mirex2015           conv15 12x8 sigmoid, pool (2,1), dense200 sigmoid, dropout .5                   (40x80)
//   parallel_cnn        conv16 10x2 + pool(1,2) || conv25 2x10 + pool(2,1), concat, dense256 relu       (40x80)
//   compact_cnn         Choi: input BN, N x [3x3 conv, BN, ELU, max-pool], dropout, dense128 relu       (80x80 / 96x683)
//                       params: layers (default 3 for < 96 bands else 4), filters (32 -> [32,64,64,...]), dropout
//   dense               MLP on feature vectors (MFCC stats, RP/SSD): params hidden=512,layers=2,dropout,activation
//   short_chunk_resnet  Won et al. 2020: 128 mels x 160 frames (~3.7 s at 22050/512), 7 residual blocks, dense head
// Heads follow the task (see Task.h); the network itself ends with raw logits.
//
// Other engineers add architectures (e.g. siamese networks) from a torch-including .cpp through
// core/ml/TorchExtension.h: factory.add("siamese_cnn", builder). Public code sees only names and descriptions.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ModelSpec.h"

#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

struct ArchitectureInfo {
    std::string name;
    std::string description;
    InputShape defaultInput;  // the input it is designed for (bench and GUI defaults): bands x frames
    std::string defaultFeatures;  // a feature spec string suggestion, e.g. "logmel:sr=22050,n_fft=512,hop=256,mels=40"
    bool expectsVector = false;   // true for models on flat feature vectors
};

struct ArchitectureEntry;  // defined in TorchExtension.h (holds the torch builder)

class ModelFactory {
public:
    // A factory holding the built-in architectures.
    static ModelFactory withBuiltins();
    // The shared read-only built-in factory (what Trainer and Predictor use when given none).
    static const ModelFactory& builtins();

    ModelFactory();
    ~ModelFactory();
    ModelFactory(const ModelFactory&);
    ModelFactory& operator=(const ModelFactory&);

    std::vector<ArchitectureInfo> architectures() const;
    bool has(const std::string& name) const;
    const ArchitectureInfo& info(const std::string& name) const;  // throws sonolab::Error for an unknown name
    // Number of trainable parameters for this spec, input and output count (builds the network once).
    std::size_t parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs) const;

    // For TorchExtension.h.
    void add(std::shared_ptr<const ArchitectureEntry> entry);
    const ArchitectureEntry& entry(const std::string& name) const;

private:
    std::vector<std::shared_ptr<const ArchitectureEntry>> entries_;
};

}  // namespace sonolab::ml
