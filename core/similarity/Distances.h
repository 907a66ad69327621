#pragma once
// Distances between two vectors, and the tutorial's group-wise scaled and weighted distances (ML 4a, IS 2a): a
// feature vector made of groups (e.g. RP 1440 + SSD 168) where each group's contribution is scaled so a long group does
// not drown a short one, then weighted by how much the user trusts it.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace sonolab::similarity {

class EmbeddingMatrix;

enum class Metric { Euclidean, Cosine, Manhattan };

std::string metricName(Metric metric);
// "euclidean", "cosine", "manhattan" (also "l2", "l1"); throws Error otherwise.
Metric parseMetric(const std::string& name);

float euclideanDistance(std::span<const float> a, std::span<const float> b);
float squaredEuclideanDistance(std::span<const float> a, std::span<const float> b);
// 1 - cos(a, b); 1 when either vector is zero.
float cosineDistance(std::span<const float> a, std::span<const float> b);
float manhattanDistance(std::span<const float> a, std::span<const float> b);
float distance(Metric metric, std::span<const float> a, std::span<const float> b);
// Scales `v` to unit Euclidean length in place (a zero vector stays zero): cosine distance becomes 1 - dot product.
void scaleToUnitLength(std::span<float> v);
// `v` as the form an index keeps for `metric`: unit length for cosine, unchanged otherwise.
std::vector<float> storedForm(Metric metric, std::span<const float> v);

// How each group's distance is made comparable before weighting.
enum class GroupScaling {
    None,           // plain sum of group distances
    GroupLength,    // IS 2a: each group's Euclidean distance divided by its number of dimensions
    CollectionMax,  // ML 4a: each group's summed squared differences divided by its maximum over the collection
};

struct FeatureGroups {
    std::vector<std::size_t> sizes;  // consecutive groups, summing to the vector's dimension
    std::vector<float> weights;      // one per group; empty means all 1
    GroupScaling scaling = GroupScaling::GroupLength;

    std::size_t dimension() const;
    // RP (1440) + SSD (168), the tutorial's IS 2a fusion; weights {0.5, 0.9} give its "weighted" distance.
    static FeatureGroups rpSsd(bool weighted);
};

// Distances from one query to every row of a collection under a group scheme. CollectionMax needs the whole
// collection (its maxima are over the query's distances to all items), so this works on all rows at once.
std::vector<float> groupedDistances(const FeatureGroups& groups, const EmbeddingMatrix& collection,
                                    std::span<const float> query);
// The same for a single pair, for GroupLength and None scaling (CollectionMax needs the collection: throws Error).
float groupedDistance(const FeatureGroups& groups, std::span<const float> a, std::span<const float> b);

}  // namespace sonolab::similarity
