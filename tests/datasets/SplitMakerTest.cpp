#include "Fixtures.h"
#include "core/datasets/CollectionStore.h"
#include "core/datasets/SplitMaker.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace sonolab;
using namespace sonolab::datasets;
using library::SplitPart;

namespace {

std::vector<SplitItem> items(std::size_t perClass, int groupSize) {
    std::vector<SplitItem> out;
    TrackId id = 1;
    for (const char* cls : {"music", "speech", "rare"}) {
        const std::size_t n = std::string(cls) == "rare" ? perClass / 5 : perClass;
        for (std::size_t i = 0; i < n; ++i, ++id)
            out.push_back({id, cls, groupSize ? std::string(cls) + "-song" + std::to_string(i / groupSize) : ""});
    }
    return out;
}

std::map<std::string, std::map<SplitPart, int>> countByClass(const std::vector<SplitItem>& in,
                                                             const std::vector<library::SplitAssignment>& split) {
    std::map<TrackId, std::string> cls;
    for (const auto& i : in) cls[i.track] = i.stratum;
    std::map<std::string, std::map<SplitPart, int>> counts;
    for (const auto& a : split) ++counts[cls[a.track]][a.part];
    return counts;
}

}  // namespace

TEST(SplitMaker, StratifiedKeepsClassProportionsAndIsSeeded) {
    const auto in = items(100, 0);
    const auto split = stratifiedSplit(in, {0.7, 0.15, 0.15}, 42);
    ASSERT_EQ(split.size(), in.size());
    const auto counts = countByClass(in, split);
    EXPECT_EQ(counts.at("music").at(SplitPart::Train), 70);
    EXPECT_EQ(counts.at("music").at(SplitPart::Validation), 15);
    EXPECT_EQ(counts.at("music").at(SplitPart::Test), 15);
    EXPECT_EQ(counts.at("rare").at(SplitPart::Train), 14);
    EXPECT_EQ(counts.at("rare").at(SplitPart::Validation) + counts.at("rare").at(SplitPart::Test), 6);
    const auto same = stratifiedSplit(in, {0.7, 0.15, 0.15}, 42);
    const auto other = stratifiedSplit(in, {0.7, 0.15, 0.15}, 43);
    int sameCount = 0, differ = 0;
    for (std::size_t i = 0; i < split.size(); ++i) {
        sameCount += split[i].part == same[i].part;
        differ += split[i].part != other[i].part;
    }
    EXPECT_EQ(sameCount, static_cast<int>(split.size()));
    EXPECT_GT(differ, 10);
}

TEST(SplitMaker, GroupAwareNeverPutsAGroupOnTwoSides) {
    const auto in = items(120, 4);  // 30 songs of 4 clips per big class, 6 rare songs
    const auto split = groupAwareSplit(in, {0.7, 0.15, 0.15}, 1);
    ASSERT_EQ(split.size(), in.size());
    std::map<std::string, std::set<SplitPart>> partsOfGroup;
    std::map<TrackId, std::string> group;
    for (const auto& i : in) group[i.track] = i.group;
    for (const auto& a : split) partsOfGroup[group[a.track]].insert(a.part);
    for (const auto& [g, parts] : partsOfGroup) EXPECT_EQ(parts.size(), 1u) << g;
    const auto counts = countByClass(in, split);
    EXPECT_NEAR(counts.at("music").at(SplitPart::Train), 84, 4);
    EXPECT_NEAR(counts.at("music").at(SplitPart::Test), 18, 4);
    EXPECT_GE(counts.at("rare").at(SplitPart::Validation), 4);  // each part got at least one rare song
    EXPECT_GE(counts.at("rare").at(SplitPart::Test), 4);

    // A plain stratified split of the same clips does leak groups: the test above is not vacuous.
    const auto leaky = stratifiedSplit(in, {0.7, 0.15, 0.15}, 1);
    std::map<std::string, std::set<SplitPart>> leakyParts;
    for (const auto& a : leaky) leakyParts[group[a.track]].insert(a.part);
    int leaked = 0;
    for (const auto& [g, parts] : leakyParts) leaked += parts.size() > 1;
    EXPECT_GT(leaked, 0);
}

TEST(SplitMaker, ClipsWithoutGroupAreTheirOwnGroup) {
    const auto in = items(20, 0);
    const auto split = groupAwareSplit(in, {0.5, 0.25, 0.25}, 3);
    const auto counts = countByClass(in, split);
    EXPECT_EQ(counts.at("music").at(SplitPart::Train), 10);
    EXPECT_EQ(counts.at("music").at(SplitPart::Validation), 5);
    EXPECT_THROW(groupAwareSplit(in, {0, 0, 0}, 1), Error);
}

TEST(SplitMaker, MakeSplitOnTheLibraryForEachKind) {
    const auto dir = test::freshDir("split_library");
    const auto root = dir / "classes";
    for (int i = 0; i < 12; ++i) {
        test::writeClip(root / "music" / ("m" + std::to_string(i) + ".wav"), 200 + i);
        test::writeClip(root / "speech" / ("s" + std::to_string(i) + ".wav"), 400 + i);
    }
    library::LibraryDatabase db(dir / "lib.sqlite");
    importClassFolders(db, root, {.labelSetName = "ms"});
    // Groups: pairs of consecutive clips share a source.
    int n = 0;
    for (const auto& t : db.tracks()) db.setTrackGroup(t.id, "src" + std::to_string(n++ / 2));

    auto summary = makeSplit(db, {.kind = SplitRequest::Kind::Stratified, .labelSet = "ms", .name = "strat", .seed = 5,
                                  .fractions = {0.5, 0.25, 0.25}});
    EXPECT_EQ(summary.train, 12);
    EXPECT_EQ(summary.validation, 6);
    EXPECT_EQ(summary.test, 6);
    summary = makeSplit(db, {.kind = SplitRequest::Kind::Group, .seed = 5});
    EXPECT_EQ(summary.name, "ms-group");
    EXPECT_EQ(summary.train + summary.validation + summary.test, 24);
    std::map<std::string, std::set<SplitPart>> parts;
    for (const auto& a : db.split("ms-group")) parts[db.track(a.track)->group].insert(a.part);
    for (const auto& [g, p] : parts) EXPECT_EQ(p.size(), 1u) << g;
    EXPECT_THROW(makeSplit(db, {.kind = SplitRequest::Kind::Dataset, .labelSet = "ms"}), Error);  // GTZAN has none
    EXPECT_THROW(makeSplit(db, {.labelSet = "nope"}), Error);
    EXPECT_EQ(splitKindFromString("group"), SplitRequest::Kind::Group);
    EXPECT_THROW(splitKindFromString("random"), Error);
}

// Cross-validation folds: every group on one side (in exactly one fold), every clip in exactly one test fold, the
// classes spread over the folds, and the same seed giving the same folds.
TEST(SplitMaker, GroupFoldsKeepGroupsTogetherAndCoverEveryClipOnce) {
    const auto in = items(60, 4);  // 60 music, 60 speech, 12 rare clips in groups of 4
    for (int k : {2, 4, 5}) {
        const auto folds = groupFolds(in, k, 9);
        ASSERT_EQ(folds.size(), in.size());
        std::map<TrackId, int> foldOf;
        for (const auto& a : folds) {
            EXPECT_TRUE(foldOf.emplace(a.track, a.fold).second) << "track " << a.track << " twice";
            EXPECT_GE(a.fold, 0);
            EXPECT_LT(a.fold, k);
        }
        std::map<std::string, std::set<int>> foldsOfGroup;
        std::map<std::string, std::vector<int>> perClass;
        for (const auto& i : in) {
            ASSERT_TRUE(foldOf.count(i.track));
            foldsOfGroup[i.group].insert(foldOf[i.track]);
            perClass[i.stratum].resize(std::size_t(k));
            ++perClass[i.stratum][std::size_t(foldOf[i.track])];
        }
        for (const auto& [g, f] : foldsOfGroup) EXPECT_EQ(f.size(), 1u) << g << " is in two folds";
        // 15 groups of music over k folds: no fold more than one group (4 clips) away from another.
        const auto& music = perClass["music"];
        EXPECT_LE(*std::max_element(music.begin(), music.end()) - *std::min_element(music.begin(), music.end()), 4)
            << k << " folds";
        for (int f = 0; f < k; ++f) EXPECT_GT(perClass["speech"][std::size_t(f)], 0);
        const auto again = groupFolds(in, k, 9);
        EXPECT_TRUE(std::equal(folds.begin(), folds.end(), again.begin(),
                               [](const auto& a, const auto& b) { return a.track == b.track && a.fold == b.fold; }));
    }
    EXPECT_THROW(groupFolds(in, 1, 0), Error);
    EXPECT_THROW(groupFolds(items(2, 4), 4, 0), Error);  // 2 groups cannot fill 4 folds
}

// The album split: clips of one album (the library's album tag, e.g. the source package of a demo clip) never on
// two sides, though their source tracks differ; a track without an album falls back to its group.
TEST(SplitMaker, AlbumSplitKeepsWholeAlbumsOnOneSide) {
    const auto dir = test::freshDir("split_album");
    const auto root = dir / "classes";
    for (int i = 0; i < 16; ++i) {
        test::writeClip(root / "music" / ("m" + std::to_string(i) + ".wav"), 200 + i);
        test::writeClip(root / "speech" / ("s" + std::to_string(i) + ".wav"), 400 + i);
    }
    library::LibraryDatabase db(dir / "lib.sqlite");
    importClassFolders(db, root, {.labelSetName = "ms"});
    int n = 0;
    for (auto t : db.tracks()) {
        t.group = "src" + std::to_string(n / 2);                              // pairs share a source track
        if (n < 28) t.album = "album" + std::to_string(n / 4);                // fours share an album
        db.upsertTrack(t);
        ++n;
    }
    const auto summary = makeSplit(db, {.kind = SplitRequest::Kind::Album, .labelSet = "ms", .seed = 3});
    EXPECT_EQ(summary.name, "ms-album");
    EXPECT_EQ(summary.train + summary.validation + summary.test, 32);
    EXPECT_GT(summary.test, 0);
    std::map<std::string, std::set<SplitPart>> parts;
    for (const auto& a : db.split("ms-album")) parts[groupOf(*db.track(a.track), GroupBy::Album)].insert(a.part);
    EXPECT_EQ(parts.size(), 7u + 2u);  // 7 albums, and the last 4 tracks' 2 source tracks
    for (const auto& [album, p] : parts) EXPECT_EQ(p.size(), 1u) << album;
    EXPECT_EQ(splitKindFromString("album"), SplitRequest::Kind::Album);
    EXPECT_EQ(groupByFromString("album"), GroupBy::Album);
    EXPECT_THROW(groupByFromString("artist"), Error);
}
