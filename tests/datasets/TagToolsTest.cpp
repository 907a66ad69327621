#include "core/datasets/TagTools.h"

#include <gtest/gtest.h>

#include "Fixtures.h"

using namespace sonolab;
using namespace sonolab::datasets;

namespace {

LabelledCollection make(std::vector<std::string> classes, std::vector<std::vector<std::uint8_t>> rows) {
    LabelledCollection c;
    c.name = "t";
    c.classes = std::move(classes);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        LabelledClip clip;
        clip.key = "clip" + std::to_string(i);
        clip.line = i + 2;
        clip.values = rows[i];
        c.clips.push_back(clip);
    }
    return c;
}

std::vector<std::uint8_t> values(const LabelledCollection& c, std::size_t clip) { return c.clips[clip].values; }

}  // namespace

TEST(TagTools, TutorialSynonymTableHas29Groups) {
    const auto& groups = tutorialSynonyms();
    EXPECT_EQ(groups.size(), 29u);
    std::size_t merged = 0;
    for (const auto& g : groups) merged += g.size() - 1;
    EXPECT_EQ(merged, 54u);
    EXPECT_EQ(groups[18].front(), "no singer");
}

TEST(TagTools, MergeSynonymsOrsColumnsUnderTheFirstName) {
    auto in = make({"beats", "guitar", "vocals", "beat", "female vocal", "woman"},
                   {{1, 0, 0, 0, 0, 0}, {0, 1, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}});
    const auto out = mergeSynonyms(in, tutorialSynonyms());
    EXPECT_EQ(out.classes, (std::vector<std::string>{"beat", "guitar", "vocal", "female"}));
    EXPECT_EQ(values(out, 0), (std::vector<std::uint8_t>{1, 0, 0, 0}));
    EXPECT_EQ(values(out, 1), (std::vector<std::uint8_t>{0, 1, 1, 0}));
    EXPECT_EQ(values(out, 2), (std::vector<std::uint8_t>{1, 0, 0, 1}));
    EXPECT_EQ(values(out, 3), (std::vector<std::uint8_t>{0, 0, 0, 0}));
    EXPECT_EQ(in.classes.size(), 6u);  // input untouched
}

TEST(TagTools, UserSuppliedSynonymFile) {
    const auto dir = test::freshDir("synonyms");
    test::writeText(dir / "syn.txt", "# mine\nrock, rocky, rock music\n\nsad,melancholic\n");
    const auto groups = readSynonyms(dir / "syn.txt");
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0], (std::vector<std::string>{"rock", "rocky", "rock music"}));
    auto out = mergeSynonyms(make({"rocky", "melancholic", "rock music"}, {{1, 0, 0}, {0, 1, 1}}), groups);
    EXPECT_EQ(out.classes, (std::vector<std::string>{"rock", "sad"}));
    EXPECT_EQ(values(out, 1), (std::vector<std::uint8_t>{1, 1}));
    test::writeText(dir / "bad.txt", "lonely\n");
    EXPECT_THROW(readSynonyms(dir / "bad.txt"), Error);
}

TEST(TagTools, TopTagsAndMinimumCount) {
    auto in = make({"a", "b", "c", "d"}, {{1, 1, 0, 0}, {1, 0, 1, 0}, {1, 1, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}});
    const auto top = keepTopTags(in, 2);
    EXPECT_EQ(top.classes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(top.clips.size(), 5u);
    const auto atLeast = keepClassesWithAtLeast(in, 3);
    EXPECT_EQ(atLeast.classes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(atLeast.clips.size(), 4u);  // clip 3 (only d) dropped
}

TEST(TagTools, ExclusiveBinaryIsTheTutorialsXor) {
    auto in = make({"instrumental", "singing", "vocals", "guitar"},
                   {{1, 0, 0, 1}, {0, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}});
    const auto out = deriveExclusiveBinary(in, {"instrumental"}, {"singing", "vocals"}, "instrumental");
    EXPECT_EQ(out.kind, library::LabelKind::Binary);
    ASSERT_EQ(out.clips.size(), 3u);
    EXPECT_EQ(out.clips[0].key, "clip0");
    EXPECT_EQ(values(out, 0), std::vector<std::uint8_t>{1});
    EXPECT_EQ(values(out, 1), std::vector<std::uint8_t>{0});
    EXPECT_EQ(out.clips[2].key, "clip4");
    EXPECT_THROW(deriveExclusiveBinary(in, {"nope"}, {"singing"}, "x"), Error);
}

TEST(TagTools, SingleLabelSubsetWithCap) {
    std::vector<std::vector<std::uint8_t>> rows;
    for (int i = 0; i < 10; ++i) rows.push_back({1, 0, 0});       // rock only
    for (int i = 0; i < 3; ++i) rows.push_back({0, 1, 0});        // jazz only
    rows.push_back({1, 1, 0});                                    // both: dropped
    rows.push_back({0, 0, 1});                                    // neither of rock/jazz: dropped
    auto in = make({"rock", "jazz", "pop"}, rows);
    const auto all = deriveSingleLabel(in, {"rock", "jazz"});
    EXPECT_EQ(all.clips.size(), 13u);
    const auto capped = deriveSingleLabel(in, {"rock", "jazz"}, 4, 7);
    ASSERT_EQ(capped.clips.size(), 7u);
    EXPECT_EQ(capped.classCounts(), (std::vector<std::size_t>{4, 3}));
    const auto again = deriveSingleLabel(in, {"rock", "jazz"}, 4, 7);
    for (std::size_t i = 0; i < again.clips.size(); ++i) EXPECT_EQ(again.clips[i].key, capped.clips[i].key);
    const auto other = deriveSingleLabel(in, {"rock", "jazz"}, 4, 8);
    bool differs = false;
    for (std::size_t i = 0; i < other.clips.size(); ++i) differs |= other.clips[i].key != capped.clips[i].key;
    EXPECT_TRUE(differs);
}
