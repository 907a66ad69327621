#pragma once
// Lock-free single-producer single-consumer ring buffer: the feeder thread writes, the audio callback reads.
// Neither side allocates, locks or blocks. reset() is only safe while neither side is running.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <new>
#include <span>
#include <vector>

namespace sonolab::playback {

template <typename T>
class RingBuffer {
public:
    // Capacity is rounded up to a power of two so indices wrap with a mask.
    explicit RingBuffer(std::size_t minCapacity) {
        std::size_t cap = 1;
        while (cap < minCapacity) cap <<= 1;
        data_.resize(cap);
        mask_ = cap - 1;
    }

    std::size_t capacity() const { return data_.size(); }

    // Producer thread only: copies as much of `items` as fits, returns how many were written.
    std::size_t write(std::span<const T> items) {
        const std::size_t w = write_.load(std::memory_order_relaxed);
        const std::size_t r = read_.load(std::memory_order_acquire);
        const std::size_t n = std::min(items.size(), data_.size() - (w - r));
        const std::size_t start = w & mask_;
        const std::size_t first = std::min(n, data_.size() - start);
        std::copy_n(items.data(), first, data_.data() + start);
        std::copy_n(items.data() + first, n - first, data_.data());
        write_.store(w + n, std::memory_order_release);
        return n;
    }

    // Consumer thread only: copies up to out.size() items into out, returns how many were read.
    std::size_t read(std::span<T> out) {
        const std::size_t r = read_.load(std::memory_order_relaxed);
        const std::size_t w = write_.load(std::memory_order_acquire);
        const std::size_t n = std::min(out.size(), w - r);
        const std::size_t start = r & mask_;
        const std::size_t first = std::min(n, data_.size() - start);
        std::copy_n(data_.data() + start, first, out.data());
        std::copy_n(data_.data(), n - first, out.data() + first);
        read_.store(r + n, std::memory_order_release);
        return n;
    }

    // Either thread: a snapshot (the other side may change it right after).
    std::size_t readAvailable() const {
        return write_.load(std::memory_order_acquire) - read_.load(std::memory_order_acquire);
    }
    std::size_t writeAvailable() const { return data_.size() - readAvailable(); }

    // Only while neither producer nor consumer runs (e.g. the stream is stopped and the feeder joined).
    void reset() {
        read_.store(0, std::memory_order_relaxed);
        write_.store(0, std::memory_order_relaxed);
    }

private:
    std::vector<T> data_;
    std::size_t mask_ = 0;
    // Monotonic counters (wrap-around of size_t is harmless: only differences are used). Kept on separate cache
    // lines so producer and consumer do not false-share.
    alignas(64) std::atomic<std::size_t> write_{0};
    alignas(64) std::atomic<std::size_t> read_{0};
};

}  // namespace sonolab::playback
