#include "core/similarity/RetrievalEvaluation.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ExactIndex.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace sonolab::similarity {

double precisionAtK(const std::vector<bool>& relevant, std::size_t k) {
    if (k == 0) return 0;
    const std::size_t n = std::min(k, relevant.size());
    return double(std::count(relevant.begin(), relevant.begin() + std::ptrdiff_t(n), true)) / double(k);
}

double averagePrecision(const std::vector<bool>& relevant) {
    double sum = 0;
    std::size_t hits = 0;
    for (std::size_t i = 0; i < relevant.size(); ++i)
        if (relevant[i]) sum += double(++hits) / double(i + 1);
    return hits ? sum / double(hits) : 0.0;
}

namespace {

bool hasLabel(const std::vector<std::string>& labels, const std::string& label) {
    return std::find(labels.begin(), labels.end(), label) != labels.end();
}

bool sharesLabel(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (const auto& x : a)
        if (hasLabel(b, x)) return true;
    return false;
}

struct Accumulator {
    std::size_t queries = 0;
    double precision = 0, ap = 0, chance = 0, best = 0;  // sums over the queries
};

// Means over the queries, overall and per label.
RetrievalReport reportOf(const Accumulator& overall, const std::map<std::string, Accumulator>& perLabel, std::size_t k) {
    RetrievalReport report;
    report.k = k;
    report.queries = overall.queries;
    if (overall.queries) {
        const double n = double(overall.queries);
        report.precisionAtK = overall.precision / n;
        report.meanAveragePrecision = overall.ap / n;
        report.chancePrecisionAtK = overall.chance / n;
        report.bestPrecisionAtK = overall.best / n;
    }
    for (const auto& [label, acc] : perLabel)
        if (acc.queries)
            report.perLabel.push_back(
                {label, acc.queries, acc.precision / double(acc.queries), acc.ap / double(acc.queries)});
    return report;
}

}  // namespace

RetrievalReport pooledReport(const std::vector<RetrievalReport>& reports) {
    Accumulator overall;
    std::map<std::string, Accumulator> perLabel;
    for (const auto& r : reports) {
        overall.queries += r.queries;
        overall.precision += r.precisionAtK * double(r.queries);
        overall.ap += r.meanAveragePrecision * double(r.queries);
        overall.chance += r.chancePrecisionAtK * double(r.queries);
        overall.best += r.bestPrecisionAtK * double(r.queries);
        for (const auto& l : r.perLabel) {
            auto& acc = perLabel[l.label];
            acc.queries += l.queries;
            acc.precision += l.precisionAtK * double(l.queries);
            acc.ap += l.meanAveragePrecision * double(l.queries);
        }
    }
    return reportOf(overall, perLabel, reports.empty() ? 0 : reports.front().k);
}

RetrievalReport evaluateRetrieval(const EmbeddingMatrix& space, const std::vector<std::vector<std::string>>& labels,
                                  const std::vector<std::string>& groups, const EvaluationParams& params,
                                  const Progress* progress) {
    const std::size_t n = space.rows();
    if (labels.size() != n)
        throw Error("evaluation", std::to_string(labels.size()) + " label lists for " + std::to_string(n) + " items");
    if (!groups.empty() && groups.size() != n)
        throw Error("evaluation", std::to_string(groups.size()) + " groups for " + std::to_string(n) + " items");
    if (!params.queries.empty() && params.queries.size() != n)
        throw Error("evaluation", std::to_string(params.queries.size()) + " query flags for " + std::to_string(n) + " items");
    std::optional<ExactIndex> index;
    if (!params.groups) index.emplace(space, params.metric);

    Accumulator overall;
    std::map<std::string, Accumulator> perLabel;
    std::vector<std::size_t> order;
    for (std::size_t q = 0; q < n; ++q) {
        if (progress && q % 64 == 0) {
            (*progress)(double(q), double(n), "ranking neighbours");
            progress->throwIfCancelled();
        }
        if (labels[q].empty() || (!params.queries.empty() && !params.queries[q])) continue;
        const std::vector<float> dist =
            index ? index->distancesTo(space.row(q)) : groupedDistances(*params.groups, space, space.row(q));
        order.clear();
        for (std::size_t r = 0; r < n; ++r) {
            if (r == q || (!groups.empty() && groups[r] == groups[q])) continue;
            order.push_back(r);
        }
        if (order.empty()) continue;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return dist[a] < dist[b]; });

        std::vector<bool> relevant(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) relevant[i] = sharesLabel(labels[q], labels[order[i]]);
        overall.queries++;
        overall.precision += precisionAtK(relevant, params.k);
        overall.ap += averagePrecision(relevant);
        const auto hits = std::size_t(std::count(relevant.begin(), relevant.end(), true));
        overall.chance += double(hits) / double(relevant.size()) * double(std::min(params.k, relevant.size())) /
                          double(params.k);
        overall.best += double(std::min(hits, params.k)) / double(params.k);
        for (const auto& label : labels[q]) {
            for (std::size_t i = 0; i < order.size(); ++i) relevant[i] = hasLabel(labels[order[i]], label);
            auto& acc = perLabel[label];
            acc.queries++;
            acc.precision += precisionAtK(relevant, params.k);
            acc.ap += averagePrecision(relevant);
        }
    }
    RetrievalReport report = reportOf(overall, perLabel, params.k);
    if (progress) (*progress)(double(n), double(n), "ranking neighbours");
    return report;
}

}  // namespace sonolab::similarity
