#pragma once
// How good a space is for "find similar tracks": precision@k and mean average precision where a neighbour counts as
// relevant when it shares a label with the query. Neighbours from the query's own group (other clips of the same source
// track, the same artist when the user asks) are left out, otherwise a space that merely recognises a recording
// would look like one that understands style.
#include "core/similarity/Distances.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sonolab {
struct Progress;
}

namespace sonolab::similarity {

class EmbeddingMatrix;

// relevant[i]: whether the i-th ranked neighbour is relevant.
double precisionAtK(const std::vector<bool>& relevant, std::size_t k);
// Mean over relevant items of the precision at their rank (0 when nothing is relevant).
double averagePrecision(const std::vector<bool>& relevant);

struct EvaluationParams {
    std::size_t k = 10;
    Metric metric = Metric::Euclidean;
    std::optional<FeatureGroups> groups;  // when set, ranks by the grouped (scaled/weighted) distance instead
    // Which rows are queries (among those with labels); empty = every row. Every row stays a candidate: e.g. unseen
    // clips queried against a collection that includes the clips a space was trained on.
    std::vector<bool> queries;
};

struct LabelScore {
    std::string label;
    std::size_t queries = 0;
    double precisionAtK = 0;
    double meanAveragePrecision = 0;
};

struct RetrievalReport {
    std::size_t k = 0;
    std::size_t queries = 0;  // items with at least one label and at least one candidate
    double precisionAtK = 0;
    double meanAveragePrecision = 0;
    // What precision@k would be for a random ranking (the share of relevant candidates) and for a perfect one (all
    // relevant candidates first: below 1 where a query has fewer than k), averaged over the queries alike.
    double chancePrecisionAtK = 0, bestPrecisionAtK = 0;
    std::vector<LabelScore> perLabel;  // sorted by label; relevance there = neighbour carries that label
};

// labels[i]: labels of row i (empty: not used as a query, never relevant). groups[i]: the row's group; rows sharing the
// query's group are skipped (empty vector: every row its own group).
// Reports over disjoint sets of queries as one (each query counted once): precision and MAP per query, overall and
// per label, weighted by the queries of each. k is the first report's.
RetrievalReport pooledReport(const std::vector<RetrievalReport>& reports);

RetrievalReport evaluateRetrieval(const EmbeddingMatrix& space, const std::vector<std::vector<std::string>>& labels,
                                  const std::vector<std::string>& groups, const EvaluationParams& params = {},
                                  const Progress* progress = nullptr);

}  // namespace sonolab::similarity
