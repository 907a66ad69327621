#include "core/pipeline/SplitChoice.h"

#include "core/library/LibraryDatabase.h"
#include "core/util/Error.h"

namespace sonolab::pipeline {

std::string chooseSplit(library::LibraryDatabase& db, const std::string& requested) {
    if (!requested.empty()) return requested;
    const auto splits = db.splits();
    if (splits.size() == 1) return splits.front().name;
    if (splits.empty())
        throw fileError(db.file(), "has no split: make one with `sonolab-cli library split --db LIB --kind group`");
    std::string names;
    for (const auto& s : splits) names += (names.empty() ? "" : ", ") + s.name;
    throw fileError(db.file(), "has several splits (" + names + "): name one with --split");
}

}  // namespace sonolab::pipeline
