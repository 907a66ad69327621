#pragma once
// Follows a run folder that another process writes (`sonolab-cli train` on this machine, a torchrun job on a cluster
// writing to a shared file system, or a folder copied back from time to time): whenever its curves.csv changes, the
// epochs it holds are read again and the new ones reported. QFileSystemWatcher reacts at once where the kernel tells
// about changes; a poll of the file's size and time catches what it misses (network file systems such as NFS or SMB
// do not report changes made on other machines, and a file replaced by rename drops out of the watch).
// Lives on the GUI thread; every signal comes from it.
#include "core/ml/TrainingObserver.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <filesystem>
#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace sonolab::ui {

struct RunFolderFollowerOptions {
    int pollMilliseconds = 2000;  // the fallback: cheap (one stat), and curves change once per epoch
    bool watchFileSystem = true;  // false: poll only (tests of the fallback)
};

class RunFolderFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFolderFollower(QObject* parent = nullptr, RunFolderFollowerOptions options = {});
    ~RunFolderFollower() override;

    // Starts following `folder` (it may not hold curves.csv yet): reports the epochs already there, then new ones.
    void follow(const std::filesystem::path& folder);
    void stop();
    const std::filesystem::path& folder() const { return folder_; }
    const std::vector<ml::EpochReport>& epochs() const { return epochs_; }
    // Reads curves.csv now if it changed (the watcher and the poll call this).
    void check();

signals:
    // Epochs not reported before, in order. `restarted`: the file no longer begins with what was reported (a new run
    // in the same folder), so the receiver should clear what it shows first.
    void epochsAdded(const std::vector<sonolab::ml::EpochReport>& epochs, bool restarted);
    // curves.csv could not be read (e.g. damaged); following goes on.
    void errorOccurred(const QString& message);

private:
    void rewatch();

    RunFolderFollowerOptions options_;
    std::filesystem::path folder_;
    QFileSystemWatcher* watcher_ = nullptr;
    QTimer* poll_;
    std::vector<ml::EpochReport> epochs_;
    qint64 lastSize_ = -1;
    QDateTime lastModified_;
};

}  // namespace sonolab::ui
