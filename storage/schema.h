// The run database's schema and its migrations. PRAGMA user_version holds the schema version;
// migrate() brings any earlier version up to kSchemaVersion, one step per version, each in its
// own transaction, and refuses a database written by a newer Neurite.
#pragma once

#include "sqlite_db.h"

namespace neurite::storage {

inline constexpr int kSchemaVersion = 8;

// PRAGMA user_version as stored: any 32-bit value another program may have written.
int schemaVersion(SqliteDb& db);

// Throws unless the database is Neurite's (version 1..kSchemaVersion) or new (version 0 with no
// tables): Error{BadInput} for a negative version or another program's tables (it is never
// written into), Error{Io} for a newer Neurite's version, naming both versions.
void checkSchema(SqliteDb& db);

// Brings the database to `target` (tests stop at earlier versions to build old databases).
// Refuses what checkSchema refuses.
void migrate(SqliteDb& db, int target = kSchemaVersion);

}  // namespace neurite::storage
