#include "core/library/TrainingSet.h"

#include "core/library/LibraryDatabase.h"
#include "core/library/TrackProbe.h"
#include "core/util/Error.h"

#include <algorithm>
#include <map>
#include <set>

namespace sonolab::library {

std::vector<TrainingExample> TrainingSet::part(std::string_view split) const {
    std::vector<TrainingExample> out;
    for (const auto& e : examples)
        if (e.split == split) out.push_back(e);
    return out;
}

std::vector<std::int64_t> TrainingSet::positives() const {
    std::vector<std::int64_t> counts(classes.size(), 0);
    for (const auto& e : examples)
        for (std::size_t i = 0; i < counts.size() && i < e.labels.size(); ++i)
            if (e.labels[i] > 0.5f) ++counts[i];
    return counts;
}

TrainingSet loadTrainingSet(LibraryDatabase& db, std::string_view taskSpec, std::string_view splitName) {
    TrainingSet set;
    set.task = TaskSpec::parse(taskSpec);
    set.classes = set.task.labels;
    const auto& wanted = set.task.labels;

    // The label sets that can answer the task: the named one, or every set that knows one of the classes.
    std::vector<std::string> sources;
    for (const auto& info : db.labelSets()) {
        if (!set.task.labelSet.empty() && info.name != set.task.labelSet) continue;
        const bool knows = std::any_of(wanted.begin(), wanted.end(), [&](const std::string& c) {
            return std::find(info.classes.begin(), info.classes.end(), c) != info.classes.end();
        });
        if (knows) sources.push_back(info.name);
    }
    if (!set.task.labelSet.empty() && sources.empty())
        throw Error(db.file().string(), "label set '" + set.task.labelSet + "' does not exist or has none of the classes of '" +
                                            std::string(taskSpec) + "'");
    if (sources.empty())
        throw Error(db.file().string(), "no label set has any of the classes of '" + std::string(taskSpec) + "'");

    // Union over the sources: a track annotated in any of them is a candidate; its positives are merged.
    std::map<TrackId, std::set<std::string>> positives;
    for (const auto& name : sources)
        for (auto& [track, labels] : db.positiveLabels(name)) positives[track].insert(labels.begin(), labels.end());

    std::map<TrackId, std::string> parts;
    if (!splitName.empty()) {
        const auto assignments = db.split(std::string(splitName));
        if (assignments.empty())
            throw Error(db.file().string(), "no split called '" + std::string(splitName) + "'");
        for (const auto& a : assignments) parts[a.track] = std::string(toString(a.part));
    }

    for (const auto& [track, labels] : positives) {
        std::vector<float> vector(wanted.size(), 0.f);
        int count = 0;
        for (std::size_t i = 0; i < wanted.size(); ++i)
            if (labels.count(wanted[i])) {
                vector[i] = 1.f;
                ++count;
            }
        if (set.task.kind == TaskKind::SingleLabel && count != 1) continue;
        if (set.task.kind == TaskKind::MultiLabel && count == 0) continue;
        TrainingExample example;
        if (!splitName.empty()) {
            const auto it = parts.find(track);
            if (it == parts.end()) continue;
            example.split = it->second;
        }
        const auto record = db.track(track);
        if (!record) continue;
        example.trackId = track;
        example.path = record->path;
        try {
            example.contentHash = currentContentHash(*record);
        } catch (const Error&) {
            // No stored hash and the file cannot be read: the example stays, and loading its features names the file.
        }
        if (example.contentHash && !record->contentHash) {
            try {
                db.setContentHash(track, *example.contentHash);
            } catch (const Error&) {
                // A library we may not write (read-only copy): the hash serves this run and is computed again next time.
            }
        }
        example.group = record->group;
        example.labels = std::move(vector);
        set.examples.push_back(std::move(example));
    }
    if (set.examples.empty())
        throw Error(db.file().string(), "no track matches task '" + std::string(taskSpec) + "'" +
                                            (splitName.empty() ? "" : " in split '" + std::string(splitName) + "'"));
    return set;
}

TrainingSet loadTrainingSet(const std::filesystem::path& libraryFile, std::string_view taskSpec,
                            std::string_view splitName) {
    if (!std::filesystem::exists(libraryFile)) throw Error(libraryFile.string(), "library file does not exist");
    LibraryDatabase db(libraryFile);
    return loadTrainingSet(db, taskSpec, splitName);
}

}  // namespace sonolab::library
