#include "core/ml/ArchitectureCatalog.h"

#include "core/ml/ModelRuntime.h"
#include "core/util/Error.h"

namespace sonolab::ml {

const std::vector<ArchitectureInfo>& architectureCatalog() {
    using enum ArchitectureKind;
    static const std::vector<ArchitectureInfo> catalog{
        {"tutorial_cnn", "ML Prague tutorial CNN: conv32 3x3, pool 2, dropout .25, conv32 3x3, pool 2, dense256 sigmoid",
         {40, 80}, "logmel:sr=22050,n_fft=512,hop=256,mels=40,fmax=8000", false, Classifier},
        {"mirex2015", "MIREX 2015-style CNN: conv15 12x8 sigmoid, max-pool (2,1), dense200 sigmoid, dropout .5",
         {40, 80}, "logmel:sr=22050,n_fft=512,hop=256,mels=40,fmax=8000", false, Classifier},
        {"parallel_cnn", "Parallel CNN: conv16 10x2 + pool (1,2) || conv25 2x10 + pool (2,1), dense256 relu",
         {40, 80}, "logmel:sr=22050,n_fft=512,hop=256,mels=40,fmax=8000", false, Classifier},
        {"compact_cnn",
         "Choi's compact CNN: input BN, N x [3x3 conv, BN, ELU, max-pool], dropout, dense128 relu "
         "(params: layers, filters=32/64/64, dropout, hidden)",
         {80, 80}, "logmel:sr=22050,n_fft=2048,hop=1024,mels=80", false, Classifier},
        {"dense", "Dense network on feature vectors (params: hidden=256, layers=2, dropout, activation)",
         {40, 1}, "summary:mfcc (20 coefficients: mean and std over time)", true, Classifier},
        {"short_chunk_resnet",
         "Short-chunk CNN with residual blocks (Won et al. 2020): 7 res blocks, dense head (params: channels=128)",
         {128, 160}, "logmel:sr=22050,n_fft=1024,hop=512,mels=128", false, Classifier},
        {"siamese_cnn",
         "Siamese CNN (IS 2b): two conv branches (21x11)/(11x21), dense 256 elu unit-length embedding; "
         "pairs stacked along bands (params: input=pair|item, noise=0.2, embedding=256, filters=16)",
         {160, 80}, "logmel:sr=16000,n_fft=2048,hop=1024,mels=80", false, Siamese},
        {"siamese_dense",
         "Siamese dense network (ML 4b): 2 x dense 100 selu on feature vectors "
         "(params: input=pair|item, hidden=100, layers=2, embedding)",
         {120, 1}, "mfcc_stats", true, Siamese},
    };
    return catalog;
}

std::vector<ArchitectureInfo> architectures(ArchitectureKind kind) {
    std::vector<ArchitectureInfo> list;
    for (const auto& a : architectureCatalog())
        if (a.kind == kind) list.push_back(a);
    return list;
}

bool hasArchitecture(const std::string& name) {
    for (const auto& a : architectureCatalog())
        if (a.name == name) return true;
    return false;
}

const ArchitectureInfo& architectureInfo(const std::string& name) {
    for (const auto& a : architectureCatalog())
        if (a.name == name) return a;
    std::string known;
    for (const auto& a : architectureCatalog()) known += (known.empty() ? "" : ", ") + a.name;
    throw Error("model '" + name + "'", "unknown architecture (known: " + known + ")");
}

std::size_t parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs) {
    architectureInfo(spec.architecture);  // an unknown name is an error without loading libtorch
    return modelRuntime().parameterCount(spec, input, outputs);
}

}  // namespace sonolab::ml
