// The bookkeeping of the caching allocator that keeps libtorch's training buffers (core/util/IdleBlockCache.h):
// which kept block serves a request, and which ones leave when the cap is reached. The cache never touches the
// memory, so the blocks here are just distinct addresses.
#include "core/util/IdleBlockCache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

using namespace sonolab;

namespace {
constexpr std::size_t MiB = std::size_t(1) << 20;
std::array<char, 16> addresses{};
void* blockNo(int i) { return &addresses[std::size_t(i)]; }
}  // namespace

TEST(IdleBlockCache, ARequestGetsTheBlockOfItsSizeFreedLast) {
    IdleBlockCache cache({.capBytes = 100 * MiB});
    EXPECT_TRUE(cache.keep(blockNo(0), 8 * MiB).empty());
    EXPECT_TRUE(cache.keep(blockNo(1), 8 * MiB).empty());
    EXPECT_TRUE(cache.keep(blockNo(2), 8 * MiB).empty());
    EXPECT_EQ(cache.idleBytes(), 24 * MiB);

    auto b = cache.take(8 * MiB);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->block, blockNo(2));
    EXPECT_EQ(b->bytes, 8 * MiB);
    EXPECT_EQ(cache.take(8 * MiB)->block, blockNo(1));
    EXPECT_EQ(cache.take(8 * MiB)->block, blockNo(0));
    EXPECT_FALSE(cache.take(8 * MiB));
    EXPECT_EQ(cache.idleBytes(), 0u);
}

TEST(IdleBlockCache, ABlockServesSmallerRequestsOnlyUpToItsSlack) {
    IdleBlockCache cache({.capBytes = 100 * MiB, .slackDivisor = 4});
    EXPECT_TRUE(cache.keep(blockNo(0), 40 * MiB).empty());
    EXPECT_TRUE(cache.keep(blockNo(1), 10 * MiB).empty());

    EXPECT_FALSE(cache.take(41 * MiB)) << "no block is big enough";
    EXPECT_FALSE(cache.take(29 * MiB)) << "40 MiB for 29 leaves 11 unused, over a quarter";
    const auto b = cache.take(30 * MiB);  // 10 unused of 40: exactly a quarter
    ASSERT_TRUE(b);
    EXPECT_EQ(b->block, blockNo(0));
    EXPECT_EQ(b->bytes, 40 * MiB) << "the block keeps its own size, for when it is freed again";
    // The smallest block that fits is the one taken, not the first kept.
    EXPECT_TRUE(cache.keep(blockNo(0), 40 * MiB).empty());
    EXPECT_EQ(cache.take(9 * MiB)->block, blockNo(1));
    EXPECT_EQ(cache.idleBytes(), 40 * MiB);
}

TEST(IdleBlockCache, OverTheCapTheBlocksIdleLongestLeaveFirst) {
    IdleBlockCache cache({.capBytes = 30 * MiB});
    EXPECT_TRUE(cache.keep(blockNo(0), 10 * MiB).empty());
    EXPECT_TRUE(cache.keep(blockNo(1), 12 * MiB).empty());
    EXPECT_TRUE(cache.keep(blockNo(2), 8 * MiB).empty());  // exactly at the cap
    EXPECT_EQ(cache.idleBytes(), 30 * MiB);

    // 9 more: the oldest (10) leaves, and that is enough.
    EXPECT_EQ(cache.keep(blockNo(3), 9 * MiB), std::vector<void*>{blockNo(0)});
    EXPECT_EQ(cache.idleBytes(), 29 * MiB);
    // 20 more: the 12 and then the 8 leave, oldest first, and the new block stays.
    EXPECT_EQ(cache.keep(blockNo(4), 20 * MiB), (std::vector<void*>{blockNo(1), blockNo(2)}));
    EXPECT_EQ(cache.idleBlocks(), 2u);
    EXPECT_EQ(cache.idleBytes(), 29 * MiB);
    EXPECT_FALSE(cache.take(10 * MiB)) << "the 10 MiB block left";
    EXPECT_EQ(cache.take(9 * MiB)->block, blockNo(3));
}

TEST(IdleBlockCache, ABlockBiggerThanTheCapIsNeverKept) {
    IdleBlockCache cache({.capBytes = 30 * MiB});
    EXPECT_TRUE(cache.keep(blockNo(0), 10 * MiB).empty());
    EXPECT_EQ(cache.keep(blockNo(1), 31 * MiB), std::vector<void*>{blockNo(1)});
    EXPECT_EQ(cache.idleBytes(), 10 * MiB) << "and what was kept stays";
}

TEST(IdleBlockCache, TakeAllHandsBackEveryBlockOnce) {
    IdleBlockCache cache({.capBytes = 100 * MiB});
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(cache.keep(blockNo(i), std::size_t(i + 1) * MiB).empty());
    ASSERT_TRUE(cache.take(3 * MiB));
    auto all = cache.takeAll();
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, (std::vector<void*>{blockNo(0), blockNo(1), blockNo(3), blockNo(4)}));
    EXPECT_EQ(cache.idleBytes(), 0u);
    EXPECT_EQ(cache.idleBlocks(), 0u);
    EXPECT_TRUE(cache.takeAll().empty());
    EXPECT_FALSE(cache.take(1 * MiB));
}
