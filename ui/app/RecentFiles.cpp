#include "ui/app/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace sonolab::ui {

namespace {
const char* kKey = "recentFiles";
}

QStringList RecentFiles::list() {
    QStringList out;
    for (const QString& path : QSettings().value(kKey).toStringList())
        if (QFileInfo::exists(path)) out << path;
    return out;
}

void RecentFiles::add(const QString& path) {
    QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = QSettings().value(kKey).toStringList();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMax) files.removeLast();
    QSettings().setValue(kKey, files);
}

void RecentFiles::remove(const QString& path) {
    QStringList files = QSettings().value(kKey).toStringList();
    files.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kKey, files);
}

void RecentFiles::clear() { QSettings().remove(kKey); }

}  // namespace sonolab::ui
