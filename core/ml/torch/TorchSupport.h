#pragma once
// Internal (torch): process set-up and small helpers shared by the trainer, the predictor and the benchmark.
#include "core/ml/ProcessSetup.h"
#include "core/ml/TrainingConfig.h"

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace sonolab::ml {

// For the length of one run: the intra-op threads of the calling thread (see ProcessSetup.h for why this stays with
// the thread), restored on destruction so the thread goes back to what it had.
class RunThreads {
public:
    explicit RunThreads(int threads);
    ~RunThreads();
    RunThreads(const RunThreads&) = delete;
    RunThreads& operator=(const RunThreads&) = delete;
    int count() const { return count_; }

private:
    int previous_;
    int count_;
};

// `cudaIndex`: which GPU when CUDA is used (a data-parallel rank's LOCAL_RANK).
torch::Device chooseDevice(DeviceKind kind, int cudaIndex = 0);
// "cuda:0", or "cpu (N threads)" with the run's own thread count (`threads` as in TrainingConfig, 0 = all cores):
// the calling thread's count says nothing about the run when it is asked before the run starts or from another thread.
std::string describeDevice(const torch::Device& device, int threads);
// Resolves Auto for a network on a device, then lays out its 4-D weights accordingly (in place: optimisers keep
// their references). Returns the layout used.
MemoryLayout applyMemoryLayout(torch::nn::Module& net, MemoryLayout layout, const torch::Device& device);
// A well-mixed 64-bit seed from a base seed and up to two indices (epoch, batch): randomness that depends only on
// where the run is, so a resumed run draws what an uninterrupted one would have drawn.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);
// Saves a module's parameters and buffers to `file` atomically (temporary file + rename).
void saveModuleAtomically(const torch::nn::Module& module, const std::filesystem::path& file);
void saveArchiveAtomically(torch::serialize::OutputArchive& archive, const std::filesystem::path& file);
// Reads a module's parameters and buffers from `archive` (read from `file`), as Module::load does, but a file from
// elsewhere is data: libtorch would take whatever shapes the archive holds and reshape the network to them, so every
// tensor must have exactly the shape and type the module was built with (from model.txt), and finite values.
// Throws sonolab::Error naming the file and the first tensor that differs; the module is then unusable.
void loadModuleChecked(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                       const std::filesystem::path& file);

}  // namespace sonolab::ml
