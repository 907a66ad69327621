#include "core/audio/AudioDecoder.h"
#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <numbers>

using namespace sonolab;
using namespace sonolab::extraction;
namespace t = sonolab::test;

namespace {
std::vector<std::filesystem::path> makeCollection(const std::filesystem::path& dir, int n, double seconds = 2.0) {
    std::vector<std::filesystem::path> files;
    std::filesystem::create_directories(dir / "sub");
    for (int i = 0; i < n; ++i) {
        auto x = t::sine(220.0 * (i + 1), seconds, 22050, 0.4f);
        auto p = (i % 2 ? dir / "sub" : dir) / ("tone" + std::to_string(i) + ".wav");
        t::writeWav16(p, x, 22050);
        files.push_back(p);
    }
    return files;
}
}  // namespace

TEST(FeatureKinds, SpecsAreCompleteAndDistinguishParameters) {
    auto a = specFor({.kind = "logmel"});
    EXPECT_EQ(a.kind, "logmel");
    EXPECT_EQ(a.text("fmax", ""), "11025");
    EXPECT_EQ(a.text("norm", ""), "slaney");
    auto b = specFor({.kind = "logmel", .nMels = 96});
    EXPECT_NE(a.hash(), b.hash());
    EXPECT_EQ(specFor({.kind = "rp", .sampleRate = 16000}).hash(), specFor({.kind = "rp"}).hash());  // fixed at 44.1k
    EXPECT_EQ(decodeRateFor(specFor({.kind = "ssd"})), 44100);
    EXPECT_THROW(specFor({.kind = "nonsense"}), Error);
    EXPECT_THROW(specFor({.kind = "mfcc", .nMels = 10, .nMfcc = 20}), Error);
    EXPECT_THROW(specFor({.kind = "logmel", .fmin = 9000, .fmax = 8000}), Error);
}

TEST(FeatureKinds, ShapesAreBandsByFrames) {
    auto x = t::sine(440.0, 3.0, 22050);
    auto lm = computeFeature(specFor({.kind = "logmel"}), x);
    EXPECT_EQ(lm.npyShape(), (std::vector<std::size_t>{80, 1 + x.size() / 512}));
    auto mf = computeFeature(specFor({.kind = "mfcc", .nMfcc = 13}), x);
    EXPECT_EQ(mf.npyShape(), (std::vector<std::size_t>{13, 1 + x.size() / 512}));
    auto ch = computeFeature(specFor({.kind = "chroma"}), x);
    EXPECT_EQ(ch.rows(), 12u);
    std::size_t best = 0;  // 440 Hz is A: row 9
    for (std::size_t r = 0; r < 12; ++r)
        if (ch.at(r, ch.cols() / 2) > ch.at(best, ch.cols() / 2)) best = r;
    EXPECT_EQ(best, 9u);
    auto sp = computeFeature(specFor({.kind = "spectral"}), x);
    EXPECT_EQ(sp.rows(), 7u);
    EXPECT_NEAR(sp.at(0, sp.cols() / 2), 440.0f, 15.0f);  // centroid row
    auto x44 = t::sine(440.0, 7.0, 44100);
    EXPECT_EQ(computeFeature(specFor({.kind = "rp"}), x44).npyShape(), (std::vector<std::size_t>{24, 60}));
    EXPECT_EQ(computeFeature(specFor({.kind = "ssd"}), x44).npyShape(), (std::vector<std::size_t>{24, 7}));
    EXPECT_EQ(computeFeature(specFor({.kind = "rh"}), x44).npyShape(), (std::vector<std::size_t>{60}));
    EXPECT_EQ(computeFeature(specFor({.kind = "onsets"}), x44).npyShape(), (std::vector<std::size_t>{1, 700}));
}

TEST(Extractor, ExtractsACollectionSkipsBadFilesAndResumes) {
    auto dir = t::freshDir("extraction-collection");
    auto files = makeCollection(dir / "music", 6);
    {
        std::ofstream bad(dir / "music" / "broken.mp3", std::ios::binary);
        bad << "ID3 this is not really an mp3 file, just text pretending";
    }
    std::ofstream(dir / "music" / "notes.txt") << "not audio";
    auto found = Extractor::collectAudioFiles({dir / "music"});
    ASSERT_EQ(found.size(), 7u);  // six tones and the broken mp3, not the text file

    features::FeatureCache cache(dir / "cache");
    Extractor ex(cache, specFor({.kind = "logmel"}));
    std::vector<double> seen;
    std::mutex m;
    Progress progress;
    progress.report = [&](double done, double total, const std::string&) {
        std::lock_guard lock(m);
        seen.push_back(done);
        EXPECT_EQ(total, 7.0);
    };
    auto r = ex.run(found, {.threads = 2}, &progress);
    EXPECT_EQ(r.total, 7u);
    EXPECT_EQ(r.computed, 6u);
    EXPECT_EQ(r.failed, 1u);
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_EQ(r.failures[0].file.filename(), "broken.mp3");
    EXPECT_NE(r.failures[0].error.find("broken.mp3"), std::string::npos) << r.failures[0].error;
    EXPECT_FALSE(r.cancelled);
    EXPECT_NEAR(r.audioSeconds, 12.0, 0.01);
    ASSERT_EQ(seen.size(), 7u);
    EXPECT_EQ(*std::max_element(seen.begin(), seen.end()), 7.0);

    // The cached entry equals a direct computation from the decoded file.
    auto cached = cache.load(hashFile(files[3]), ex.spec());
    ASSERT_TRUE(cached);
    EXPECT_TRUE(cached->isBorrowed());
    auto buffer = audio::decode(files[3], {.sampleRate = 22050, .mono = true});
    auto direct = computeFeature(ex.spec(), buffer.samples);
    EXPECT_EQ(cached->npyShape(), direct.npyShape());
    EXPECT_EQ(*cached, direct);

    // Second run: everything cached is skipped, the broken file is reported again.
    auto again = ex.run(found, {.threads = 2});
    EXPECT_EQ(again.computed, 0u);
    EXPECT_EQ(again.skipped, 6u);
    EXPECT_EQ(again.failed, 1u);

    // A renamed copy is a cache hit; an edited file is not.
    std::filesystem::copy_file(files[0], dir / "renamed.wav");
    EXPECT_TRUE(ex.isCached(dir / "renamed.wav"));
    t::writeWav16(dir / "edited.wav", t::sine(220.0, 2.0, 22050, 0.41f), 22050);
    EXPECT_FALSE(ex.isCached(dir / "edited.wav"));
    EXPECT_EQ(ex.extract(dir / "edited.wav").rows(), 80u);
    EXPECT_TRUE(ex.isCached(dir / "edited.wav"));
    EXPECT_THROW(ex.extract(dir / "music" / "broken.mp3"), Error);
}

TEST(Extractor, ItemsWithAKnownHashAreServedFromTheCacheWithoutTheirFile) {
    auto dir = t::freshDir("extraction-keyed");
    auto files = makeCollection(dir / "music", 3, 1.0);
    Extractor ex(features::FeatureCache(dir / "cache"), specFor({.kind = "logmel"}));
    std::vector<ExtractionItem> items;
    for (const auto& f : files) items.push_back({f, hashFile(f)});
    EXPECT_EQ(ex.run(items).computed, 3u);
    const auto before = ex.extract(items[1]);

    // The audio moves away: the keyed items are still served, whole and equal; only an unkeyed one needs the file.
    std::filesystem::rename(dir / "music", dir / "moved");
    const auto again = ex.run(items);
    EXPECT_EQ(again.skipped, 3u);
    EXPECT_EQ(again.failed, 0u);
    EXPECT_EQ(ex.extract(items[1]), before);
    const auto unkeyed = ex.run(files);
    EXPECT_EQ(unkeyed.failed, 3u);
    ASSERT_FALSE(unkeyed.failures.empty());
    EXPECT_NE(unkeyed.failures[0].error.find(unkeyed.failures[0].file.string()), std::string::npos);
    // A key with no entry needs the audio, and names the file it could not read.
    Extractor other(features::FeatureCache(dir / "cache"), specFor({.kind = "mfcc"}));
    EXPECT_THROW(other.extract(items[0]), Error);
}

TEST(Extractor, CancelStopsCleanlyAndTheNextRunResumes) {
    auto dir = t::freshDir("extraction-cancel");
    auto files = makeCollection(dir / "music", 8);
    Extractor ex(features::FeatureCache(dir / "cache"), specFor({.kind = "mfcc"}));
    Progress progress;
    std::atomic<int> reports{0};
    progress.report = [&](double, double, const std::string&) {
        if (++reports == 3) progress.cancel.cancel();  // the user presses Ctrl-C after three files
    };
    auto r = ex.run(files, {.threads = 1}, &progress);
    EXPECT_TRUE(r.cancelled);
    EXPECT_EQ(r.computed, 3u);
    // Exactly the finished files are in the cache, complete; no temporary files are left.
    std::size_t entries = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir / "cache")) {
        if (!e.is_regular_file()) continue;
        EXPECT_NE(e.path().filename().string()[0], '.') << "temporary file left: " << e.path();
        entries += e.path().extension() == ".npy";
    }
    EXPECT_EQ(entries, 3u);
    auto resumed = ex.run(files, {.threads = 2});
    EXPECT_EQ(resumed.skipped, 3u);
    EXPECT_EQ(resumed.computed, 5u);
    EXPECT_FALSE(resumed.cancelled);
}
