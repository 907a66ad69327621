#include "core/similarity/NeighbourVote.h"

#include <stdexcept>
#include <string>

namespace sonolab::similarity {

std::vector<float> voteShares(std::span<const int> classOfVoterNearestFirst, std::size_t classes) {
    std::vector<double> votes(classes, 0.0);
    const std::size_t n = classOfVoterNearestFirst.size();
    double total = 0;
    for (std::size_t r = 0; r < n; ++r) {
        const int c = classOfVoterNearestFirst[r];
        if (c < 0 || std::size_t(c) >= classes)
            throw std::out_of_range("neighbour vote: class " + std::to_string(c) + " of " + std::to_string(classes));
        const double weight = 1.0 + 1e-6 * double(n - r);
        votes[std::size_t(c)] += weight;
        total += weight;
    }
    std::vector<float> shares(classes, 0.0f);
    if (total > 0)
        for (std::size_t c = 0; c < classes; ++c) shares[c] = float(votes[c] / total);
    return shares;
}

std::vector<float> labelShares(std::span<const std::vector<int>> labelsOfVoter, std::size_t labels) {
    std::vector<float> shares(labels, 0.0f);
    for (const auto& carried : labelsOfVoter)
        for (const int l : carried) {
            if (l < 0 || std::size_t(l) >= labels)
                throw std::out_of_range("neighbour vote: label " + std::to_string(l) + " of " + std::to_string(labels));
            shares[std::size_t(l)] += 1.0f;
        }
    if (!labelsOfVoter.empty())
        for (float& s : shares) s /= float(labelsOfVoter.size());
    return shares;
}

}  // namespace sonolab::similarity
