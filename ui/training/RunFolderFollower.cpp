#include "ui/training/RunFolderFollower.h"

#include "core/ml/TrainingHistory.h"
#include "core/util/Error.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace sonolab::ui {
namespace {

QString curvesPath(const std::filesystem::path& folder) {
    return QString::fromStdString((folder / "curves.csv").string());
}

// The same epoch as reported before: the file was rewritten with more rows, not replaced by another run's.
bool sameEpoch(const ml::EpochReport& a, const ml::EpochReport& b) {
    return a.epoch == b.epoch && a.trainLoss == b.trainLoss && a.validationLoss == b.validationLoss;
}

}  // namespace

RunFolderFollower::RunFolderFollower(QObject* parent, RunFolderFollowerOptions options)
    : QObject(parent), options_(options), poll_(new QTimer(this)) {
    poll_->setInterval(options_.pollMilliseconds);
    connect(poll_, &QTimer::timeout, this, &RunFolderFollower::check);
}

RunFolderFollower::~RunFolderFollower() = default;

void RunFolderFollower::follow(const std::filesystem::path& folder) {
    stop();
    folder_ = folder;
    if (options_.watchFileSystem) {
        watcher_ = new QFileSystemWatcher(this);
        // The trainer replaces curves.csv by rename (AtomicFile.h): the folder's change is what announces it.
        connect(watcher_, &QFileSystemWatcher::directoryChanged, this, &RunFolderFollower::check);
        connect(watcher_, &QFileSystemWatcher::fileChanged, this, &RunFolderFollower::check);
        rewatch();
    }
    poll_->start();
    check();
}

void RunFolderFollower::stop() {
    poll_->stop();
    delete watcher_;
    watcher_ = nullptr;
    folder_.clear();
    epochs_.clear();
    lastSize_ = -1;
    lastModified_ = {};
}

void RunFolderFollower::rewatch() {
    if (!watcher_) return;
    const QString dir = QString::fromStdString(folder_.string());
    if (!watcher_->directories().contains(dir) && QFileInfo(dir).isDir()) watcher_->addPath(dir);
    const QString file = curvesPath(folder_);
    if (!watcher_->files().contains(file) && QFileInfo::exists(file)) watcher_->addPath(file);
}

void RunFolderFollower::check() {
    if (folder_.empty()) return;
    rewatch();  // the folder may have appeared, or the file been replaced, since the last look
    const QFileInfo info(curvesPath(folder_));
    if (!info.exists()) return;
    if (info.size() == lastSize_ && info.lastModified() == lastModified_) return;
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly)) return;  // being replaced: the next look will have it
    std::vector<ml::EpochReport> read;
    try {
        read = ml::readHistoryCsv(file.readAll().toStdString(), info.filePath().toStdString());
    } catch (const Error& e) {
        emit errorOccurred(QString::fromStdString(e.what()));
        return;
    }
    lastSize_ = info.size();
    lastModified_ = info.lastModified();
    bool restarted = read.size() < epochs_.size();
    for (std::size_t e = 0; e < epochs_.size() && !restarted; ++e) restarted = !sameEpoch(read[e], epochs_[e]);
    const std::size_t from = restarted ? 0 : epochs_.size();
    if (from == read.size() && !restarted) return;
    std::vector<ml::EpochReport> added(read.begin() + std::ptrdiff_t(from), read.end());
    epochs_ = std::move(read);
    emit epochsAdded(added, restarted);
}

}  // namespace sonolab::ui
