#include "core/util/IdleBlockCache.h"

#include <algorithm>

namespace sonolab {

IdleBlockCache::IdleBlockCache(Params params) : params_(params) { params_.slackDivisor = std::max<std::size_t>(1, params_.slackDivisor); }

std::optional<IdleBlockCache::Block> IdleBlockCache::take(std::size_t bytes) {
    const auto it = bySize_.lower_bound(bytes);
    if (it == bySize_.end() || it->first - bytes > it->first / params_.slackDivisor) return std::nullopt;
    const Block found{it->second.block, it->first};
    idleBytes_ -= it->first;
    byAge_.erase(it->second.freedAt);
    bySize_.erase(it);
    return found;
}

std::vector<void*> IdleBlockCache::keep(void* block, std::size_t bytes) {
    if (bytes > params_.capBytes) return {block};
    // Inserted before the blocks of its size, so take() finds it first.
    const auto it = bySize_.emplace_hint(bySize_.lower_bound(bytes), bytes, Idle{block, kept_});
    byAge_.emplace(kept_++, it);
    idleBytes_ += bytes;
    std::vector<void*> leaving;
    while (idleBytes_ > params_.capBytes) {
        const auto oldest = byAge_.begin();
        leaving.push_back(oldest->second->second.block);
        idleBytes_ -= oldest->second->first;
        bySize_.erase(oldest->second);
        byAge_.erase(oldest);
    }
    return leaving;
}

std::vector<void*> IdleBlockCache::takeAll() {
    std::vector<void*> all;
    all.reserve(byAge_.size());
    for (const auto& [age, it] : byAge_) all.push_back(it->second.block);
    bySize_.clear();
    byAge_.clear();
    idleBytes_ = 0;
    return all;
}

}  // namespace sonolab
