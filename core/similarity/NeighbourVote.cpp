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

}  // namespace sonolab::similarity
