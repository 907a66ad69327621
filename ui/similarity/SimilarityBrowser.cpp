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
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QTimer>
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

    auto* leftSplit = splitPanes(Qt::Vertical, {{pane({{table_, 1}, marks}), 1}, {comparison_, 1}});
    leftSplit->setChildrenCollapsible(false);
    auto* left = pane({controls, filters, {leftSplit, 1}});
    auto* right = pane({mapControls, {map_, 1}, mapHint});
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
    connect(count_, &QSpinBox::valueChanged, this, [this] { refreshNeighbours(); });
    connect(sameGroup_, &QCheckBox::toggled, this, [this] { refreshNeighbours(); });
    connect(sameArtist_, &QCheckBox::toggled, this, [this] { refreshNeighbours(); });
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
    // spaceJob_ and mapJob_ cancel and wait for their workers.
}

void SimilarityBrowser::loadTracks() {
    tracks_.clear();
    marks_.clear();
    if (!db_) return;
    for (const auto& t : db_->tracks()) {
        TrackInfo info{QString::fromStdString(t.title), QString::fromStdString(t.artist), QString::fromStdString(t.group),
                       QString::fromStdString(t.path), QString::fromStdString(t.genre), {}, {}, t.durationSeconds};
        for (const auto& l : db_->labelsOfTrack(t.id)) {
            if (l.value <= 0.5) continue;
            const QString label = QString::fromStdString(l.label);
            if (!info.labels.contains(label)) info.labels << label;
            info.labelsBySet[QString::fromStdString(l.labelSet)] << label;
        }
        tracks_[t.id] = info;
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
    trackPicker_->clear();
    for (const auto& [id, t] : tracks_) {
        if (space_ && space_->vectors.rowOf(id) < 0) continue;  // no vector in this space
        trackPicker_->addItem(describe(id), QVariant::fromValue<qlonglong>(id));
    }
    const int i = trackPicker_->findData(QVariant::fromValue<qlonglong>(query_));
    trackPicker_->setCurrentIndex(i);
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
    const int i = trackPicker_->findData(QVariant::fromValue<qlonglong>(id));
    {
        QSignalBlocker block(trackPicker_);
        trackPicker_->setCurrentIndex(i);
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

bool SimilarityBrowser::keep(std::int64_t id) const {
    if (id == query_) return false;
    auto q = tracks_.find(query_), t = tracks_.find(id);
    if (q != tracks_.end() && t != tracks_.end()) {
        if (sameGroup_->isChecked() && !q->second.group.isEmpty() && q->second.group == t->second.group) return false;
        if (sameArtist_->isChecked() && !q->second.artist.isEmpty() && q->second.artist == t->second.artist) return false;
    }
    const QString label = labelFilter_->currentData().toString();
    if (!label.isEmpty() && (t == tracks_.end() || !t->second.labels.contains(label))) return false;
    return true;
}

void SimilarityBrowser::refreshNeighbours() {
    neighbours_.clear();
    if (space_ && query_ >= 0) {
        const auto row = space_->vectors.rowOf(query_);
        if (row >= 0) {
            const auto q = space_->vectors.row(std::size_t(row));
            const auto k = std::size_t(count_->value());
            if (index_) {
                neighbours_ = index_->search(q, k, [this](std::int64_t id) { return keep(id); });
            } else if (space_->groups) {
                const auto d = similarity::groupedDistances(*space_->groups, space_->vectors, q);
                for (std::size_t r = 0; r < d.size(); ++r)
                    if (keep(space_->vectors.id(r))) neighbours_.push_back({space_->vectors.id(r), d[r]});
                std::sort(neighbours_.begin(), neighbours_.end(), [](auto& a, auto& b) { return a.distance < b.distance; });
                if (neighbours_.size() > k) neighbours_.resize(k);
            }
        }
    }
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
