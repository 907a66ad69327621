#include "core/extraction/Extractor.h"

#include "core/audio/AudioDecoder.h"
#include "core/extraction/FeatureKinds.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

namespace sonolab::extraction {

std::uint64_t ExtractionItem::cacheKey() const { return contentHash ? *contentHash : hashFile(file); }

Extractor::Extractor(features::FeatureCache cache, features::FeatureSpec spec)
    : cache_(std::move(cache)), spec_(std::move(spec)) {}

Matrix Extractor::extract(const ExtractionItem& item) const {
    return cache_.getOrCompute(item.cacheKey(), spec_, [&] { return computeFeatureForFile(spec_, item.file); });
}

bool Extractor::isCached(const std::filesystem::path& file) const {
    return cache_.contains(hashFile(file), spec_);
}

ExtractionReport Extractor::run(const std::vector<std::filesystem::path>& files, const ExtractionOptions& options,
                                const Progress* progress) const {
    std::vector<ExtractionItem> items;
    items.reserve(files.size());
    for (const auto& f : files) items.push_back({f, std::nullopt});
    return run(items, options, progress);
}

ExtractionReport Extractor::run(const std::vector<ExtractionItem>& items, const ExtractionOptions& options,
                                const Progress* progress) const {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    ExtractionReport report;
    report.total = items.size();
    cache_.removeStaleTemporaries(spec_);  // left by a run that was killed mid-write
    int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::clamp(threads, 1, std::max(1, static_cast<int>(items.size())));

    std::atomic<std::size_t> next{0};
    std::mutex mutex;  // guards report, claimed, and serialises progress callbacks
    std::size_t done = 0;
    // Keys taken by a worker in this run: copies of one file (same bytes, same key) are computed once, not by two
    // threads at the same time.
    std::unordered_set<std::uint64_t> claimed;
    auto claim = [&](std::uint64_t key) {
        std::lock_guard lock(mutex);
        return claimed.insert(key).second;
    };
    Progress decodeProgress;  // cancel only: decoding's own progress is per file, not what the caller wants
    if (progress) decodeProgress.cancel = progress->cancel;
    auto cancelled = [&] { return progress && progress->cancelled(); };

    auto worker = [&] {
        while (!cancelled()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= items.size()) break;
            const auto& file = items[i].file;
            std::string outcome;
            bool computed = false, skipped = false, elsewhere = false;
            double audioSeconds = 0;
            try {
                const auto hash = items[i].cacheKey();
                if (!options.shard.owns(hash)) {
                    elsewhere = true;
                } else if (!claim(hash) || cache_.contains(hash, spec_)) {
                    skipped = true;
                } else {
                    auto buffer = audio::decode(file, {.sampleRate = decodeRateFor(spec_), .mono = true},
                                                progress ? &decodeProgress : nullptr);
                    if (buffer.samples.empty()) throw fileError(file, "no audio samples decoded");
                    audioSeconds = buffer.durationSeconds();
                    Matrix m;
                    try {
                        m = computeFeature(spec_, buffer.samples);
                    } catch (const Error& e) {
                        throw fileError(file, e.what());
                    }
                    cache_.store(hash, spec_, m);
                    computed = true;
                }
            } catch (const Cancelled&) {
                break;  // the file in flight is simply not done; nothing was written for it
            } catch (const std::exception& e) {
                outcome = e.what();
            }
            std::lock_guard lock(mutex);
            ++done;
            if (computed) {
                ++report.computed;
                report.audioSeconds += audioSeconds;
                report.computedFiles.push_back(file);
            } else if (skipped) ++report.skipped;
            else if (elsewhere) ++report.otherShards;
            else {
                ++report.failed;
                report.failures.push_back({file, outcome});
            }
            if (progress)
                (*progress)(double(done), double(items.size()),
                            (computed    ? "computed "
                             : skipped   ? "cached "
                             : elsewhere ? "other shard "
                                         : "failed ") +
                                file.filename().string());
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    report.cancelled = cancelled() && done < items.size();
    report.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(report.failures.begin(), report.failures.end(),
              [](const FileFailure& a, const FileFailure& b) { return a.file < b.file; });
    std::sort(report.computedFiles.begin(), report.computedFiles.end());
    return report;
}

bool Extractor::looksLikeAudio(const std::filesystem::path& file) {
    static const std::set<std::string> extensions{".mp3", ".wav", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac",
                                                  ".aif", ".aiff", ".wma", ".mp2", ".au", ".it", ".s3m", ".xm", ".mod"};
    auto ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return extensions.count(ext) > 0;
}

std::vector<std::filesystem::path> Extractor::collectAudioFiles(const std::vector<std::filesystem::path>& inputs) {
    std::set<std::filesystem::path> found;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (std::filesystem::is_directory(in, ec)) {
            for (std::filesystem::recursive_directory_iterator it(
                     in, std::filesystem::directory_options::skip_permission_denied, ec),
                 end;
                 !ec && it != end; it.increment(ec)) {
                if (it->is_regular_file(ec) && looksLikeAudio(it->path())) found.insert(it->path());
            }
        } else if (std::filesystem::exists(in, ec)) {
            found.insert(in);  // named explicitly: take it whatever its extension, decoding decides
        } else {
            throw fileError(in, "no such file or folder");
        }
    }
    return {found.begin(), found.end()};
}

}  // namespace sonolab::extraction
