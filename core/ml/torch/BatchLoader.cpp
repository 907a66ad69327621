#include "core/ml/torch/BatchLoader.h"

#include "core/ml/Mixup.h"
#include "core/ml/torch/TorchSupport.h"

#include <algorithm>

namespace sonolab::ml {

BatchLoader::BatchLoader(const Dataset& dataset, std::vector<std::size_t> order, int batchSize, bool training,
                         std::uint64_t seed, int prefetch, bool pinMemory, double mixupAlpha)
    : dataset_(dataset), order_(std::move(order)), batchSize_(std::max(1, batchSize)), training_(training),
      seed_(seed), mixupAlpha_(training ? mixupAlpha : 0.0), shape_(dataset.inputShape()), outputs_(dataset.task().outputs()) {
    batches_ = int((order_.size() + std::size_t(batchSize_) - 1) / std::size_t(batchSize_));
    const int slots = std::max(1, std::min(prefetch, batches_)) + 1;
    auto options = torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(pinMemory);
    const auto n = std::int64_t(std::min<std::size_t>(std::size_t(batchSize_), order_.size()));
    for (int s = 0; s < slots; ++s) {
        inputs_.push_back(torch::empty({n, 1, std::int64_t(shape_.bands), std::int64_t(shape_.frames)}, options));
        targets_.push_back(torch::empty({n, std::int64_t(outputs_)}, options));
        free_.push_back(s);
    }
    if (batches_ > 0) thread_ = std::thread([this] { work(); });
}

BatchLoader::~BatchLoader() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BatchLoader::work() {
    try {
        for (int b = 0; b < batches_; ++b) {
            int slot;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return stopping_ || !free_.empty(); });
                if (stopping_) return;
                slot = free_.front();
                free_.pop_front();
            }
            std::mt19937_64 rng(mixSeed(seed_, std::uint64_t(b)));
            const std::size_t begin = std::size_t(b) * std::size_t(batchSize_);
            const std::size_t end = std::min(order_.size(), begin + std::size_t(batchSize_));
            float* in = inputs_[std::size_t(slot)].data_ptr<float>();
            float* tg = targets_[std::size_t(slot)].data_ptr<float>();
            for (std::size_t k = begin; k < end; ++k) {
                const std::size_t i = order_[k];
                dataset_.fill(i, training_, rng, in + (k - begin) * shape_.size());
                const auto& target = dataset_.info(i).target;
                std::copy(target.begin(), target.end(), tg + (k - begin) * outputs_);
            }
            if (mixupAlpha_ > 0 && end - begin > 1)
                applyMixup(drawMixup(end - begin, mixupAlpha_, rng), in, shape_.size(), tg, outputs_);
            {
                std::lock_guard lock(mutex_);
                ready_.emplace_back(b, slot);
            }
            changed_.notify_all();
        }
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            failure_ = std::current_exception();
        }
        changed_.notify_all();
    }
}

std::optional<LoadedBatch> BatchLoader::next() {
    if (delivered_ >= batches_) return std::nullopt;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || !ready_.empty(); });
    if (failure_) std::rethrow_exception(failure_);
    auto [b, slot] = ready_.front();
    ready_.pop_front();
    ++delivered_;
    const std::size_t begin = std::size_t(b) * std::size_t(batchSize_);
    const auto count = std::int64_t(std::min(order_.size(), begin + std::size_t(batchSize_)) - begin);
    LoadedBatch batch;
    batch.index = b;
    batch.slot = slot;
    batch.input = inputs_[std::size_t(slot)].narrow(0, 0, count);
    batch.target = targets_[std::size_t(slot)].narrow(0, 0, count);
    return batch;
}

void BatchLoader::release(int slot) {
    {
        std::lock_guard lock(mutex_);
        free_.push_back(slot);
    }
    changed_.notify_all();
}

}  // namespace sonolab::ml
