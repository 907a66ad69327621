#pragma once
// The music library: one SQLite file (WAL mode, versioned schema with migrations) holding tracks, label sets, groups,
// splits, the feature-cache index, training runs and similarity judgements.
//
// Threads: every method may be called from any thread; calls on one object are serialized by its mutex, and a
// Transaction holds that mutex for its lifetime. A reader that must not wait for a long import on another thread
// opens its own LibraryDatabase on the same file: in WAL mode readers see the last committed state while a writer works.
#include "core/library/LibraryTypes.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::library {

namespace sql {
class Connection;
}

class LibraryDatabase {
public:
    static constexpr int kSchemaVersion = 3;

    struct OpenOptions {
        // Migrate only up to this version (tests of migrations); 0 = the latest.
        int migrateTo = 0;
    };

    // Opens or creates the library at file (parent folders are created). Throws sonolab::Error naming the file when
    // it is not a database, is from a newer Sonolab, or cannot be written.
    explicit LibraryDatabase(const std::filesystem::path& file);
    LibraryDatabase(const std::filesystem::path& file, OpenOptions options);
    ~LibraryDatabase();
    LibraryDatabase(const LibraryDatabase&) = delete;
    LibraryDatabase& operator=(const LibraryDatabase&) = delete;

    const std::filesystem::path& file() const noexcept { return file_; }
    int schemaVersion() const;
    // Changes whenever another connection (another program, e.g. sonolab-cli next to the app) commits to this
    // library; our own writes leave it alone. Cheap (no disk read): views poll it to show others' new tracks and runs.
    std::int64_t externalChangeCount() const;
    // Not empty when this open migrated a library of an older Sonolab and the user should know what happens next
    // (tracks to be hashed again). It is also written to stderr once, by the open that migrates (whichever program
    // that is); the app shows it in its status bar.
    const std::string& upgradeNotice() const noexcept { return upgradeNotice_; }

    // All writes made between construction and commit() form one transaction; destruction without commit() rolls
    // them back. Nested transactions (savepoints) are allowed. Holds the database's mutex while alive.
    class Transaction {
    public:
        explicit Transaction(LibraryDatabase& db);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        std::unique_lock<std::recursive_mutex> lock_;
        struct Impl;
        std::unique_ptr<Impl> impl_;
    };

    // ---- tracks -------------------------------------------------------------------------------------------------
    // Inserts or updates the track with record.path; returns its id. record.group (if not empty) creates the group.
    TrackId upsertTrack(const TrackRecord& record);
    // Many at once, in one transaction with reused statements (imports of tens of thousands of files).
    std::vector<TrackId> upsertTracks(const std::vector<TrackRecord>& records);
    std::optional<TrackRecord> track(TrackId id) const;
    std::optional<TrackRecord> trackByPath(const std::string& path) const;
    std::vector<TrackRecord> tracks() const;
    // Tracks whose path starts with folder (a scan root).
    std::vector<TrackRecord> tracksUnder(const std::string& folder) const;
    std::int64_t trackCount() const;
    // Tracks counted once per group (a source track's clips as one), those without a group one by one: what an epoch
    // of pretraining by group goes through.
    std::int64_t groupedTrackCount() const;
    // Tracks whose content hash is not known yet (see TrackRecord::contentHash), and storing one once computed.
    std::int64_t tracksWithoutContentHash() const;
    void setContentHash(TrackId id, std::uint64_t hash);
    // Removes the track and everything attached to it (labels, split entries, cache index entries).
    void removeTrack(TrackId id);
    void setTrackGroup(TrackId id, const std::string& group);
    std::vector<std::string> groups() const;

    // ---- label sets ---------------------------------------------------------------------------------------------
    // Creates a label set; throws if the name is taken (deleteLabelSet first to replace it).
    std::int64_t createLabelSet(const std::string& name, LabelKind kind, const std::vector<std::string>& classes,
                                const std::string& source);
    std::optional<LabelSetInfo> labelSet(const std::string& name) const;
    std::vector<LabelSetInfo> labelSets() const;
    void deleteLabelSet(const std::string& name);
    // Adds a class at the end of the set's class list (no-op if present).
    void addLabelClass(const std::string& labelSet, const std::string& className);
    // Marks the track as annotated in the set (a member with no positive labels is a true negative).
    void addLabelSetMember(const std::string& labelSet, TrackId track);
    // Sets one label value (the class is added to the set when new; the track becomes a member).
    // For a single-label set, setting a value > 0 clears the track's other labels in that set.
    void setLabel(const std::string& labelSet, TrackId track, const std::string& label, double value,
                  const std::string& source);
    void removeLabel(const std::string& labelSet, TrackId track, const std::string& label);
    struct LabelValue {
        TrackId track = 0;
        std::string label;
        double value = 1.0;
    };
    // Bulk form for importers: makes every track in members a member, then writes values (classes are added when
    // new), in one transaction with reused statements. No single-label exclusivity check.
    void addLabels(const std::string& labelSet, const std::vector<TrackId>& members,
                   const std::vector<LabelValue>& values, const std::string& source);
    std::vector<TrackLabel> labelsOfTrack(TrackId track) const;
    // Positive labels (value > 0.5) of every member: track -> labels. Members without positives map to an empty list.
    std::map<TrackId, std::vector<std::string>> positiveLabels(const std::string& labelSet) const;
    // Number of tracks with a positive value per class, in class order.
    std::vector<std::pair<std::string, std::int64_t>> labelCounts(const std::string& labelSet) const;

    // ---- splits -------------------------------------------------------------------------------------------------
    // Replaces the split called name with assignments (in one transaction).
    void writeSplit(const std::string& name, const std::vector<SplitAssignment>& assignments);
    std::vector<SplitAssignment> split(const std::string& name) const;  // empty if unknown
    std::vector<SplitSummary> splits() const;
    void deleteSplit(const std::string& name);

    // ---- feature-cache index -------------------------------------------------------------------------------------
    void setCachedFeature(TrackId track, const std::string& specHash, const std::string& path);
    std::optional<std::string> cachedFeature(TrackId track, const std::string& specHash) const;
    void removeCachedFeatures(TrackId track);

    // ---- training runs --------------------------------------------------------------------------------------------
    RunId addRun(const RunRecord& run);
    void updateRun(const RunRecord& run);  // by run.id; throws if unknown
    void renameRun(RunId id, const std::string& name);
    void setRunStatus(RunId id, const std::string& status);
    void setRunMetrics(RunId id, const std::string& metricsJson);
    void deleteRun(RunId id);  // with its points
    std::optional<RunRecord> run(RunId id) const;
    std::vector<RunRecord> runs() const;  // newest first
    void appendRunPoint(RunId id, const RunPoint& point);
    void appendRunPoints(RunId id, const std::vector<RunPoint>& points);  // one transaction
    // All points of a run, or of one series when series is not empty, ordered by series then step.
    std::vector<RunPoint> runPoints(RunId id, const std::string& series = {}) const;

    // ---- similarity judgements ------------------------------------------------------------------------------------
    std::int64_t addJudgement(TrackId query, TrackId neighbour, bool similar);
    std::vector<SimilarityJudgement> judgements() const;

    // For core/library and core/datasets code that needs a query the API above lacks. Hold lock() while using it.
    sql::Connection& connection() { return *connection_; }
    std::unique_lock<std::recursive_mutex> lock() const { return std::unique_lock(mutex_); }

private:
    void migrate(int target);
    std::int64_t labelSetId(const std::string& name) const;
    std::int64_t groupId(const std::string& name);

    std::filesystem::path file_;
    std::string upgradeNotice_;
    mutable std::recursive_mutex mutex_;
    std::unique_ptr<sql::Connection> connection_;
};

}  // namespace sonolab::library
