#include "ui/player/SampleStore.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace sonolab::ui {

SampleStore::SampleStore(int sampleRate, std::vector<SegmentPlan> plan, std::int64_t estimatedFrames)
    : sampleRate_(sampleRate), estimatedFrames_(std::max<std::int64_t>(0, estimatedFrames)) {
    if (plan.empty()) plan.push_back({0, -1});
    std::sort(plan.begin(), plan.end(), [](auto& a, auto& b) { return a.firstFrame < b.firstFrame; });
    for (const auto& p : plan) {
        auto segment = std::make_unique<Segment>();
        segment->plan = p;
        segments_.push_back(std::move(segment));
    }
}

float* SampleStore::blockFor(std::int64_t frame) {
    auto index = static_cast<std::size_t>(frame / kBlockFrames);
    {
        std::shared_lock lock(blocksMutex_);
        if (index < blocks_.size() && blocks_[index]) return blocks_[index].get();
    }
    std::unique_lock lock(blocksMutex_);
    if (index >= blocks_.size()) blocks_.resize(index + 1);
    if (!blocks_[index])  // not zeroed: read() copies only the frames a decoder wrote
        blocks_[index] = allocateLargeArray<float>(kBlockFrames);
    return blocks_[index].get();
}

void SampleStore::append(int segmentIndex, std::span<const float> mono) {
    auto& segment = *segments_[static_cast<std::size_t>(segmentIndex)];
    std::int64_t written = segment.written.load(std::memory_order_relaxed);
    if (segment.plan.frames >= 0)  // a fixed-length segment never writes into its neighbour
        mono = mono.first(static_cast<std::size_t>(
            std::clamp<std::int64_t>(segment.plan.frames - written, 0, static_cast<std::int64_t>(mono.size()))));
    std::size_t done = 0;
    while (done < mono.size()) {
        std::int64_t frame = segment.plan.firstFrame + written + static_cast<std::int64_t>(done);
        float* block = blockFor(frame);
        auto offset = static_cast<std::size_t>(frame % kBlockFrames);
        std::size_t n = std::min(mono.size() - done, static_cast<std::size_t>(kBlockFrames) - offset);
        std::memcpy(block + offset, mono.data() + done, n * sizeof(float));
        done += n;
    }
    // Release: a reader that sees the new count also sees the samples.
    segment.written.store(written + static_cast<std::int64_t>(mono.size()), std::memory_order_release);
}

void SampleStore::finishSegment(int segment) {
    segments_[static_cast<std::size_t>(segment)]->done.store(true, std::memory_order_release);
}

bool SampleStore::finished() const {
    return std::all_of(segments_.begin(), segments_.end(),
                       [](auto& s) { return s->done.load(std::memory_order_acquire); });
}

std::int64_t SampleStore::frames() const {
    const auto& last = *segments_.back();
    std::int64_t decodedEnd = last.plan.firstFrame + last.written.load(std::memory_order_acquire);
    if (finished()) return decodedEnd;
    return std::max(estimatedFrames_, decodedEnd);
}

std::int64_t SampleStore::decodedFrames() const {
    std::int64_t total = 0;
    for (const auto& s : segments_) total += s->written.load(std::memory_order_acquire);
    return total;
}

std::int64_t SampleStore::segmentDecoded(int segment) const {
    return segments_[static_cast<std::size_t>(segment)]->written.load(std::memory_order_acquire);
}

bool SampleStore::covered(std::int64_t first, std::int64_t last) const {
    first = std::max<std::int64_t>(first, 0);
    bool allDone = finished();
    if (allDone) last = std::min(last, frames());
    if (last <= first) return true;
    // Segments are sorted and adjacent; walk them, requiring each part of [first, last) to be written.
    std::int64_t cursor = first;
    for (const auto& s : segments_) {
        std::int64_t begin = s->plan.firstFrame;
        if (cursor < begin) return false;
        std::int64_t writtenEnd = begin + s->written.load(std::memory_order_acquire);
        bool fixed = s->plan.frames >= 0;
        std::int64_t plannedEnd = fixed ? begin + s->plan.frames : INT64_MAX;
        // A finished fixed-length segment that came up short (the file ended early) leaves silence to its planned end.
        std::int64_t end = s->done.load(std::memory_order_acquire) && fixed ? plannedEnd : writtenEnd;
        if (cursor < end) cursor = end;
        if (cursor >= last) return true;
        if (cursor < plannedEnd) return false;  // this segment still owes frames
    }
    return cursor >= last;
}

void SampleStore::read(std::int64_t first, std::span<float> out) const {
    std::fill(out.begin(), out.end(), 0.0f);
    std::shared_lock lock(blocksMutex_);
    for (const auto& s : segments_) {
        std::int64_t begin = s->plan.firstFrame;
        std::int64_t end = begin + s->written.load(std::memory_order_acquire);
        std::int64_t a = std::max(first, begin);
        std::int64_t b = std::min(first + static_cast<std::int64_t>(out.size()), end);
        while (a < b) {
            auto index = static_cast<std::size_t>(a / kBlockFrames);
            auto offset = static_cast<std::size_t>(a % kBlockFrames);
            std::int64_t n = std::min<std::int64_t>(b - a, kBlockFrames - static_cast<std::int64_t>(offset));
            if (index < blocks_.size() && blocks_[index])
                std::memcpy(out.data() + (a - first), blocks_[index].get() + offset, static_cast<std::size_t>(n) * sizeof(float));
            a += n;
        }
    }
}

}  // namespace sonolab::ui
