// Opening a damaged library database (a library on a network drive, a file a colleague shared, a disk that failed):
// open it the way the programs do, then read everything the library panel, the dashboard and the similarity browser
// read. SQLite checks its own format; this target is about Sonolab's schema checks, upgrades and row readers.
#include "core/library/LibraryDatabase.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const auto file = fuzz::inputFile("library.sqlite", data, size);
    // The write-ahead log of a previous input must not be replayed into this one.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(file.string() + suffix);
    try {
        library::LibraryDatabase db(file);
        db.schemaVersion();
        for (const auto& t : db.tracks()) db.labelsOfTrack(t.id);
        db.trackCount();
        db.groups();
        for (const auto& set : db.labelSets()) {
            db.positiveLabels(set.name);
            db.labelCounts(set.name);
        }
        for (const auto& s : db.splits()) db.split(s.name);
        for (const auto& r : db.runs()) db.runPoints(r.id);
        db.judgements();
    } catch (const Error&) {
    }
    return 0;
}
