#pragma once
// Internal (torch): one rank's side of data-parallel training on c10d, libtorch's distributed engine. libtorch 1.13
// has no C++ DistributedDataParallel, so the trainer calls these at the points DDP would: broadcast the initial
// state, average the gradients after backward() (bucketed: a few flat buffers instead of one message per tensor),
// agree on per-step scalars (loss, stop), gather validation outputs. Gloo on the CPU; NCCL when libtorch was built
// with it and the rank trains on CUDA.
//
// Every call is a collective: all ranks must make the same calls in the same order. A call that fails (a rank died,
// or none answered within DistributedConfig::timeoutSeconds) throws sonolab::Error saying so, never hangs.
#include "core/ml/DistributedConfig.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

class DataParallel {
public:
    // Meets the other ranks (TCPStore at masterAddr:masterPort, served by rank 0 or by torchrun's agent) and builds
    // the process group. Blocks until every rank has come, at most timeoutSeconds.
    DataParallel(const DistributedConfig& config, const torch::Device& device);
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    int rank() const { return config_.rank; }
    int size() const { return config_.worldSize; }
    const DistributedConfig& config() const { return config_; }
    std::string backendName() const;

    // Rank 0's parameters and buffers (batch-norm statistics) to every rank: all start from the same model.
    void broadcastState(torch::nn::Module& net);
    // After backward(): every parameter's gradient becomes the mean over the ranks.
    void averageGradients(const std::vector<torch::Tensor>& parameters);
    // Buffers (batch-norm running statistics): rank 0's, or the mean over the ranks when `average`.
    void synchronizeBuffers(torch::nn::Module& net, bool average);
    // Element-wise sums over the ranks of a few numbers (losses, counts, flags).
    std::vector<double> sum(const std::vector<double>& values);
    // Evaluation splits a set without padding (every example counted once): rank r takes r, r + size, r + 2 size...
    std::vector<std::size_t> evaluationShard(std::size_t total) const;
    // The rows ([rows, columns] floats) every rank computed for its evaluationShard(total), put back in the set's
    // order: [total, columns] on the CPU, the same on every rank.
    torch::Tensor gatherShards(const torch::Tensor& rows, std::size_t total);

private:
    void run(const std::string& what, const std::function<void()>& collective);

    DistributedConfig config_;
    torch::Device device_;
    c10::intrusive_ptr<c10d::Store> store_;
    c10::intrusive_ptr<c10d::ProcessGroup> group_;
};

}  // namespace sonolab::ml
