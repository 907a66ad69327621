// Sharded extraction: N slices by content hash cover a collection exactly once, whatever the order or the names, and
// N runs (here in one process; tests/pipeline runs two processes at once) fill one cache without doing a file twice.
#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/extraction/Shard.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace sonolab;
using namespace sonolab::extraction;
namespace t = sonolab::test;

TEST(Shard, ParsesKOfNCountingFromOneAndRefusesTheRest) {
    EXPECT_TRUE(Shard::parse("1/1").whole());
    const Shard s = Shard::parse("3/4");
    EXPECT_EQ(s.index, 2u);
    EXPECT_EQ(s.count, 4u);
    EXPECT_EQ(s.toString(), "3/4");
    for (const char* bad : {"0/4", "5/4", "4", "1/0", "-1/2", "a/b", "1/2/3", "", " 1/2"})
        EXPECT_THROW(Shard::parse(bad), Error) << bad;
}

TEST(Shard, EveryKeyBelongsToExactlyOneSliceAndSlicesAreBalanced) {
    // Keys as extraction sees them: content hashes of distinct files (here small byte strings).
    std::vector<std::uint64_t> keys;
    for (int i = 0; i < 6000; ++i) {
        const std::string bytes = "RIFF....track " + std::to_string(i);
        keys.push_back(contentHash(std::as_bytes(std::span(bytes.data(), bytes.size()))));
    }
    for (std::uint64_t n : {2u, 3u, 7u, 16u}) {
        std::vector<std::size_t> perSlice(n, 0);
        for (auto key : keys) {
            int owners = 0;
            for (std::uint64_t k = 0; k < n; ++k)
                if (Shard{k, n}.owns(key)) ++owners, ++perSlice[k];
            ASSERT_EQ(owners, 1) << "key " << key << " in " << n << " slices";
        }
        const double mean = double(keys.size()) / double(n);
        for (std::uint64_t k = 0; k < n; ++k)
            EXPECT_NEAR(double(perSlice[k]), mean, 0.2 * mean) << "slice " << k + 1 << "/" << n;
    }
}

TEST(Extractor, ShardsOfOneCollectionComputeEachFileOnceIntoOneCache) {
    const auto dir = t::freshDir("extraction-shards");
    std::vector<std::filesystem::path> files;
    for (int i = 0; i < 10; ++i) {
        files.push_back(dir / "music" / ("tone" + std::to_string(i) + ".wav"));
        std::filesystem::create_directories(files.back().parent_path());
        t::writeWav16(files.back(), t::sine(200.0 + 37 * i, 0.5, 22050, 0.4f), 22050);
    }
    // A byte-for-byte copy under another name: same key, so the same slice computes (or skips) both.
    std::filesystem::copy_file(files[3], dir / "music" / "copy-of-tone3.wav");
    const auto all = Extractor::collectAudioFiles({dir / "music"});
    ASSERT_EQ(all.size(), 11u);
    auto reversed = all;
    std::reverse(reversed.begin(), reversed.end());  // another machine may list the files in another order

    const features::FeatureCache cache(dir / "cache");
    const Extractor ex(cache, specFor({.kind = "logmel"}));
    const auto first = ex.run(all, {.threads = 2, .shard = Shard::parse("1/2")});
    const auto second = ex.run(reversed, {.threads = 2, .shard = Shard::parse("2/2")});
    EXPECT_EQ(first.failed + second.failed, 0u);
    EXPECT_EQ(first.computed + first.otherShards + first.skipped, 11u);
    EXPECT_EQ(second.computed + second.otherShards + second.skipped, 11u);

    std::set<std::filesystem::path> byFirst(first.computedFiles.begin(), first.computedFiles.end());
    for (const auto& f : second.computedFiles) EXPECT_FALSE(byFirst.count(f)) << f << " computed by both shards";
    for (const auto& f : all) {
        const bool mine = Shard::parse("1/2").owns(hashFile(f));
        const auto& owner = mine ? first : second;
        const bool done = std::find(owner.computedFiles.begin(), owner.computedFiles.end(), f) != owner.computedFiles.end();
        // The copy shares its key with tone3: whichever of the two the owning slice met second was a cache hit.
        if (f.filename() != "copy-of-tone3.wav" && f.filename() != "tone3.wav") EXPECT_TRUE(done) << f;
        EXPECT_TRUE(cache.contains(hashFile(f), ex.spec())) << f;
    }
    EXPECT_EQ(first.computed + second.computed, 10u);  // ten distinct contents, each computed once
    EXPECT_EQ(cache.entries(ex.spec()).size(), 10u);

    // A whole run afterwards finds everything cached.
    const auto again = ex.run(all, {.threads = 2});
    EXPECT_EQ(again.skipped, 11u);
    EXPECT_EQ(again.computed, 0u);
}
