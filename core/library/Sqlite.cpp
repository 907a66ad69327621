#include "core/library/Sqlite.h"

#include "core/util/Error.h"

#include <sqlite3.h>

#include <atomic>

namespace sonolab::library::sql {

void ConnectionCloser::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void StatementFinalizer::operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }

Connection::Connection(const std::filesystem::path& file) : file_(file.string()) {
    sqlite3* raw = nullptr;
    // FULLMUTEX: the connection may be touched from several threads (the owner serializes calls anyway).
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(file_.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        throw Error(file_, std::string("cannot open the library database: ") +
                               (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    // Another connection (a worker thread, a second process) may hold the write lock for a while during an import.
    sqlite3_busy_timeout(raw, 30000);
}

void Connection::exec(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string problem = message ? message : "unknown SQLite error";
        sqlite3_free(message);
        throw Error(file_, "database error: " + problem);
    }
}

std::int64_t Connection::lastInsertId() const noexcept { return sqlite3_last_insert_rowid(db_.get()); }
int Connection::changes() const noexcept { return sqlite3_changes(db_.get()); }

void Connection::fail(std::string_view what) const {
    throw Error(file_, std::string(what) + ": " + sqlite3_errmsg(db_.get()));
}

Statement::Statement(Connection& connection, std::string_view sql) : connection_(&connection) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
        connection.fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
    }
    statement_.reset(raw);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement_.get(), index, value) != SQLITE_OK) connection_->fail("bind");
    return *this;
}
Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(statement_.get(), index, value) != SQLITE_OK) connection_->fail("bind");
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(statement_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
        connection_->fail("bind");
    return *this;
}
Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(statement_.get(), index) != SQLITE_OK) connection_->fail("bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string message = sqlite3_errmsg(connection_->handle());
    sqlite3_reset(statement_.get());
    throw Error(connection_->fileName(), "database error: " + message);
}

void Statement::run() {
    step();
    reset();
}

void Statement::reset() {
    sqlite3_reset(statement_.get());
    sqlite3_clear_bindings(statement_.get());
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(statement_.get(), column); }
double Statement::real(int column) const { return sqlite3_column_double(statement_.get(), column); }
std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(statement_.get(), column);
    if (!data) return {};
    return std::string(reinterpret_cast<const char*>(data),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}
bool Statement::isNull(int column) const { return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL; }

namespace {
std::atomic<unsigned> savepointCounter{0};
}

Transaction::Transaction(Connection& connection)
    : connection_(&connection), name_("sp" + std::to_string(savepointCounter.fetch_add(1))) {
    // The outermost savepoint starts a deferred transaction; take the write lock now so two writers never
    // both read and then fail to upgrade (SQLITE_BUSY without the busy handler being called).
    if (sqlite3_get_autocommit(connection.handle())) {
        connection_->exec("BEGIN IMMEDIATE");
        name_.clear();
    } else {
        connection_->exec("SAVEPOINT " + name_);
    }
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        if (name_.empty())
            connection_->exec("ROLLBACK");
        else
            connection_->exec("ROLLBACK TO " + name_ + "; RELEASE " + name_);
    } catch (...) {
        // A rollback that fails leaves SQLite to roll back when the connection closes; nothing more to do here.
    }
}

void Transaction::commit() {
    connection_->exec(name_.empty() ? "COMMIT" : "RELEASE " + name_);
    done_ = true;
}

}  // namespace sonolab::library::sql
