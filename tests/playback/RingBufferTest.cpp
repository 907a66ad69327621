// The SPSC ring: wrap-around, partial writes when full, and an exact sequence across two threads.
#include "core/playback/RingBuffer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using sonolab::playback::RingBuffer;

TEST(RingBuffer, RoundsCapacityAndWrapsAround) {
    RingBuffer<int> ring(100);
    EXPECT_EQ(ring.capacity(), 128u);
    std::vector<int> in(90), out(90);
    int next = 0, expect = 0;
    for (int round = 0; round < 50; ++round) {  // 50 * 90 items through 128 slots: wraps many times
        for (auto& v : in) v = next++;
        ASSERT_EQ(ring.write(in), 90u);
        ASSERT_EQ(ring.readAvailable(), 90u);
        ASSERT_EQ(ring.read(out), 90u);
        for (int v : out) ASSERT_EQ(v, expect++);
    }
}

TEST(RingBuffer, WritesOnlyWhatFitsAndReadsOnlyWhatIsThere) {
    RingBuffer<float> ring(8);
    std::vector<float> in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_EQ(ring.write(in), 8u);
    EXPECT_EQ(ring.writeAvailable(), 0u);
    EXPECT_EQ(ring.write(in), 0u);
    std::vector<float> out(3);
    EXPECT_EQ(ring.read(out), 3u);
    EXPECT_EQ(out, (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(ring.write(std::span(in).subspan(8)), 2u);
    std::vector<float> rest(20);
    EXPECT_EQ(ring.read(rest), 7u);
    EXPECT_EQ(std::vector<float>(rest.begin(), rest.begin() + 7), (std::vector<float>{4, 5, 6, 7, 8, 9, 10}));
    ring.reset();
    EXPECT_EQ(ring.readAvailable(), 0u);
}

TEST(RingBuffer, ProducerAndConsumerThreadsKeepTheSequence) {
    RingBuffer<std::uint32_t> ring(1000);
    constexpr std::uint32_t kTotal = 500'000;
    std::thread producer([&] {
        std::vector<std::uint32_t> chunk;
        std::uint32_t next = 0;
        while (next < kTotal) {
            chunk.clear();
            for (std::uint32_t i = 0; i < 1 + next % 777 && next + i < kTotal; ++i) chunk.push_back(next + i);
            std::size_t done = 0;
            while (done < chunk.size()) {
                const std::size_t n = ring.write(std::span<const std::uint32_t>(chunk).subspan(done));
                if (n == 0) std::this_thread::sleep_for(std::chrono::microseconds(20));  // full: let the consumer run
                done += n;
            }
            next += std::uint32_t(chunk.size());
        }
    });
    std::vector<std::uint32_t> buf(301);
    std::uint32_t expect = 0;
    bool ok = true;
    while (expect < kTotal) {
        const std::size_t n = ring.read(std::span<std::uint32_t>(buf).first(1 + expect % 301));
        if (n == 0) std::this_thread::sleep_for(std::chrono::microseconds(20));
        for (std::size_t i = 0; i < n; ++i) ok = ok && buf[i] == expect++;
    }
    producer.join();
    EXPECT_TRUE(ok);
    EXPECT_EQ(ring.readAvailable(), 0u);
}
