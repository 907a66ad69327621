#include "ui/similarity/SimilarityBrowser.h"

#include "core/library/LibraryDatabase.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/Projection.h"
#include "ui/playback/PlaybackService.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/HoverPreview.h"
#include "ui/similarity/MatchedSegments.h"
#include "ui/widgets/FlowLayout.h"
#include "ui/widgets/Panes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QShortcut>
#include <QStyle>
#include <QTableWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

using similarity::CollectionSpace;

SimilarityBrowser::SimilarityBrowser(QWidget* parent) : QWidget(parent) {
    spacePicker_ = new QComboBox;
    spacePicker_->setObjectName("spacePicker");
    spacePicker_->setToolTip(tr("The space neighbours are searched in: handcrafted features, or a trained run's embedding"));
    // Run names can be long: the box stays narrow and its list shows them whole.
    spacePicker_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    spacePicker_->setMinimumContentsLength(18);
    trackPicker_ = new QComboBox;
    trackPicker_->setObjectName("trackPicker");
    trackPicker_->setEditable(true);  // type to find a track
    trackPicker_->setInsertPolicy(QComboBox::NoInsert);
    trackPicker_->setMinimumContentsLength(28);
    trackPicker_->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    trackPicker_->completer()->setModelSorting(QCompleter::CaseInsensitivelySortedModel);  // see fillTrackPicker
    labelFilter_ = new QComboBox;
    labelFilter_->setObjectName("labelFilter");
    projectionPicker_ = new QComboBox;
    projectionPicker_->addItems({"PCA", "t-SNE"});
    count_ = new QSpinBox;
    count_->setRange(1, 100);
    count_->setValue(10);
    count_->setPrefix(tr("k = "));
    sameGroup_ = new QCheckBox(tr("Leave out same source track"));
    sameGroup_->setChecked(true);
    sameArtist_ = new QCheckBox(tr("Leave out same artist"));
    similarButton_ = new QPushButton(tr("Similar"));
    similarButton_->setToolTip(tr("Mark the selected neighbour as similar to the query (a siamese training pair)"));
    dissimilarButton_ = new QPushButton(tr("Not similar"));
    exportButton_ = new QPushButton(tr("Export Marks…"));
    exportButton_->setToolTip(tr("Write the query and its neighbours with distances as labels of the query's audio "
                                 "(Audacity, Sonic Visualiser, JAMS)"));
    colourPicker_ = new QComboBox;
    colourPicker_->setObjectName("colourBy");
    colourPicker_->setToolTip(tr("The label set that colours the map"));
    hoverToggle_ = new QCheckBox(tr("Preview on hover"));
    hoverToggle_->setObjectName("hoverPreview");
    hoverToggle_->setChecked(true);
    hoverToggle_->setToolTip(tr("Rest the pointer on a dot to hear a few quiet seconds of that track"));
    status_ = new QLabel;
    status_->setWordWrap(true);
    progress_ = new QProgressBar;
    progress_->setVisible(false);
    progress_->setMaximumHeight(14);

    table_ = new QTableWidget(0, ColumnCount);
    table_->setObjectName("neighbourTable");
    table_->setHorizontalHeaderLabels({"#", tr("Track"), tr("Distance"), tr("Labels"), tr("Mark")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(Track, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(Rank, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(Distance, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(Mark, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->resizeSection(Labels, 190);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideRight);
    table_->setToolTip(tr("Click a neighbour to hear it from where it sounds most like the query"));
    map_ = new CollectionMap;
    map_->setObjectName("collectionMap");
    comparison_ = new ComparisonPanel;
    comparison_->setObjectName("comparison");
    preview_ = new HoverPreview(this);
    preview_->setResolver([this](std::int64_t id) {
        HoverPreview::Source source;
        auto t = tracks_.find(id);
        if (t == tracks_.end()) return source;
        source.path = t->second.path;
        // From the window most like the whole track; without windows, a third of the way in (past most intros).
        const auto band = space_ ? representativeSegment(*space_, id) : std::nullopt;
        source.startSeconds = band ? band->startSeconds : t->second.durationSeconds / 3;
        return source;
    });

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Space")));
    controls->addWidget(spacePicker_);
    controls->addWidget(new QLabel(tr("Track")));
    controls->addWidget(trackPicker_, 1);
    auto* filters = new FlowLayout;
    filters->addWidget(count_);
    filters->addWidget(sameGroup_);
    filters->addWidget(sameArtist_);
    filters->addGroup(tr("Label"), {labelFilter_});
    suggestion_ = new QLabel;
    suggestion_->setObjectName("labelSuggestion");
    suggestion_->setWordWrap(true);
    labelButton_ = new QPushButton;
    labelButton_->setObjectName("labelAsSuggested");
    labelButton_->setVisible(false);
    ownUndo_ = new QUndoStack(this);
    setUndoStack(nullptr);
    for (const auto& [keys, step] : {std::pair{QKeySequence::Undo, &QUndoStack::undo}, std::pair{QKeySequence::Redo, &QUndoStack::redo}}) {
        auto* shortcut = new QShortcut(keys, this, this, [this, step] {
            if (undo_) (undo_.data()->*step)();
        });
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    }
    labelAllButton_ = new QPushButton(tr("Label the Unlabelled…"));
    labelAllButton_->setObjectName("labelUnlabelled");
    labelAllButton_->setToolTip(tr("Give every track without a label in the colouring set the vote of its nearest "
                                   "labelled tracks, in a new label set (the map is then coloured by it; Ctrl+Z "
                                   "deletes it). In a multi-label set, each label half of them carry; tracks "
                                   "unlike every labelled one are left out."));
    auto* suggestionRow = new QHBoxLayout;
    suggestionRow->addWidget(suggestion_, 1);
    suggestionRow->addWidget(labelButton_);
    suggestionRow->addWidget(labelAllButton_);
    auto* marks = new QHBoxLayout;
    marks->addWidget(similarButton_);
    marks->addWidget(dissimilarButton_);
    marks->addStretch(1);
    marks->addWidget(exportButton_);
    // Wraps in a narrow window rather than widening it.
    auto* mapControls = new FlowLayout;
    mapControls->addWidget(new QLabel(tr("Map")));
    mapControls->addWidget(projectionPicker_);
    mapControls->addWidget(new QLabel(tr("Colour by")));
    mapControls->addWidget(colourPicker_);
    mapControls->addWidget(hoverToggle_);
    colourPicker_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    colourPicker_->setMinimumContentsLength(12);
    auto* mapHint = new QLabel(tr("Wheel: zoom · drag: pan · double-click: fit · rest on a dot: listen · click: select"));
    mapHint->setForegroundRole(QPalette::PlaceholderText);
    mapHint->setWordWrap(true);  // a second line rather than a wider window

    auto* leftSplit = splitPanes(Qt::Vertical, {{pane({{table_, 1}, marks, suggestionRow}), 1}, {comparison_, 1}});
    leftSplit->setChildrenCollapsible(false);
    auto* left = pane({controls, filters, {leftSplit, 1}});
    score_ = new QLabel;
    score_->setObjectName("spaceScore");
    score_->setWordWrap(true);
    score_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // the figure can be copied into notes
    auto* right = pane({mapControls, {map_, 1}, mapHint, score_});
    auto* splitter = splitPanes(Qt::Horizontal, {{left, 1}, {right, 1}});
    splitter->setObjectName("mainSplitter");
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(progress_);
    layout->addWidget(status_);

    connect(spacePicker_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const QString name = spacePicker_->itemData(i).toString();
        if (spaces_.count(name)) setCurrentSpace(name);
        else if (!name.isEmpty() && db_) requestSpace(name);
    });
    connect(trackPicker_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i >= 0) selectTrack(trackPicker_->itemData(i).toLongLong());
    });
    // The score under the map follows k and the left-out group too.
    for (auto* box : {sameGroup_, sameArtist_})
        connect(box, &QCheckBox::toggled, this, [this] {
            refreshNeighbours();
            refreshScore();
        });
    connect(count_, &QSpinBox::valueChanged, this, [this] {
        refreshNeighbours();
        refreshScore();
    });
    connect(labelFilter_, &QComboBox::currentTextChanged, this, [this] { refreshNeighbours(); });
    connect(projectionPicker_, &QComboBox::currentTextChanged, this, [this](const QString& p) { setMapProjection(p); });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) { playNeighbour(row); });
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row, int, int previous, int) {
        if (row != previous) compareNeighbour(row);
    });
    connect(colourPicker_, &QComboBox::currentTextChanged, this, [this](const QString& set) { setColourBy(set); });
    connect(hoverToggle_, &QCheckBox::toggled, preview_, &HoverPreview::setEnabled);
    connect(map_, &CollectionMap::trackHovered, preview_, &HoverPreview::hover);
    connect(preview_, &HoverPreview::previewStarted, this, [this](qint64 id, double start) {
        playing_ = id;
        status_->setText(tr("Previewing %1 from %2 s").arg(describe(id)).arg(start, 0, 'f', 1));
    });
    connect(preview_, &HoverPreview::previewFailed, this, [this](qint64 id, const QString& why) {
        status_->setText(tr("Cannot preview %1: %2").arg(describe(id), why));
    });
    connect(comparison_, &ComparisonPanel::playRequested, this, [this](qint64 id, double s) { playTrack(id, s); });
    connect(similarButton_, &QPushButton::clicked, this, [this] { markNeighbour(table_->currentRow(), true); });
    connect(dissimilarButton_, &QPushButton::clicked, this, [this] { markNeighbour(table_->currentRow(), false); });
    connect(exportButton_, &QPushButton::clicked, this, &SimilarityBrowser::exportMarksWithDialog);
    connect(labelButton_, &QPushButton::clicked, this, [this] { labelQueryAsSuggested(); });
    connect(labelAllButton_, &QPushButton::clicked, this, &SimilarityBrowser::labelUnlabelledWithDialog);
    connect(&labelJob_, &BackgroundJob::progress, this, &SimilarityBrowser::showSpaceProgress);
    connect(&labelJob_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        progress_->setVisible(false);
        if (end == JobEnd::Failed) status_->setText(tr("Nothing labelled: %1").arg(error));
        refreshSuggestion();  // the button again
    });
    connect(map_, &CollectionMap::trackClicked, this, [this](qint64 id) { selectTrack(id); });
    connect(&spaceJob_, &BackgroundJob::progress, this, &SimilarityBrowser::showSpaceProgress);
    // A built space arrives through requestSpace()'s onResult; these ends never produced one.
    connect(&spaceJob_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        progress_->setVisible(false);
        const QString name = std::exchange(buildingName_, QString());
        if (end == JobEnd::Finished) return;
        const QString why = end == JobEnd::Cancelled ? tr("cancelled") : error;
        status_->setText(tr("Could not build the space %1: %2").arg(name, why));
        emit spaceFailed(name, why);
    });
    connect(&mapJob_, &BackgroundJob::progress, this, [this](double done, double total) {
        progress_->setValue(total > 0 ? int(1000 * done / total) : 0);
        progress_->setFormat(tr("t-SNE %p%"));
    });
    // Cancelled or failed: the previous map stays.
    connect(&mapJob_, &BackgroundJob::finished, this, [this] { progress_->setVisible(false); });
}

SimilarityBrowser::~SimilarityBrowser() {
    setPlayback(nullptr);  // stops what this browser plays; the preview gives the output back
    preview_->setEnabled(false);
    // The own undo stack, a child, clears itself when QWidget deletes it, after this class's members are gone: no
    // index change may reach reloadLabels() then (nor from the app's stack, which outlives the browser anyway).
    if (undo_) disconnect(undo_, nullptr, this, nullptr);
    // spaceJob_ and mapJob_ cancel and wait for their workers.
}

void SimilarityBrowser::loadTracks() {
    tracks_.clear();
    marks_.clear();
    if (!db_) return;
    for (const auto& t : db_->tracks())
        tracks_[t.id] = {QString::fromStdString(t.title), QString::fromStdString(t.artist), QString::fromStdString(t.group),
                         QString::fromStdString(t.path),  QString::fromStdString(t.genre),  {}, {}, t.durationSeconds};
    // One query per label set, not one per track: reading 100k tracks' labels one by one took seconds.
    for (const auto& set : db_->labelSets()) {
        const QString setName = QString::fromStdString(set.name);
        for (const auto& [id, positives] : db_->positiveLabels(set.name)) {
            const auto t = tracks_.find(id);
            if (t == tracks_.end()) continue;
            for (const auto& l : positives) {
                const QString label = QString::fromStdString(l);
                if (!t->second.labels.contains(label)) t->second.labels << label;
                t->second.labelsBySet[setName] << label;
            }
        }
    }
    for (const auto& j : db_->judgements()) marks_[{j.query, j.neighbour}] = j.similar;
    QStringList labels;
    std::map<QString, int> counts;
    for (const auto& [id, t] : tracks_)
        for (const auto& l : t.labels)
            if (!counts[l]++) labels << l;
    labels.sort();
    // Most specific label first, so a narrow column still shows "rock" rather than "music".
    for (auto& [id, t] : tracks_)
        std::stable_sort(t.labels.begin(), t.labels.end(), [&](const QString& a, const QString& b) { return counts[a] < counts[b]; });
    QSignalBlocker block(labelFilter_);
    labelFilter_->clear();
    labelFilter_->addItem(tr("(any)"), QString());
    for (const auto& l : labels) labelFilter_->addItem(l, l);
    QStringList sets;
    for (const auto& set : db_->labelSets()) sets << QString::fromStdString(set.name);
    if (std::any_of(tracks_.begin(), tracks_.end(), [](const auto& t) { return !t.second.genre.isEmpty(); }))
        sets << tr("genre tag");
    {
        QSignalBlocker blockColours(colourPicker_);
        colourPicker_->clear();
        colourPicker_->addItems(sets);
        const int keep = colourPicker_->findText(colourBy_);
        colourPicker_->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    setColourBy(colourPicker_->currentText());
    fillTrackPicker();
}

void SimilarityBrowser::fillTrackPicker() {
    QSignalBlocker block(trackPicker_);
    pickerIndex_.clear();
    // Sorted by name, case-insensitively, and the completer told so: each programmatic selection (every query) passes
    // through the completer, which then finds its prefix by binary search instead of scanning 100k items (~15 ms).
    std::vector<std::pair<QString, std::int64_t>> items;
    for (const auto& [id, t] : tracks_)
        if (!space_ || rowOfId_.count(id)) items.emplace_back(describe(id), id);  // else: no vector in this space
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        const int c = a.first.compare(b.first, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a.second < b.second;
    });
    // One insertion of all rows: 100k addItem() calls each notified the view and the completer (seconds).
    QList<QStandardItem*> rows;
    rows.reserve(qsizetype(items.size()));
    for (const auto& [name, id] : items) {
        pickerIndex_[id] = int(rows.size());
        auto* row = new QStandardItem(name);  // owned by the model
        row->setData(QVariant::fromValue<qlonglong>(id), Qt::UserRole);
        rows.append(row);
    }
    auto* model = new QStandardItemModel(trackPicker_);  // setModel() deletes the previous one, the picker's own
    if (!rows.isEmpty()) model->appendColumn(rows);
    trackPicker_->setModel(model);
    const auto it = pickerIndex_.find(query_);
    trackPicker_->setCurrentIndex(it == pickerIndex_.end() ? -1 : it->second);
}

QString SimilarityBrowser::describe(std::int64_t id) const {
    auto it = tracks_.find(id);
    if (it == tracks_.end()) return tr("track %1").arg(id);
    const auto& t = it->second;
    if (!t.title.isEmpty()) return t.artist.isEmpty() ? t.title : t.artist + " – " + t.title;
    return QFileInfo(t.path).fileName();
}

void SimilarityBrowser::selectTrack(std::int64_t id) {
    query_ = id;
    {
        const auto it = pickerIndex_.find(id);
        QSignalBlocker block(trackPicker_);
        trackPicker_->setCurrentIndex(it == pickerIndex_.end() ? -1 : it->second);
    }
    refreshNeighbours();
    emit trackSelected(id);
}

bool SimilarityBrowser::selectTrackByPath(const QString& path) {
    queryPath_ = path;  // asked again when the library changes (the track may arrive with an import)
    const QString wanted = QFileInfo(path).absoluteFilePath();
    for (const auto& [id, t] : tracks_)
        if (t.path == path || QFileInfo(t.path).absoluteFilePath() == wanted) {
            selectTrack(id);
            return true;
        }
    return false;
}

void SimilarityBrowser::setNeighbourCount(int k) { count_->setValue(k); }
void SimilarityBrowser::setExcludeSameGroup(bool on) { sameGroup_->setChecked(on); }
void SimilarityBrowser::setExcludeSameArtist(bool on) { sameArtist_->setChecked(on); }
void SimilarityBrowser::setLabelFilter(const QString& label) {
    const int i = labelFilter_->findData(label);
    labelFilter_->setCurrentIndex(i < 0 ? 0 : i);
}

similarity::IdFilter SimilarityBrowser::neighbourFilter(bool withLabelFilter) const {
    const std::int64_t self = query_;
    const auto q = tracks_.find(query_);
    const TrackInfo* query = q == tracks_.end() ? nullptr : &q->second;
    const bool otherGroup = query && sameGroup_->isChecked() && !query->group.isEmpty();
    const bool otherArtist = query && sameArtist_->isChecked() && !query->artist.isEmpty();
    const QString label = withLabelFilter ? labelFilter_->currentData().toString() : QString();
    if (!otherGroup && !otherArtist && label.isEmpty()) return [self](std::int64_t id) { return id != self; };
    return [this, self, query, otherGroup, otherArtist, label](std::int64_t id) {
        if (id == self) return false;
        const auto t = tracks_.find(id);
        if (t == tracks_.end()) return label.isEmpty();
        if (otherGroup && query->group == t->second.group) return false;
        if (otherArtist && query->artist == t->second.artist) return false;
        return label.isEmpty() || t->second.labels.contains(label);
    };
}

std::vector<similarity::Neighbour> SimilarityBrowser::nearestToQuery(std::size_t k, const similarity::IdFilter& keep) const {
    std::vector<similarity::Neighbour> out;
    if (!space_ || query_ < 0) return out;
    const auto row = rowOfId_.find(query_);
    if (row == rowOfId_.end()) return out;
    const auto q = space_->vectors.row(row->second);
    if (index_) return index_->search(q, k, keep);
    if (!space_->groups) return out;
    const auto d = similarity::groupedDistances(*space_->groups, space_->vectors, q);
    for (std::size_t r = 0; r < d.size(); ++r)
        if (keep(space_->vectors.id(r))) out.push_back({space_->vectors.id(r), d[r]});
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.distance < b.distance; });
    if (out.size() > k) out.resize(k);
    return out;
}

void SimilarityBrowser::refreshNeighbours() {
    neighbours_ = nearestToQuery(std::size_t(count_->value()), neighbourFilter());
    refreshSuggestion();
    table_->setRowCount(int(neighbours_.size()));
    for (int i = 0; i < int(neighbours_.size()); ++i) {
        const auto& n = neighbours_[std::size_t(i)];
        auto t = tracks_.find(n.id);
        auto set = [&](int column, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(n.id));
            table_->setItem(i, column, item);
        };
        set(Rank, QString::number(i + 1));
        set(Track, describe(n.id));
        set(Distance, QString::number(n.distance, 'f', 3));
        set(Labels, t == tracks_.end() ? QString() : t->second.labels.join(", "));
        table_->item(i, Labels)->setToolTip(table_->item(i, Labels)->text());
        set(Mark, QString());
        updateMarkCell(i);
    }
    std::vector<std::int64_t> ids;
    for (const auto& n : neighbours_) ids.push_back(n.id);
    map_->setSelection(query_, ids);
    // The nearest neighbour is compared at once (selecting a row does not play it; a click does).
    {
        QSignalBlocker block(table_);
        table_->setCurrentCell(neighbours_.empty() ? -1 : 0, Track);
    }
    compareNeighbour(neighbours_.empty() ? -1 : 0);
    emit neighboursChanged();
}

void SimilarityBrowser::setHoverPreview(bool on) { hoverToggle_->setChecked(on); }

std::vector<std::int64_t> SimilarityBrowser::neighbourIds() const {
    std::vector<std::int64_t> ids;
    for (const auto& n : neighbours_) ids.push_back(n.id);
    return ids;
}

}  // namespace sonolab::ui
