#pragma once
// Puts a LabelledCollection into the library: checks it (malformed lines, duplicates, missing or unreadable audio),
// probes the audio it names, then writes tracks, groups, the label set and the data set's own split in ONE
// transaction. Any problem refuses the whole import (ImportError, nothing written) unless told to skip missing files.
#include "core/datasets/CsvImporter.h"
#include "core/datasets/FolderImporter.h"
#include "core/datasets/LabelledCollection.h"
#include "core/datasets/MtatImporter.h"
#include "core/library/LibraryDatabase.h"
#include "core/util/Progress.h"

namespace sonolab::datasets {

struct StoreOptions {
    bool replace = false;       // replace a label set of the same name (else refuse)
    bool skipMissing = false;   // import the clips whose audio exists and is readable; list the others in the report
    bool readTags = true;
    unsigned threads = 0;       // probe workers; 0 = one per core
};

// report carries what the parser found (malformed lines); it is completed and returned.
ImportReport storeCollection(library::LibraryDatabase& db, const LabelledCollection& collection, ImportReport report,
                             const StoreOptions& options = {}, const Progress* progress = nullptr);

ImportReport importMtat(library::LibraryDatabase& db, const std::filesystem::path& annotations,
                        const MtatOptions& mtat = {}, const StoreOptions& options = {}, const Progress* progress = nullptr);
ImportReport importClassFolders(library::LibraryDatabase& db, const std::filesystem::path& root,
                                const FolderOptions& folders = {}, const StoreOptions& options = {},
                                const Progress* progress = nullptr);
ImportReport importCsv(library::LibraryDatabase& db, const std::filesystem::path& file, const CsvOptions& csv = {},
                       const StoreOptions& options = {}, const Progress* progress = nullptr);

// A label set read back from the library (clips carry their track id and path), for the tag tools.
LabelledCollection loadCollection(library::LibraryDatabase& db, const std::string& labelSet);
// Stores a collection whose clips are tracks of the library already (clip.track set), e.g. a derived task.
ImportReport storeDerived(library::LibraryDatabase& db, const LabelledCollection& collection, bool replace = false);

}  // namespace sonolab::datasets
