#include "core/datasets/CollectionStore.h"

#include "core/library/TrackProbe.h"

#include <map>
#include <unordered_map>

namespace sonolab::datasets {

using library::LibraryDatabase;
using library::TrackRecord;

namespace {

void writeLabels(LibraryDatabase& db, const LabelledCollection& collection, const std::vector<TrackId>& ids,
                 const std::vector<std::size_t>& clipOf, ImportReport& report, const StoreOptions& options) {
    if (db.labelSet(collection.name)) {
        if (!options.replace)
            throw Error(db.file().string(), "a label set called '" + collection.name +
                                                "' already exists (replace it, or import under another name)");
        db.deleteLabelSet(collection.name);
    }
    db.createLabelSet(collection.name, collection.kind, collection.classes, collection.source);
    std::vector<LibraryDatabase::LabelValue> values;
    std::vector<library::SplitAssignment> split;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& clip = collection.clips[clipOf[i]];
        for (std::size_t c = 0; c < clip.values.size() && c < collection.classes.size(); ++c)
            if (clip.values[c]) values.push_back({ids[i], collection.classes[c], 1.0});
        if (clip.datasetPart) split.push_back({ids[i], *clip.datasetPart});
    }
    db.addLabels(collection.name, ids, values, collection.source);
    report.positives = values.size();
    report.clips = ids.size();
    if (!split.empty()) {
        db.writeSplit(collection.name, split);
        report.splitName = collection.name;
    }
}

}  // namespace

ImportReport storeCollection(LibraryDatabase& db, const LabelledCollection& collection, ImportReport report,
                             const StoreOptions& options, const Progress* progress) {
    report.labelSet = collection.name;
    report.source = collection.source;
    if (collection.name.empty()) throw Error(collection.source, "the label set needs a name");

    // Duplicates: the same clip key or the same audio file twice.
    std::unordered_map<std::string, std::size_t> keyLine, pathLine;
    std::vector<bool> usable(collection.clips.size(), true);
    for (std::size_t i = 0; i < collection.clips.size(); ++i) {
        const auto& clip = collection.clips[i];
        const auto path = library::libraryPath(clip.path);
        auto where = [](std::size_t line) { return line ? "line " + std::to_string(line) : std::string("a file"); };
        if (auto [it, fresh] = keyLine.emplace(clip.key, clip.line); !fresh) {
            report.duplicates.push_back(where(clip.line) + ": '" + clip.key + "' repeats " + where(it->second));
            usable[i] = false;
        } else if (auto [pit, pfresh] = pathLine.emplace(path, clip.line); !pfresh) {
            report.duplicates.push_back(where(clip.line) + ": audio file " + path + " is also named on " +
                                        where(pit->second));
            usable[i] = false;
        }
    }

    // Missing audio; files the library already knows unchanged (same size and time) are not probed again.
    std::vector<std::filesystem::path> toProbe;
    std::vector<std::size_t> probeClip;
    std::vector<TrackRecord> records(collection.clips.size());
    std::vector<bool> ready(collection.clips.size(), false);
    for (std::size_t i = 0; i < collection.clips.size(); ++i) {
        if (!usable[i]) continue;
        const auto& clip = collection.clips[i];
        std::error_code ec;
        if (!std::filesystem::is_regular_file(clip.path, ec)) {
            report.missingFiles.push_back(clip.path.string());
            usable[i] = false;
            continue;
        }
        const auto path = library::libraryPath(clip.path);
        if (auto known = db.trackByPath(path);
            known && known->sizeBytes == static_cast<std::int64_t>(std::filesystem::file_size(clip.path, ec)) &&
            known->mtime == library::fileMtime(clip.path)) {
            records[i] = *known;
            ready[i] = true;
            ++report.tracksReused;
            continue;
        }
        toProbe.push_back(clip.path);
        probeClip.push_back(i);
    }
    const bool refuse = !report.malformed.empty() || !report.duplicates.empty() ||
                        (!report.missingFiles.empty() && !options.skipMissing);
    if (refuse) throw ImportError(collection.source, std::move(report));

    const auto probed = library::probeFiles(
        toProbe, library::ProbeOptions{.readTags = options.readTags, .threads = options.threads}, progress);
    for (std::size_t k = 0; k < probed.size(); ++k) {
        const std::size_t i = probeClip[k];
        if (!probed[k].ok()) {
            report.unreadable.push_back({probed[k].record.path, probed[k].error});
            usable[i] = false;
            continue;
        }
        records[i] = probed[k].record;
        ready[i] = true;
        ++report.tracksAdded;
    }
    if (!report.unreadable.empty() && !options.skipMissing) throw ImportError(collection.source, std::move(report));
    if (progress) progress->throwIfCancelled();

    std::vector<TrackRecord> toStore;
    std::vector<std::size_t> clipOf;
    for (std::size_t i = 0; i < collection.clips.size(); ++i) {
        if (!usable[i] || !ready[i]) continue;
        auto record = records[i];
        const auto& clip = collection.clips[i];
        // The data set's own metadata wins over file tags: it is what the data set's users know the clip by.
        if (!clip.title.empty()) record.title = clip.title;
        if (!clip.artist.empty()) record.artist = clip.artist;
        if (!clip.album.empty()) record.album = clip.album;
        if (!clip.group.empty()) record.group = clip.group;
        toStore.push_back(std::move(record));
        clipOf.push_back(i);
    }
    if (toStore.empty()) throw ImportError(collection.source, std::move(report));

    LibraryDatabase::Transaction transaction(db);
    const auto ids = db.upsertTracks(toStore);
    writeLabels(db, collection, ids, clipOf, report, options);
    if (progress) progress->throwIfCancelled();
    transaction.commit();
    if (progress) (*progress)(1, 1, "imported " + std::to_string(ids.size()) + " clips");
    return report;
}

ImportReport importMtat(LibraryDatabase& db, const std::filesystem::path& annotations, const MtatOptions& mtat,
                        const StoreOptions& options, const Progress* progress) {
    ImportReport report;
    auto collection = readMtat(annotations, mtat, report);
    return storeCollection(db, collection, std::move(report), options, progress);
}

ImportReport importClassFolders(LibraryDatabase& db, const std::filesystem::path& root, const FolderOptions& folders,
                                const StoreOptions& options, const Progress* progress) {
    ImportReport report;
    auto collection = readClassFolders(root, folders, report);
    return storeCollection(db, collection, std::move(report), options, progress);
}

ImportReport importCsv(LibraryDatabase& db, const std::filesystem::path& file, const CsvOptions& csv,
                       const StoreOptions& options, const Progress* progress) {
    ImportReport report;
    auto collection = readCsvLabels(file, csv, report);
    return storeCollection(db, collection, std::move(report), options, progress);
}

LabelledCollection loadCollection(LibraryDatabase& db, const std::string& labelSet) {
    const auto info = db.labelSet(labelSet);
    if (!info) throw Error(db.file().string(), "no label set called '" + labelSet + "'");
    LabelledCollection collection;
    collection.name = info->name;
    collection.kind = info->kind;
    collection.classes = info->classes;
    collection.source = info->source;
    std::map<TrackId, library::SplitPart> parts;
    for (const auto& a : db.split(labelSet)) parts[a.track] = a.part;
    for (const auto& [track, labels] : db.positiveLabels(labelSet)) {
        const auto record = db.track(track);
        if (!record) continue;
        LabelledClip clip;
        clip.track = track;
        clip.key = record->path;
        clip.path = record->path;
        clip.group = record->group;
        clip.values.assign(collection.classes.size(), 0);
        for (const auto& l : labels) {
            const auto c = collection.classIndex(l);
            if (c < clip.values.size()) clip.values[c] = 1;
        }
        if (auto it = parts.find(track); it != parts.end()) clip.datasetPart = it->second;
        collection.clips.push_back(std::move(clip));
    }
    return collection;
}

ImportReport storeDerived(LibraryDatabase& db, const LabelledCollection& collection, bool replace) {
    ImportReport report;
    report.labelSet = collection.name;
    report.source = collection.source;
    std::vector<TrackId> ids;
    std::vector<std::size_t> clipOf;
    for (std::size_t i = 0; i < collection.clips.size(); ++i) {
        if (collection.clips[i].track == 0)
            throw Error(collection.name, "clip '" + collection.clips[i].key + "' is not a track of the library");
        ids.push_back(collection.clips[i].track);
        clipOf.push_back(i);
    }
    LibraryDatabase::Transaction transaction(db);
    writeLabels(db, collection, ids, clipOf, report, StoreOptions{.replace = replace});
    transaction.commit();
    return report;
}

}  // namespace sonolab::datasets
