#pragma once
// Training pairs for siamese networks (tutorial ML 4b/4c, IS 2b/2c): two items of the collection (by row) and a target
// in [0, 1], 1 = similar. Pairs come from class labels, from a hand-made class-similarity table, from tag similarity,
// from identity, and from the user's own "similar / not similar" marks in the browser.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sonolab::similarity {

struct TrainingPair {
    std::size_t a = 0, b = 0;  // rows
    float target = 0;          // 1 similar, 0 dissimilar, soft in between
};

struct Triplet {
    std::size_t anchor = 0, positive = 0, negative = 0;
};

struct PairParams {
    std::size_t perItem = 5;  // positive + negative pairs drawn per item (ML 4b: 10, IS 2b: 5)
    bool identity = false;    // add (i, i, 1) once per item, teaching that a track is most similar to itself
    std::uint64_t seed = 1;
};

// ML 4b / IS 2b: positive = random item of the same class (1), negative = random item of another class (0).
// Items with an empty label take no part.
std::vector<TrainingPair> pairsFromLabels(const std::vector<std::string>& labels, const PairParams& params = {});

// Symmetric class-to-class similarity (ML 4b variant 2, IS 2b genre table): the diagonal is 1 unless set, unlisted
// pairs 0.
class ClassSimilarityTable {
public:
    void set(const std::string& a, const std::string& b, float similarity);
    float get(const std::string& a, const std::string& b) const;
    // Lines "classA,classB,value" (a header line and '#' comments are skipped); throws Error naming the file.
    static ClassSimilarityTable readCsv(const std::filesystem::path& path);

private:
    std::map<std::pair<std::string, std::string>, float> values_;
};

// As pairsFromLabels, with targets from the table; `offset` is added to the table value and the result clipped to
// [0, 1] (ML 4b variant 3 uses -0.1 so loosely related classes count as dissimilar).
std::vector<TrainingPair> pairsFromClassSimilarity(const std::vector<std::string>& labels,
                                                   const ClassSimilarityTable& table, const PairParams& params = {},
                                                   float offset = 0.0f);

// How tags are weighted before the Dice similarity.
enum class TagWeighting {
    None,        // plain Dice on the binary tag vectors
    TutorialIdf, // ML 4c / IS 2c: tf = column sums, idf = ln(N/tf), weighted = binary / idf (rare tags weigh less)
    Idf,         // binary * idf (rare tags weigh more: the usual reading of "IDF-weighted")
};

// N x N similarity (row-major) of items described by binary tag vectors (tags: N x T, row-major, non-zero = tagged):
// 1 - weighted Dice distance = 2 sum(w u v) / (sum(w u) + sum(w v)) over binary u, v and tag weights w. Items
// without tags have similarity 0 to everything (1 to themselves). Tags that every item carries (idf 0) are dropped.
std::vector<float> tagSimilarityMatrix(const std::vector<float>& tags, std::size_t items, std::size_t tagCount,
                                       TagWeighting weighting = TagWeighting::TutorialIdf);

// IS 2c: for each item, perItem times a positive from its `candidates` most similar other items and a negative from
// its `candidates` least similar, targets = the raw similarities; plus identity pairs when asked.
std::vector<TrainingPair> pairsFromSimilarityMatrix(const std::vector<float>& similarity, std::size_t items,
                                                    const PairParams& params = {}, std::size_t candidates = 10);

// The user's marks from the browser, oldest first. Ids are mapped to rows by `rowOfId`; marks naming unknown ids are
// skipped; a later mark of the same two tracks (either order) replaces the earlier one.
struct Judgement {
    std::int64_t a = 0, b = 0;
    bool similar = false;
};
std::vector<TrainingPair> pairsFromJudgements(const std::vector<Judgement>& judgements,
                                              const std::map<std::int64_t, std::size_t>& rowOfId);

// For triplet loss: anchor, a positive of the same class and a random negative of another (hard negatives are mined
// in the batch during training).
std::vector<Triplet> tripletsFromLabels(const std::vector<std::string>& labels, const PairParams& params = {});

}  // namespace sonolab::similarity
