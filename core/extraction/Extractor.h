#pragma once
// Decode -> compute -> feature cache, for one file or a whole collection on N threads.
// Each file is keyed by the hash of its bytes (util/ContentHash.h) and the FeatureSpec, so a rerun skips what is
// cached (resume), a renamed file is still a hit, and an edited file is recomputed. A caller that knows a file's hash
// (the library stores it per track) passes it in an ExtractionItem: a cached entry is then served without opening the
// file, so training over a library reads no audio whose features are cached. A file that cannot be read or
// decoded is reported by name and skipped; the run goes on. Cancelling (Progress::cancel) stops after the files in
// flight; entries already written stay valid (atomic writes), so the next run resumes where this one stopped.
// With a Shard in the options, a run computes only the files whose key falls in its slice: N runs at once (processes,
// machines) fill one cache, each file computed by exactly one of them.
#include "core/extraction/Shard.h"
#include "core/features/FeatureCache.h"
#include "core/features/FeatureSpec.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::extraction {

struct ExtractionOptions {
    int threads = 0;  // 0 = all cores (std::thread::hardware_concurrency)
    Shard shard;      // default: the whole collection
};

struct ExtractionItem {
    std::filesystem::path file;
    std::optional<std::uint64_t> contentHash;  // the file's util/ContentHash when known; else the file is hashed

    // The feature-cache key: the known hash, or the file's bytes hashed now.
    std::uint64_t cacheKey() const;
};

struct FileFailure {
    std::filesystem::path file;
    std::string error;
};

struct ExtractionReport {
    std::size_t total = 0;
    std::size_t computed = 0;
    std::size_t skipped = 0;  // already cached
    std::size_t failed = 0;
    std::size_t otherShards = 0;  // left to the other slices (ExtractionOptions::shard)
    std::vector<FileFailure> failures;
    std::vector<std::filesystem::path> computedFiles;  // sorted: what this run wrote (a shard's own share)
    double wallSeconds = 0;
    double audioSeconds = 0;  // duration of the audio decoded and computed in this run
    bool cancelled = false;
};

class Extractor {
public:
    Extractor(features::FeatureCache cache, features::FeatureSpec spec);

    const features::FeatureSpec& spec() const { return spec_; }
    const features::FeatureCache& cache() const { return cache_; }

    // The cached entry for this file, computing and storing it first when needed. Throws Error naming the file.
    Matrix extract(const ExtractionItem& item) const;
    Matrix extract(const std::filesystem::path& file) const { return extract(ExtractionItem{file}); }
    bool isCached(const std::filesystem::path& file) const;

    // Every item, on options.threads threads. progress (optional) receives (files done, total, message) from the
    // worker threads, one call at a time; its cancel token is polled between files and inside decoding.
    ExtractionReport run(const std::vector<ExtractionItem>& items, const ExtractionOptions& options = {},
                         const Progress* progress = nullptr) const;
    ExtractionReport run(const std::vector<std::filesystem::path>& files, const ExtractionOptions& options = {},
                         const Progress* progress = nullptr) const;

    // Audio files under the given files/folders (folders recursively, by extension), sorted, duplicates removed.
    static std::vector<std::filesystem::path> collectAudioFiles(const std::vector<std::filesystem::path>& inputs);
    static bool looksLikeAudio(const std::filesystem::path& file);

private:
    features::FeatureCache cache_;
    features::FeatureSpec spec_;
};

}  // namespace sonolab::extraction
