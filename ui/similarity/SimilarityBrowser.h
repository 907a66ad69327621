#pragma once
// Pick a track, see and hear its nearest neighbours: a neighbour list (distance, labels, your marks) beside a map of
// the collection, in one space at a time (MFCC statistics, RP+SSD, a trained model's embedding), with filters (leave
// out the query's source track or artist, only one label) and "similar / not similar" marks that the library keeps
// as siamese training pairs. A click on a neighbour plays it from its window most similar to the query; the query's
// and the neighbour's spectrograms stand one above the other with that window marked in both. On the map (coloured
// by a label set, zoom and pan) resting the pointer on a dot previews the track by ear.
// The Space box offers the handcrafted spaces and every stored run whose model embeds tracks (a classifier's
// penultimate layer, a siamese embedding). Shown for the first time on a library, the browser opens on MFCC
// statistics (built with progress when the features are not cached yet) with the player's track as the query.
// Spaces, maps, decoding and spectrograms are computed on worker threads; the view only shows them.
#include "core/library/LibraryTypes.h"
#include "core/pipeline/NeighbourLabelling.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/NeighbourIndex.h"
#include "core/similarity/RetrievalEvaluation.h"
#include "core/util/Progress.h"
#include "ui/widgets/BackgroundJob.h"

#include <QPointer>
#include <QUndoStack>  // QPointer<QUndoStack> needs the whole type
#include <QWidget>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

class CollectionMap;
class ComparisonPanel;
class HoverPreview;
class PlaybackService;

class SimilarityBrowser : public QWidget {
    Q_OBJECT
public:
    enum Column { Rank, Track, Distance, Labels, Mark, ColumnCount };

    explicit SimilarityBrowser(QWidget* parent = nullptr);
    ~SimilarityBrowser() override;

    // Tracks, labels, groups and marks come from (and marks go to) this library. Spaces built for another library,
    // or before tracks were added or removed, are dropped (a visible browser builds the current one again).
    void setLibrary(std::shared_ptr<library::LibraryDatabase> db);
    // Reads the library's runs into the Space box again (a run finished, was renamed or deleted); keeps the choice.
    void refreshSpaces();
    // The space the browser opens on when it is first shown on a library without one.
    static QString defaultSpace() { return QStringLiteral("mfcc"); }
    // The app's audio output (shared with the player; the map's hover preview goes through it too). Optional:
    // without it (or without an output device) clicks only select.
    void setPlayback(PlaybackService* playback);

    // A ready space (built elsewhere, or in tests); becomes the current one.
    void addSpace(similarity::CollectionSpace space);
    // Builds "mfcc", "rp", "rp:weighted", "run:DIR" ... from the library on a worker thread (spaceReady/spaceFailed).
    // A request for another space while one is being built supersedes it.
    void requestSpace(const QString& name);
    bool isBuilding() const;
    QString currentSpace() const;
    void setCurrentSpace(const QString& name);

    void selectTrack(std::int64_t id);
    // The library track with that file (the player's, the library panel's); false when it is not in the library.
    bool selectTrackByPath(const QString& path);
    std::int64_t selectedTrack() const { return query_; }
    std::vector<std::int64_t> neighbourIds() const;
    void setNeighbourCount(int k);
    void setExcludeSameGroup(bool on);
    void setExcludeSameArtist(bool on);
    void setLabelFilter(const QString& label);  // empty = all

    // What a click on a neighbour row does; returns false when nothing could be played.
    bool playNeighbour(int row);
    // Stores a mark for the neighbour in that row (library judgements table).
    void markNeighbour(int row, bool similar);
    // Plays any track of the library from a time (a click on a spectrogram); false when nothing could be played.
    bool playTrack(std::int64_t id, double startSeconds, double durationSeconds = -1);
    // The track this browser (or its preview) is playing now; -1 when the output plays another view's track or none.
    std::int64_t playingTrack() const;
    // Shows the query and the neighbour in that row as side-by-side spectrograms with the matched windows marked.
    void compareNeighbour(int row);
    // "Similarity marks": the query and its listed neighbours with their distances as an annotation of the query's
    // audio (core/annotations/SimilarityMarks.h; each neighbour on the query's best-matching window where the space
    // compares windows), in the format of the extension (.txt Audacity labels, .csv Sonic Visualiser, .jams). False
    // with the reason in the status line when there is no query or writing fails.
    bool exportMarks(const QString& path);
    void exportMarksWithDialog();
    // t-SNE instead of PCA for the map (computed on a worker thread).
    void setMapProjection(const QString& projection);  // "PCA" or "t-SNE"
    // The label set the map is coloured by (a library label set, or "genre tag"); multi-label sets colour each
    // track by its most specific (least common) label.
    void setColourBy(const QString& labelSet);
    QString colourBy() const { return colourBy_; }
    QStringList colourChoices() const;
    // Hover-to-preview on the map (on by default).
    void setHoverPreview(bool on);

    QTableWidget* neighbourTable() const { return table_; }
    CollectionMap* map() const { return map_; }
    ComparisonPanel* comparison() const { return comparison_; }
    HoverPreview* preview() const { return preview_; }
    QComboBox* trackPicker() const { return trackPicker_; }
    QComboBox* spacePicker() const { return spacePicker_; }
    // The space names the Space box offers, in its order ("mfcc", ..., "run:DIR").
    QStringList spaceChoices() const;
    QCheckBox* hoverPreviewToggle() const { return hoverToggle_; }
    // Under the map: precision@k of this space by the map's colours (k and the left-out group as the filters say),
    // with chance and the best possible; per colour in its tooltip. Computed on a worker; empty while none.
    QLabel* scoreLine() const { return score_; }
    bool isScoring() const { return scoreJob_.isRunning(); }
    // Labelling from neighbours: the query's k nearest tracks labelled in the set the map is coloured by vote as
    // label-by-neighbours does: by their class in a single-label set, label by label in a multi-label set (each label
    // at least half of them carry). "Label as X[, Y]" writes them to the library with their votes as the source (a
    // single-label set replaces the track's label), as one command on the undo stack. The line is empty without a
    // query, a library label set or a labelled neighbour.
    QLabel* suggestionLine() const { return suggestion_; }
    QLabel* statusLine() const { return status_; }  // what the last action did, or why it could not
    QPushButton* labelButton() const { return labelButton_; }
    QString suggestedLabel() const { return suggested_.join(", "); }
    // How many labelled neighbours vote: 5 by default, whatever the list's k. On the demo's styles (4 source-track
    // folds, every clip once) 3 and 5 voters labelled best in the pretrained space (macro-F1 0.749; 10: 0.739, 20:
    // 0.631) and in MFCC statistics (0.546, 0.532; 10: 0.399): small classes lose with many voters.
    void setSuggestionVoters(int k);
    bool labelQueryAsSuggested();  // false, with the reason in the status line, when nothing could be written
    // "Label the unlabelled…": every track without a label in the colouring set (a library set, single- or
    // multi-label) gets its voters' class or labels, in the new label set `into` (core/pipeline/NeighbourLabelling.h,
    // the vote above for each), on a worker; then the map is coloured by the new set. One undo step deletes the set
    // (redo writes it again). rule: how the neighbours vote (default: the suggestion's voters, none-of-these on).
    // False, with the reason in the status line, when it cannot start.
    bool labelUnlabelled(const QString& into, std::optional<pipeline::VoteRule> rule = std::nullopt);
    void labelUnlabelledWithDialog();  // LabelUnlabelledDialog, then the above
    bool isLabelling() const { return labelJob_.isRunning(); }
    QPushButton* labelAllButton() const { return labelAllButton_; }
    // Label edits share one history with the rest of the app (the library panel's): Ctrl+Z / Ctrl+Shift+Z in the
    // browser undo and redo on it. Without one given, the browser keeps its own.
    void setUndoStack(QUndoStack* stack);
    QUndoStack* undoStack() const { return undo_; }
    // Reads the track's labels from the library again and updates what shows them (map colours, list, score,
    // suggestion): after an undo step, or a label edit elsewhere in the app. Emits trackLabelled.
    void labelsChangedFor(std::int64_t id);
    // The same for every track (an edit whose tracks are not known, e.g. another view's undo step).
    void reloadLabels();

signals:
    void trackSelected(qint64 id);
    void neighboursChanged();
    void playbackStarted(qint64 id, double startSeconds);
    void spaceReady(const QString& name);
    void spaceFailed(const QString& name, const QString& message);
    void mapReady();
    void judgementStored(qint64 query, qint64 neighbour, bool similar);
    void trackLabelled(qint64 id, const QString& labelSet);  // written or taken back; id -1: a whole set

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct TrackInfo {
        QString title, artist, group, path, genre;
        QStringList labels;  // positive labels of every set
        std::map<QString, QStringList> labelsBySet;
        double durationSeconds = 0;
    };
    void loadTracks();
    void refreshNeighbours();
    void refreshMap();
    void mapComputed(const std::vector<float>& xy);
    void showSpaceProgress(double done, double total, const QString& text);
    void rebuildIndex();
    void fillTrackPicker();
    void fillSpacePicker();
    void dropSpaces();
    // Builds the current (or the default) space when the browser is visible, has a library and shows none.
    void openSpaceWhenShown();
    // Which tracks may be listed for the current query and filters; decided once per query, so a search that asks
    // about every track of a large collection does not look up the query and the filter widgets each time.
    // withLabelFilter = false: the group and artist filters alone (the labelling suggestion looks past the Label box).
    similarity::IdFilter neighbourFilter(bool withLabelFilter = true) const;
    // The k nearest tracks to the query that `keep` lets through (exact, HNSW or grouped distances).
    std::vector<similarity::Neighbour> nearestToQuery(std::size_t k, const similarity::IdFilter& keep) const;
    // Labelling from neighbours (SimilarityBrowserLabelling.cpp).
    void refreshSuggestion();
    // The query is more isolated from the colouring set's labelled tracks than label-by-neighbours allows.
    bool queryStandsApart() const;
    void reloadTrackLabels(std::int64_t id);
    std::optional<library::LabelKind> colourSetKind() const;  // the colouring set's kind, if a library set
    bool colourIsVotableLabelSet() const;  // the colouring set is a single- or multi-label set of the library
    QString describe(std::int64_t id) const;
    std::map<std::int64_t, QString> colourLabels(const QString& labelSet) const;
    void updateMarkCell(int row);
    void refreshScore();
    void showScore(const similarity::RetrievalReport& report, const QString& labelSet, const QString& learntFrom,
                   const QString& leftOut);

    std::shared_ptr<library::LibraryDatabase> db_;
    QPointer<PlaybackService> playback_;
    std::map<QString, std::shared_ptr<const similarity::CollectionSpace>> spaces_;
    std::shared_ptr<const similarity::CollectionSpace> space_;
    // Exact search at once; for a large collection an HNSW graph built on indexJob_ replaces it when ready.
    std::shared_ptr<const similarity::NeighbourIndex> index_;
    std::unordered_map<std::int64_t, std::size_t> rowOfId_;  // the current space's row of each track
    std::unordered_map<std::int64_t, int> pickerIndex_;     // the track picker's item of each track
    std::map<std::int64_t, TrackInfo> tracks_;
    std::map<std::pair<std::int64_t, std::int64_t>, bool> marks_;
    std::vector<similarity::Neighbour> neighbours_;
    std::int64_t query_ = -1;
    QString queryPath_;  // the file the player last asked for as the query
    QString projection_ = "PCA";
    QString colourBy_;
    std::int64_t playing_ = -1;  // the track this browser (or its preview) last started, while it has the output

    QComboBox* spacePicker_;
    QComboBox* trackPicker_;
    QComboBox* labelFilter_;
    QComboBox* projectionPicker_;
    QSpinBox* count_;
    QCheckBox* sameGroup_;
    QCheckBox* sameArtist_;
    QPushButton* similarButton_;
    QPushButton* dissimilarButton_;
    QPushButton* exportButton_;
    QComboBox* colourPicker_;
    QCheckBox* hoverToggle_;
    QTableWidget* table_;
    CollectionMap* map_;
    ComparisonPanel* comparison_;
    HoverPreview* preview_;
    QLabel* status_;
    QLabel* score_;
    QLabel* suggestion_;
    QPushButton* labelButton_;
    QPushButton* labelAllButton_;
    QStringList suggested_;            // the labels the button writes; empty when it writes nothing
    std::vector<int> suggestedVotes_;  // each one's votes
    int suggestedOf_ = 0;              // of this many voters
    int suggestionVoters_ = 5;
    // How isolated a track of the colouring set may stand from its labelled tracks, measured with the score on its
    // worker: a query beyond it is flagged "perhaps none of these", as label-by-neighbours leaves such a track.
    // Kept with what it was measured from, so a score refresh that changes none of it (a new k, a relabelled track)
    // does not measure it again.
    struct LabelledReach {
        std::shared_ptr<const similarity::CollectionSpace> space;  // the isolation's space, kept alive
        std::shared_ptr<const similarity::NeighbourIndex> index;   // the collection index it searched
        std::vector<std::size_t> labelledRows;
        std::vector<std::string> groups;  // the recording of each row, as the filters define it
        std::shared_ptr<const pipeline::LabelledIsolation> isolation;
        float reach = 0;
        QString labelSet;
        bool measures(const LabelledReach& other) const {
            return space == other.space && index == other.index && labelledRows == other.labelledRows &&
                   groups == other.groups;
        }
    };
    std::optional<LabelledReach> labelledReach_;
    QUndoStack* ownUndo_;
    QPointer<QUndoStack> undo_;  // the app's (setUndoStack) or ownUndo_
    int undoIndex_ = 0;          // undo_'s index as last seen: which step an index change was
    QProgressBar* progress_;
    QString buildingName_;
    QString wantedSpace_;  // shown once built: the default, or the one dropped when the library changed
    // Last members: their workers end before anything they report to goes.
    BackgroundJob spaceJob_;
    BackgroundJob mapJob_;
    BackgroundJob indexJob_;
    BackgroundJob scoreJob_;
    BackgroundJob labelJob_;
};

}  // namespace sonolab::ui
