#pragma once
// Everything the library stores about one audio file, read without decoding it: size, mtime, content hash,
// the decoder's probe (format, duration, rate, channels) and the file's tags. Used by the scanner and the importers.
#include "core/library/LibraryTypes.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::library {

struct ProbeOptions {
    bool readTags = true;
    unsigned threads = 0;  // 0 = one per core
};

struct ProbedFile {
    TrackRecord record;  // id 0; path = the absolute, normalised path
    std::string error;   // not empty when the file could not be read: the reason, and record is incomplete
    bool ok() const { return error.empty(); }
};

// Normalised absolute form used as a track's path everywhere in the library.
std::string libraryPath(const std::filesystem::path& file);
// File modification time as stored in TrackRecord::mtime; 0 when unavailable.
std::int64_t fileMtime(const std::filesystem::path& file);

// The track's content hash (the feature-cache key) without reading the file when the library's is current: the stored
// hash when the file's size and mtime still match the record, or when the file cannot be reached (features cached
// under that hash still serve it); otherwise (edited since the last scan, or not hashed yet) the file is hashed now.
// Throws sonolab::Error naming the file when it must be hashed and cannot be read.
std::uint64_t currentContentHash(const TrackRecord& track);

ProbedFile probeFile(const std::filesystem::path& file, const ProbeOptions& options = {});

// Probes many files on worker threads; results in input order. progress (optional) gets (done, total, "probing")
// from the calling thread and is polled for cancel (throws sonolab::Cancelled after the workers stop).
std::vector<ProbedFile> probeFiles(const std::vector<std::filesystem::path>& files, const ProbeOptions& options = {},
                                   const Progress* progress = nullptr);

}  // namespace sonolab::library
