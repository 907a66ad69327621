// Training over library tracks takes each track's feature-cache key from the library: once a track's features are
// cached its audio is never read (the proof: the audio is moved away and loading still succeeds), and a library and
// feature cache written by the previous version (schema 2, sampled hashes) serve training after the upgrade.
#include "core/features/FeatureCache.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/Scanner.h"
#include "core/library/Sqlite.h"
#include "core/library/TrackProbe.h"
#include "core/library/TrainingSet.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/ContentHash.h"
#include "support/SmallLogMel.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

// Four one-second tones and four of white noise.
std::vector<fs::path> writeClips(const fs::path& folder) {
    fs::create_directories(folder);
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> white(-0.4f, 0.4f);
    std::vector<fs::path> files;
    for (int i = 0; i < 8; ++i) {
        std::vector<float> samples = test::sine(300.0 + 150 * i, 1.0, 22050, 0.4f);
        if (i % 2) for (float& s : samples) s = white(rng);
        files.push_back(folder / ("clip" + std::to_string(i) + ".wav"));
        test::writeWav16(files.back(), samples, 22050);
    }
    return files;
}

// Labels tone/noise and a split; the tracks must be in the library already.
void label(library::LibraryDatabase& db, const std::vector<fs::path>& files) {
    db.createLabelSet("kind", library::LabelKind::Single, {"tone", "noise"}, "test");
    std::vector<library::SplitAssignment> split;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto id = db.trackByPath(library::libraryPath(files[i]))->id;
        db.setLabel("kind", id, i % 2 ? "noise" : "tone", 1.0, "test");
        split.push_back({id, i < 4 ? library::SplitPart::Train : i < 6 ? library::SplitPart::Validation
                                                                       : library::SplitPart::Test});
    }
    db.writeSplit("s", split);
}

pipeline::LoadedExamples load(const fs::path& lib, const pipeline::ModelFeatures& features) {
    library::LibraryDatabase db(lib);
    const auto set = library::loadTrainingSet(db, "single:tone,noise", "s");
    return pipeline::loadExampleFeatures(set.examples, features, features::defaultCacheFor(lib), 2, nullptr);
}

}  // namespace

TEST(CachedFeatures, TracksWhoseFeaturesAreCachedAreLoadedWithoutTheirAudio) {
    const auto dir = test::freshDir("pipeline-cached-no-audio");
    const auto files = writeClips(dir / "music");
    const auto lib = dir / "lib.sqlite";
    {
        library::LibraryDatabase db(lib);
        library::scanFolder(db, dir / "music");
        label(db, files);
    }
    const auto first = load(lib, test::smallLogMel());
    ASSERT_TRUE(first.failures.empty()) << first.failures.front();
    ASSERT_EQ(first.examples.size(), 8u);

    fs::rename(dir / "music", dir / "moved-away");
    const auto again = load(lib, test::smallLogMel());
    EXPECT_TRUE(again.failures.empty()) << again.failures.front();
    ASSERT_EQ(again.examples.size(), 8u);
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(again.examples[i].trackId, first.examples[i].trackId);
        EXPECT_EQ(again.inputs[i], first.inputs[i]) << again.examples[i].path;
    }

    // Control: features that were never cached do need the audio, and each missing file is named.
    auto other = test::smallLogMel();
    other.options.nMels = 20;
    const auto uncached = load(lib, other);
    EXPECT_TRUE(uncached.examples.empty());
    ASSERT_EQ(uncached.failures.size(), 8u);
    for (const auto& f : uncached.failures) EXPECT_NE(f.find("/music/clip"), std::string::npos) << f;
}

TEST(CachedFeatures, PreviousVersionsLibraryAndCacheServeTrainingAfterTheUpgrade) {
    const auto dir = test::freshDir("pipeline-cached-upgrade");
    const auto files = writeClips(dir / "music");
    const auto lib = dir / "lib.sqlite";
    const auto mf = test::smallLogMel();
    const auto spec = extraction::specFor(mf.options);
    {
        // What the previous version left: a schema-2 library whose tracks carry its 32-digit sampled hash ...
        library::LibraryDatabase old(lib, {.migrateTo = 2});
        for (const auto& f : files) {
            auto probed = library::probeFile(f);
            probed.record.contentHash.reset();
            old.upsertTrack(probed.record);
        }
        label(old, files);
        auto lock = old.lock();
        old.connection().exec("UPDATE tracks SET content_hash = printf('%032x', id * 7919)");
        // ... and a feature cache keyed by the whole-file hash, here with values no computation gives, so a
        // recomputed entry would show.
        const features::FeatureCache cache(features::defaultCacheFor(lib));
        for (std::size_t i = 0; i < files.size(); ++i) {
            const std::vector<std::size_t> shape = {40, 87};
            cache.store(hashFile(files[i]), spec, Matrix::fromNpyShape(std::vector<float>(40 * 87, 0.5f + float(i)), shape));
        }
    }
    const auto loaded = load(lib, mf);  // opens (and upgrades) the library
    EXPECT_TRUE(loaded.failures.empty()) << loaded.failures.front();
    ASSERT_EQ(loaded.examples.size(), 8u);
    for (std::size_t i = 0; i < 8; ++i) {
        const auto& e = loaded.examples[i];
        const auto n = std::find(files.begin(), files.end(), fs::path(e.path)) - files.begin();
        ASSERT_EQ(loaded.inputs[i].size(), 40u * 87u);
        EXPECT_EQ(loaded.inputs[i].values().front(), 0.5f + float(n)) << e.path << ": not the old cache entry";
        EXPECT_EQ(loaded.inputs[i].values().back(), 0.5f + float(n)) << e.path;
    }
    EXPECT_EQ(features::FeatureCache(features::defaultCacheFor(lib)).entries(spec).size(), 8u);
    {
        library::LibraryDatabase db(lib);
        EXPECT_EQ(db.tracksWithoutContentHash(), 0);  // hashed on first use and written back
        EXPECT_EQ(db.labelCounts("kind"), (std::vector<std::pair<std::string, std::int64_t>>{{"tone", 4}, {"noise", 4}}));
    }

    // From now on the library knows the keys: the audio is no longer needed.
    fs::rename(dir / "music", dir / "moved-away");
    const auto again = load(lib, mf);
    EXPECT_TRUE(again.failures.empty()) << again.failures.front();
    EXPECT_EQ(again.examples.size(), 8u);
}

// `extract --db LIB --shard K/N`, two processes at once: each track's entry is written once, by the one shard its
// content hash falls in; then, with the audio moved away, training (the CLI's `train --db`) and a similarity space
// read everything from the cache the shards filled.
TEST(CachedFeatures, TwoShardsAtOnceFillTheCacheThatTrainingAndSpacesReadWithoutAudio) {
    const std::string cli = test::cliPath();
    if (cli.empty() || !fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built";
    const auto dir = test::freshDir("pipeline-sharded-extract");
    const auto files = writeClips(dir / "music");
    const auto lib = dir / "lib.sqlite";
    std::set<std::string> trackPaths;
    {
        library::LibraryDatabase db(lib);
        library::scanFolder(db, dir / "music");
        label(db, files);
        for (const auto& t : db.tracks()) trackPaths.insert(t.path);
    }
    auto shard = [&](int k) {
        const auto out = dir / ("shard" + std::to_string(k));
        return "(" + cli + " extract --db '" + lib.string() + "' --shard " + std::to_string(k) +
               "/2 --for train:tutorial_cnn,space:mfcc --json -j 1 -q > '" + out.string() + ".json' 2> '" + out.string() +
               ".err'; echo $? > '" + out.string() + ".rc')";
    };
    ASSERT_EQ(test::run(shard(1) + " & " + shard(2) + " & wait"), 0);
    nlohmann::json reports[2];
    for (int k = 0; k < 2; ++k) {
        const auto base = dir / ("shard" + std::to_string(k + 1));
        std::ifstream rc(base.string() + ".rc"), err(base.string() + ".err");
        int status = -1;
        rc >> status;
        ASSERT_EQ(status, 0) << std::string(std::istreambuf_iterator<char>(err), {});
        reports[k] = nlohmann::json::parse(std::ifstream(base.string() + ".json"));
    }
    const auto& specs = reports[0]["specs"];
    ASSERT_EQ(specs.size(), 2u);  // tutorial_cnn's log-mel and the mfcc space's MFCCs
    const features::FeatureCache cache(features::defaultCacheFor(lib));
    for (std::size_t s = 0; s < specs.size(); ++s) {
        std::set<std::string> computed;
        for (const auto& report : reports) {
            ASSERT_EQ(report["specs"][s]["spec"], specs[s]["spec"]);
            EXPECT_EQ(report["specs"][s]["cached"], 0) << "a fresh cache: no shard met another's entry";
            EXPECT_EQ(report["specs"][s]["failed"], 0);
            for (const auto& f : report["specs"][s]["computed_files"])
                EXPECT_TRUE(computed.insert(f.get<std::string>()).second) << f << " computed by both shards";
        }
        EXPECT_EQ(computed, trackPaths) << specs[s]["spec"];
        EXPECT_EQ(reports[0]["specs"][s]["other_shards"], reports[1]["specs"][s]["computed"]);
        EXPECT_EQ(cache.entries(features::FeatureSpec::parse(specs[s]["spec"].get<std::string>())).size(), 8u);
    }

    fs::rename(dir / "music", dir / "moved-away");
    const auto loaded = load(lib, pipeline::defaultModelFeatures("tutorial_cnn"));
    EXPECT_TRUE(loaded.failures.empty()) << loaded.failures.front();
    EXPECT_EQ(loaded.examples.size(), 8u);
    {
        library::LibraryDatabase db(lib);
        const auto space = similarity::buildCollectionSpace(db, "mfcc", {.threads = 1});
        EXPECT_TRUE(space.failures.empty()) << space.failures.begin()->second;
        EXPECT_EQ(space.vectors.rows(), 8u);
    }
    int status = 0;
    const std::string trained = test::capture(cli + " train --db '" + lib.string() +
                                                  "' --task single:tone,noise --split s --model tutorial_cnn --epochs 1"
                                                  " --threads 1 -q --out '" + (dir / "run").string() + "' 2>&1",
                                              &status);
    EXPECT_EQ(status, 0) << trained;
    EXPECT_EQ(trained.find("left out"), std::string::npos) << trained;
}
