// SimilarityBrowser, part 6: labelling the query from its neighbours. A collection is mostly unlabelled; the space
// already knows which labelled tracks sound nearest. The query's 5 nearest tracks labelled in the set the map is
// coloured by (its group or artist left out as the filters say, the Label box ignored) vote as label-by-neighbours
// does (pipeline::tallyVotes over the index's answer), and one click writes what they name to the library; "Label the
// Unlabelled…" runs label-by-neighbours itself on a worker. Nothing is computed from audio here.
#include "ui/similarity/SimilarityBrowser.h"

#include "core/library/LibraryDatabase.h"
#include "core/pipeline/NeighbourLabelling.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/LabelUnlabelledDialog.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <utility>
#include <numeric>

namespace sonolab::ui {

void SimilarityBrowser::refreshSuggestion() {
    suggested_.clear();
    suggestedVotes_.clear();
    suggestedOf_ = 0;
    suggestion_->clear();
    labelButton_->setVisible(false);
    const auto kind = colourSetKind();
    labelAllButton_->setEnabled(space_ && kind && *kind != library::LabelKind::Binary && !labelJob_.isRunning());
    const bool librarySet = db_ && !colourBy_.isEmpty() && colourBy_ != tr("genre tag");
    if (!space_ || query_ < 0 || !librarySet) return;
    const auto colour = colourLabels(colourBy_);
    const auto others = neighbourFilter(/*withLabelFilter=*/false);
    const auto voters = nearestToQuery(std::size_t(suggestionVoters_),
                                       [&](std::int64_t id) { return colour.count(id) > 0 && others(id); });
    if (voters.empty()) {
        suggestion_->setText(tr("No track near it is labelled in %1 yet.").arg(colourBy_));
        return;
    }
    suggestedOf_ = int(voters.size());
    // The labels in the order the voters name them (nearest first), and each voter's labels among them: its colour,
    // or in a multi-label set all its labels there, each voted on apart (label-by-neighbours' rule).
    const bool multi = kind == library::LabelKind::Multi;
    QStringList names;
    std::vector<std::vector<int>> carried;
    for (const auto& v : voters) {
        QStringList own{colour.at(v.id)};
        if (multi) own = tracks_.at(v.id).labelsBySet.at(colourBy_);
        auto& indices = carried.emplace_back();
        for (const auto& l : own) {
            if (!names.contains(l)) names << l;
            indices.push_back(int(names.indexOf(l)));
        }
    }
    const auto vote = pipeline::tallyVotes(carried, std::size_t(names.size()), multi);  // the folds' k-NN rule
    const auto votesFor = [&](std::size_t l) { return int(std::lround(double(vote.shares[l]) * suggestedOf_)); };
    std::vector<std::size_t> order(std::size_t(names.size()));
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return vote.shares[a] > vote.shares[b]; });
    QStringList counts;
    for (const std::size_t l : order) counts << QStringLiteral("%1 %2").arg(names[int(l)]).arg(votesFor(l));
    QString text = tr("Its %n nearest labelled in %1: %2", nullptr, suggestedOf_).arg(colourBy_, counts.join(", "));

    QStringList own;  // what the query carries already in the set
    if (const auto q = tracks_.find(query_); q != tracks_.end())
        if (const auto it = q->second.labelsBySet.find(colourBy_); it != q->second.labelsBySet.end()) own = it->second;
    QStringList already;
    for (const std::size_t l : pipeline::votedLabels(vote, {.k = voters.size()}, multi)) {
        if (own.contains(names[int(l)])) {
            already << names[int(l)];
            continue;
        }
        suggested_ << names[int(l)];
        suggestedVotes_.push_back(votesFor(l));
    }
    if (suggested_.isEmpty()) {
        suggestion_->setText(text + (already.isEmpty() ? tr(" (no label is carried by half of them)")
                                                        : tr(" (it is labelled %1 too)").arg(already.join(", "))));
        return;
    }
    QString apart;
    if (queryStandsApart()) {
        text += tr(" · but it stands apart from every labelled track: perhaps none of these");
        apart = tr(" It stands farther from the labelled tracks, against its nearest track, than %1% of them do: "
                   "label-by-neighbours would leave it unlabelled.")
                    .arg(int(std::lround(pipeline::VoteRule{}.reach * 100)));
    }
    suggestion_->setText(text);
    labelButton_->setText(tr("Label as %1").arg(suggested_.join(", ")));
    labelButton_->setToolTip(tr("Write \"%1\" to the library's set %2 for the query (the labels at least half of its %3 "
                                "nearest labelled tracks carry); a single-label set replaces its label. Ctrl+Z takes it "
                                "back.")
                                 .arg(suggested_.join(", "), colourBy_)
                                 .arg(suggestedOf_) +
                             apart);
    labelButton_->setVisible(true);
}

bool SimilarityBrowser::queryStandsApart() const {
    if (!labelledReach_ || labelledReach_->labelSet != colourBy_ || labelledReach_->space != space_) return false;
    const auto row = rowOfId_.find(query_);
    return row != rowOfId_.end() && labelledReach_->isolation->of(row->second) > labelledReach_->reach;
}

namespace {

constexpr int kSuggestedLabelCommand = 0x534c;  // QUndoCommand::id() of the commands below ("SL")

// A write the library refused makes the command obsolete: the stack drops it rather than offer to undo nothing.
template <class Write>
bool writeOrObsolete(QUndoCommand& command, Write write) {
    try {
        write();
        return true;
    } catch (const std::exception&) {
        command.setObsolete(true);
        return false;
    }
}

// The labels written from the neighbours' vote, undoable as one step: redo writes them (a single-label set drops the
// track's other label there), undo removes them and writes back the labels the track had in that set, values and
// sources included.
class SuggestedLabelCommand : public QUndoCommand {
public:
    struct Label {
        std::string label, source;
    };
    SuggestedLabelCommand(SimilarityBrowser* browser, std::shared_ptr<library::LibraryDatabase> db, std::int64_t track,
                          std::string labelSet, std::vector<Label> labels, const QString& text)
        : browser_(browser), db_(std::move(db)), track_(track), set_(std::move(labelSet)), labels_(std::move(labels)) {
        for (const auto& l : db_->labelsOfTrack(track_))
            if (l.labelSet == set_) before_.push_back(l);
        setText(text);
    }
    int id() const override { return kSuggestedLabelCommand; }  // never merged: mergeWith() stays false
    void redo() override {
        apply([this] {
            library::LibraryDatabase::Transaction tx(*db_);
            for (const auto& l : labels_) db_->setLabel(set_, track_, l.label, 1.0, l.source);
            tx.commit();
        });
    }
    void undo() override {
        apply([this] {
            library::LibraryDatabase::Transaction tx(*db_);
            for (const auto& l : labels_) db_->removeLabel(set_, track_, l.label);
            for (const auto& l : before_) db_->setLabel(set_, track_, l.label, l.value, l.source);
            tx.commit();
        });
    }

private:
    template <class Write>
    void apply(Write write) {
        if (writeOrObsolete(*this, write) && browser_) browser_->labelsChangedFor(track_);
    }

    QPointer<SimilarityBrowser> browser_;
    std::shared_ptr<library::LibraryDatabase> db_;
    std::int64_t track_;
    std::string set_;
    std::vector<Label> labels_;
    std::vector<library::TrackLabel> before_;
};

// A whole vote written as a new label set (labelUnlabelled): its first redo finds it written by the job; undo
// deletes the set, redo writes the same labels again.
class NeighbourSetCommand : public QUndoCommand {
public:
    NeighbourSetCommand(SimilarityBrowser* browser, std::shared_ptr<library::LibraryDatabase> db, std::string into,
                        pipeline::NeighbourLabelling labelling, const QString& text)
        : browser_(browser), db_(std::move(db)), into_(std::move(into)), labelling_(std::move(labelling)) {
        setText(text);
    }
    int id() const override { return kSuggestedLabelCommand; }
    void redo() override {
        if (std::exchange(written_, false)) return;
        apply([this] { pipeline::writeNeighbourLabelling(*db_, into_, labelling_); });
    }
    void undo() override {
        apply([this] { db_->deleteLabelSet(into_); });
    }

private:
    template <class Write>
    void apply(Write write) {
        if (writeOrObsolete(*this, write) && browser_) browser_->reloadLabels();
    }

    QPointer<SimilarityBrowser> browser_;
    std::shared_ptr<library::LibraryDatabase> db_;
    std::string into_;
    pipeline::NeighbourLabelling labelling_;
    bool written_ = true;
};

}  // namespace

std::optional<library::LabelKind> SimilarityBrowser::colourSetKind() const {
    if (!db_ || colourBy_.isEmpty()) return std::nullopt;
    try {
        const auto set = db_->labelSet(colourBy_.toStdString());
        return set ? std::optional(set->kind) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool SimilarityBrowser::colourIsVotableLabelSet() const {
    const auto kind = colourSetKind();
    return kind && *kind != library::LabelKind::Binary;
}

bool SimilarityBrowser::labelUnlabelled(const QString& into, std::optional<pipeline::VoteRule> rule) {
    if (!space_ || !db_ || !undo_ || labelJob_.isRunning()) return false;
    if (!colourIsVotableLabelSet()) {
        status_->setText(tr("Colour the map by a label set of the library to label the unlabelled by it"));
        return false;
    }
    const pipeline::NeighbourLabellingRequest request{.library = db_->file(),
                                                      .space = space_->name,
                                                      .labelSet = colourBy_.toStdString(),
                                                      .into = into.trimmed().toStdString(),
                                                      .rule = rule.value_or(pipeline::VoteRule{
                                                          .k = std::size_t(suggestionVoters_)})};
    labelAllButton_->setEnabled(false);
    progress_->setVisible(true);
    status_->setText(request.rule.k ? tr("Labelling the tracks without %1 by their %2 nearest labelled…")
                                          .arg(colourBy_)
                                          .arg(request.rule.k)
                                    : tr("Labelling the tracks without %1 by their nearest labelled (choosing how "
                                         "many)…")
                                          .arg(colourBy_));
    const QString set = into.trimmed(), from = colourBy_;
    labelJob_.start(
        // Its own connection to the library, on the worker; the space is the one shown.
        [request, space = space_, index = index_](const JobContext& c) {
            return pipeline::labelByNeighbours(request, *space, &c.progress, index);
        },
        [this, set, from, db = db_](const pipeline::NeighbourLabelling& r) {
            QStringList counts;
            for (const auto& [label, n] : r.perClass) counts << QStringLiteral("%1 %2").arg(QString::fromStdString(label)).arg(n);
            if (db != db_) {  // another library was opened meanwhile: the set is in the one the vote was asked of
                status_->setText(tr("%1 written to %2").arg(set, QString::fromStdString(db->file().string())));
                return;
            }
            const QString text = tr("Label %n unlabelled track(s) into %1", nullptr, int(r.labelsOf.size())).arg(set);
            undo_->push(new NeighbourSetCommand(this, db, set.toStdString(), r, text));
            reloadLabels();
            setColourBy(set);
            QString left;
            if (!r.abstained.empty())
                left = tr("; %n left unlabelled (none of the classes near enough)", nullptr, int(r.abstained.size()));
            if (!r.macroF1OfK.empty()) left += tr("; %1 voters chosen").arg(r.k);
            status_->setText(tr("%n track(s) without %1 labelled into %2 by their nearest labelled: %3%4 (Ctrl+Z "
                                "deletes the set)",
                                nullptr, int(r.labelsOf.size()))
                                 .arg(from, set, counts.isEmpty() ? tr("none") : counts.join(", "), left));
            emit trackLabelled(-1, set);
        });
    return true;
}

void SimilarityBrowser::labelUnlabelledWithDialog() {
    const auto kind = colourSetKind();
    if (!colourIsVotableLabelSet()) return;
    QStringList taken;
    try {
        for (const auto& set : db_->labelSets()) taken << QString::fromStdString(set.name);
    } catch (const std::exception& e) {
        status_->setText(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    QString name = colourBy_ + QStringLiteral("-knn");
    for (int n = 2; taken.contains(name); ++n) name = colourBy_ + QStringLiteral("-knn%1").arg(n);
    LabelUnlabelledDialog dialog(colourBy_, kind == library::LabelKind::Multi, name, taken,
                                 {.k = std::size_t(suggestionVoters_)}, this);
    if (dialog.exec() == QDialog::Accepted && dialog.problem().isEmpty()) labelUnlabelled(dialog.name(), dialog.rule());
}

bool SimilarityBrowser::labelQueryAsSuggested() {
    if (suggested_.isEmpty() || !db_ || query_ < 0 || !undo_) return false;
    const std::int64_t id = query_;
    const QString labels = suggested_.join(", "), set = colourBy_;
    std::vector<SuggestedLabelCommand::Label> written;
    for (int i = 0; i < suggested_.size(); ++i)
        written.push_back({suggested_[i].toStdString(),
                           "similarity: " + std::to_string(suggestedVotes_[std::size_t(i)]) + " of " +
                               std::to_string(suggestedOf_) + " nearest labelled in " + (space_ ? space_->name : "")});
    const int before = undo_->index();
    try {
        undo_->push(new SuggestedLabelCommand(this, db_, id, set.toStdString(), std::move(written),
                                              tr("Label %1 as %2 in %3").arg(describe(id), labels, set)));
    } catch (const std::exception& e) {  // reading the track's labels before the write failed
        status_->setText(tr("Could not store the label: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (undo_->index() == before) {  // the write was refused: the stack dropped the command
        status_->setText(tr("Could not store the label %1 for %2").arg(labels, describe(id)));
        return false;
    }
    status_->setText(tr("Labelled %1 as %2 in %3 (Ctrl+Z takes it back)").arg(describe(id), labels, set));
    return true;
}

void SimilarityBrowser::setSuggestionVoters(int k) {
    suggestionVoters_ = std::max(1, k);
    refreshSuggestion();
}

void SimilarityBrowser::setUndoStack(QUndoStack* stack) {
    if (undo_) disconnect(undo_, nullptr, this, nullptr);
    undo_ = stack ? stack : ownUndo_;
    undoIndex_ = undo_->index();
    // A step of another view's command (the library panel's label edits) may have changed any track's labels; the
    // browser's own commands have already shown theirs.
    connect(undo_, &QUndoStack::indexChanged, this, [this](int index) {
        const QUndoCommand* step = undo_->command(index < undoIndex_ ? index : index - 1);
        undoIndex_ = index;
        if (!step || step->id() != kSuggestedLabelCommand) reloadLabels();
    });
}

void SimilarityBrowser::reloadLabels() {
    if (!db_) return;
    try {
        loadTracks();
    } catch (const std::exception& e) {
        status_->setText(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    map_->setLabels(colourLabels(colourBy_), colourBy_);
    refreshNeighbours();
    refreshScore();
}

void SimilarityBrowser::reloadTrackLabels(std::int64_t id) {
    const auto t = tracks_.find(id);
    if (t == tracks_.end() || !db_) return;
    t->second.labels.clear();
    t->second.labelsBySet.clear();
    for (const auto& l : db_->labelsOfTrack(id)) {
        if (l.value <= 0.5) continue;
        const QString label = QString::fromStdString(l.label);
        if (!t->second.labels.contains(label)) t->second.labels << label;
        t->second.labelsBySet[QString::fromStdString(l.labelSet)] << label;
    }
}

// What shows a track's labels follows: the map's colours, the neighbour list, the score, the suggestion.
void SimilarityBrowser::labelsChangedFor(std::int64_t id) {
    reloadTrackLabels(id);
    map_->setLabels(colourLabels(colourBy_), colourBy_);
    refreshNeighbours();
    refreshScore();
    emit trackLabelled(id, colourBy_);
}

}  // namespace sonolab::ui
