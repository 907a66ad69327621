#include "core/pipeline/NeighbourLabelling.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/Metrics.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/similarity/NeighbourVote.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sonolab::pipeline {

NeighbourVoter::NeighbourVoter(const similarity::CollectionSpace& space, std::vector<std::size_t> voterRows,
                               std::vector<std::vector<int>> labelsOfVoter, std::size_t labels, bool multiLabel)
    : space_(space), rows_(std::move(voterRows)), labelsOf_(std::move(labelsOfVoter)), labels_(labels),
      multi_(multiLabel) {
    if (labelsOf_.size() != rows_.size()) throw Error("neighbour vote", "one list of labels per voter");
    if (!multi_ && std::any_of(labelsOf_.begin(), labelsOf_.end(), [](const auto& l) { return l.size() != 1; }))
        throw Error("neighbour vote", "one class per voter in a single-label set");
    if (space_.groups) return;
    index_.emplace(space_.metric, space_.vectors.dim());
    for (const std::size_t r : rows_) index_->add(space_.vectors.id(r), space_.vectors.row(r));
}

NeighbourVoter::Vote tallyVotes(std::span<const std::vector<int>> labelsOfVoterNearestFirst, std::size_t labels,
                                bool multiLabel) {
    NeighbourVoter::Vote out;
    if (multiLabel) {
        out.shares = similarity::labelShares(labelsOfVoterNearestFirst, labels);
    } else {
        std::vector<int> classOfVoter;
        for (const auto& l : labelsOfVoterNearestFirst) classOfVoter.push_back(l.front());
        out.shares = similarity::voteShares(classOfVoter, labels);
    }
    out.winner = std::size_t(std::max_element(out.shares.begin(), out.shares.end()) - out.shares.begin());
    return out;
}

NeighbourVoter::Vote NeighbourVoter::vote(std::size_t query, std::size_t k,
                                          const std::function<bool(std::size_t row)>& keep) const {
    return tallyVotes(labelsOfNearest(query, k, keep), labels_, multi_);
}

std::vector<std::vector<int>> NeighbourVoter::labelsOfNearest(std::size_t query, std::size_t k,
                                                              const std::function<bool(std::size_t row)>& keep) const {
    const auto q = space_.vectors.row(query);
    std::vector<float> dist;  // per voter
    if (index_) {
        dist = index_->distancesTo(q);
    } else {
        const auto all = similarity::groupedDistances(*space_.groups, space_.vectors, q);
        for (const std::size_t r : rows_) dist.push_back(all[r]);
    }
    std::vector<std::size_t> order(rows_.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (keep) std::erase_if(order, [&](std::size_t v) { return !keep(rows_[v]); });
    const std::size_t n = std::min(k, order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(),
                      [&](std::size_t a, std::size_t b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
    std::vector<std::vector<int>> nearest(n);
    for (std::size_t i = 0; i < n; ++i) nearest[i] = labelsOf_[order[i]];
    return nearest;
}

LabelledIsolation::LabelledIsolation(const similarity::CollectionSpace& space,
                                     const std::vector<std::size_t>& labelledRows,
                                     const std::vector<std::string>& groupOfRow,
                                     std::shared_ptr<const similarity::NeighbourIndex> collection, const Progress* progress)
    : space_(space), labelledRows_(labelledRows), isLabelled_(space.vectors.rows(), false) {
    if (!groupOfRow.empty() && groupOfRow.size() != space.vectors.rows())
        throw Error("labelled isolation", "one group per row of the space, or none");
    for (const std::size_t r : labelledRows_) isLabelled_.at(r) = true;
    if (!groupOfRow.empty()) {
        std::unordered_map<std::string, int> number;
        for (std::size_t r = 0; r < groupOfRow.size(); ++r) {
            const int n = number.emplace(groupOfRow[r], int(number.size())).first->second;
            recordingOfRow_.push_back(n);
            recordingOfId_[space.vectors.id(r)] = n;
        }
    }
    if (space.groups) return;  // grouped distances rank the whole space at once
    all_ = collection ? std::move(collection)
                      : std::shared_ptr<const similarity::NeighbourIndex>(
                            similarity::buildIndex(space.vectors, {.metric = space.metric}, progress));
    labelled_.emplace(space.metric, space.vectors.dim());
    for (const std::size_t r : labelledRows_) labelled_->add(space.vectors.id(r), space.vectors.row(r));
}

float LabelledIsolation::of(std::size_t row) const {
    constexpr float inf = std::numeric_limits<float>::infinity();
    const auto q = space_.vectors.row(row);
    const auto self = space_.vectors.id(row);
    float nearestLabelled = inf, nearestAny = inf;
    if (space_.groups) {
        const auto all = similarity::groupedDistances(*space_.groups, space_.vectors, q);
        for (std::size_t r = 0; r < all.size(); ++r) {
            if (r == row || (!recordingOfRow_.empty() && recordingOfRow_[r] == recordingOfRow_[row])) continue;
            nearestAny = std::min(nearestAny, all[r]);
            if (isLabelled_[r]) nearestLabelled = std::min(nearestLabelled, all[r]);
        }
    } else {
        const int own = recordingOfRow_.empty() ? -1 : recordingOfRow_[row];
        const similarity::IdFilter otherRecording = [&](std::int64_t id) {
            if (id == self) return false;
            if (own < 0) return true;
            const auto it = recordingOfId_.find(id);
            return it == recordingOfId_.end() || it->second != own;
        };
        if (const auto l = labelled_->search(q, 1, otherRecording); !l.empty()) nearestLabelled = l.front().distance;
        if (const auto a = all_->search(q, 1, otherRecording); !a.empty()) nearestAny = a.front().distance;
        nearestAny = std::min(nearestAny, nearestLabelled);  // an approximate index may miss the labelled one
    }
    if (!std::isfinite(nearestLabelled)) return inf;
    // A small floor keeps a duplicate (distance 0) from dividing by zero: as near as any is 1.
    constexpr float floor = 1e-6f;
    return (nearestLabelled + floor) / (nearestAny + floor);
}

float LabelledIsolation::reach(double quantile, std::size_t maxProbes, const Progress* cancel) const {
    if (!(quantile > 0 && quantile <= 1)) throw Error("labelled isolation", "the reach quantile must lie in (0, 1]");
    std::vector<float> isolations;
    const std::size_t n = labelledRows_.size();
    const std::size_t probes = std::min(n, std::max<std::size_t>(maxProbes, 1));
    for (std::size_t p = 0; p < probes; ++p) {
        if (cancel) cancel->throwIfCancelled();
        const float i = of(labelledRows_[p * n / probes]);  // spread evenly over the labelled rows
        if (std::isfinite(i)) isolations.push_back(i);
    }
    if (isolations.empty()) return std::numeric_limits<float>::infinity();
    const std::size_t rank = std::max<std::size_t>(1, std::size_t(std::ceil(quantile * double(isolations.size()))));
    std::nth_element(isolations.begin(), isolations.begin() + std::ptrdiff_t(rank - 1), isolations.end());
    return isolations[rank - 1];
}

std::vector<std::size_t> votedLabels(const NeighbourVoter::Vote& vote, const VoteRule& rule, bool multiLabel) {
    constexpr double slack = 1e-4;  // shares are float fractions of k: 3 of 5 is 0.6 give or take
    std::vector<std::size_t> out;
    if (vote.shares.empty()) return out;
    if (!multiLabel) {  // a vote without voters (all shares 0) names nothing
        if (vote.shares[vote.winner] > 0 && vote.shares[vote.winner] + slack >= rule.minShare) out.push_back(vote.winner);
        return out;
    }
    const double least = std::max(VoteRule::kMajority, rule.minShare);
    for (std::size_t l = 0; l < vote.shares.size(); ++l)
        if (vote.shares[l] > 0 && vote.shares[l] + slack >= least) out.push_back(l);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t x, std::size_t y) { return vote.shares[x] > vote.shares[y]; });
    return out;
}

VoterChoice chooseVoters(const NeighbourVoter& voter, const std::vector<std::string>& groupOfRow,
                         const std::vector<std::size_t>& candidates, std::size_t maxProbes, const Progress* cancel) {
    VoterChoice out;
    const auto& rows = voter.rows();
    if (rows.empty() || candidates.empty()) return out;
    out.k = 0;
    TaskSpec task{.kind = voter.multiLabel() ? TaskKind::MultiLabel : TaskKind::SingleLabel};
    task.labels.resize(voter.labels());
    std::map<std::size_t, std::vector<std::vector<float>>> predicted;  // per k, per probe
    std::vector<std::vector<float>> truth;
    const std::size_t probes = std::min(rows.size(), std::max<std::size_t>(maxProbes, 1));
    const std::size_t maxK = *std::max_element(candidates.begin(), candidates.end());
    for (std::size_t p = 0; p < probes; ++p) {
        if (cancel) cancel->throwIfCancelled();
        const std::size_t v = p * rows.size() / probes;
        const std::size_t row = rows[v];
        const auto otherRecording = [&](std::size_t r) {
            return r != row && (groupOfRow.empty() || groupOfRow[r] != groupOfRow[row]);
        };
        std::vector<float> target(voter.labels(), 0.0f);
        for (const int l : voter.labelsOf(v)) target[std::size_t(l)] = 1.0f;
        truth.push_back(std::move(target));
        // One search for the largest k: a smaller k's voters are its nearest first (the order is total).
        const auto nearest = voter.labelsOfNearest(row, maxK, otherRecording);
        for (const std::size_t k : candidates) {
            const auto vote = tallyVotes(std::span(nearest).first(std::min(k, nearest.size())), voter.labels(),
                                         voter.multiLabel());
            std::vector<float> named(voter.labels(), 0.0f);
            for (const std::size_t l : votedLabels(vote, {.k = k}, voter.multiLabel())) named[l] = 1.0f;
            predicted[k].push_back(std::move(named));
        }
    }
    double best = -1;
    for (const std::size_t k : candidates) {
        const double f1 = ml::evaluate(task, predicted[k], truth).macroF1;
        out.macroF1[k] = f1;
        if (f1 > best || (f1 == best && k > out.k)) {
            best = f1;
            out.k = k;
        }
    }
    return out;
}

std::string abstention(const NeighbourVoter::Vote& vote, float isolation, const VoteRule& rule, float reach,
                       bool multiLabel) {
    if (rule.reach > 0 && isolation > reach)
        return "none of these: its nearest labelled track is farther, against its nearest track, than for " +
               std::to_string(int(std::lround(rule.reach * 100))) + "% of the labelled tracks";
    if (votedLabels(vote, rule, multiLabel).empty()) {
        const double share = vote.shares.empty() ? 0.0 : double(vote.shares[vote.winner]);
        return "no clear vote: " + std::to_string(int(std::lround(share * 100))) + "% for the first " +
               (multiLabel ? "label" : "class");
    }
    return {};
}

namespace {

// The request's sets, checked before anything is built or written; returns the voting set.
library::LabelSetInfo checkedSets(const library::LibraryDatabase& db, const NeighbourLabellingRequest& request) {
    const auto set = db.labelSet(request.labelSet);
    if (!set) throw fileError(request.library, "has no label set called '" + request.labelSet + "'");
    if (set->kind == library::LabelKind::Binary)
        throw fileError(request.library, "label set '" + request.labelSet + "' is binary: neighbours vote among the "
                                         "classes of a single-label or the labels of a multi-label set");
    if (request.into.empty() || request.into == request.labelSet)
        throw fileError(request.library, "--into must name another label set than '" + request.labelSet +
                                             "': the votes never overwrite the labels they come from");
    if (db.labelSet(request.into) && !request.replace)
        throw fileError(request.library, "label set '" + request.into + "' exists already: name a new set, or "
                                         "--replace to write this vote over it");
    if (!(request.rule.reach >= 0 && request.rule.reach <= 1))
        throw Error("label by neighbours", "the reach quantile must lie in [0, 1] (0: always vote)");
    if (!(request.rule.minShare >= 0 && request.rule.minShare <= 1))
        throw Error("label by neighbours", "the smallest share must lie in [0, 1]");
    return *set;
}

}  // namespace

void writeNeighbourLabelling(library::LibraryDatabase& db, const std::string& into, const NeighbourLabelling& labelling) {
    library::LibraryDatabase::Transaction tx(db);
    if (db.labelSet(into)) db.deleteLabelSet(into);
    db.createLabelSet(into, labelling.multiLabel ? library::LabelKind::Multi : library::LabelKind::Single,
                      labelling.classes, labelling.setSource);
    for (const auto& [id, labels] : labelling.labelsOf)
        for (const auto& l : labels) db.setLabel(into, id, l.label, 1.0, l.source);
    tx.commit();
}

NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const Progress* progress) {
    similarity::CollectionSpace space;
    {
        const library::LibraryDatabase db(request.library);
        checkedSets(db, request);  // before the space is built: a wrong name costs nothing
        space = buildEvaluatedSpace(db, {.space = request.space, .metric = request.metric,
                                         .featureCache = request.featureCache},
                                    progress, request.threads);
    }
    return labelByNeighbours(request, space, progress);
}

NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const similarity::CollectionSpace& space,
                                     const Progress* progress, std::shared_ptr<const similarity::NeighbourIndex> index) {
    library::LibraryDatabase db(request.library);
    const library::LabelSetInfo set = checkedSets(db, request);
    const auto labelled = db.positiveLabels(request.labelSet);
    std::map<std::int64_t, std::string> groupOfTrack;  // a voter's recording, for its reach
    for (const auto& t : db.tracks()) groupOfTrack[t.id] = retrievalGroup(t.id, t.artist, t.group, false, true);
    const bool multi = set.kind == library::LabelKind::Multi;
    const auto classOf = [&](const std::string& label) {
        return int(std::find(set.classes.begin(), set.classes.end(), label) - set.classes.begin());
    };
    std::vector<std::vector<int>> labelsOfVoter;
    std::vector<std::string> groupOfRow;
    std::vector<std::size_t> voters, unlabelled;
    for (std::size_t r = 0; r < space.vectors.rows(); ++r) {
        const auto id = space.vectors.id(r);
        groupOfRow.push_back(groupOfTrack.count(id) ? groupOfTrack.at(id) : "track:" + std::to_string(id));
        const auto it = labelled.find(id);
        if (it == labelled.end() || it->second.empty()) {
            unlabelled.push_back(r);
            continue;
        }
        auto& carried = labelsOfVoter.emplace_back();  // a single-label set's voter: its first label
        for (const auto& label : it->second) {
            carried.push_back(classOf(label));
            if (!multi) break;
        }
        voters.push_back(r);
    }
    if (voters.empty())
        throw fileError(request.library, "no track placed in the space carries a label of '" + request.labelSet + "'");

    NeighbourLabelling out;
    out.voters = voters.size();
    out.failures = space.failures;
    out.classes = set.classes;
    out.multiLabel = multi;
    const bool abstaining = request.rule.reach > 0;
    if (progress && abstaining) (*progress)(0, double(unlabelled.size()), "measuring how isolated labelled tracks are");
    std::optional<LabelledIsolation> isolation;  // only to abstain: for a large space it builds an index
    if (abstaining) isolation.emplace(space, voters, groupOfRow, std::move(index), progress);
    const NeighbourVoter voter(space, std::move(voters), std::move(labelsOfVoter), set.classes.size(), multi);
    VoteRule rule = request.rule;
    if (rule.k == 0) {
        if (progress) (*progress)(0, double(unlabelled.size()), "choosing how many neighbours vote");
        const auto choice = chooseVoters(voter, groupOfRow, VoterChoice::kCandidates, LabelledIsolation::kProbes, progress);
        rule.k = choice.k;
        out.macroF1OfK = choice.macroF1;
    }
    out.k = rule.k;
    const std::size_t k = std::min(rule.k, out.voters);
    out.reach = abstaining ? isolation->reach(rule.reach, LabelledIsolation::kProbes, progress)
                           : std::numeric_limits<float>::infinity();
    out.setSource = "k-NN: " + std::to_string(k) + " nearest labelled in " + request.labelSet + ", " + request.space;
    for (std::size_t i = 0; i < unlabelled.size(); ++i) {
        if (progress && i % 64 == 0) {
            (*progress)(double(i), double(unlabelled.size()), "voting");
            progress->throwIfCancelled();
        }
        const std::size_t row = unlabelled[i];
        const auto vote = voter.vote(row, rule.k);
        const auto id = space.vectors.id(row);
        const float isolated = abstaining ? isolation->of(row) : 1.0f;
        out.isolationOf[id] = isolated;
        if (auto why = abstention(vote, isolated, rule, out.reach, multi); !why.empty()) {
            out.abstained[id] = std::move(why);
            continue;
        }
        auto& labels = out.labelsOf[id];
        for (const std::size_t l : votedLabels(vote, rule, multi)) {
            const long votes = std::lround(double(vote.shares[l]) * double(k));
            labels.push_back({.label = set.classes[l],
                              .share = vote.shares[l],
                              .source = "k-NN: " + std::to_string(votes) + " of " + std::to_string(k) +
                                        " nearest labelled in " + request.space});
            ++out.perClass[set.classes[l]];
        }
    }
    writeNeighbourLabelling(db, request.into, out);  // one transaction: the new set with every vote, or nothing
    return out;
}

}  // namespace sonolab::pipeline
