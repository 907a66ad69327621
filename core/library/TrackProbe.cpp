#include "core/library/TrackProbe.h"

#include "core/audio/AudioDecoder.h"
#include "core/library/FileTags.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace sonolab::library {

std::string libraryPath(const std::filesystem::path& file) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(file, ec);
    if (ec) absolute = file;
    return absolute.lexically_normal().generic_string();
}

std::int64_t fileMtime(const std::filesystem::path& file) {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(file, ec);
    if (ec) return 0;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

std::uint64_t currentContentHash(const TrackRecord& track) {
    if (track.contentHash) {
        std::error_code sizeError;
        const auto size = std::filesystem::file_size(track.path, sizeError);
        if (sizeError) return *track.contentHash;  // moved away or unreachable: its cached features still serve it
        if (static_cast<std::int64_t>(size) == track.sizeBytes && fileMtime(track.path) == track.mtime)
            return *track.contentHash;
    }
    return hashFile(track.path);
}

ProbedFile probeFile(const std::filesystem::path& file, const ProbeOptions& options) {
    ProbedFile out;
    auto& r = out.record;
    r.path = libraryPath(file);
    try {
        std::error_code ec;
        r.sizeBytes = static_cast<std::int64_t>(std::filesystem::file_size(file, ec));
        if (ec) throw fileError(file, ec.message());
        if (r.sizeBytes == 0) throw fileError(file, "empty file");
        r.mtime = fileMtime(file);
        r.contentHash = hashFile(file);
        const auto info = audio::probe(file);
        r.format = info.container;
        r.codec = info.codec;
        r.durationSeconds = info.durationSeconds;
        r.sampleRate = info.sampleRate;
        r.channels = info.channels;
        if (options.readTags) {
            const auto tags = readFileTags(file);
            r.title = tags.title;
            r.artist = tags.artist;
            r.album = tags.album;
            r.genre = tags.genre;
        }
        if (r.title.empty()) r.title = file.stem().string();
    } catch (const Error& e) {
        out.error = e.problem().empty() ? e.what() : e.problem();
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

std::vector<ProbedFile> probeFiles(const std::vector<std::filesystem::path>& files, const ProbeOptions& options,
                                   const Progress* progress) {
    std::vector<ProbedFile> results(files.size());
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(files.size(), 1)));
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    auto work = [&] {
        for (;;) {
            if (stop.load(std::memory_order_relaxed)) return;
            const std::size_t i = next.fetch_add(1);
            if (i >= files.size()) return;
            results[i] = probeFile(files[i], options);
            done.fetch_add(1);
        }
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    if (!progress) {
        work();
    } else {
        // The calling thread reports and polls cancel while the pool works, so callbacks never run on a worker.
        pool.emplace_back(work);
        const auto total = static_cast<double>(files.size());
        while (done.load() < files.size()) {
            if (progress->cancelled()) {
                stop = true;
                pool.clear();
                throw Cancelled{};
            }
            (*progress)(static_cast<double>(done.load()), total, "reading files");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        (*progress)(total, total, "reading files");
    }
    pool.clear();
    return results;
}

}  // namespace sonolab::library
