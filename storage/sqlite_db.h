// SqliteDb and Statement: a thin RAII layer over the sqlite3 C API. Every status code goes
// through one check that throws neurite::Error{Io} with sqlite's own text, the database file and
// a hint for the user (locked, read-only, full disk, not a database).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace neurite::storage {

// What check() throws when another connection held the lock past the busy timeout
// (SQLITE_BUSY, SQLITE_LOCKED): nothing was written, and the same work may succeed later.
class DatabaseBusy : public Error {
public:
    using Error::Error;
};

class SqliteDb {
public:
    // readOnly opens without creating; otherwise the file is created when missing. immutable
    // (with readOnly) reads without locks or a WAL index, for a directory that is not writable.
    SqliteDb(const std::string& path, bool readOnly, bool immutable = false);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    void exec(const std::string& sql);
    int64_t lastInsertId() const;
    int changes() const;
    // Throws Error{Io} unless rc is SQLITE_OK, SQLITE_ROW or SQLITE_DONE; `what` says what was
    // being done ("insert epoch").
    void check(int rc, const char* what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

// BEGIN IMMEDIATE on construction (a writer takes the lock up front, so it waits for the busy
// timeout instead of failing half-way), ROLLBACK unless commit() was called.
class Transaction {
public:
    explicit Transaction(SqliteDb& db);
    ~Transaction();
    void commit();

private:
    SqliteDb& m_db;
    bool m_open = true;
};

// SAVEPOINT on construction, rolled back to unless release() was called: a group of statements
// that is atomic inside an enclosing transaction as well as on its own.
class Savepoint {
public:
    explicit Savepoint(SqliteDb& db);
    ~Savepoint();
    void release();

private:
    SqliteDb& m_db;
    bool m_open = true;
};

class Statement {
public:
    Statement(SqliteDb& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds are 1-based, like sqlite's; bind() returns *this so calls chain.
    Statement& bind(int i, int64_t v);
    Statement& bind(int i, double v);
    Statement& bind(int i, const std::string& v);
    Statement& bind(int i, std::span<const uint8_t> blob);
    // Without sqlite's copy: `blob` must outlive the next step()/run() of this statement.
    Statement& bindStatic(int i, std::span<const uint8_t> blob);
    Statement& bind(int i, const std::optional<double>& v);
    Statement& bindNull(int i);
    bool step();  // true while a row is available
    void run();   // step() to completion, for statements without rows
    void reset();

    bool isNull(int col) const;
    int64_t int64(int col) const;
    double real(int col) const;
    std::optional<double> optReal(int col) const;
    std::string text(int col) const;
    std::vector<uint8_t> blob(int col) const;
    // The column's bytes in place, valid until the next step() or reset().
    std::span<const uint8_t> blobView(int col) const;

private:
    SqliteDb& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

}  // namespace neurite::storage
