// SimilarityBrowser, part 5: how well the space finds tracks of the same colour, under the map. The labels are the
// map's colours, k is the neighbour count and the left-out group follows the filters, so the figure speaks of
// what the user is looking at. The ranking runs on a worker (core/similarity/RetrievalEvaluation.h); a space trained
// on the very labels it is scored by is named as such (core/pipeline/SiameseEvaluation.h).
#include "ui/similarity/SimilarityBrowser.h"

#include "core/pipeline/NeighbourLabelling.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/similarity/RetrievalEvaluation.h"

#include <QCheckBox>
#include <QLabel>
#include <QSpinBox>

namespace sonolab::ui {
namespace {

// Queries are ranked against every track: at most this many are asked (evenly spread over the labelled tracks), so
// that a large collection is scored in seconds rather than hours.
constexpr std::size_t kMaxScoredQueries = 2000;

struct SpaceScore {
    similarity::RetrievalReport report;
    std::string learntFrom;  // the label set the space was trained on, if any
    std::size_t labelled = 0;
    std::shared_ptr<const pipeline::LabelledIsolation> isolation;
    float reach = 0;  // the labelled tracks' own isolation at label-by-neighbours' quantile
};

}  // namespace

void SimilarityBrowser::refreshScore() {
    scoreJob_.discard();
    score_->clear();
    score_->setToolTip({});
    if (!space_ || colourBy_.isEmpty() || space_->vectors.empty()) {
        labelledReach_.reset();
        return;
    }
    const std::size_t n = space_->vectors.rows();
    const bool byArtist = sameArtist_->isChecked(), byGroup = sameGroup_->isChecked();
    // A neighbour counts when it has the track's colour on the map: its label in a single-label set, its least common
    // one in a multi-label set (where "shares any label" would count nearly every pair through a label such as
    // "music", and the figure would say nothing).
    const auto colour = colourLabels(colourBy_);
    std::vector<std::vector<std::string>> labels(n);
    std::vector<std::string> groups(n);
    std::size_t labelled = 0;
    for (std::size_t r = 0; r < n; ++r) {
        const auto id = space_->vectors.id(r);
        if (const auto c = colour.find(id); c != colour.end()) labels[r] = {c->second.toStdString()};
        labelled += !labels[r].empty();
        const auto t = tracks_.find(id);
        groups[r] = t == tracks_.end() ? pipeline::retrievalGroup(id, {}, {}, false, false)
                                       : pipeline::retrievalGroup(id, t->second.artist.toStdString(),
                                                                  t->second.group.toStdString(), byArtist, byGroup);
    }
    if (labelled < 2) {
        labelledReach_.reset();
        score_->setText(tr("Colour by a label set that tracks carry to see how well this space finds their like."));
        return;
    }
    LabelledReach reach{.space = space_, .index = index_, .groups = groups, .labelSet = colourBy_};
    for (std::size_t r = 0; r < n; ++r)
        if (!labels[r].empty()) reach.labelledRows.push_back(r);
    // Which tracks are labelled decides the reach, not their labels nor k: a refresh that keeps them keeps it.
    if (labelledReach_ && labelledReach_->measures(reach)) {
        reach.isolation = labelledReach_->isolation;
        reach.reach = labelledReach_->reach;
        labelledReach_->labelSet = colourBy_;
    } else {
        labelledReach_.reset();
    }
    similarity::EvaluationParams params{.k = std::size_t(count_->value()), .metric = space_->metric, .groups = space_->groups};
    if (labelled > kMaxScoredQueries) {
        params.queries.assign(n, false);
        std::size_t seen = 0;
        for (std::size_t r = 0; r < n; ++r)
            if (!labels[r].empty() && (seen++ * kMaxScoredQueries) % labelled < kMaxScoredQueries) params.queries[r] = true;
    }
    score_->setText(tr("Scoring the space by %1…").arg(colourBy_));
    // Captured before the call: the two lambdas' captures are evaluated in no set order, and the second moves `reach`.
    auto measure = [space = space_, index = index_, labels = std::move(labels), groups = std::move(groups), params,
                    labelled, labelledRows = reach.labelledRows, known = reach.isolation,
                    knownReach = reach.reach](const JobContext& c) {
        SpaceScore s;
        s.learntFrom = pipeline::labelSetLearntBy(space->name);
        s.report = similarity::evaluateRetrieval(space->vectors, labels, groups, params, &c.progress);
        s.labelled = labelled;
        s.isolation = known;
        s.reach = knownReach;
        if (!s.isolation) {
            s.isolation = std::make_shared<const pipeline::LabelledIsolation>(*space, labelledRows, groups, index);
            s.reach = s.isolation->reach(pipeline::VoteRule{}.reach, kMaxScoredQueries, &c.progress);
        }
        return s;
    };
    scoreJob_.start(
        std::move(measure),
        [this, reach = std::move(reach), byArtist, byGroup](const SpaceScore& s) mutable {
            reach.isolation = s.isolation;
            reach.reach = s.reach;
            const QString labelSet = reach.labelSet;
            labelledReach_ = std::move(reach);
            refreshSuggestion();
            showScore(s.report, labelSet, QString::fromStdString(s.learntFrom), byArtist ? tr("own artist left out")
                                                                                 : byGroup ? tr("own source track left out")
                                                                                           : QString());
        });
}

void SimilarityBrowser::showScore(const similarity::RetrievalReport& r, const QString& labelSet,
                                  const QString& learntFrom, const QString& leftOut) {
    if (r.queries == 0) {
        score_->setText(tr("No track labelled by %1 has a neighbour to be scored against.").arg(labelSet));
        return;
    }
    QString text = tr("Precision@%2 by colour (%1): %3 (chance %4, best possible %5), %6 tracks asked%7")
                       .arg(labelSet)
                       .arg(r.k)
                       .arg(r.precisionAtK, 0, 'f', 2)
                       .arg(r.chancePrecisionAtK, 0, 'f', 2)
                       .arg(r.bestPrecisionAtK, 0, 'f', 2)
                       .arg(r.queries)
                       .arg(leftOut.isEmpty() ? QString() : QStringLiteral(", ") + leftOut);
    if (!learntFrom.isEmpty() && learntFrom == labelSet)
        text += tr(" · trained on these labels, so it flatters: `sonolab-cli evaluate-similarity --folds 4` asks "
                   "each track in a space trained without it");
    score_->setText(text);
    QString tip = tr("Precision@%1 by colour (tracks asked):").arg(r.k);
    for (const auto& l : r.perLabel)
        tip += QStringLiteral("\n%1: %2 (%3)").arg(QString::fromStdString(l.label)).arg(l.precisionAtK, 0, 'f', 2).arg(l.queries);
    tip += tr("\nMean average precision %1. A neighbour counts when it has the colour of the track asked (in a "
              "multi-label set, a track's least common label, as on the map); chance is a random ranking, best possible "
              "every such track first.")
               .arg(r.meanAveragePrecision, 0, 'f', 2);
    score_->setToolTip(tip);
}

}  // namespace sonolab::ui
