// The one place sqlite status codes become neurite errors.
#include "sqlite_db.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace neurite::storage {

namespace {

std::string hintFor(int rc, int systemErrno) {
    // A full disk surfaces as SQLITE_FULL or, mid-write, as an I/O error whose errno tells.
    if ((rc & 0xff) == SQLITE_IOERR &&
        (systemErrno == ENOSPC || systemErrno == EFBIG || systemErrno == EDQUOT))
        return std::string(std::strerror(systemErrno)) +
               ": the disk is full or the file reached a size limit; free some space (nothing "
               "already stored was lost)";
    // sqlite reports ENOSPC as SQLITE_FULL but EFBIG (a file-size limit) and EDQUOT as a write
    // error, and its errno is not always the write's: name the likely causes.
    if (rc == SQLITE_IOERR_WRITE)
        return "a write was refused: the disk is full, the file reached a size limit or quota, or "
               "the disk is failing; free some space (nothing already stored was lost)";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "another program holds the database locked; wait for it to finish or close it";
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return "the database is read-only; make the file and its directory writable or pass "
               "--db with another file";
    case SQLITE_FULL:
        return "the disk is full; free some space (nothing already stored was lost)";
    case SQLITE_NOTADB:
        return "this file is not a Neurite run database; pass --db with another file";
    case SQLITE_CORRUPT:
        return "the database is damaged; keep a copy, then try 'sqlite3 FILE .recover' or pass "
               "--db with a new file";
    case SQLITE_CANTOPEN:
        return "check that the directory exists and is writable";
    case SQLITE_IOERR: return "the disk reported an I/O error; check the disk and free space";
    default: return "";
    }
}

}  // namespace

SqliteDb::SqliteDb(const std::string& path, bool readOnly, bool immutable) : m_path(path) {
    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    std::string name = path;
    if (readOnly && immutable) {
        // A URI filename, so every '%', '?' and '#' of the path is escaped.
        name = "file:";
        for (const char c : path) {
            if (c == '%' || c == '?' || c == '#') {
                char esc[4];
                std::snprintf(esc, sizeof esc, "%%%02X", static_cast<unsigned char>(c));
                name += esc;
            } else {
                name += c;
            }
        }
        name += "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    const int rc = sqlite3_open_v2(name.c_str(), &m_db, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        const std::string hint = hintFor(rc, m_db ? sqlite3_system_errno(m_db) : 0);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(ErrorKind::Io, path + ": cannot open the run database: " + msg +
                                       (hint.empty() ? "" : "; " + hint));
    }
    sqlite3_extended_result_codes(m_db, 1);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(m_db); }

void SqliteDb::check(int rc, const char* what) const {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    const std::string hint = hintFor(rc, sqlite3_system_errno(m_db));
    const std::string message = m_path + ": " + what + ": " + sqlite3_errmsg(m_db) + " (" +
                                sqlite3_errstr(rc) + ")" + (hint.empty() ? "" : "; " + hint);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        throw DatabaseBusy(ErrorKind::Io, message);
    throw Error(ErrorKind::Io, message);
}

void SqliteDb::exec(const std::string& sql) {
    check(sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr), sql.substr(0, 60).c_str());
}

int64_t SqliteDb::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int SqliteDb::changes() const { return sqlite3_changes(m_db); }

Transaction::Transaction(SqliteDb& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    // A failed statement may already have rolled back; the result does not matter here.
    if (m_open) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

Savepoint::Savepoint(SqliteDb& db) : m_db(db) { m_db.exec("SAVEPOINT neurite_savepoint"); }

Savepoint::~Savepoint() {
    if (!m_open) return;
    sqlite3_exec(m_db.handle(), "ROLLBACK TO neurite_savepoint", nullptr, nullptr, nullptr);
    sqlite3_exec(m_db.handle(), "RELEASE neurite_savepoint", nullptr, nullptr, nullptr);
}

void Savepoint::release() {
    m_db.exec("RELEASE neurite_savepoint");
    m_open = false;
}

Statement::Statement(SqliteDb& db, const std::string& sql) : m_db(db) {
    m_db.check(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &m_stmt, nullptr),
               ("prepare " + sql.substr(0, 40)).c_str());
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int i, int64_t v) {
    m_db.check(sqlite3_bind_int64(m_stmt, i, v), "bind");
    return *this;
}
Statement& Statement::bind(int i, double v) {
    m_db.check(sqlite3_bind_double(m_stmt, i, v), "bind");
    return *this;
}
Statement& Statement::bind(int i, const std::string& v) {
    m_db.check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
               "bind");
    return *this;
}
Statement& Statement::bind(int i, std::span<const uint8_t> b) {
    m_db.check(sqlite3_bind_blob64(m_stmt, i, b.data(), b.size(), SQLITE_TRANSIENT), "bind");
    return *this;
}
Statement& Statement::bindStatic(int i, std::span<const uint8_t> b) {
    m_db.check(sqlite3_bind_blob64(m_stmt, i, b.data(), b.size(), SQLITE_STATIC), "bind");
    return *this;
}
Statement& Statement::bind(int i, const std::optional<double>& v) {
    return v ? bind(i, *v) : bindNull(i);
}
Statement& Statement::bindNull(int i) {
    m_db.check(sqlite3_bind_null(m_stmt, i), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    m_db.check(rc, "query");
    return false;
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
int64_t Statement::int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Statement::real(int col) const { return sqlite3_column_double(m_stmt, col); }
std::optional<double> Statement::optReal(int col) const {
    return isNull(col) ? std::nullopt : std::optional<double>(real(col));
}
std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::string();
}
std::vector<uint8_t> Statement::blob(int col) const {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::vector<uint8_t>(p, p + sqlite3_column_bytes(m_stmt, col)) : std::vector<uint8_t>();
}

std::span<const uint8_t> Statement::blobView(int col) const {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::span<const uint8_t>(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::span<const uint8_t>();
}

}  // namespace neurite::storage
