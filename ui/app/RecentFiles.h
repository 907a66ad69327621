#pragma once
// The File > Open Recent list, kept in QSettings (most recent first, at most kMax, missing files dropped on read).
#include <QStringList>

namespace sonolab::ui {

class RecentFiles {
public:
    static constexpr int kMax = 10;
    static QStringList list();
    static void add(const QString& path);
    static void remove(const QString& path);
    static void clear();
};

}  // namespace sonolab::ui
