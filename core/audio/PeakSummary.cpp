#include "core/audio/PeakSummary.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>

namespace sonolab::audio {

namespace {

// Min and max of one finest-level bucket of a mono stream, four lanes at a time (GCC/Clang vector extensions: SSE on
// x86, NEON on ARM). The scalar loop compared and branched per sample and was a sixth of the decoder threads' time.
// Like MinMax::include, a NaN never wins a comparison, so it never enters the result.
MinMax bucketMinMax(const float* samples) {
    using Lanes = float __attribute__((vector_size(16)));
    constexpr float inf = std::numeric_limits<float>::infinity();
    Lanes lo{inf, inf, inf, inf}, hi{-inf, -inf, -inf, -inf};
    static_assert(PeakSummary::kBucketFrames[0] % 4 == 0);
    for (std::int64_t i = 0; i < PeakSummary::kBucketFrames[0]; i += 4) {
        Lanes v;
        std::memcpy(&v, samples + i, sizeof v);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    MinMax m;
    for (int lane = 0; lane < 4; ++lane) {
        m.include(lo[lane]);
        m.include(hi[lane]);
    }
    return m;
}

}  // namespace

PeakSummary::PeakSummary(int channels, int sampleRate) : channels_(std::max(channels, 1)), sampleRate_(sampleRate) {}

std::unique_ptr<PeakSummary> PeakSummary::fromBuffer(const AudioBuffer& buffer) {
    auto summary = std::make_unique<PeakSummary>(buffer.channels, buffer.sampleRate);
    summary->append(buffer.samples);
    summary->finish();
    return summary;
}

void PeakSummary::reserve(std::int64_t frames) {
    if (frames <= 0) return;
    std::unique_lock lock(mutex_);
    for (std::size_t l = 0; l < levels_.size(); ++l)
        levels_[l].reserve(std::size_t((frames + kBucketFrames[l] - 1) / kBucketFrames[l] + 1) * std::size_t(channels_));
}

void PeakSummary::append(std::span<const float> interleaved) {
    const std::size_t ch = std::size_t(channels_);
    const std::int64_t n = std::int64_t(interleaved.size() / ch);
    if (n == 0) return;
    std::unique_lock lock(mutex_);
    const std::int64_t begin = frames_.load(std::memory_order_relaxed);
    const std::int64_t end = begin + n;

    // Finest level straight from the samples.
    auto& fine = levels_[0];
    const std::int64_t fineFrames = kBucketFrames[0];
    fine.resize(std::size_t((end + fineFrames - 1) / fineFrames) * ch);
    const float* s = interleaved.data();
    for (std::int64_t f = begin; f < end;) {
        const std::int64_t b = f / fineFrames;
        const std::int64_t stop = std::min(end, (b + 1) * fineFrames);
        MinMax* dst = &fine[std::size_t(b) * ch];
        if (ch == 1 && stop - f == fineFrames) {  // a whole bucket of a mono stream: the common case
            *dst = bucketMinMax(s);
            s += fineFrames;
            f = stop;
            continue;
        }
        for (; f < stop; ++f)
            for (std::size_t c = 0; c < ch; ++c) dst[c].include(*s++);
    }
    // Each coarser level from the one below, only for the buckets this append touched.
    for (std::size_t l = 1; l < levels_.size(); ++l) {
        const std::int64_t ratio = kBucketFrames[l] / kBucketFrames[l - 1];
        const auto& lower = levels_[l - 1];
        auto& level = levels_[l];
        const std::int64_t lowerCount = std::int64_t(lower.size() / ch);
        level.resize(std::size_t((end + kBucketFrames[l] - 1) / kBucketFrames[l]) * ch);
        for (std::int64_t b = begin / kBucketFrames[l]; b < std::int64_t(level.size() / ch); ++b) {
            for (std::size_t c = 0; c < ch; ++c) {
                MinMax m;
                for (std::int64_t k = b * ratio; k < std::min((b + 1) * ratio, lowerCount); ++k)
                    m.include(lower[std::size_t(k) * ch + c]);
                level[std::size_t(b) * ch + c] = m;
            }
        }
    }
    frames_.store(end, std::memory_order_release);
}

int PeakSummary::levelFor(double framesPerPixel) {
    int level = 0;
    for (std::size_t l = 1; l < kBucketFrames.size(); ++l)
        if (double(kBucketFrames[l]) <= framesPerPixel) level = int(l);
    return level;
}

MinMax PeakSummary::bucket(int level, std::int64_t index, int channel) const {
    const auto& data = levels_[std::size_t(level)];
    const std::size_t ch = std::size_t(channels_);
    if (channel >= 0) return data[std::size_t(index) * ch + std::size_t(channel)];
    MinMax m;
    for (std::size_t c = 0; c < ch; ++c) m.include(data[std::size_t(index) * ch + c]);
    return m;
}

std::vector<MinMax> PeakSummary::range(std::int64_t firstFrame, std::int64_t lastFrame, int buckets, int channel) const {
    std::vector<MinMax> out(std::size_t(std::max(buckets, 0)));
    if (buckets <= 0 || lastFrame <= firstFrame || channel >= channels_) return out;
    std::shared_lock lock(mutex_);
    const std::int64_t available = frames_.load(std::memory_order_relaxed);
    const double span = double(lastFrame - firstFrame);
    const int level = levelFor(span / buckets);
    const std::int64_t size = kBucketFrames[std::size_t(level)];
    for (int i = 0; i < buckets; ++i) {
        // Pixel i covers [a, b): consecutive pixels share edges so nothing is skipped or counted twice.
        const std::int64_t a = firstFrame + std::int64_t(std::floor(span * i / buckets));
        std::int64_t b = firstFrame + std::int64_t(std::floor(span * (i + 1) / buckets));
        b = std::min(b, available);
        if (b <= a || a < 0) {
            if (a < 0 && b > 0) {  // a view scrolled before the start: use the part that exists
                const std::int64_t last = (b - 1) / size;
                for (std::int64_t k = 0; k <= last; ++k) out[std::size_t(i)].include(bucket(level, k, channel));
            }
            continue;
        }
        const std::int64_t firstBucket = a / size, lastBucket = (b - 1) / size;
        MinMax m;
        for (std::int64_t k = firstBucket; k <= lastBucket; ++k) m.include(bucket(level, k, channel));
        out[std::size_t(i)] = m;
    }
    return out;
}

}  // namespace sonolab::audio
