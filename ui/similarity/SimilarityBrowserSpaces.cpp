// SimilarityBrowser, part 3: the library and its spaces. The Space box lists the handcrafted spaces and every stored
// run whose model embeds tracks; a space is built on a worker thread when picked, and the browser opens on MFCC
// statistics the first time it is shown on a library.
#include "ui/similarity/SimilarityBrowser.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/LibraryPretraining.h"
#include "core/similarity/ExactIndex.h"
#include "ui/similarity/CollectionMap.h"

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QShowEvent>

#include <set>

namespace sonolab::ui {

using similarity::CollectionSpace;

namespace {

QString handcraftedLabel(const QString& name) {
    if (name == "mfcc") return QObject::tr("MFCC statistics");
    if (name == "rp") return QObject::tr("Rhythm Patterns + SSD");
    if (name == "rp:scaled") return QObject::tr("RP + SSD, scaled distance");
    if (name == "rp:weighted") return QObject::tr("RP + SSD, weighted distance");
    return name;
}

// A run yields an embedding when its folder holds a saved model: a classifier's penultimate layer or a siamese
// network's output (core/similarity's learned space). A run still training (or one that crashed) has no final model.
bool yieldsEmbedding(const library::RunRecord& run) {
    if (run.runDir.empty() || (run.status != "finished" && run.status != "stopped")) return false;
    return ml::isRunFolder(run.runDir);
}

QString runLabel(const library::RunRecord& run) {
    const QString name = QString::fromStdString(run.name);
    if (run.task.rfind("siamese:", 0) == 0) return QObject::tr("%1 (similarity run)").arg(name);
    if (run.task == pipeline::kPretrainingTask) return QObject::tr("%1 (pretrained run)").arg(name);
    return QObject::tr("%1 (classifier run)").arg(name);
}

}  // namespace

void SimilarityBrowser::setLibrary(std::shared_ptr<library::LibraryDatabase> db) {
    const bool sameLibrary = db && db == db_;
    if (!sameLibrary) ownUndo_->clear();  // its commands write to the library they were made on
    std::set<std::int64_t> before;
    for (const auto& [id, t] : tracks_) before.insert(id);
    db_ = std::move(db);
    // Called from slots (a finished import): a library that cannot be read is said here, never thrown into Qt.
    try {
        loadTracks();
    } catch (const std::exception& e) {
        status_->setText(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
    }
    std::set<std::int64_t> after;
    for (const auto& [id, t] : tracks_) after.insert(id);
    if (!sameLibrary) query_ = -1;
    // A space holds the tracks it was built from: another library, or tracks added or removed, need it built again.
    if (!sameLibrary || before != after) dropSpaces();
    if (!tracks_.count(query_) && !queryPath_.isEmpty()) {
        const QString path = queryPath_;
        selectTrackByPath(path);
    }
    fillSpacePicker();
    openSpaceWhenShown();
}

void SimilarityBrowser::dropSpaces() {
    if (spaces_.empty() && !spaceJob_.isRunning()) return;
    // What the user looked at (or was waiting for) comes back once built for these tracks.
    if (spaceJob_.isRunning()) wantedSpace_ = buildingName_;
    else if (space_) wantedSpace_ = QString::fromStdString(space_->name);
    spaceJob_.discard();
    mapJob_.discard();
    buildingName_.clear();
    progress_->setVisible(false);
    spaces_.clear();
    space_.reset();
    rebuildIndex();
    map_->setPoints({});
    fillTrackPicker();
    refreshNeighbours();
    refreshScore();
}

void SimilarityBrowser::refreshSpaces() { fillSpacePicker(); }

void SimilarityBrowser::fillSpacePicker() {
    QSignalBlocker block(spacePicker_);
    spacePicker_->clear();
    for (const auto& n : similarity::handcraftedSpaceNames()) {
        const QString name = QString::fromStdString(n);
        spacePicker_->addItem(handcraftedLabel(name), name);
    }
    try {
        if (db_)
            for (const auto& run : db_->runs())
                if (yieldsEmbedding(run)) {
                    spacePicker_->addItem(runLabel(run), QStringLiteral("run:") + QString::fromStdString(run.runDir));
                    spacePicker_->setItemData(spacePicker_->count() - 1, QString::fromStdString(run.runDir), Qt::ToolTipRole);
                }
    } catch (const std::exception& e) {
        status_->setText(tr("Could not read the library's runs: %1").arg(QString::fromUtf8(e.what())));
    }
    // Spaces given ready-made (addSpace) or built from a run no longer listed stay choosable.
    for (const auto& [name, space] : spaces_)
        if (spacePicker_->findData(name) < 0) spacePicker_->addItem(handcraftedLabel(name), name);
    const QString shown = !buildingName_.isEmpty() ? buildingName_ : space_ ? QString::fromStdString(space_->name) : wantedSpace_;
    spacePicker_->setCurrentIndex(spacePicker_->findData(shown));
}

QStringList SimilarityBrowser::spaceChoices() const {
    QStringList out;
    for (int i = 0; i < spacePicker_->count(); ++i) out << spacePicker_->itemData(i).toString();
    return out;
}

void SimilarityBrowser::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    openSpaceWhenShown();
}

void SimilarityBrowser::openSpaceWhenShown() {
    // Not before the browser is seen: building a space reads every track, work a user who never opens this tab
    // should not pay for at launch. An empty library (an import still running) waits for its tracks.
    if (!isVisible() || !db_ || space_ || spaceJob_.isRunning() || tracks_.empty()) return;
    requestSpace(wantedSpace_.isEmpty() ? defaultSpace() : wantedSpace_);
}

void SimilarityBrowser::addSpace(CollectionSpace space) {
    const QString name = QString::fromStdString(space.name);
    spaces_[name] = std::make_shared<const CollectionSpace>(std::move(space));
    {
        QSignalBlocker block(spacePicker_);
        if (spacePicker_->findData(name) < 0) spacePicker_->addItem(handcraftedLabel(name), name);
    }
    setCurrentSpace(name);
}

void SimilarityBrowser::requestSpace(const QString& name) {
    if (!db_ || name.isEmpty()) return;
    if (spaceJob_.isRunning() && buildingName_ == name) return;
    // A run that finished since the box was filled.
    if (spacePicker_->findData(name) < 0) fillSpacePicker();
    wantedSpace_.clear();
    buildingName_ = name;
    {
        QSignalBlocker block(spacePicker_);
        spacePicker_->setCurrentIndex(spacePicker_->findData(name));
    }
    progress_->setVisible(true);
    progress_->setRange(0, 0);
    status_->setText(tr("Building the space %1 (features are cached for next time)...").arg(spacePicker_->currentText()));
    // A newer request discards one still running (BackgroundJob::start): the space the user picked last wins.
    spaceJob_.start(
        [db = db_, n = name.toStdString()](const JobContext& c) {
            return std::make_shared<CollectionSpace>(similarity::buildCollectionSpace(*db, n, {}, &c.progress));
        },
        [this, name](const std::shared_ptr<CollectionSpace>& space) {
            addSpace(std::move(*space));
            emit spaceReady(name);
        });
}

void SimilarityBrowser::showSpaceProgress(double done, double total, const QString& text) {
    progress_->setRange(0, 1000);
    progress_->setValue(total > 0 ? int(1000 * done / total) : 0);
    progress_->setFormat(text + " %p%");
}

bool SimilarityBrowser::isBuilding() const {
    return spaceJob_.isRunning() || mapJob_.isRunning() || indexJob_.isRunning();
}

QString SimilarityBrowser::currentSpace() const { return space_ ? QString::fromStdString(space_->name) : QString(); }

void SimilarityBrowser::setCurrentSpace(const QString& name) {
    auto it = spaces_.find(name);
    if (it == spaces_.end()) return;
    space_ = it->second;
    {
        QSignalBlocker block(spacePicker_);
        spacePicker_->setCurrentIndex(spacePicker_->findData(name));
    }
    rebuildIndex();
    fillTrackPicker();
    if (query_ < 0 || !rowOfId_.count(query_))
        query_ = space_->vectors.empty() ? -1 : space_->vectors.id(0);
    status_->setText(tr("%1: %2 tracks, %3 dimensions%4")
                         .arg(spacePicker_->currentText())
                         .arg(space_->vectors.rows())
                         .arg(space_->vectors.dim())
                         .arg(space_->failures.empty() ? QString() : tr(", %1 tracks could not be placed").arg(space_->failures.size())));
    refreshNeighbours();
    refreshMap();
    refreshScore();
}

void SimilarityBrowser::rebuildIndex() {
    index_.reset();
    indexJob_.discard();
    rowOfId_.clear();
    if (!space_) return;
    rowOfId_.reserve(space_->vectors.rows());
    for (std::size_t r = 0; r < space_->vectors.rows(); ++r) rowOfId_[space_->vectors.id(r)] = r;
    if (space_->vectors.empty() || space_->groups) return;  // grouped distances rank the whole collection
    similarity::IndexParams params;
    params.metric = space_->metric;
    // Exact search answers at once (a few ms a query for 10^5 tracks of a few dozen dimensions). A collection large
    // enough for HNSW gets its graph built on a worker and swapped in when ready: picking a space never freezes the
    // window for the build (tens of seconds for 100k tracks on two cores).
    index_ = std::make_shared<similarity::ExactIndex>(space_->vectors, params.metric);
    if (space_->vectors.rows() < params.hnswThreshold || params.metric == similarity::Metric::Manhattan) return;
    indexJob_.start(
        [space = space_, params](const JobContext& c) {
            return std::shared_ptr<const similarity::NeighbourIndex>(similarity::buildIndex(space->vectors, params, &c.progress));
        },
        [this, space = space_](std::shared_ptr<const similarity::NeighbourIndex> built) {
            if (space == space_) index_ = std::move(built);
        });
}

}  // namespace sonolab::ui
