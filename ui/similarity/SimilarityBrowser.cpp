#include "ui/similarity/SimilarityBrowser.h"

#include "core/library/LibraryDatabase.h"
#include "core/playback/PlaybackEngine.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/Projection.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/HoverPreview.h"
#include "ui/similarity/MatchedSegments.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>

namespace sonolab::ui {

using similarity::CollectionSpace;

SimilarityBrowser::SimilarityBrowser(QWidget* parent) : QWidget(parent) {
    spacePicker_ = new QComboBox;
    spacePicker_->setObjectName("spacePicker");
    spacePicker_->setToolTip(tr("The space neighbours are searched in"));
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
    playhead_ = new QTimer(this);
    playhead_->setInterval(40);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Space")));
    controls->addWidget(spacePicker_);
    controls->addWidget(new QLabel(tr("Track")));
    controls->addWidget(trackPicker_, 1);
    auto* filters = new QHBoxLayout;
    filters->addWidget(count_);
    filters->addWidget(sameGroup_);
    filters->addWidget(sameArtist_);
    filters->addWidget(new QLabel(tr("Label")));
    filters->addWidget(labelFilter_);
    filters->addStretch(1);
    auto* marks = new QHBoxLayout;
    marks->addWidget(similarButton_);
    marks->addWidget(dissimilarButton_);
    marks->addStretch(1);
    auto* mapControls = new QHBoxLayout;
    mapControls->addWidget(new QLabel(tr("Map")));
    mapControls->addWidget(projectionPicker_);
    mapControls->addWidget(new QLabel(tr("Colour by")));
    mapControls->addWidget(colourPicker_, 1);
    mapControls->addWidget(hoverToggle_);
    auto* mapHint = new QLabel(tr("Wheel: zoom · drag: pan · double-click: fit · rest on a dot: listen · click: select"));
    mapHint->setForegroundRole(QPalette::PlaceholderText);

    auto* list = new QWidget;
    auto* listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(table_, 1);
    listLayout->addLayout(marks);
    auto* leftSplit = new QSplitter(Qt::Vertical);
    leftSplit->addWidget(list);
    leftSplit->addWidget(comparison_);
    leftSplit->setStretchFactor(0, 2);
    leftSplit->setStretchFactor(1, 3);
    leftSplit->setChildrenCollapsible(false);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(controls);
    leftLayout->addLayout(filters);
    leftLayout->addWidget(leftSplit, 1);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(mapControls);
    rightLayout->addWidget(map_, 1);
    rightLayout->addWidget(mapHint);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(progress_);
    layout->addWidget(status_);

    connect(spacePicker_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
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
        playhead_->start();
        status_->setText(tr("Previewing %1 from %2 s").arg(describe(id)).arg(start, 0, 'f', 1));
    });
    connect(preview_, &HoverPreview::previewFailed, this, [this](qint64 id, const QString& why) {
        status_->setText(tr("Cannot preview %1: %2").arg(describe(id), why));
    });
    connect(comparison_, &ComparisonPanel::playRequested, this, [this](qint64 id, double s) { playTrack(id, s); });
    connect(playhead_, &QTimer::timeout, this, [this] {
        const bool playing = engine_ && engine_->state() == playback::PlaybackState::Playing;
        comparison_->setPlayhead(playing ? playing_ : -1, playing ? engine_->positionSeconds() : 0);
        if (!playing) playhead_->stop();
    });
    connect(similarButton_, &QPushButton::clicked, this, [this] { markNeighbour(table_->currentRow(), true); });
    connect(dissimilarButton_, &QPushButton::clicked, this, [this] { markNeighbour(table_->currentRow(), false); });
    connect(map_, &CollectionMap::trackClicked, this, [this](qint64 id) { selectTrack(id); });
    connect(&spaceWatcher_, &QFutureWatcher<std::shared_ptr<CollectionSpace>>::finished, this, [this] {
        progress_->setVisible(false);
        const QString name = buildingName_;
        buildingName_.clear();
        auto space = spaceWatcher_.result();
        if (space) {
            addSpace(std::move(*space));
            emit spaceReady(name);
        } else {
            const QString why = QString::fromStdString(*buildError_);
            status_->setText(tr("Could not build the space %1: %2").arg(name, why));
            emit spaceFailed(name, why);
        }
    });
    connect(&mapWatcher_, &QFutureWatcher<std::vector<float>>::finished, this, [this] {
        progress_->setVisible(false);
        const std::vector<float> xy = mapWatcher_.result();
        // Empty: cancelled or failed; a different size: the space changed meanwhile. Keep the previous map.
        if (!space_ || xy.empty() || xy.size() != 2 * space_->vectors.rows()) return;
        std::vector<MapPoint> points;
        for (std::size_t r = 0; r < space_->vectors.rows(); ++r) {
            const auto id = space_->vectors.id(r);
            const auto it = tracks_.find(id);
            points.push_back({id, xy[2 * r], xy[2 * r + 1], QString(), describe(id),
                              it != tracks_.end() ? it->second.labels.join(", ") : QString()});
        }
        map_->setPoints(std::move(points));
        map_->setLabels(colourLabels(colourBy_), colourBy_);
        std::vector<std::int64_t> ids;
        for (const auto& n : neighbours_) ids.push_back(n.id);
        map_->setSelection(query_, ids);
        emit mapReady();
    });
}

SimilarityBrowser::~SimilarityBrowser() {
    preview_->setEnabled(false);
    cancelBuild_.cancel();
    cancelMap_.cancel();
    spaceWatcher_.waitForFinished();
    mapWatcher_.waitForFinished();
}

void SimilarityBrowser::setLibrary(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    loadTracks();
    QSignalBlocker block(spacePicker_);
    spacePicker_->clear();
    for (const auto& name : similarity::handcraftedSpaceNames()) spacePicker_->addItem(QString::fromStdString(name));
    if (db_)
        for (const auto& run : db_->runs())
            if (!run.runDir.empty() && run.status == "finished")
                spacePicker_->addItem(QString::fromStdString("run:" + run.runDir));
    for (const auto& [name, space] : spaces_)
        if (spacePicker_->findText(name) < 0) spacePicker_->addItem(name);
    spacePicker_->setCurrentIndex(-1);
}

void SimilarityBrowser::setPlaybackEngine(playback::PlaybackEngine* engine) {
    engine_ = engine;
    preview_->setEngine(engine);
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
    for (const auto& [id, t] : tracks_)
        for (const auto& l : t.labels)
            if (!labels.contains(l)) labels << l;
    labels.sort();
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

void SimilarityBrowser::addSpace(CollectionSpace space) {
    const QString name = QString::fromStdString(space.name);
    spaces_[name] = std::make_shared<const CollectionSpace>(std::move(space));
    {
        QSignalBlocker block(spacePicker_);
        if (spacePicker_->findText(name) < 0) spacePicker_->addItem(name);
    }
    setCurrentSpace(name);
}

void SimilarityBrowser::requestSpace(const QString& name) {
    if (!db_ || spaceWatcher_.isRunning()) return;
    buildingName_ = name;
    cancelBuild_ = CancelToken{};
    progress_->setVisible(true);
    progress_->setRange(0, 0);
    status_->setText(tr("Building the %1 space (features are cached for next time)...").arg(name));
    auto db = db_;
    QPointer<SimilarityBrowser> self(this);
    Progress progress;
    progress.cancel = cancelBuild_;
    progress.report = [self](double done, double total, const std::string& message) {
        QMetaObject::invokeMethod(
            self, [self, done, total, text = QString::fromStdString(message)] {
                if (!self) return;
                self->progress_->setRange(0, 1000);
                self->progress_->setValue(total > 0 ? int(1000 * done / total) : 0);
                self->progress_->setFormat(text + " %p%");
            },
            Qt::QueuedConnection);
    };
    auto error = std::make_shared<std::string>();
    buildError_ = error;
    // Errors are caught here: QtConcurrent would turn them into an anonymous QUnhandledException.
    spaceWatcher_.setFuture(QtConcurrent::run([db, progress, error, n = name.toStdString()] {
        try {
            return std::make_shared<CollectionSpace>(similarity::buildCollectionSpace(*db, n, {}, &progress));
        } catch (const Cancelled&) {
            *error = "cancelled";
        } catch (const std::exception& e) {
            *error = e.what();
        }
        return std::shared_ptr<CollectionSpace>();
    }));
}

bool SimilarityBrowser::isBuilding() const { return spaceWatcher_.isRunning() || mapWatcher_.isRunning(); }

QString SimilarityBrowser::currentSpace() const { return space_ ? QString::fromStdString(space_->name) : QString(); }

void SimilarityBrowser::setCurrentSpace(const QString& name) {
    auto it = spaces_.find(name);
    if (it == spaces_.end()) return;
    space_ = it->second;
    {
        QSignalBlocker block(spacePicker_);
        spacePicker_->setCurrentText(name);
    }
    rebuildIndex();
    fillTrackPicker();
    if (query_ < 0 || space_->vectors.rowOf(query_) < 0)
        query_ = space_->vectors.empty() ? -1 : space_->vectors.id(0);
    status_->setText(tr("%1: %2 tracks, %3 dimensions%4")
                         .arg(name)
                         .arg(space_->vectors.rows())
                         .arg(space_->vectors.dim())
                         .arg(space_->failures.empty() ? QString() : tr(", %1 tracks could not be placed").arg(space_->failures.size())));
    refreshNeighbours();
    refreshMap();
}

void SimilarityBrowser::rebuildIndex() {
    index_.reset();
    if (!space_ || space_->vectors.empty() || space_->groups) return;  // grouped distances rank the whole collection
    similarity::IndexParams params;
    params.metric = space_->metric;
    index_ = similarity::buildIndex(space_->vectors, params);
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
        return;
    }
    const auto& n = neighbours_[std::size_t(row)];
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

bool SimilarityBrowser::playTrack(std::int64_t id, double startSeconds, double durationSeconds) {
    auto t = tracks_.find(id);
    if (!engine_ || t == tracks_.end()) return false;
    if (!engine_->available()) {
        status_->setText(tr("No audio output: %1").arg(QString::fromStdString(engine_->unavailableReason())));
        return false;
    }
    preview_->stop();
    try {
        if (!engine_->loadFile(t->second.path.toStdString())) {
            status_->setText(tr("Cannot play %1: %2").arg(t->second.path, QString::fromStdString(engine_->lastError())));
            return false;
        }
    } catch (const std::exception& e) {
        status_->setText(QString::fromStdString(e.what()));
        return false;
    }
    engine_->playSegment(startSeconds, durationSeconds);
    playing_ = id;
    playhead_->start();
    status_->setText(tr("Playing %1 from %2 s").arg(describe(id)).arg(startSeconds, 0, 'f', 1));
    emit playbackStarted(id, startSeconds);
    return true;
}

QStringList SimilarityBrowser::colourChoices() const {
    QStringList out;
    for (int i = 0; i < colourPicker_->count(); ++i) out << colourPicker_->itemText(i);
    return out;
}

void SimilarityBrowser::setColourBy(const QString& labelSet) {
    colourBy_ = labelSet;
    {
        QSignalBlocker block(colourPicker_);
        colourPicker_->setCurrentText(labelSet);
    }
    map_->setLabels(colourLabels(labelSet), labelSet);
}

std::map<std::int64_t, QString> SimilarityBrowser::colourLabels(const QString& labelSet) const {
    std::map<std::int64_t, QString> out;
    if (labelSet == tr("genre tag")) {
        for (const auto& [id, t] : tracks_)
            if (!t.genre.isEmpty()) out[id] = t.genre;
        return out;
    }
    // Multi-label sets: the least common of a track's labels says most about it ("rock" rather than "music").
    std::map<QString, int> counts;
    for (const auto& [id, t] : tracks_)
        if (auto it = t.labelsBySet.find(labelSet); it != t.labelsBySet.end())
            for (const auto& l : it->second) ++counts[l];
    for (const auto& [id, t] : tracks_) {
        auto it = t.labelsBySet.find(labelSet);
        if (it == t.labelsBySet.end() || it->second.isEmpty()) continue;
        QString best = it->second.front();
        for (const auto& l : it->second)
            if (counts[l] < counts[best] || (counts[l] == counts[best] && l < best)) best = l;
        out[id] = best;
    }
    return out;
}

void SimilarityBrowser::setHoverPreview(bool on) { hoverToggle_->setChecked(on); }

std::vector<std::int64_t> SimilarityBrowser::neighbourIds() const {
    std::vector<std::int64_t> ids;
    for (const auto& n : neighbours_) ids.push_back(n.id);
    return ids;
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
    if (db_) db_->addJudgement(query_, id, similar);
    marks_[{query_, id}] = similar;
    updateMarkCell(row);
    emit judgementStored(query_, id, similar);
}

void SimilarityBrowser::setMapProjection(const QString& projection) {
    projection_ = projection;
    {
        QSignalBlocker block(projectionPicker_);
        projectionPicker_->setCurrentText(projection);
    }
    refreshMap();
}

void SimilarityBrowser::refreshMap() {
    if (!space_) return;
    cancelMap_.cancel();
    mapWatcher_.waitForFinished();
    cancelMap_ = CancelToken{};
    auto space = space_;
    const bool tsne = projection_ == "t-SNE";
    Progress progress;
    progress.cancel = cancelMap_;
    QPointer<SimilarityBrowser> self(this);
    if (tsne) {
        progress_->setVisible(true);
        progress_->setRange(0, 1000);
        progress.report = [self](double done, double total, const std::string&) {
            QMetaObject::invokeMethod(
                self, [self, done, total] {
                    if (self) {
                        self->progress_->setValue(total > 0 ? int(1000 * done / total) : 0);
                        self->progress_->setFormat(tr("t-SNE %p%"));
                    }
                },
                Qt::QueuedConnection);
        };
    }
    mapWatcher_.setFuture(QtConcurrent::run([space, tsne, progress] {
        std::vector<similarity::Point2> points;
        try {
            points = tsne ? similarity::tsne2d(space->vectors, {}, &progress) : similarity::pca2d(space->vectors);
        } catch (const std::exception&) {
            return std::vector<float>();
        }
        std::vector<float> xy;
        for (const auto& p : points) {
            xy.push_back(p.x);
            xy.push_back(p.y);
        }
        return xy;
    }));
}

}  // namespace sonolab::ui
