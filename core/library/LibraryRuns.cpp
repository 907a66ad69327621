// LibraryDatabase: training runs with their curves, and similarity judgements.
#include "core/library/LibraryDatabase.h"
#include "core/library/Sqlite.h"
#include "core/util/Error.h"

#include <chrono>

namespace sonolab::library {

namespace {

constexpr const char* kRunColumns =
    "SELECT id, name, task, model, settings_json, metrics_json, status, created_at, run_dir FROM runs";

RunRecord readRun(const sql::Statement& s) {
    RunRecord r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.task = s.text(2);
    r.model = s.text(3);
    r.settingsJson = s.text(4);
    r.metricsJson = s.text(5);
    r.status = s.text(6);
    r.createdAt = s.int64(7);
    r.runDir = s.text(8);
    return r;
}

}  // namespace

RunId LibraryDatabase::addRun(const RunRecord& run) {
    auto guard = lock();
    const std::int64_t created =
        run.createdAt ? run.createdAt
                      : std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    sql::Statement s(*connection_,
                     "INSERT INTO runs(name, task, model, settings_json, metrics_json, status, created_at, run_dir)"
                     " VALUES(?,?,?,?,?,?,?,?)");
    s.bind(1, run.name).bind(2, run.task).bind(3, run.model).bind(4, run.settingsJson).bind(5, run.metricsJson);
    s.bind(6, run.status).bind(7, created).bind(8, run.runDir).run();
    return connection_->lastInsertId();
}

void LibraryDatabase::updateRun(const RunRecord& run) {
    auto guard = lock();
    sql::Statement s(*connection_,
                     "UPDATE runs SET name=?, task=?, model=?, settings_json=?, metrics_json=?, status=?, run_dir=?"
                     " WHERE id=?");
    s.bind(1, run.name).bind(2, run.task).bind(3, run.model).bind(4, run.settingsJson).bind(5, run.metricsJson);
    s.bind(6, run.status).bind(7, run.runDir).bind(8, run.id).run();
    if (connection_->changes() == 0) throw Error(file_.string(), "no run with id " + std::to_string(run.id));
}

void LibraryDatabase::renameRun(RunId id, const std::string& name) {
    auto guard = lock();
    sql::Statement s(*connection_, "UPDATE runs SET name=? WHERE id=?");
    s.bind(1, name).bind(2, id).run();
    if (connection_->changes() == 0) throw Error(file_.string(), "no run with id " + std::to_string(id));
}

void LibraryDatabase::setRunStatus(RunId id, const std::string& status) {
    auto guard = lock();
    sql::Statement s(*connection_, "UPDATE runs SET status=? WHERE id=?");
    s.bind(1, status).bind(2, id).run();
    if (connection_->changes() == 0) throw Error(file_.string(), "no run with id " + std::to_string(id));
}

void LibraryDatabase::setRunMetrics(RunId id, const std::string& metricsJson) {
    auto guard = lock();
    sql::Statement s(*connection_, "UPDATE runs SET metrics_json=? WHERE id=?");
    s.bind(1, metricsJson).bind(2, id).run();
    if (connection_->changes() == 0) throw Error(file_.string(), "no run with id " + std::to_string(id));
}

void LibraryDatabase::deleteRun(RunId id) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM runs WHERE id=?");
    s.bind(1, id).run();
}

std::optional<RunRecord> LibraryDatabase::run(RunId id) const {
    auto guard = lock();
    sql::Statement s(*connection_, std::string(kRunColumns) + " WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readRun(s);
}

std::vector<RunRecord> LibraryDatabase::runs() const {
    auto guard = lock();
    sql::Statement s(*connection_, std::string(kRunColumns) + " ORDER BY created_at DESC, id DESC");
    std::vector<RunRecord> out;
    while (s.step()) out.push_back(readRun(s));
    return out;
}

void LibraryDatabase::appendRunPoint(RunId id, const RunPoint& point) { appendRunPoints(id, {point}); }

void LibraryDatabase::appendRunPoints(RunId id, const std::vector<RunPoint>& points) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    sql::Statement s(*connection_, "INSERT INTO run_points(run_id, series, step, value) VALUES(?,?,?,?)");
    for (const auto& p : points) s.bind(1, id).bind(2, p.series).bind(3, p.step).bind(4, p.value).run();
    transaction.commit();
}

std::vector<RunPoint> LibraryDatabase::runPoints(RunId id, const std::string& series) const {
    auto guard = lock();
    sql::Statement s(*connection_, series.empty()
                                       ? "SELECT series, step, value FROM run_points WHERE run_id = ? ORDER BY series, "
                                         "step, rowid"
                                       : "SELECT series, step, value FROM run_points WHERE run_id = ? AND series = ? "
                                         "ORDER BY step, rowid");
    s.bind(1, id);
    if (!series.empty()) s.bind(2, series);
    std::vector<RunPoint> out;
    while (s.step()) out.push_back(RunPoint{s.text(0), s.int64(1), s.real(2)});
    return out;
}

std::int64_t LibraryDatabase::addJudgement(TrackId query, TrackId neighbour, bool similar) {
    auto guard = lock();
    sql::Statement s(*connection_,
                     "INSERT INTO similarity_judgements(query_track_id, neighbour_track_id, similar) VALUES(?,?,?)");
    s.bind(1, query).bind(2, neighbour).bind(3, similar ? 1 : 0).run();
    return connection_->lastInsertId();
}

std::vector<SimilarityJudgement> LibraryDatabase::judgements() const {
    auto guard = lock();
    sql::Statement s(*connection_,
                     "SELECT id, query_track_id, neighbour_track_id, similar FROM similarity_judgements ORDER BY id");
    std::vector<SimilarityJudgement> out;
    while (s.step()) out.push_back(SimilarityJudgement{s.int64(0), s.int64(1), s.int64(2), s.int64(3) != 0});
    return out;
}

}  // namespace sonolab::library
