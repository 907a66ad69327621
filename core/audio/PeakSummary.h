#pragma once
// Min/max waveform summaries at several resolutions, so a view can draw any zoom level of a long track without
// touching samples. Built incrementally from streamed chunks (append), readable from other threads while it grows.
#include "core/audio/AudioBuffer.h"
#include "core/util/LargeAllocation.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

namespace sonolab::audio {

struct MinMax {
    float min = std::numeric_limits<float>::infinity();
    float max = -std::numeric_limits<float>::infinity();
    // False for a pixel no appended frame falls in (beyond the decoded part, or an empty range).
    bool valid() const { return min <= max; }
    void include(float v) {
        if (v < min) min = v;
        if (v > max) max = v;
    }
    void include(const MinMax& o) {
        if (o.min < min) min = o.min;
        if (o.max > max) max = o.max;
    }
};

class PeakSummary {
public:
    // Frames per bucket of each level, finest first. Each level is 16x coarser than the one before.
    static constexpr std::array<std::int64_t, 4> kBucketFrames{16, 256, 4096, 65536};

    // channels: the interleaved layout of what append() receives. The summary keeps one min/max per channel.
    explicit PeakSummary(int channels = 1, int sampleRate = 0);
    PeakSummary(const PeakSummary&) = delete;
    PeakSummary& operator=(const PeakSummary&) = delete;

    static std::unique_ptr<PeakSummary> fromBuffer(const AudioBuffer& buffer);

    // Writer thread, before the first append: room for about `frames` frames, so growing never copies the levels
    // (a 10-minute track's finest level is 13 MB). An estimate: appending past it still works.
    void reserve(std::int64_t frames);
    // Writer thread (the decoder's): adds whole frames of interleaved samples after those already appended.
    void append(std::span<const float> interleaved);
    // Writer thread: no more data will come (the track is fully decoded).
    void finish() { finished_.store(true, std::memory_order_release); }

    // Any thread.
    int channels() const { return channels_; }
    int sampleRate() const { return sampleRate_; }
    std::int64_t frames() const { return frames_.load(std::memory_order_acquire); }
    bool finished() const { return finished_.load(std::memory_order_acquire); }

    // Any thread: per-pixel min/max of frames [firstFrame, lastFrame) split into `buckets` equal pixels.
    // channel < 0 combines all channels. Uses the coarsest level whose buckets are no wider than a pixel, so the
    // result covers each pixel's frames widened outwards to that level's bucket grid (exact when the pixel edges
    // fall on the grid, e.g. multiples of 16 frames). Pixels past the appended frames are !valid().
    std::vector<MinMax> range(std::int64_t firstFrame, std::int64_t lastFrame, int buckets, int channel = -1) const;

    // The level range() uses for a given number of frames per pixel (exposed for tests and views).
    static int levelFor(double framesPerPixel);

private:
    MinMax bucket(int level, std::int64_t index, int channel) const;  // caller holds the lock

    int channels_;
    int sampleRate_;
    std::atomic<std::int64_t> frames_{0};
    std::atomic<bool> finished_{false};
    mutable std::shared_mutex mutex_;
    // levels_[l][bucket * channels + channel]
    std::array<std::vector<MinMax, LargeAllocator<MinMax>>, kBucketFrames.size()> levels_;
};

}  // namespace sonolab::audio
