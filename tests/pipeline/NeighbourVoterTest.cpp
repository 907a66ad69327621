// The k-NN vote's "none of these": isolation from the labelled tracks and its reach, worked by hand on a line.
#include "core/pipeline/NeighbourLabelling.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace {

using sonolab::pipeline::abstention;
using sonolab::pipeline::LabelledIsolation;
using sonolab::pipeline::NeighbourVoter;
using sonolab::pipeline::VoteRule;
namespace similarity = sonolab::similarity;

// Rows: voters of class 0 at 0 and 1 (recordings a, b), voters of class 1 at 10 and 11 (one recording, c), an
// unlabelled track at 2 (d), and three unlabelled tracks far off at 30, 31, 31.5 (e, f, g: a kind nobody labelled).
struct Line {
    similarity::CollectionSpace space;
    std::vector<std::string> groups{"a", "b", "c", "c", "d", "e", "f", "g"};
    Line() {
        space.vectors = similarity::EmbeddingMatrix(1);
        const std::array<float, 8> x{0, 1, 10, 11, 2, 30, 31, 31.5f};
        for (std::size_t r = 0; r < x.size(); ++r) space.vectors.append(std::int64_t(r + 1), std::span(&x[r], 1));
    }
    NeighbourVoter voter() const { return NeighbourVoter(space, {0, 1, 2, 3}, {{0}, {0}, {1}, {1}}, 2, false); }
    LabelledIsolation isolation() const { return LabelledIsolation(space, {0, 1, 2, 3}, groups); }
};

TEST(LabelledIsolation, HowMuchFartherTheNearestLabelledStandsThanTheNearestTrackOfAnotherRecording) {
    const Line line;
    const auto isolation = line.isolation();
    // The track at 2: its nearest voter (1) is its nearest track.
    EXPECT_NEAR(isolation.of(4), 1.0, 1e-5);
    // At 30: the nearest voter is 11 (19 away), the nearest track 31 (1 away).
    EXPECT_NEAR(isolation.of(5), 19.0, 1e-4);
    EXPECT_NEAR(isolation.of(6), 20.0 / 0.5, 1e-4);
    // The voters: 0 and 1 are each other's nearest; 10 and 11 share a recording, so each looks past the other:
    // 10 -> voter 1 (9) against the track at 2 (8); 11 -> 10 against 9.
    EXPECT_NEAR(isolation.of(0), 1.0, 1e-5);
    EXPECT_NEAR(isolation.of(2), 9.0 / 8.0, 1e-5);
    EXPECT_NEAR(isolation.of(3), 10.0 / 9.0, 1e-5);
    // Their quantiles, nearest rank over {1, 1, 1.111, 1.125}.
    EXPECT_NEAR(isolation.reach(0.5), 1.0, 1e-5);
    EXPECT_NEAR(isolation.reach(0.75), 10.0 / 9.0, 1e-5);
    EXPECT_NEAR(isolation.reach(0.95), 9.0 / 8.0, 1e-5);
    EXPECT_NEAR(isolation.reach(1.0), 9.0 / 8.0, 1e-5);
    EXPECT_THROW(isolation.reach(0.0), std::exception);

    // The same through an HNSW index of the whole space (what a large collection gets, or the browser passes in).
    const std::shared_ptr<const similarity::NeighbourIndex> hnsw =
        similarity::buildIndex(line.space.vectors, {.hnswThreshold = 0});
    ASSERT_EQ(hnsw->kind(), "hnsw");
    const LabelledIsolation throughHnsw(line.space, {0, 1, 2, 3}, line.groups, hnsw);
    for (std::size_t r = 0; r < 8; ++r) EXPECT_NEAR(throughHnsw.of(r), isolation.of(r), 1e-4) << r;

    // A space of grouped distances (rp:weighted's kind) ranks the whole space at once; one group of one dimension
    // scaled by its length is the plain distance, so the same figures.
    Line grouped;
    grouped.space.groups = similarity::FeatureGroups{.sizes = {1}, .scaling = similarity::GroupScaling::GroupLength};
    const LabelledIsolation throughGroups(grouped.space, {0, 1, 2, 3}, grouped.groups);
    for (std::size_t r = 0; r < 8; ++r) EXPECT_NEAR(throughGroups.of(r), isolation.of(r), 1e-4) << r;

    // Without groups each row is its own recording: 10 and 11 are each other's nearest.
    const LabelledIsolation ungrouped(line.space, {0, 1, 2, 3});
    EXPECT_NEAR(ungrouped.of(2), 1.0, 1e-5);
}

TEST(NeighbourVoter, TheRuleLeavesAnIsolatedTrackOrASplitVoteUnlabelled) {
    const Line line;
    const auto voter = line.voter();
    const auto isolation = line.isolation();
    const VoteRule rule{.k = 3, .reach = 0.95};
    const float reach = isolation.reach(rule.reach);

    // At 30 the three nearest voters (11, 10, 1) say class 1, but nothing labelled is near: none of these.
    const auto far = voter.vote(5, rule.k);
    EXPECT_EQ(far.winner, 1u);
    EXPECT_NE(abstention(far, isolation.of(5), rule, reach).find("none of these"), std::string::npos);
    EXPECT_EQ(abstention(far, isolation.of(5), {.k = 3, .reach = 0}, reach), "");  // reach 0: always vote

    // At 2: voters 1 and 0 (class 0) and 10 (class 1): 2 of 3 for class 0, labelled unless 3 of 3 are asked for.
    const auto near = voter.vote(4, rule.k);
    EXPECT_EQ(near.winner, 0u);
    EXPECT_NEAR(near.shares[0], 2.0 / 3.0, 1e-5);
    EXPECT_EQ(abstention(near, isolation.of(4), rule, reach), "");
    EXPECT_NE(abstention(near, isolation.of(4), {.k = 3, .reach = 0.95, .minShare = 0.7}, reach).find("no clear vote: 67%"),
              std::string::npos);

    // Nobody to vote (every voter left out): no label, in either kind of set.
    const auto none = voter.vote(4, 3, [](std::size_t) { return false; });
    EXPECT_TRUE(sonolab::pipeline::votedLabels(none, rule, false).empty());
    EXPECT_TRUE(sonolab::pipeline::votedLabels(none, rule, true).empty());
}

}  // namespace

TEST(NeighbourVoter, VotersAreChosenByHowWellTheLabelledTracksOfOtherRecordingsLabelEachOther) {
    const Line line;
    const auto voter = line.voter();
    // Left out with its recording: 0 and 1 are each other's nearest (class 0, right with k = 1); 10 and 11, one
    // recording, see only 1 and 0 (class 0: wrong whatever k). With k = 3, 0 and 1 are outvoted by 10 and 11.
    // k = 1: predicted 0, 0, 0, 0 against 0, 0, 1, 1: F1 2/3 and 0, macro 1/3. k = 3: 1, 1, 0, 0: macro 0.
    const auto choice = sonolab::pipeline::chooseVoters(voter, line.groups, {1, 3});
    EXPECT_EQ(choice.k, 1u);
    EXPECT_NEAR(choice.macroF1.at(1), 1.0 / 3.0, 1e-9);
    EXPECT_NEAR(choice.macroF1.at(3), 0.0, 1e-9);
    // With every voter its own recording, 10 and 11 see each other: k = 1 is right everywhere, and so is k = 2 (a
    // 1-1 vote goes to the nearer voter's class). A tie goes to the larger k.
    const auto tie = sonolab::pipeline::chooseVoters(voter, {}, {1, 2});
    EXPECT_EQ(tie.macroF1.at(1), 1.0);
    EXPECT_EQ(tie.macroF1.at(2), 1.0);
    EXPECT_EQ(tie.k, 2u);
}
