#include "core/similarity/TrainingPairs.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

namespace sonolab::similarity {

namespace {

// Rows of each class, and the classes, for sampling.
struct ClassIndex {
    std::map<std::string, std::vector<std::size_t>> rows;
    std::vector<std::string> classes;

    explicit ClassIndex(const std::vector<std::string>& labels) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (!labels[i].empty()) rows[labels[i]].push_back(i);
        for (const auto& [c, r] : rows) classes.push_back(c);
    }
};

template <typename Rng>
std::size_t pick(const std::vector<std::size_t>& from, Rng& rng) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

// A random item of the same class other than i (i itself when it is alone in its class), and one of another class.
template <typename Rng>
std::size_t samePartner(const ClassIndex& index, const std::string& label, std::size_t i, Rng& rng) {
    const auto& same = index.rows.at(label);
    if (same.size() == 1) return i;
    for (;;) {
        const std::size_t j = pick(same, rng);
        if (j != i) return j;
    }
}

template <typename Rng>
std::size_t otherPartner(const ClassIndex& index, const std::string& label, Rng& rng, std::string* otherClass) {
    std::string c;
    do c = index.classes[std::uniform_int_distribution<std::size_t>(0, index.classes.size() - 1)(rng)];
    while (c == label);
    if (otherClass) *otherClass = c;
    return pick(index.rows.at(c), rng);
}

}  // namespace

std::vector<TrainingPair> pairsFromLabels(const std::vector<std::string>& labels, const PairParams& params) {
    ClassSimilarityTable identityTable;  // diagonal 1, rest 0
    return pairsFromClassSimilarity(labels, identityTable, params, 0.0f);
}

void ClassSimilarityTable::set(const std::string& a, const std::string& b, float similarity) {
    values_[{a, b}] = similarity;
    values_[{b, a}] = similarity;
}

float ClassSimilarityTable::get(const std::string& a, const std::string& b) const {
    if (auto it = values_.find({a, b}); it != values_.end()) return it->second;
    return a == b ? 1.0f : 0.0f;
}

ClassSimilarityTable ClassSimilarityTable::readCsv(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw fileError(path, "cannot open the class-similarity table");
    ClassSimilarityTable table;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line[0] == '#') continue;
        std::stringstream fields(line);
        std::string a, b, value;
        std::getline(fields, a, ',');
        std::getline(fields, b, ',');
        std::getline(fields, value);
        try {
            std::size_t used = 0;
            const float v = std::stof(value, &used);
            table.set(a, b, v);
        } catch (const std::exception&) {
            if (number == 1) continue;  // a header
            throw fileError(path, "line " + std::to_string(number) + " is not 'classA,classB,value'");
        }
    }
    return table;
}

std::vector<TrainingPair> pairsFromClassSimilarity(const std::vector<std::string>& labels,
                                                   const ClassSimilarityTable& table, const PairParams& params,
                                                   float offset) {
    const ClassIndex index(labels);
    if (index.classes.size() < 2) throw Error("training pairs", "pairs need items of at least two classes");
    std::mt19937_64 rng(params.seed);
    auto target = [&](const std::string& a, const std::string& b) {
        return std::clamp(table.get(a, b) + offset, 0.0f, 1.0f);
    };
    std::vector<TrainingPair> pairs;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i].empty()) continue;
        for (std::size_t p = 0; p < params.perItem; ++p) {
            pairs.push_back({i, samePartner(index, labels[i], i, rng), target(labels[i], labels[i])});
            std::string other;
            const std::size_t j = otherPartner(index, labels[i], rng, &other);
            pairs.push_back({i, j, target(labels[i], other)});
        }
        if (params.identity) pairs.push_back({i, i, 1.0f});
    }
    std::shuffle(pairs.begin(), pairs.end(), rng);
    return pairs;
}

std::vector<float> tagSimilarityMatrix(const std::vector<float>& tags, std::size_t items, std::size_t tagCount,
                                       TagWeighting weighting) {
    if (tags.size() != items * tagCount)
        throw Error("tag similarity", std::to_string(tags.size()) + " values do not make " + std::to_string(items) +
                                          " x " + std::to_string(tagCount) + " tags");
    std::vector<double> weight(tagCount, 1.0);
    if (weighting != TagWeighting::None) {
        for (std::size_t t = 0; t < tagCount; ++t) {
            double tf = 0;
            for (std::size_t i = 0; i < items; ++i) tf += tags[i * tagCount + t] != 0 ? 1 : 0;
            const double idf = tf > 0 ? std::log(double(items) / tf) : 0.0;
            if (idf <= 0) weight[t] = 0;  // absent or carried by all: says nothing about similarity
            else weight[t] = weighting == TagWeighting::TutorialIdf ? 1.0 / idf : idf;
        }
    }
    // Per item: its weighted tag mass, then the weighted overlap for each pair.
    std::vector<double> mass(items, 0.0);
    for (std::size_t i = 0; i < items; ++i)
        for (std::size_t t = 0; t < tagCount; ++t)
            if (tags[i * tagCount + t] != 0) mass[i] += weight[t];
    std::vector<float> sim(items * items, 0.0f);
    for (std::size_t i = 0; i < items; ++i) {
        sim[i * items + i] = 1.0f;
        for (std::size_t j = i + 1; j < items; ++j) {
            double overlap = 0;
            for (std::size_t t = 0; t < tagCount; ++t)
                if (tags[i * tagCount + t] != 0 && tags[j * tagCount + t] != 0) overlap += weight[t];
            const double denominator = mass[i] + mass[j];
            const float s = denominator > 0 ? float(2.0 * overlap / denominator) : 0.0f;
            sim[i * items + j] = sim[j * items + i] = s;
        }
    }
    return sim;
}

std::vector<TrainingPair> pairsFromSimilarityMatrix(const std::vector<float>& similarity, std::size_t items,
                                                    const PairParams& params, std::size_t candidates) {
    if (similarity.size() != items * items)
        throw Error("training pairs", "similarity matrix is not " + std::to_string(items) + " x " + std::to_string(items));
    if (items < 2) throw Error("training pairs", "pairs need at least two items");
    std::mt19937_64 rng(params.seed);
    std::vector<TrainingPair> pairs;
    std::vector<std::size_t> others(items - 1);
    candidates = std::clamp<std::size_t>(candidates, 1, items - 1);
    for (std::size_t i = 0; i < items; ++i) {
        std::size_t w = 0;
        for (std::size_t j = 0; j < items; ++j)
            if (j != i) others[w++] = j;
        const float* row = similarity.data() + i * items;
        // Most similar first; ties broken by row so the sampling is reproducible.
        std::stable_sort(others.begin(), others.end(), [&](std::size_t a, std::size_t b) { return row[a] > row[b]; });
        std::uniform_int_distribution<std::size_t> among(0, candidates - 1);
        for (std::size_t p = 0; p < params.perItem; ++p) {
            const std::size_t pos = others[among(rng)];
            const std::size_t neg = others[others.size() - 1 - among(rng)];
            pairs.push_back({i, pos, row[pos]});
            pairs.push_back({i, neg, row[neg]});
        }
        if (params.identity) pairs.push_back({i, i, 1.0f});
    }
    std::shuffle(pairs.begin(), pairs.end(), rng);
    return pairs;
}

std::vector<TrainingPair> pairsFromJudgements(const std::vector<Judgement>& judgements,
                                              const std::map<std::int64_t, std::size_t>& rowOfId) {
    // A user who changes their mind marks the same two tracks again: the latest mark replaces the earlier one
    // (in either order), so a corrected mistake never trains as two contradicting pairs.
    std::vector<TrainingPair> pairs;
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> pairOf;
    for (const auto& j : judgements) {
        auto a = rowOfId.find(j.a), b = rowOfId.find(j.b);
        if (a == rowOfId.end() || b == rowOfId.end()) continue;
        const float target = j.similar ? 1.0f : 0.0f;
        const auto key = std::minmax(a->second, b->second);
        if (auto it = pairOf.find(key); it != pairOf.end()) {
            pairs[it->second].target = target;
            continue;
        }
        pairOf.emplace(key, pairs.size());
        pairs.push_back({a->second, b->second, target});
    }
    return pairs;
}

std::vector<Triplet> tripletsFromLabels(const std::vector<std::string>& labels, const PairParams& params) {
    const ClassIndex index(labels);
    if (index.classes.size() < 2) throw Error("training triplets", "triplets need items of at least two classes");
    std::mt19937_64 rng(params.seed);
    std::vector<Triplet> triplets;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i].empty()) continue;
        for (std::size_t p = 0; p < params.perItem; ++p)
            triplets.push_back({i, samePartner(index, labels[i], i, rng), otherPartner(index, labels[i], rng, nullptr)});
    }
    std::shuffle(triplets.begin(), triplets.end(), rng);
    return triplets;
}

}  // namespace sonolab::similarity
