#pragma once
// Adds a folder of audio files to the library, recursively, and keeps it in step on later scans: new files are added,
// changed ones (size, mtime, then content hash) updated, vanished ones removed. Files are probed, never decoded whole.
// All database writes of one scan form a single transaction: a cancelled or failed scan changes nothing.
#include "core/library/LibraryDatabase.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::library {

struct ScanOptions {
    // Lower-case extensions (with the dot) that count as audio; other files are ignored.
    std::vector<std::string> extensions = {".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".aif", ".aiff",
                                           ".m4a", ".aac", ".wma", ".xm", ".it", ".s3m", ".mod"};
    bool readTags = true;
    unsigned threads = 0;         // probe workers; 0 = one per core
    bool removeVanished = true;   // delete tracks under the root whose file is gone
};

struct ScanProblem {
    std::string path;
    std::string reason;
};

struct ScanReport {
    std::size_t filesSeen = 0;    // audio files found under the root
    std::size_t added = 0;
    std::size_t changed = 0;      // content differs from what the library had
    std::size_t touched = 0;      // size or mtime differed but the content hash did not
    std::size_t unchanged = 0;
    std::size_t rehashed = 0;     // of the unchanged: hashed because the library had no hash (one from before schema 3)
    std::size_t vanished = 0;
    std::vector<std::string> addedPaths, changedPaths, vanishedPaths;
    std::vector<ScanProblem> unreadable;  // files and folders that could not be read, with the reason
};

// progress gets (done, total, message) and is polled for cancel (throws sonolab::Cancelled, nothing written).
// Throws sonolab::Error when root is not a readable folder.
ScanReport scanFolder(LibraryDatabase& db, const std::filesystem::path& root, const ScanOptions& options = {},
                      const Progress* progress = nullptr);

}  // namespace sonolab::library
