#pragma once
// Thin RAII layer over the SQLite C API: a connection, prepared statements and transactions.
// Internal to core/library (and core/datasets): the public headers of the library never show SQLite types.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sonolab::library::sql {

struct ConnectionCloser {
    void operator()(sqlite3* db) const noexcept;
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept;
};

class Connection {
public:
    // Opens (creating if needed) the database file; subject of every error is that file.
    explicit Connection(const std::filesystem::path& file);

    sqlite3* handle() const noexcept { return db_.get(); }
    const std::string& fileName() const noexcept { return file_; }

    // Runs one or more statements without results (schema, pragmas).
    void exec(std::string_view sql);
    std::int64_t lastInsertId() const noexcept;
    int changes() const noexcept;
    [[noreturn]] void fail(std::string_view what) const;

private:
    std::unique_ptr<sqlite3, ConnectionCloser> db_;
    std::string file_;
};

// A prepared statement; bind(), then step() until it returns false (rows) or once (writes). reset() to reuse.
class Statement {
public:
    Statement(Connection& connection, std::string_view sql);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // True while a row is available.
    bool step();
    // Runs a statement that returns no rows, then resets it for the next use.
    void run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;

private:
    Connection* connection_;
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
};

// Rolls back unless commit() was called. Uses SAVEPOINTs so transactions nest.
class Transaction {
public:
    explicit Transaction(Connection& connection);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection* connection_;
    std::string name_;
    bool done_ = false;
};

}  // namespace sonolab::library::sql
