#include "core/pipeline/NeighbourLabelling.h"

#include "core/library/LibraryDatabase.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/similarity/NeighbourVote.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sonolab::pipeline {

NeighbourVoter::NeighbourVoter(const similarity::CollectionSpace& space, std::vector<std::size_t> voterRows,
                               std::vector<int> classOfVoter, std::size_t classes)
    : space_(space), rows_(std::move(voterRows)), classOf_(std::move(classOfVoter)), classes_(classes) {
    if (space.groups) return;
    index_.emplace(space.metric, space.vectors.dim());
    for (const std::size_t r : rows_) index_->add(space.vectors.id(r), space.vectors.row(r));
}

std::vector<float> NeighbourVoter::votes(std::size_t query, std::size_t k) const {
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
    const std::size_t n = std::min(k, order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(),
                      [&](std::size_t a, std::size_t b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
    std::vector<int> nearest(n);
    for (std::size_t i = 0; i < n; ++i) nearest[i] = classOf_[order[i]];
    return similarity::voteShares(nearest, classes_);
}

namespace {

// The request's sets, checked before anything is built or written; returns the voting set.
library::LabelSetInfo checkedSets(const library::LibraryDatabase& db, const NeighbourLabellingRequest& request) {
    const auto set = db.labelSet(request.labelSet);
    if (!set) throw fileError(request.library, "has no label set called '" + request.labelSet + "'");
    if (set->kind != library::LabelKind::Single)
        throw fileError(request.library, "label set '" + request.labelSet + "' is multi-label: neighbours vote for one "
                                         "class, so give a single-label set (`library derive --single` makes one)");
    if (request.into.empty() || request.into == request.labelSet)
        throw fileError(request.library, "--into must name another label set than '" + request.labelSet +
                                             "': the votes never overwrite the labels they come from");
    if (db.labelSet(request.into) && !request.replace)
        throw fileError(request.library, "label set '" + request.into + "' exists already: name a new set, or "
                                         "--replace to write this vote over it");
    if (request.k == 0) throw Error("label by neighbours", "k must be at least 1");
    return *set;
}

}  // namespace

void writeNeighbourLabelling(library::LibraryDatabase& db, const std::string& into, const NeighbourLabelling& labelling) {
    library::LibraryDatabase::Transaction tx(db);
    if (db.labelSet(into)) db.deleteLabelSet(into);
    db.createLabelSet(into, library::LabelKind::Single, labelling.classes, labelling.setSource);
    for (const auto& [id, label] : labelling.labelOf) db.setLabel(into, id, label, 1.0, labelling.sourceOf.at(id));
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
                                     const Progress* progress) {
    library::LibraryDatabase db(request.library);
    const library::LabelSetInfo set = checkedSets(db, request);
    const auto labelled = db.positiveLabels(request.labelSet);
    std::vector<int> classOfVoter;
    std::vector<std::size_t> voters, unlabelled;
    for (std::size_t r = 0; r < space.vectors.rows(); ++r) {
        const auto it = labelled.find(space.vectors.id(r));
        if (it == labelled.end() || it->second.empty()) {
            unlabelled.push_back(r);
            continue;
        }
        const auto c = std::find(set.classes.begin(), set.classes.end(), it->second.front());
        classOfVoter.push_back(int(c - set.classes.begin()));
        voters.push_back(r);
    }
    if (voters.empty())
        throw fileError(request.library, "no track placed in the space carries a label of '" + request.labelSet + "'");

    NeighbourLabelling out;
    out.voters = voters.size();
    out.failures = space.failures;
    out.classes = set.classes;
    const std::size_t k = std::min(request.k, voters.size());
    const NeighbourVoter voter(space, std::move(voters), std::move(classOfVoter), set.classes.size());
    out.setSource = "k-NN: " + std::to_string(k) + " nearest labelled in " + request.labelSet + ", " + request.space;
    for (std::size_t i = 0; i < unlabelled.size(); ++i) {
        if (progress && i % 64 == 0) {
            (*progress)(double(i), double(unlabelled.size()), "voting");
            progress->throwIfCancelled();
        }
        const std::size_t row = unlabelled[i];
        const auto shares = voter.votes(row, request.k);
        const std::size_t winner = std::size_t(std::max_element(shares.begin(), shares.end()) - shares.begin());
        const auto id = space.vectors.id(row);
        out.labelOf[id] = set.classes[winner];
        out.shareOf[id] = shares[winner];
        ++out.perClass[set.classes[winner]];
        const long votes = std::lround(double(shares[winner]) * double(k));
        out.sourceOf[id] = "k-NN: " + std::to_string(votes) + " of " + std::to_string(k) + " nearest labelled in " +
                           request.space;
    }
    writeNeighbourLabelling(db, request.into, out);  // one transaction: the new set with every vote, or nothing
    return out;
}

}  // namespace sonolab::pipeline
