// k-NN votes (core/similarity/NeighbourVote.h): one vote per voter, shares summing to 1, a tie of counts going to the
// class whose voters stand nearer.
#include "core/similarity/NeighbourVote.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

using sonolab::similarity::labelShares;
using sonolab::similarity::voteShares;

TEST(NeighbourVote, EachVoterOneVoteAndATieGoesToTheNearerVoters) {
    const auto shares = voteShares(std::vector<int>{2, 2, 0}, 3);
    ASSERT_EQ(shares.size(), 3u);
    EXPECT_NEAR(shares[0], 1.0 / 3, 1e-5);
    EXPECT_EQ(shares[1], 0.0f);
    EXPECT_NEAR(shares[2], 2.0 / 3, 1e-5);

    // Two votes each; class 1's voters are 1st and 3rd nearest, class 0's 2nd and 4th: class 1 wins.
    const auto tie = voteShares(std::vector<int>{1, 0, 1, 0}, 2);
    EXPECT_NEAR(tie[0], 0.5, 1e-5);
    EXPECT_GT(tie[1], tie[0]);
    // The same counts the other way round: class 0 wins.
    const auto other = voteShares(std::vector<int>{0, 1, 0, 1}, 2);
    EXPECT_GT(other[0], other[1]);

    EXPECT_EQ(voteShares(std::vector<int>{}, 2), (std::vector<float>{0.0f, 0.0f}));
    EXPECT_THROW(voteShares(std::vector<int>{0, 3}, 3), std::out_of_range);
    EXPECT_THROW(voteShares(std::vector<int>{-1}, 3), std::out_of_range);
}

TEST(NeighbourVote, InAMultiLabelSetEachLabelsShareIsTheFractionOfVotersCarryingIt) {
    // Four voters: {0, 2}, {2}, {0, 1, 2}, {} (a voter may carry none of the labels asked about).
    const std::vector<std::vector<int>> voters{{0, 2}, {2}, {0, 1, 2}, {}};
    EXPECT_EQ(labelShares(voters, 4), (std::vector<float>{0.5f, 0.25f, 0.75f, 0.0f}));
    EXPECT_EQ(labelShares(std::vector<std::vector<int>>{}, 2), (std::vector<float>{0.0f, 0.0f}));
    EXPECT_THROW(labelShares(std::vector<std::vector<int>>{{0, 2}}, 2), std::out_of_range);
}
