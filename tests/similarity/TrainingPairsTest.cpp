#include "core/similarity/TrainingPairs.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

using namespace sonolab::similarity;

TEST(TrainingPairs, FromLabelsPositivesShareTheClassNegativesDoNot) {
    const std::vector<std::string> labels{"rock", "rock", "rock", "jazz", "jazz", "techno", ""};
    auto pairs = pairsFromLabels(labels, {.perItem = 3, .identity = true, .seed = 4});
    EXPECT_EQ(pairs.size(), 6u * (3 * 2 + 1));
    std::size_t positives = 0, identities = 0;
    for (const auto& p : pairs) {
        ASSERT_LT(p.a, 6u);
        ASSERT_LT(p.b, 6u);
        if (p.target == 1.0f) {
            EXPECT_EQ(labels[p.a], labels[p.b]);
            if (p.a == p.b) ++identities;
            else ++positives;
        } else {
            EXPECT_EQ(p.target, 0.0f);
            EXPECT_NE(labels[p.a], labels[p.b]);
        }
    }
    // techno has one member: its "positive" is itself, so it adds 3 self-pairs beyond the 6 identity pairs.
    EXPECT_EQ(identities, 6u + 3u);
    EXPECT_EQ(positives, 5u * 3u);
    // Same seed, same pairs; another seed, others.
    auto again = pairsFromLabels(labels, {.perItem = 3, .identity = true, .seed = 4});
    auto other = pairsFromLabels(labels, {.perItem = 3, .identity = true, .seed = 5});
    bool same = true, differs = false;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        same &= pairs[i].a == again[i].a && pairs[i].b == again[i].b;
        differs |= pairs[i].a != other[i].a || pairs[i].b != other[i].b;
    }
    EXPECT_TRUE(same);
    EXPECT_TRUE(differs);
    EXPECT_THROW(pairsFromLabels({"a", "a"}), sonolab::Error);
}

TEST(TrainingPairs, ClassSimilarityTableGivesSoftTargets) {
    ClassSimilarityTable table;
    table.set("metal", "classic_metal", 0.8f);
    table.set("metal", "metal", 0.9f);
    EXPECT_FLOAT_EQ(table.get("classic_metal", "metal"), 0.8f);
    EXPECT_FLOAT_EQ(table.get("pop", "pop"), 1.0f);
    EXPECT_FLOAT_EQ(table.get("pop", "metal"), 0.0f);
    const std::vector<std::string> labels{"metal", "metal", "classic_metal", "classic_metal", "pop", "pop"};
    auto pairs = pairsFromClassSimilarity(labels, table, {.perItem = 20, .seed = 2}, -0.1f);
    std::set<float> seen;
    for (const auto& p : pairs) {
        const float want = std::clamp(table.get(labels[p.a], labels[p.b]) - 0.1f, 0.0f, 1.0f);
        EXPECT_FLOAT_EQ(p.target, want) << labels[p.a] << "-" << labels[p.b];
        seen.insert(std::round(p.target * 100) / 100);
    }
    EXPECT_TRUE(seen.count(0.7f) || seen.count(std::round(0.7f * 100) / 100));
    EXPECT_TRUE(seen.count(0.0f));

    const auto dir = sonolab::test::freshDir("similarity_class_table");
    {
        std::ofstream(dir / "table.csv") << "a,b,similarity\n# genres\nblues,country,0.8\nrock,country,0.3\n";
        std::ofstream(dir / "bad.csv") << "a,b,similarity\nblues,country,lots\n";
    }
    auto read = ClassSimilarityTable::readCsv(dir / "table.csv");
    EXPECT_FLOAT_EQ(read.get("country", "blues"), 0.8f);
    EXPECT_FLOAT_EQ(read.get("rock", "country"), 0.3f);
    EXPECT_THROW(ClassSimilarityTable::readCsv(dir / "bad.csv"), sonolab::Error);
    EXPECT_THROW(ClassSimilarityTable::readCsv(dir / "none.csv"), sonolab::Error);
}

TEST(TrainingPairs, TagSimilarityIsIdfWeightedDice) {
    // 4 items x 4 tags. tf = (3, 2, 2, 1), N = 4.
    const std::vector<float> tags{1, 1, 0, 0,   // item 0: t0 t1
                                  1, 0, 1, 0,   // item 1: t0 t2
                                  0, 1, 1, 1,   // item 2: t1 t2 t3
                                  1, 0, 0, 0};  // item 3: t0
    auto plain = tagSimilarityMatrix(tags, 4, 4, TagWeighting::None);
    EXPECT_NEAR(plain[0 * 4 + 1], 2.0 * 1 / (2 + 2), 1e-6);
    EXPECT_NEAR(plain[0 * 4 + 2], 2.0 * 1 / (2 + 3), 1e-6);
    EXPECT_NEAR(plain[1 * 4 + 3], 2.0 * 1 / (2 + 1), 1e-6);
    EXPECT_NEAR(plain[3 * 4 + 2], 0.0, 1e-6);
    EXPECT_FLOAT_EQ(plain[2 * 4 + 2], 1.0f);

    const double idf[4] = {std::log(4.0 / 3), std::log(2.0), std::log(2.0), std::log(4.0)};
    auto tutorial = tagSimilarityMatrix(tags, 4, 4, TagWeighting::TutorialIdf);
    const double w0 = 1 / idf[0], w1 = 1 / idf[1], w2 = 1 / idf[2], w3 = 1 / idf[3];
    EXPECT_NEAR(tutorial[0 * 4 + 1], 2 * w0 / (w0 + w1 + w0 + w2), 1e-5);
    EXPECT_NEAR(tutorial[1 * 4 + 2], 2 * w2 / (w0 + w2 + w1 + w2 + w3), 1e-5);
    EXPECT_NEAR(tutorial[2 * 4 + 1], tutorial[1 * 4 + 2], 1e-7);  // symmetric
    auto rareFirst = tagSimilarityMatrix(tags, 4, 4, TagWeighting::Idf);
    EXPECT_NEAR(rareFirst[0 * 4 + 1], 2 * idf[0] / (idf[0] + idf[1] + idf[0] + idf[2]), 1e-5);
    // Rare shared tags weigh more under idf, less under the tutorial's division.
    EXPECT_GT(tutorial[0 * 4 + 1], rareFirst[0 * 4 + 1]);
    EXPECT_THROW(tagSimilarityMatrix(tags, 4, 3), sonolab::Error);
}

TEST(TrainingPairs, FromSimilarityMatrixPicksMostAndLeastSimilar) {
    // Item i is most similar to (i+1)%4 and least to (i+2)%4.
    std::vector<float> sim(16);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
            const int step = (j - i + 4) % 4;
            sim[i * 4 + j] = step == 0 ? 1.0f : step == 1 ? 0.9f : step == 2 ? 0.05f : 0.5f;
        }
    auto pairs = pairsFromSimilarityMatrix(sim, 4, {.perItem = 2, .identity = true}, 1);
    EXPECT_EQ(pairs.size(), 4u * (2 * 2 + 1));
    for (const auto& p : pairs) {
        if (p.a == p.b) {
            EXPECT_EQ(p.target, 1.0f);
            continue;
        }
        EXPECT_TRUE(p.b == (p.a + 1) % 4 || p.b == (p.a + 2) % 4) << p.a << "," << p.b;
        EXPECT_FLOAT_EQ(p.target, sim[p.a * 4 + p.b]);
    }
}

TEST(TrainingPairs, JudgementsAndTriplets) {
    std::map<std::int64_t, std::size_t> rowOfId{{100, 0}, {200, 1}, {300, 2}};
    auto pairs = pairsFromJudgements({{100, 200, true}, {300, 100, false}, {100, 999, true}}, rowOfId);
    ASSERT_EQ(pairs.size(), 2u);
    EXPECT_EQ(pairs[0].a, 0u);
    EXPECT_EQ(pairs[0].b, 1u);
    EXPECT_EQ(pairs[0].target, 1.0f);
    EXPECT_EQ(pairs[1].a, 2u);
    EXPECT_EQ(pairs[1].target, 0.0f);

    // Re-marking corrects a mistake: the latest mark of a pair (in either order) is the one that trains.
    auto corrected = pairsFromJudgements({{100, 200, true}, {300, 100, false}, {200, 100, false}}, rowOfId);
    ASSERT_EQ(corrected.size(), 2u);
    EXPECT_EQ(corrected[0].a, 0u);
    EXPECT_EQ(corrected[0].b, 1u);
    EXPECT_EQ(corrected[0].target, 0.0f);
    EXPECT_EQ(corrected[1].target, 0.0f);

    const std::vector<std::string> labels{"a", "a", "b", "b", "c", "c"};
    auto triplets = tripletsFromLabels(labels, {.perItem = 4});
    EXPECT_EQ(triplets.size(), 24u);
    for (const auto& t : triplets) {
        EXPECT_EQ(labels[t.anchor], labels[t.positive]);
        EXPECT_NE(t.anchor, t.positive);
        EXPECT_NE(labels[t.anchor], labels[t.negative]);
    }
}
