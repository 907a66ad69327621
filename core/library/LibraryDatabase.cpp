#include "core/library/LibraryDatabase.h"

#include "core/library/Sqlite.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <array>
#include <cstdio>
#include <map>

namespace sonolab::library {

namespace {

// Each entry migrates from version (index) to version (index + 1). Never edit a shipped step; append a new one.
constexpr std::array<const char*, LibraryDatabase::kSchemaVersion> kMigrations = {
    // 0 -> 1: the collection: tracks, groups, labels, splits, feature-cache index.
    R"sql(
CREATE TABLE groups(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE);
CREATE TABLE tracks(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0,
  mtime INTEGER NOT NULL DEFAULT 0,
  duration REAL NOT NULL DEFAULT 0,
  format TEXT NOT NULL DEFAULT '',
  codec TEXT NOT NULL DEFAULT '',
  sample_rate INTEGER NOT NULL DEFAULT 0,
  channels INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  artist TEXT NOT NULL DEFAULT '',
  album TEXT NOT NULL DEFAULT '',
  genre TEXT NOT NULL DEFAULT '',
  group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
  added_at INTEGER NOT NULL DEFAULT (strftime('%s','now')));
CREATE INDEX tracks_by_hash ON tracks(content_hash);
CREATE TABLE label_sets(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK(kind IN ('binary','single','multi')),
  source TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')));
CREATE TABLE label_classes(
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY(label_set_id, name));
CREATE TABLE label_members(
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id) ON DELETE CASCADE,
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  PRIMARY KEY(label_set_id, track_id));
CREATE TABLE track_labels(
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id) ON DELETE CASCADE,
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  value REAL NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(label_set_id, track_id, label));
CREATE INDEX track_labels_by_track ON track_labels(track_id);
CREATE TABLE splits(
  name TEXT NOT NULL,
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  part TEXT NOT NULL CHECK(part IN ('train','validation','test')),
  PRIMARY KEY(name, track_id));
CREATE TABLE feature_cache(
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  spec_hash TEXT NOT NULL,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')),
  PRIMARY KEY(track_id, spec_hash));
)sql",
    // 1 -> 2: training runs with their curves, and similarity judgements.
    R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  task TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  settings_json TEXT NOT NULL DEFAULT '{}',
  metrics_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  run_dir TEXT NOT NULL DEFAULT '');
CREATE TABLE run_points(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  series TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL);
CREATE INDEX run_points_by_run ON run_points(run_id, series, step);
CREATE TABLE similarity_judgements(
  id INTEGER PRIMARY KEY,
  query_track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  neighbour_track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  similar INTEGER NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')));
)sql",
    // 2 -> 3: content_hash becomes the whole-file util/ContentHash (16 hex digits), the feature cache's key. The
    // sampled 32-digit hashes of earlier versions key nothing: they are cleared, and each track is hashed again on
    // the next scan or when a training set first uses it (LibraryDatabase::upgradeNotice() says so).
    R"sql(
UPDATE tracks SET content_hash = '' WHERE length(content_hash) <> 16;
)sql",
};

constexpr const char* kTrackColumns =
    "t.id, t.path, t.content_hash, t.size, t.mtime, t.duration, t.format, t.codec, t.sample_rate, t.channels, "
    "t.title, t.artist, t.album, t.genre, COALESCE(g.name, '')";
constexpr const char* kTrackFrom = " FROM tracks t LEFT JOIN groups g ON g.id = t.group_id";

TrackRecord readTrack(const sql::Statement& s) {
    TrackRecord r;
    r.id = s.int64(0);
    r.path = s.text(1);
    r.contentHash = parseHashHex(s.text(2));  // '' (not known yet) reads as nullopt
    r.sizeBytes = s.int64(3);
    r.mtime = s.int64(4);
    r.durationSeconds = s.real(5);
    r.format = s.text(6);
    r.codec = s.text(7);
    r.sampleRate = static_cast<int>(s.int64(8));
    r.channels = static_cast<int>(s.int64(9));
    r.title = s.text(10);
    r.artist = s.text(11);
    r.album = s.text(12);
    r.genre = s.text(13);
    r.group = s.text(14);
    return r;
}

}  // namespace

struct LibraryDatabase::Transaction::Impl {
    explicit Impl(sql::Connection& connection) : transaction(connection) {}
    sql::Transaction transaction;
};

LibraryDatabase::Transaction::Transaction(LibraryDatabase& db)
    : lock_(db.mutex_), impl_(std::make_unique<Impl>(*db.connection_)) {}
LibraryDatabase::Transaction::~Transaction() = default;
void LibraryDatabase::Transaction::commit() { impl_->transaction.commit(); }

LibraryDatabase::LibraryDatabase(const std::filesystem::path& file) : LibraryDatabase(file, OpenOptions{}) {}

LibraryDatabase::LibraryDatabase(const std::filesystem::path& file, OpenOptions options) : file_(file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    connection_ = std::make_unique<sql::Connection>(file);
    // A file that is not SQLite fails on its first read, here, with a message that names it.
    try {
        connection_->exec("PRAGMA foreign_keys = ON");
        sql::Statement mode(*connection_, "PRAGMA journal_mode = WAL");
        mode.step();
        connection_->exec("PRAGMA synchronous = NORMAL");
    } catch (const Error& e) {
        // Only SQLite's "file is not a database" means the file is something else; a full disk or an unwritable
        // folder fails here too (setting up the write-ahead log) and must not be called a wrong file.
        if (e.problem().find("not a database") != std::string::npos)
            throw Error(file.string(), "not a Sonolab library (" + e.problem() + ")");
        throw Error(file.string(), "cannot open the library: " + e.problem() +
                                       " (is the disk full, or the file or its folder read-only?)");
    }
    const int target = options.migrateTo > 0 ? options.migrateTo : kSchemaVersion;
    const int current = schemaVersion();
    // A damaged or foreign file can say anything here; only 0 (new) .. kSchemaVersion index the migrations.
    if (current < 0)
        throw Error(file.string(), "not a Sonolab library (schema version " + std::to_string(current) + ")");
    if (current > kSchemaVersion) {
        throw Error(file.string(), "library schema version " + std::to_string(current) +
                                       " is newer than this Sonolab understands (" +
                                       std::to_string(kSchemaVersion) + "); update Sonolab");
    }
    if (current < target) migrate(target);
    if (current > 0 && current < 3 && schemaVersion() >= 3) {
        const auto pending = tracksWithoutContentHash();
        if (pending > 0)
            upgradeNotice_ = file.string() + ": library from an older Sonolab upgraded; " + std::to_string(pending) +
                             " track(s) will have their content hash recomputed (whole file) on the next scan or when "
                             "first used for training. Cached features stay valid.";
        // The migration runs once per library: this line is the one place every program (CLI or app) reports it.
        if (!upgradeNotice_.empty()) std::fprintf(stderr, "sonolab: %s\n", upgradeNotice_.c_str());
    }
}

LibraryDatabase::~LibraryDatabase() = default;

int LibraryDatabase::schemaVersion() const {
    auto guard = lock();
    sql::Statement s(*connection_, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

std::int64_t LibraryDatabase::externalChangeCount() const {
    auto guard = lock();
    sql::Statement s(*connection_, "PRAGMA data_version");
    s.step();
    return s.int64(0);
}

void LibraryDatabase::migrate(int target) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    // Re-read inside the write transaction: another process may have migrated meanwhile.
    for (int version = schemaVersion(); version < target; ++version) {
        connection_->exec(kMigrations[static_cast<std::size_t>(version)]);
        connection_->exec("PRAGMA user_version = " + std::to_string(version + 1));
    }
    transaction.commit();
}

std::int64_t LibraryDatabase::groupId(const std::string& name) {
    sql::Statement insert(*connection_, "INSERT OR IGNORE INTO groups(name) VALUES(?)");
    insert.bind(1, name).run();
    sql::Statement select(*connection_, "SELECT id FROM groups WHERE name = ?");
    select.bind(1, name);
    select.step();
    return select.int64(0);
}

TrackId LibraryDatabase::upsertTrack(const TrackRecord& r) { return upsertTracks({r}).front(); }

std::vector<TrackId> LibraryDatabase::upsertTracks(const std::vector<TrackRecord>& records) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    sql::Statement s(*connection_,
                     "INSERT INTO tracks(path, content_hash, size, mtime, duration, format, codec, sample_rate, channels,"
                     " title, artist, album, genre, group_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                     " ON CONFLICT(path) DO UPDATE SET content_hash=excluded.content_hash, size=excluded.size,"
                     " mtime=excluded.mtime, duration=excluded.duration, format=excluded.format, codec=excluded.codec,"
                     " sample_rate=excluded.sample_rate, channels=excluded.channels, title=excluded.title,"
                     " artist=excluded.artist, album=excluded.album, genre=excluded.genre,"
                     " group_id=COALESCE(excluded.group_id, tracks.group_id)"
                     " RETURNING id");
    sql::Statement insertGroup(*connection_, "INSERT OR IGNORE INTO groups(name) VALUES(?)");
    sql::Statement selectGroup(*connection_, "SELECT id FROM groups WHERE name = ?");
    std::map<std::string, std::int64_t> groupIds;
    std::vector<TrackId> ids;
    ids.reserve(records.size());
    for (const auto& r : records) {
        if (r.path.empty()) throw Error(file_.string(), "a track needs a path");
        std::optional<std::int64_t> group;
        if (!r.group.empty()) {
            auto it = groupIds.find(r.group);
            if (it == groupIds.end()) {
                insertGroup.bind(1, r.group).run();
                selectGroup.bind(1, r.group);
                selectGroup.step();
                it = groupIds.emplace(r.group, selectGroup.int64(0)).first;
                selectGroup.reset();
            }
            group = it->second;
        }
        s.bind(1, r.path).bind(2, r.contentHash ? hashHex(*r.contentHash) : std::string()).bind(3, r.sizeBytes).bind(4, r.mtime).bind(5, r.durationSeconds);
        s.bind(6, r.format).bind(7, r.codec).bind(8, r.sampleRate).bind(9, r.channels).bind(10, r.title);
        s.bind(11, r.artist).bind(12, r.album).bind(13, r.genre).bind(14, group);
        if (!s.step()) connection_->fail("cannot store track " + r.path);
        ids.push_back(s.int64(0));
        while (s.step()) {
        }
        s.reset();
    }
    transaction.commit();
    return ids;
}

std::optional<TrackRecord> LibraryDatabase::track(TrackId id) const {
    auto guard = lock();
    sql::Statement s(*connection_, std::string("SELECT ") + kTrackColumns + kTrackFrom + " WHERE t.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readTrack(s);
}

std::optional<TrackRecord> LibraryDatabase::trackByPath(const std::string& path) const {
    auto guard = lock();
    sql::Statement s(*connection_, std::string("SELECT ") + kTrackColumns + kTrackFrom + " WHERE t.path = ?");
    s.bind(1, path);
    if (!s.step()) return std::nullopt;
    return readTrack(s);
}

std::vector<TrackRecord> LibraryDatabase::tracks() const {
    auto guard = lock();
    sql::Statement s(*connection_, std::string("SELECT ") + kTrackColumns + kTrackFrom + " ORDER BY t.id");
    std::vector<TrackRecord> out;
    while (s.step()) out.push_back(readTrack(s));
    return out;
}

std::vector<TrackRecord> LibraryDatabase::tracksUnder(const std::string& folder) const {
    auto guard = lock();
    std::string prefix = folder;
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    // substr comparison rather than LIKE: paths may contain % and _.
    sql::Statement s(*connection_, std::string("SELECT ") + kTrackColumns + kTrackFrom +
                                       " WHERE substr(t.path, 1, ?) = ? ORDER BY t.id");
    s.bind(1, static_cast<std::int64_t>(prefix.size())).bind(2, prefix);
    std::vector<TrackRecord> out;
    while (s.step()) out.push_back(readTrack(s));
    return out;
}

std::int64_t LibraryDatabase::tracksWithoutContentHash() const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT COUNT(*) FROM tracks WHERE content_hash = ''");
    s.step();
    return s.int64(0);
}

void LibraryDatabase::setContentHash(TrackId id, std::uint64_t hash) {
    auto guard = lock();
    sql::Statement s(*connection_, "UPDATE tracks SET content_hash = ? WHERE id = ?");
    s.bind(1, hashHex(hash)).bind(2, id).run();
}

std::int64_t LibraryDatabase::trackCount() const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT COUNT(*) FROM tracks");
    s.step();
    return s.int64(0);
}

std::int64_t LibraryDatabase::groupedTrackCount() const {
    auto guard = lock();
    sql::Statement s(*connection_,
                     "SELECT COUNT(DISTINCT group_id) + COALESCE(SUM(group_id IS NULL), 0) FROM tracks");
    s.step();
    return s.int64(0);
}

void LibraryDatabase::removeTrack(TrackId id) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM tracks WHERE id = ?");
    s.bind(1, id).run();
}

void LibraryDatabase::setTrackGroup(TrackId id, const std::string& group) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    sql::Statement s(*connection_, "UPDATE tracks SET group_id = ? WHERE id = ?");
    if (group.empty())
        s.bindNull(1);
    else
        s.bind(1, groupId(group));
    s.bind(2, id).run();
    transaction.commit();
}

std::vector<std::string> LibraryDatabase::groups() const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT name FROM groups ORDER BY name");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

}  // namespace sonolab::library
