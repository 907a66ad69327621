#include "core/library/Scanner.h"

#include "core/library/TrackProbe.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace sonolab::library {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Walks the tree by hand (not recursive_directory_iterator) so an unreadable folder is reported and skipped
// instead of ending the walk.
void listAudioFiles(const std::filesystem::path& folder, const ScanOptions& options,
                    std::vector<std::filesystem::path>& files, std::vector<ScanProblem>& problems,
                    const Progress* progress) {
    std::vector<std::filesystem::path> pending{folder};
    while (!pending.empty()) {
        if (progress) progress->throwIfCancelled();
        const auto dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        std::filesystem::directory_iterator it(dir, ec);
        if (ec) {
            problems.push_back({libraryPath(dir), "cannot list folder: " + ec.message()});
            continue;
        }
        for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
            if (ec) {
                problems.push_back({libraryPath(dir), "error while listing: " + ec.message()});
                break;
            }
            const auto& entry = *it;
            std::error_code typeError;
            if (entry.is_directory(typeError)) {
                if (!entry.is_symlink(typeError)) pending.push_back(entry.path());
                continue;
            }
            const auto extension = lower(entry.path().extension().string());
            if (std::find(options.extensions.begin(), options.extensions.end(), extension) == options.extensions.end())
                continue;
            if (!entry.is_regular_file(typeError)) {
                problems.push_back({libraryPath(entry.path()), "not a regular file (broken link?)"});
                continue;
            }
            files.push_back(entry.path());
        }
        if (progress) (*progress)(0, 0, "listing " + std::to_string(files.size()) + " files");
    }
    std::sort(files.begin(), files.end());
}

}  // namespace

ScanReport scanFolder(LibraryDatabase& db, const std::filesystem::path& root, const ScanOptions& options,
                      const Progress* progress) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) throw fileError(root, "not a folder");
    const std::string rootPath = libraryPath(root);

    ScanReport report;
    std::vector<std::filesystem::path> files;
    listAudioFiles(root, options, files, report.unreadable, progress);
    report.filesSeen = files.size();

    std::unordered_map<std::string, TrackRecord> known;
    for (auto& t : db.tracksUnder(rootPath)) known.emplace(t.path, std::move(t));

    // Only files that are new or whose size/mtime moved are read; the rest cost one stat.
    std::vector<std::filesystem::path> toProbe;
    std::vector<TrackRecord> touched, rehashed;
    std::unordered_set<std::string> seen;
    for (const auto& file : files) {
        const auto path = libraryPath(file);
        seen.insert(path);
        const auto it = known.find(path);
        if (it == known.end()) {
            toProbe.push_back(file);
            continue;
        }
        std::error_code sizeError;
        const auto size = static_cast<std::int64_t>(std::filesystem::file_size(file, sizeError));
        const bool sameStat = !sizeError && size == it->second.sizeBytes && fileMtime(file) == it->second.mtime;
        if (sameStat && it->second.contentHash) {
            ++report.unchanged;
            continue;
        }
        // Size or time moved: the content hash decides between an edit and a touch (a copy, a restored backup).
        // Same size and time but no hash yet (a library from before schema 3): hashed now, nothing else re-read.
        std::uint64_t hash = 0;
        if (progress) {  // after an upgrade this can be every file of the collection: keep it cancellable
            progress->throwIfCancelled();
            (*progress)(0, 0, "hashing " + file.filename().string());
        }
        try {
            hash = hashFile(file);
        } catch (const Error& e) {
            report.unreadable.push_back({path, e.problem()});
            continue;
        }
        if (sameStat) {
            auto record = it->second;
            record.contentHash = hash;
            rehashed.push_back(std::move(record));
            continue;
        }
        if (hash == it->second.contentHash && size == it->second.sizeBytes) {
            auto record = it->second;
            record.mtime = fileMtime(file);
            touched.push_back(std::move(record));
        } else {
            toProbe.push_back(file);
        }
    }

    const auto probed = probeFiles(toProbe, ProbeOptions{.readTags = options.readTags, .threads = options.threads},
                                   progress);
    if (progress) progress->throwIfCancelled();

    LibraryDatabase::Transaction transaction(db);
    std::vector<TrackRecord> fresh;
    for (const auto& p : probed) {
        if (!p.ok()) {
            report.unreadable.push_back({p.record.path, p.error});
            continue;
        }
        const auto it = known.find(p.record.path);
        auto record = p.record;
        if (it != known.end()) {
            record.group = it->second.group;
            const TrackId id = db.upsertTrack(record);
            db.removeCachedFeatures(id);  // features of the old content are stale
            ++report.changed;
            report.changedPaths.push_back(record.path);
        } else {
            ++report.added;
            report.addedPaths.push_back(record.path);
            fresh.push_back(std::move(record));
        }
    }
    db.upsertTracks(fresh);
    if (progress) (*progress)(1, 1, "stored " + std::to_string(fresh.size()) + " new tracks");
    db.upsertTracks(touched);
    report.touched = touched.size();
    db.upsertTracks(rehashed);
    report.rehashed = rehashed.size();
    report.unchanged += rehashed.size();
    if (options.removeVanished) {
        for (const auto& [path, record] : known) {
            if (seen.count(path)) continue;
            std::error_code existsError;
            // A file that still exists but no longer matches the extension list is left alone.
            if (std::filesystem::exists(path, existsError)) continue;
            db.removeTrack(record.id);
            ++report.vanished;
            report.vanishedPaths.push_back(path);
        }
    }
    if (progress) progress->throwIfCancelled();
    transaction.commit();
    std::sort(report.vanishedPaths.begin(), report.vanishedPaths.end());
    return report;
}

}  // namespace sonolab::library
