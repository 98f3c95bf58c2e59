// Schema history. Never edit a step that has shipped: add a new one, bump kSchemaVersion, and
// add the version to the migration test's rows. docs/run-store.md describes every table.
#include "schema.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite::storage {

namespace {

// Version 1: runs, their step losses (thinned), epoch metrics and final evaluations.
const char* kV1 = R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  project_json TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  data_json TEXT NOT NULL,
  device TEXT NOT NULL,
  threads INTEGER NOT NULL,
  precision TEXT NOT NULL,
  seed INTEGER NOT NULL,
  program_version TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  status TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start INTEGER NOT NULL,
  epochs_planned INTEGER NOT NULL,
  epochs_done INTEGER NOT NULL DEFAULT 0,
  best_epoch INTEGER NOT NULL DEFAULT 0,
  train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
  test_loss REAL, test_accuracy REAL, samples_per_sec REAL);
CREATE INDEX runs_by_start ON runs(started_at);
CREATE TABLE step_losses(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  loss REAL NOT NULL,
  lr REAL NOT NULL,
  PRIMARY KEY(run_id, step)) WITHOUT ROWID;
CREATE TABLE epochs(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  train_loss REAL NOT NULL, train_accuracy REAL NOT NULL,
  val_loss REAL, val_accuracy REAL,
  lr REAL NOT NULL, seconds REAL NOT NULL, samples_per_sec REAL NOT NULL,
  best INTEGER NOT NULL,
  metrics_json TEXT,
  PRIMARY KEY(run_id, epoch)) WITHOUT ROWID;
CREATE TABLE evaluations(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split TEXT NOT NULL,
  loss REAL, accuracy REAL, auc REAL,
  report_json TEXT NOT NULL,
  PRIMARY KEY(run_id, split));
)sql";

// Version 2: checkpoints (latest trainer state, best and final weights) and resume count.
const char* kV2 = R"sql(
CREATE TABLE checkpoints(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK(kind IN ('latest', 'best', 'final')),
  epoch INTEGER NOT NULL,
  format TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  crc32 INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at REAL NOT NULL,
  PRIMARY KEY(run_id, kind));
ALTER TABLE runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 3: tags and a free-text note.
const char* kV3 = R"sql(
CREATE TABLE tags(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY(run_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags(tag);
ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
)sql";

// Version 4: checkpoints in chunks. An SQLite value is at most 1 GB (SQLITE_MAX_LENGTH), and a
// large model's trainer state is more; a checkpoint written by version 4 keeps an empty `data`
// and its bytes in `chunks` rows (seq 0..n-1), while rows of versions 2-3 (chunks = 0) keep
// their single blob and still read. A rowid table: chunks are large rows.
const char* kV4 = R"sql(
CREATE TABLE checkpoint_chunks(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(run_id, kind, seq));
ALTER TABLE checkpoints ADD COLUMN chunks INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 5: experiments (issue 19). An experiment keeps its definition; each trial its values,
// status and objective; each run knows its experiment, trial, repeat and fold. Deleting an
// experiment keeps its runs (they become ordinary runs).
const char* kV5 = R"sql(
CREATE TABLE experiments(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  source_path TEXT NOT NULL,
  planned_trials INTEGER NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  created_at REAL NOT NULL,
  ended_at REAL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start INTEGER NOT NULL);
CREATE TABLE trials(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  values_json TEXT NOT NULL,
  status TEXT NOT NULL,
  objective REAL,
  objective_std REAL,
  trainings_json TEXT NOT NULL DEFAULT '[]',
  curves_json TEXT NOT NULL DEFAULT '[]',
  message TEXT NOT NULL DEFAULT '',
  seconds REAL,
  parameters INTEGER,
  flops REAL,
  PRIMARY KEY(experiment_id, number)) WITHOUT ROWID;
ALTER TABLE runs ADD COLUMN experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN trial INTEGER;
ALTER TABLE runs ADD COLUMN repeat_index INTEGER;
ALTER TABLE runs ADD COLUMN fold INTEGER;
CREATE INDEX runs_by_experiment ON runs(experiment_id, trial);
)sql";

// Version 6: training settings changed while a run was paused (teaching mode, issue 22): from
// which step on, what it was and what it became.
const char* kV6 = R"sql(
CREATE TABLE setting_changes(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  step INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  setting TEXT NOT NULL,
  before REAL NOT NULL,
  after REAL NOT NULL,
  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;
)sql";

// Version 7: rewind and branch (teaching mode, issue 22). The trainer state at the end of each
// epoch (thinned to a budget, RunStore::putEpochState), and for a run branched from another the
// run and epoch it started from.
const char* kV7 = R"sql(
CREATE TABLE epoch_states(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  crc32 INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(run_id, epoch));
ALTER TABLE runs ADD COLUMN parent_run INTEGER REFERENCES runs(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN parent_epoch INTEGER;
)sql";

// Version 8: pruning (issue 23). Every pruned layer's sparsity at the end of the run, as JSON
// ([{"node", "weights", "zeros", "units", "units_pruned"}]); empty for a run without pruning.
const char* kV8 = R"sql(
ALTER TABLE runs ADD COLUMN sparsity TEXT NOT NULL DEFAULT '';
)sql";

const char* const kSteps[] = {kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8};
static_assert(std::size(kSteps) == kSchemaVersion);

}  // namespace

int schemaVersion(SqliteDb& db) {
    Statement q(db, "PRAGMA user_version");
    q.step();
    return static_cast<int>(q.int64(0));  // a 32-bit field in the file header
}

void checkSchema(SqliteDb& db) {
    const int have = schemaVersion(db);
    if (have < 0)
        throw Error(ErrorKind::BadInput,
                    db.path() + ": not a Neurite run database (its schema version, PRAGMA "
                                "user_version, is " + std::to_string(have) +
                        "; Neurite's are 1 to " + std::to_string(kSchemaVersion) +
                        "); pass --db with another file");
    if (have > kSchemaVersion)
        throw Error(ErrorKind::Io, db.path() + ": this run database has schema version " +
                                       std::to_string(have) + ", written by a newer Neurite; this one reads up to version " +
                                       std::to_string(kSchemaVersion) +
                                       "; update Neurite or pass --db with another file");
    if (have > 0) return;
    // Version 0 is a new, empty database, or another program's: never write into the latter.
    std::vector<std::string> tables;
    Statement q(db, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
    while (q.step()) tables.push_back(q.text(0));
    if (tables.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < tables.size() && i < 5; ++i)
        names += (i ? ", " : "") + clipForMessage(tables[i], 40);
    if (tables.size() > 5) names += ", ...";
    throw Error(ErrorKind::BadInput,
                db.path() + ": an SQLite database of another program (it holds " + names +
                    "), not a Neurite run database; Neurite does not write into it; pass --db "
                    "with another file");
}

void migrate(SqliteDb& db, int target) {
    NEURITE_CHECK(target >= 0 && target <= kSchemaVersion, "bad schema target");
    checkSchema(db);
    const int have = schemaVersion(db);
    if (have >= target) return;
    // All steps in one transaction: a reader sees the schema before or after, never between
    // (a new database at version 1 of 3 would read as an old one that needs an upgrade).
    Transaction tx(db);
    // Another process may have migrated while we waited for the write lock.
    checkSchema(db);
    for (int v = schemaVersion(db); v < target; ++v) {
        db.exec(kSteps[v]);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    }
    tx.commit();
}

}  // namespace neurite::storage
