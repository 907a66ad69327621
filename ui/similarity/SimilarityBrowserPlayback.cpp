// SimilarityBrowser, part 3: comparing, playing and marking neighbours.
#include "ui/similarity/SimilarityBrowser.h"

#include "core/library/LibraryDatabase.h"
#include "ui/playback/PlaybackService.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/HoverPreview.h"
#include "ui/similarity/MatchedSegments.h"

#include <QLabel>
#include <QStyle>
#include <QTableWidget>

namespace sonolab::ui {

void SimilarityBrowser::updateMarkCell(int row) {
    auto* item = table_->item(row, Mark);
    if (!item || row >= int(neighbours_.size())) return;
    auto mark = marks_.find({query_, neighbours_[std::size_t(row)].id});
    if (mark == marks_.end()) {
        item->setText(QString());
        item->setBackground(QBrush());
        item->setToolTip(tr("Not marked yet: use Similar / Not similar below"));
        return;
    }
    item->setText(mark->second ? tr("similar") : tr("not similar"));
    item->setIcon(style()->standardIcon(mark->second ? QStyle::SP_DialogApplyButton : QStyle::SP_DialogCancelButton));
    item->setBackground(mark->second ? QColor(205, 240, 205) : QColor(250, 210, 205));
    item->setToolTip(tr("Your mark, stored in the library and used by siamese training"));
}

void SimilarityBrowser::compareNeighbour(int row) {
    if (row < 0 || row >= int(neighbours_.size()) || !space_) {
        comparison_->clear();
        map_->setCurrentNeighbour(-1);
        return;
    }
    const auto& n = neighbours_[std::size_t(row)];
    map_->setCurrentNeighbour(n.id);
    const auto q = tracks_.find(query_), t = tracks_.find(n.id);
    if (q == tracks_.end() || t == tracks_.end()) return;
    const MatchedSegments match = matchSegments(*space_, query_, n.id);
    QString caption = tr("Query (top) and neighbour #%1 (bottom), distance %2 in %3.")
                          .arg(row + 1)
                          .arg(n.distance, 0, 'f', 3)
                          .arg(QString::fromStdString(space_->name));
    caption += match.neighbour ? tr(" Framed: the %1 s windows that match best (a click on the neighbour plays its window).")
                                     .arg(match.neighbour->durationSeconds, 0, 'f', 1)
                               : tr(" This space compares whole tracks, so no window is marked.");
    comparison_->setTracks({query_, q->second.path, describe(query_), match.query},
                           {n.id, t->second.path, describe(n.id), match.neighbour}, caption);
}

void SimilarityBrowser::setPlayback(PlaybackService* playback) {
    if (playback_) {
        disconnect(playback_, nullptr, this, nullptr);
        if (playback_->owns(this)) playback_->stop(this);
    }
    playback_ = playback;
    preview_->setPlayback(playback);
    playing_ = -1;
    comparison_->setPlayhead(-1, 0);
    if (!playback_) return;
    // The spectrograms' playhead shows this browser's own sound (a neighbour or a preview), never the player's track.
    auto mine = [this](const QObject* owner) { return owner && (owner == this || owner == preview_); };
    connect(playback_, &PlaybackService::nowPlayingChanged, this, [this, mine](QObject* owner) {
        if (mine(owner)) return;
        playing_ = -1;
        comparison_->setPlayhead(-1, 0);
    });
    connect(playback_, &PlaybackService::positionChanged, this, [this, mine](QObject* owner, double seconds) {
        if (mine(owner) && playback_->isPlaying(owner)) comparison_->setPlayhead(playing_, seconds);
    });
    connect(playback_, &PlaybackService::playingChanged, this, [this, mine](QObject* owner, bool playing) {
        if (mine(owner) && !playing) comparison_->setPlayhead(-1, 0);
    });
}

std::int64_t SimilarityBrowser::playingTrack() const {
    return playback_ && (playback_->isPlaying(this) || playback_->isPlaying(preview_)) ? playing_ : -1;
}

bool SimilarityBrowser::playTrack(std::int64_t id, double startSeconds, double durationSeconds) {
    auto t = tracks_.find(id);
    if (!playback_ || t == tracks_.end()) return false;
    if (!playback_->available()) {
        status_->setText(tr("No audio output: %1").arg(playback_->unavailableReason()));
        return false;
    }
    try {
        // Takes the output (from the player, or from a preview, which then does not give it back).
        if (!playback_->playFile(this, t->second.path, startSeconds, durationSeconds)) {
            status_->setText(tr("Cannot play %1: %2").arg(t->second.path, playback_->lastError()));
            return false;
        }
    } catch (const std::exception& e) {
        status_->setText(QString::fromStdString(e.what()));
        return false;
    }
    playing_ = id;
    status_->setText(tr("Playing %1 from %2 s").arg(describe(id)).arg(startSeconds, 0, 'f', 1));
    emit playbackStarted(id, startSeconds);
    return true;
}

bool SimilarityBrowser::playNeighbour(int row) {
    if (row < 0 || row >= int(neighbours_.size()) || !space_) return false;
    const auto id = neighbours_[std::size_t(row)].id;
    if (table_->currentRow() != row) table_->setCurrentCell(row, Track);  // shows the comparison
    const auto match = similarity::mostSimilarSegment(*space_, query_, id);
    return playTrack(id, match.startSeconds, match.durationSeconds);
}

void SimilarityBrowser::markNeighbour(int row, bool similar) {
    if (row < 0 || row >= int(neighbours_.size()) || query_ < 0) return;
    const auto id = neighbours_[std::size_t(row)].id;
    try {
        if (db_) db_->addJudgement(query_, id, similar);
    } catch (const std::exception& e) {  // a button's slot: the failure is shown, never thrown into Qt
        status_->setText(tr("Could not store the mark: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    marks_[{query_, id}] = similar;
    updateMarkCell(row);
    emit judgementStored(query_, id, similar);
}

}  // namespace sonolab::ui
