#pragma once
// Mono samples of one track, filled by several decoder threads at once (one per time segment of the file) and read
// by tile renderers while it fills. Storage is a list of fixed-size blocks so growing never moves samples.
// Thread rules: the segment plan is fixed at construction; append()/finishSegment() are called by the thread that
// decodes that segment; every const method may be called from any thread.
#include "core/util/LargeAllocation.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

namespace sonolab::ui {

class SampleStore {
public:
    struct SegmentPlan {
        std::int64_t firstFrame = 0;
        std::int64_t frames = -1;  // < 0: open-ended (the last segment, to the end of the file)
    };

    SampleStore(int sampleRate, std::vector<SegmentPlan> plan, std::int64_t estimatedFrames);
    SampleStore(const SampleStore&) = delete;
    SampleStore& operator=(const SampleStore&) = delete;

    int sampleRate() const { return sampleRate_; }
    int segmentCount() const { return static_cast<int>(segments_.size()); }
    const SegmentPlan& plan(int segment) const { return segments_[static_cast<std::size_t>(segment)]->plan; }

    // Decoder thread of `segment`.
    void append(int segment, std::span<const float> mono);
    void finishSegment(int segment);

    // Any thread.
    bool finished() const;
    // Exact once finished(); before that the container's estimate (or what is decoded, when that is more).
    std::int64_t frames() const;
    std::int64_t decodedFrames() const;  // across all segments
    std::int64_t segmentDecoded(int segment) const;
    // Whether every frame of [first, last) inside the track has been decoded (frames past the known end count as
    // decoded silence once finished()).
    bool covered(std::int64_t first, std::int64_t last) const;
    // Copies frames [first, first + out.size()) into out; frames outside the track or not decoded yet read as 0.
    void read(std::int64_t first, std::span<float> out) const;

private:
    // 2 MiB of floats, one huge page each (core/util/LargeAllocation.h): a 10-minute track fills ~50 blocks.
    static constexpr std::int64_t kBlockFrames = 1 << 19;
    struct Segment {
        SegmentPlan plan;
        std::atomic<std::int64_t> written{0};
        std::atomic<bool> done{false};
    };

    float* blockFor(std::int64_t frame);  // writer: allocates on first use

    int sampleRate_;
    std::int64_t estimatedFrames_;
    std::vector<std::unique_ptr<Segment>> segments_;
    mutable std::shared_mutex blocksMutex_;
    std::vector<LargeArray<float>> blocks_;  // left uninitialised: read() copies only written frames
};

}  // namespace sonolab::ui
