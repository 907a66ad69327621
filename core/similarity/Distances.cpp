#include "core/similarity/Distances.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sonolab::similarity {

namespace {

void requireSameSize(std::span<const float> a, std::span<const float> b) {
    if (a.size() != b.size())
        throw Error("distance", "vectors of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                                    " dimensions cannot be compared");
}

}  // namespace

std::string metricName(Metric metric) {
    switch (metric) {
        case Metric::Euclidean: return "euclidean";
        case Metric::Cosine: return "cosine";
        case Metric::Manhattan: return "manhattan";
    }
    return "euclidean";
}

Metric parseMetric(const std::string& name) {
    if (name == "euclidean" || name == "l2") return Metric::Euclidean;
    if (name == "cosine") return Metric::Cosine;
    if (name == "manhattan" || name == "l1" || name == "cityblock") return Metric::Manhattan;
    throw Error("distance", "unknown distance '" + name + "' (euclidean, cosine, manhattan)");
}

float squaredEuclideanDistance(std::span<const float> a, std::span<const float> b) {
    requireSameSize(a, b);
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = double(a[i]) - b[i];
        s += d * d;
    }
    return float(s);
}

float euclideanDistance(std::span<const float> a, std::span<const float> b) {
    return std::sqrt(squaredEuclideanDistance(a, b));
}

float cosineDistance(std::span<const float> a, std::span<const float> b) {
    requireSameSize(a, b);
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    if (aa <= 0 || bb <= 0) return 1.0f;
    return float(1.0 - ab / std::sqrt(aa * bb));
}

float manhattanDistance(std::span<const float> a, std::span<const float> b) {
    requireSameSize(a, b);
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += std::abs(double(a[i]) - b[i]);
    return float(s);
}

float distance(Metric metric, std::span<const float> a, std::span<const float> b) {
    switch (metric) {
        case Metric::Euclidean: return euclideanDistance(a, b);
        case Metric::Cosine: return cosineDistance(a, b);
        case Metric::Manhattan: return manhattanDistance(a, b);
    }
    return euclideanDistance(a, b);
}

std::size_t FeatureGroups::dimension() const { return std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}); }

FeatureGroups FeatureGroups::rpSsd(bool weighted) {
    FeatureGroups groups{.sizes = {1440, 168}, .weights = {}, .scaling = GroupScaling::GroupLength};
    if (weighted) groups.weights = {0.5f, 0.9f};
    return groups;
}

namespace {

void validate(const FeatureGroups& groups, std::size_t dim) {
    if (groups.dimension() != dim)
        throw Error("grouped distance", "groups cover " + std::to_string(groups.dimension()) + " dimensions, vectors have " +
                                            std::to_string(dim));
    if (!groups.weights.empty() && groups.weights.size() != groups.sizes.size())
        throw Error("grouped distance", std::to_string(groups.weights.size()) + " weights for " +
                                            std::to_string(groups.sizes.size()) + " groups");
}

float weightOf(const FeatureGroups& groups, std::size_t g) { return groups.weights.empty() ? 1.0f : groups.weights[g]; }

// Per group: summed squared differences.
void groupSquares(const FeatureGroups& groups, std::span<const float> a, std::span<const float> b, double* out) {
    std::size_t offset = 0;
    for (std::size_t g = 0; g < groups.sizes.size(); ++g) {
        double s = 0;
        for (std::size_t i = offset; i < offset + groups.sizes[g]; ++i) {
            const double d = double(a[i]) - b[i];
            s += d * d;
        }
        out[g] = s;
        offset += groups.sizes[g];
    }
}

}  // namespace

float groupedDistance(const FeatureGroups& groups, std::span<const float> a, std::span<const float> b) {
    requireSameSize(a, b);
    validate(groups, a.size());
    if (groups.scaling == GroupScaling::CollectionMax)
        throw Error("grouped distance", "collection-max scaling needs the whole collection (use groupedDistances)");
    std::vector<double> squares(groups.sizes.size());
    groupSquares(groups, a, b, squares.data());
    double total = 0;
    for (std::size_t g = 0; g < squares.size(); ++g) {
        double d = std::sqrt(squares[g]);
        if (groups.scaling == GroupScaling::GroupLength) d /= double(groups.sizes[g]);
        total += weightOf(groups, g) * d;
    }
    return float(total);
}

std::vector<float> groupedDistances(const FeatureGroups& groups, const EmbeddingMatrix& collection,
                                    std::span<const float> query) {
    if (query.size() != collection.dim())
        throw Error("grouped distance", "query has " + std::to_string(query.size()) + " dimensions, collection " +
                                            std::to_string(collection.dim()));
    validate(groups, query.size());
    const std::size_t n = collection.rows(), G = groups.sizes.size();
    if (groups.scaling != GroupScaling::CollectionMax) {
        std::vector<float> out(n);
        for (std::size_t r = 0; r < n; ++r) out[r] = groupedDistance(groups, collection.row(r), query);
        return out;
    }
    std::vector<double> squares(n * G);
    std::vector<double> maxima(G, 0.0);
    for (std::size_t r = 0; r < n; ++r) {
        groupSquares(groups, collection.row(r), query, squares.data() + r * G);
        for (std::size_t g = 0; g < G; ++g) maxima[g] = std::max(maxima[g], squares[r * G + g]);
    }
    std::vector<float> out(n);
    for (std::size_t r = 0; r < n; ++r) {
        double total = 0;
        for (std::size_t g = 0; g < G; ++g)
            if (maxima[g] > 0) total += weightOf(groups, g) * squares[r * G + g] / maxima[g];
        out[r] = float(std::sqrt(total));
    }
    return out;
}

void scaleToUnitLength(std::span<float> v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    if (s <= 0) return;
    const float inv = float(1.0 / std::sqrt(s));
    for (float& x : v) x *= inv;
}

std::vector<float> storedForm(Metric metric, std::span<const float> v) {
    std::vector<float> out(v.begin(), v.end());
    if (metric == Metric::Cosine) scaleToUnitLength(out);
    return out;
}

}  // namespace sonolab::similarity
