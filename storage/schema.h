// The run database's schema and its migrations. PRAGMA user_version holds the schema version;
// migrate() brings any earlier version up to kSchemaVersion, one step per version, each in its
// own transaction, and refuses a database written by a newer Neurite.
#pragma once

#include "sqlite_db.h"

namespace neurite::storage {

inline constexpr int kSchemaVersion = 3;

int schemaVersion(SqliteDb& db);

// Brings the database to `target` (tests stop at earlier versions to build old databases).
// Throws Error{Io} for a database newer than kSchemaVersion, naming both versions.
void migrate(SqliteDb& db, int target = kSchemaVersion);

}  // namespace neurite::storage
