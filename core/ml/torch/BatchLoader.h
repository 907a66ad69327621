#pragma once
// Internal (torch): assembles batches on a background thread while the model trains on the previous one.
// Batch buffers are allocated once per epoch and recycled (no per-batch allocation); on CUDA they are pinned so
// the copy to the GPU can overlap. The randomness of batch b (crop positions, augmentation) comes from
// mixSeed(seed, b), so the same batch gets the same content whatever the thread timing.
#include "core/ml/Dataset.h"

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sonolab::ml {

struct LoadedBatch {
    int index = 0;     // batch number within the epoch
    int slot = -1;     // buffer to release() once the step is done
    torch::Tensor input;   // [count, 1, bands, frames]
    torch::Tensor target;  // [count, outputs]
};

class BatchLoader {
public:
    // `order`: example indices in the order of this epoch; batches of batchSize (the last may be smaller).
    // mixupAlpha > 0 (training only): each batch is mixed as Mixup.h says, with the batch's own randomness.
    BatchLoader(const Dataset& dataset, std::vector<std::size_t> order, int batchSize, bool training,
                std::uint64_t seed, int prefetch, bool pinMemory, double mixupAlpha = 0.0);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    int batches() const { return batches_; }
    // Blocks until the next batch is ready; empty after the last. Rethrows a failure of the loading thread.
    std::optional<LoadedBatch> next();
    void release(int slot);

private:
    void work();

    const Dataset& dataset_;
    std::vector<std::size_t> order_;
    int batchSize_;
    bool training_;
    std::uint64_t seed_;
    double mixupAlpha_ = 0.0;
    int batches_ = 0;
    InputShape shape_;
    std::size_t outputs_;
    std::vector<torch::Tensor> inputs_, targets_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<int> free_;
    std::deque<std::pair<int, int>> ready_;  // (batch, slot)
    int delivered_ = 0;
    bool stopping_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

}  // namespace sonolab::ml
