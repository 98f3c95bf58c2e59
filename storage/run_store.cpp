// Run store queries. Statements are prepared per call: they are cheap next to the work they do
// (a batch of steps, one epoch) and keep the class free of cached state.
#include "run_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/file_read.h"
#include "schema.h"
#include "train/checkpoint.h"

namespace neurite::storage {

namespace {

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int64_t startTicksOf(int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return -1;
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i)
        if (i == 22) return std::stoll(field);
    return -1;
}

constexpr const char* kSummaryColumns =
    "id, name, status, message, device, note, started_at, ended_at, epochs_planned, epochs_done, "
    "best_epoch, train_loss, train_accuracy, val_loss, val_accuracy, test_loss, test_accuracy, "
    "samples_per_sec";

void readSummary(const Statement& q, RunSummary& r) {
    r.id = q.int64(0);
    r.name = q.text(1);
    r.status = q.text(2);
    r.message = q.text(3);
    r.device = q.text(4);
    r.note = q.text(5);
    r.startedAt = q.real(6);
    r.endedAt = q.optReal(7);
    r.epochsPlanned = static_cast<int>(q.int64(8));
    r.epochsDone = static_cast<int>(q.int64(9));
    r.bestEpoch = static_cast<int>(q.int64(10));
    r.trainLoss = q.optReal(11);
    r.trainAccuracy = q.optReal(12);
    r.valLoss = q.optReal(13);
    r.valAccuracy = q.optReal(14);
    r.testLoss = q.optReal(15);
    r.testAccuracy = q.optReal(16);
    r.samplesPerSec = q.optReal(17);
}

std::atomic<std::size_t> g_chunkBytes{kCheckpointChunkBytes};

CheckpointKind kindFromName(const std::string& s) {
    if (s == "best") return CheckpointKind::Best;
    if (s == "final") return CheckpointKind::Final;
    return CheckpointKind::Latest;
}

}  // namespace

const char* nameOf(CheckpointKind k) {
    switch (k) {
    case CheckpointKind::Latest: return "latest";
    case CheckpointKind::Best: return "best";
    case CheckpointKind::Final: return "final";
    }
    return "latest";
}

void setCheckpointChunkBytesForTesting(std::size_t bytes) {
    g_chunkBytes = bytes > 0 ? bytes : kCheckpointChunkBytes;
}

ProcessIdentity currentProcess() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const int64_t pid = getpid();
    return {host, pid, startTicksOf(pid)};
}

bool processAlive(const ProcessIdentity& p) {
    if (p.host != currentProcess().host) return true;
    return startTicksOf(p.pid) == p.startTicks;
}

std::string RunStore::defaultPath(bool create) {
    namespace fs = std::filesystem;
    fs::path dir;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) dir = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) dir = fs::path(home) / ".local/share";
    else throw Error(ErrorKind::Io, "neither XDG_DATA_HOME nor HOME is set; pass --db FILE");
    dir /= "neurite";
    if (create) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            throw Error(ErrorKind::Io, dir.string() + ": cannot create the data directory: " +
                                           ec.message() + "; pass --db FILE to store runs elsewhere");
    }
    return (dir / "runs.db").string();
}

RunStore::RunStore(const std::string& path, Mode mode, int busyTimeoutMs) {
    const bool readOnly = mode == Mode::ReadOnly;
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (readOnly && !exists)
        throw Error(ErrorKind::BadInput, path + ": no run database here yet; train with "
                                                "neurite-cli train to create it, or pass --db FILE");
    // A directory, a device or a FIFO: say so, instead of sqlite's "disk I/O error" or a hang.
    if (exists && fs::is_directory(path, ec))
        throwBadInput(path + " is a directory; pass --db with a file name, for example " +
                      (fs::path(path) / "runs.db").string());
    if (exists) checkRegularFile(path, std::numeric_limits<int64_t>::max(), "a run database");
    // sqlite would quietly open a read-only file read-only and fail at the first write, or
    // fail to create the WAL index with a vaguer message: say it up front.
    if (!readOnly && exists && access(path.c_str(), W_OK) != 0)
        throw Error(ErrorKind::Io, path + ": the run database is read-only (no write permission); "
                                          "make the file writable or pass --db with another file");
    // Reading from a directory we cannot write (a read-only mount, another user's files): the
    // WAL index cannot be created there, so read the file as immutable (no locks, no WAL).
    const fs::path dir = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
    const bool immutable = readOnly && access(dir.c_str(), W_OK) != 0;
    m_db = std::make_unique<SqliteDb>(path, readOnly, immutable);
    configure(readOnly, busyTimeoutMs);
    if (!readOnly) reapDeadRuns();
}

void RunStore::configure(bool readOnly, int busyTimeoutMs) {
    // The busy timeout first: the journal-mode switch itself may wait for another writer.
    m_db->check(sqlite3_busy_timeout(m_db->handle(), busyTimeoutMs), "set busy timeout");
    m_db->exec("PRAGMA foreign_keys = ON");
    // Before anything writes (the WAL switch does): another program's database stays untouched.
    checkSchema(*m_db);
    if (readOnly) {
        const int v = schemaVersion(*m_db);
        if (v == 0)
            throwBadInput(path() + ": an empty database without Neurite's runs; train with --db " +
                          path() + " to record runs in it");
        if (v < kSchemaVersion)
            throw Error(ErrorKind::Io, path() + ": the run database has schema version " +
                                           std::to_string(v) + " and is opened read-only, so it cannot be "
                                           "upgraded to version " + std::to_string(kSchemaVersion) +
                                           "; open it once with write access (neurite-cli runs tag, "
                                           "or train with --db)");
        return;
    }
    // WAL: readers never block the writer and the writer never blocks readers. FULL sync makes
    // each committed epoch survive a power loss too (one fsync per transaction, a few per epoch).
    {
        Statement wal(*m_db, "PRAGMA journal_mode = WAL");
        wal.step();
    }
    m_db->exec("PRAGMA synchronous = FULL");
    migrate(*m_db);
}

void RunStore::reapDeadRuns() {
    std::vector<std::pair<int64_t, ProcessIdentity>> running;
    {
        Statement q(*m_db, "SELECT id, host, pid, pid_start FROM runs WHERE status = 'running'");
        while (q.step()) running.push_back({q.int64(0), {q.text(1), q.int64(2), q.int64(3)}});
    }
    for (const auto& [id, who] : running) {
        if (processAlive(who)) continue;
        Statement u(*m_db, "UPDATE runs SET status = 'interrupted', message = ?2 "
                           "WHERE id = ?1 AND status = 'running'");
        u.bind(1, id)
            .bind(2, std::string("the process (pid ") + std::to_string(who.pid) +
                         ") ended without finishing the run; resume it with neurite-cli runs resume " +
                         std::to_string(id))
            .run();
    }
}

int64_t RunStore::beginRun(const NewRun& r) {
    const ProcessIdentity me = currentProcess();
    Statement q(*m_db,
                "INSERT INTO runs(name, project_json, settings_json, data_json, device, threads, "
                "precision, seed, program_version, started_at, status, host, pid, pid_start, "
                "epochs_planned, experiment_id, trial, repeat_index, fold) VALUES(?1, ?2, ?3, ?4, "
                "?5, ?6, ?7, ?8, ?9, ?10, 'running', ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
    q.bind(1, r.name).bind(2, r.projectJson).bind(3, r.settingsJson).bind(4, r.dataJson);
    q.bind(5, r.device).bind(6, int64_t{r.threads}).bind(7, r.precision);
    q.bind(8, static_cast<int64_t>(r.seed)).bind(9, std::string(NEURITE_VERSION));
    q.bind(10, nowSeconds()).bind(11, me.host).bind(12, me.pid).bind(13, me.startTicks);
    q.bind(14, int64_t{r.epochsPlanned});
    if (r.experiment) {
        q.bind(15, r.experiment->experimentId).bind(16, int64_t{r.experiment->trial});
        q.bind(17, int64_t{r.experiment->repeat}).bind(18, int64_t{r.experiment->fold});
    }
    q.run();
    return m_db->lastInsertId();
}

void RunStore::beginResume(int64_t id, int fromEpoch, int64_t fromStep) {
    const ProcessIdentity me = currentProcess();
    Transaction tx(*m_db);
    Statement u(*m_db, "UPDATE runs SET status = 'running', message = '', ended_at = NULL, "
                       "host = ?2, pid = ?3, pid_start = ?4, resumes = resumes + 1, "
                       "epochs_done = ?5 WHERE id = ?1");
    u.bind(1, id).bind(2, me.host).bind(3, me.pid).bind(4, me.startTicks).bind(5, int64_t{fromEpoch});
    u.run();
    for (const char* table : {"step_losses", "epochs", "epoch_states"}) {
        Statement d(*m_db, std::string("DELETE FROM ") + table + " WHERE run_id = ?1 AND epoch > ?2");
        d.bind(1, id).bind(2, int64_t{fromEpoch}).run();
    }
    Statement e(*m_db, "DELETE FROM evaluations WHERE run_id = ?1");
    e.bind(1, id).run();
    if (fromStep >= 0) {
        Statement c(*m_db, "DELETE FROM setting_changes WHERE run_id = ?1 AND step > ?2");
        c.bind(1, id).bind(2, fromStep).run();
    }
    dropCheckpoint(id, CheckpointKind::Final);
    tx.commit();
}

void RunStore::appendSteps(int64_t id, std::span<const StepPoint> points) {
    Statement q(*m_db, "INSERT OR REPLACE INTO step_losses(run_id, step, epoch, loss, lr) "
                       "VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const StepPoint& p : points) {
        q.bind(1, id).bind(2, p.step).bind(3, int64_t{p.epoch});
        q.bind(4, static_cast<double>(p.loss)).bind(5, static_cast<double>(p.lr));
        q.run();
    }
}

void RunStore::addSettingChange(int64_t id, const SettingChange& c) {
    Statement q(*m_db, "INSERT INTO setting_changes(run_id, seq, step, epoch, setting, before, after) "
                       "VALUES(?1, (SELECT COUNT(*) FROM setting_changes WHERE run_id = ?1), ?2, ?3, ?4, ?5, ?6)");
    q.bind(1, id).bind(2, c.step).bind(3, int64_t{c.epoch}).bind(4, c.setting).bind(5, c.before).bind(6, c.after);
    q.run();
}

void RunStore::putEpoch(int64_t id, const EpochRecord& e) {
    Statement q(*m_db,
                "INSERT OR REPLACE INTO epochs(run_id, epoch, train_loss, train_accuracy, val_loss, "
                "val_accuracy, lr, seconds, samples_per_sec, best, metrics_json) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    q.bind(1, id).bind(2, int64_t{e.epoch}).bind(3, e.trainLoss).bind(4, e.trainAccuracy);
    q.bind(5, e.valLoss).bind(6, e.valAccuracy).bind(7, e.lr).bind(8, e.seconds);
    q.bind(9, e.samplesPerSec).bind(10, int64_t{e.best});
    if (e.metricsJson.empty()) q.bindNull(11);
    else q.bind(11, e.metricsJson);
    q.run();
    Statement u(*m_db, "UPDATE runs SET epochs_done = ?2, train_loss = ?3, train_accuracy = ?4, "
                       "val_loss = ?5, val_accuracy = ?6, best_epoch = CASE WHEN ?7 THEN ?2 ELSE "
                       "best_epoch END WHERE id = ?1");
    u.bind(1, id).bind(2, int64_t{e.epoch}).bind(3, e.trainLoss).bind(4, e.trainAccuracy);
    u.bind(5, e.valLoss).bind(6, e.valAccuracy).bind(7, int64_t{e.best});
    u.run();
}

void RunStore::putEvaluation(int64_t id, const EvaluationRecord& e) {
    Statement q(*m_db, "INSERT OR REPLACE INTO evaluations(run_id, split, loss, accuracy, auc, "
                       "report_json) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    q.bind(1, id).bind(2, e.split).bind(3, e.loss).bind(4, e.accuracy).bind(5, e.auc);
    q.bind(6, e.reportJson).run();
}

void RunStore::putCheckpoint(int64_t id, const Checkpoint& c) {
    const std::size_t chunk = g_chunkBytes.load();
    const std::size_t size = c.data.size();
    const std::size_t chunks = (size + chunk - 1) / chunk;
    const std::string kind = nameOf(c.kind);
    Savepoint sp(*m_db);
    dropCheckpoint(id, c.kind);
    Statement q(*m_db, "INSERT INTO checkpoints(run_id, kind, epoch, format, bytes, crc32, data, "
                       "chunks, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, x'', ?7, ?8)");
    q.bind(1, id).bind(2, kind).bind(3, int64_t{c.epoch}).bind(4, c.format);
    q.bind(5, static_cast<int64_t>(size)).bind(6, int64_t{crc32Of(c.data)});
    q.bind(7, static_cast<int64_t>(chunks)).bind(8, nowSeconds());
    q.run();
    Statement w(*m_db, "INSERT INTO checkpoint_chunks(run_id, kind, seq, data) VALUES(?1, ?2, ?3, ?4)");
    const std::span<const uint8_t> all(c.data);
    for (std::size_t i = 0; i < chunks; ++i) {
        w.bind(1, id).bind(2, kind).bind(3, static_cast<int64_t>(i));
        w.bindStatic(4, all.subspan(i * chunk, std::min(chunk, size - i * chunk)));
        w.run();
    }
    sp.release();
}

void RunStore::dropCheckpoint(int64_t id, CheckpointKind kind) {
    for (const char* table : {"checkpoint_chunks", "checkpoints"}) {
        Statement d(*m_db, std::string("DELETE FROM ") + table + " WHERE run_id = ?1 AND kind = ?2");
        d.bind(1, id).bind(2, std::string(nameOf(kind))).run();
    }
}

void RunStore::finishRun(int64_t id, const RunOutcome& o) {
    Statement q(*m_db,
                "UPDATE runs SET status = ?2, message = ?3, ended_at = ?4, epochs_done = ?5, "
                "best_epoch = ?6, train_loss = ?7, train_accuracy = ?8, val_loss = ?9, "
                "val_accuracy = ?10, test_loss = ?11, test_accuracy = ?12, samples_per_sec = ?13, "
                "sparsity = ?14 WHERE id = ?1");
    q.bind(1, id).bind(2, o.status).bind(3, o.message).bind(4, nowSeconds());
    q.bind(5, int64_t{o.epochsDone}).bind(6, int64_t{o.bestEpoch}).bind(7, o.trainLoss);
    q.bind(8, o.trainAccuracy).bind(9, o.valLoss).bind(10, o.valAccuracy).bind(11, o.testLoss);
    q.bind(12, o.testAccuracy).bind(13, o.samplesPerSec).bind(14, o.sparsityJson);
    q.run();
    if (o.status == "completed" || o.status == "early_stopped") dropCheckpoint(id, CheckpointKind::Latest);
}

std::vector<RunSummary> RunStore::listRuns() {
    std::vector<RunSummary> runs;
    {
        Statement q(*m_db, std::string("SELECT ") + kSummaryColumns + " FROM runs ORDER BY id");
        while (q.step()) readSummary(q, runs.emplace_back());
    }
    // One pass over the tags (indexed by run), not one query per run.
    Statement t(*m_db, "SELECT run_id, tag FROM tags ORDER BY run_id, tag");
    std::size_t at = 0;
    while (t.step()) {
        const int64_t id = t.int64(0);
        while (at < runs.size() && runs[at].id < id) ++at;
        if (at < runs.size() && runs[at].id == id) runs[at].tags.push_back(t.text(1));
    }
    // The settings a list of runs is told apart by, straight from the stored settings JSON.
    // Damaged JSON in one run (json_valid false) leaves its column empty instead of failing the list.
    Statement k(*m_db, "SELECT id, json_extract(s, '$.\"training.optimizer.type\"'), "
                       "json_extract(s, '$.\"training.optimizer.lr\"'), "
                       "json_extract(s, '$.\"training.batch_size\"'), "
                       "json_extract(s, '$.\"data.source\"'), "
                       "json_extract(s, '$.\"training.distillation.teacher\"'), "
                       "json_extract(s, '$.\"training.pruning.enabled\"'), "
                       "json_extract(s, '$.\"training.pruning.structure\"'), "
                       "json_extract(s, '$.\"training.pruning.final_sparsity\"'), "
                       "json_extract(s, '$.\"training.quantization_aware.enabled\"') FROM (SELECT id, CASE WHEN "
                       "json_valid(settings_json) THEN settings_json ELSE '{}' END AS s FROM runs) "
                       "ORDER BY id");
    at = 0;
    while (k.step()) {
        const int64_t id = k.int64(0);
        while (at < runs.size() && runs[at].id < id) ++at;
        if (at >= runs.size() || runs[at].id != id) continue;
        std::ostringstream text;
        text << k.text(1);
        if (k.optReal(2)) text << ", lr " << *k.optReal(2);
        if (k.optReal(3)) text << ", batch " << static_cast<int64_t>(*k.optReal(3));
        // Compression: a distilled run names its teacher; pruning and quantization-aware training.
        if (!k.text(5).empty()) text << ", distilled from " << k.text(5);
        if (k.optReal(6).value_or(0) != 0)
            text << ", pruned " << k.text(7) << " " << 100 * k.optReal(8).value_or(0) << "%";
        if (k.optReal(9).value_or(0) != 0) text << ", int8-aware";
        runs[at].keySettings = text.str();
        runs[at].dataSource = k.text(4);
    }
    // A reader may see a run whose writer died before any writer reaped it.
    std::vector<std::pair<int64_t, ProcessIdentity>> running;
    Statement p(*m_db, "SELECT id, host, pid, pid_start FROM runs WHERE status = 'running'");
    while (p.step()) running.push_back({p.int64(0), {p.text(1), p.int64(2), p.int64(3)}});
    for (const auto& [id, who] : running)
        if (!processAlive(who))
            for (RunSummary& r : runs)
                if (r.id == id) r.status = "interrupted";
    return runs;
}

std::optional<RunDetails> RunStore::run(int64_t id) {
    Statement q(*m_db, std::string("SELECT ") + kSummaryColumns +
                           ", project_json, settings_json, data_json, precision, program_version, "
                           "host, threads, seed, pid, resumes, pid_start, parent_run, parent_epoch, sparsity FROM runs "
                           "WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    RunDetails r;
    readSummary(q, r);
    r.projectJson = q.text(18);
    r.settingsJson = q.text(19);
    r.dataJson = q.text(20);
    r.precision = q.text(21);
    r.programVersion = q.text(22);
    r.host = q.text(23);
    r.threads = static_cast<int>(q.int64(24));
    r.seed = static_cast<uint64_t>(q.int64(25));
    r.pid = q.int64(26);
    r.resumes = static_cast<int>(q.int64(27));
    if (!q.isNull(29)) r.parentRun = q.int64(29);
    if (!q.isNull(30)) r.parentEpoch = static_cast<int>(q.int64(30));
    r.sparsityJson = q.text(31);
    if (r.status == "running" && !processAlive({r.host, r.pid, q.int64(28)})) r.status = "interrupted";
    Statement t(*m_db, "SELECT tag FROM tags WHERE run_id = ?1 ORDER BY tag");
    t.bind(1, id);
    while (t.step()) r.tags.push_back(t.text(0));
    return r;
}

RunDetails RunStore::requireRun(int64_t id) {
    auto r = run(id);
    if (!r)
        throwBadInput("no run " + std::to_string(id) + " in " + path() +
                      "; neurite-cli runs list shows the stored runs");
    return *r;
}

std::vector<StepPoint> RunStore::steps(int64_t id, int64_t afterStep) {
    std::vector<StepPoint> out;
    Statement q(*m_db, "SELECT step, epoch, loss, lr FROM step_losses WHERE run_id = ?1 AND "
                       "step > ?2 ORDER BY step");
    q.bind(1, id).bind(2, afterStep);
    while (q.step())
        out.push_back({q.int64(0), static_cast<int>(q.int64(1)), static_cast<float>(q.real(2)),
                       static_cast<float>(q.real(3))});
    return out;
}

std::vector<SettingChange> RunStore::settingChanges(int64_t id) const {
    std::vector<SettingChange> out;
    Statement q(*m_db, "SELECT step, epoch, setting, before, after FROM setting_changes WHERE run_id = ?1 ORDER BY seq");
    q.bind(1, id);
    while (q.step()) out.push_back({q.int64(0), static_cast<int>(q.int64(1)), q.text(2), q.real(3), q.real(4)});
    return out;
}

std::vector<EpochRecord> RunStore::epochs(int64_t id, int afterEpoch) {
    std::vector<EpochRecord> out;
    Statement q(*m_db, "SELECT epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr, "
                       "seconds, samples_per_sec, best, metrics_json FROM epochs WHERE run_id = ?1 "
                       "AND epoch > ?2 ORDER BY epoch");
    q.bind(1, id).bind(2, int64_t{afterEpoch});
    while (q.step()) {
        EpochRecord& e = out.emplace_back();
        e.epoch = static_cast<int>(q.int64(0));
        e.trainLoss = q.real(1);
        e.trainAccuracy = q.real(2);
        e.valLoss = q.optReal(3);
        e.valAccuracy = q.optReal(4);
        e.lr = q.real(5);
        e.seconds = q.real(6);
        e.samplesPerSec = q.real(7);
        e.best = q.int64(8) != 0;
        e.metricsJson = q.text(9);
    }
    return out;
}

std::vector<EvaluationRecord> RunStore::evaluations(int64_t id) {
    std::vector<EvaluationRecord> out;
    Statement q(*m_db, "SELECT split, loss, accuracy, auc, report_json FROM evaluations "
                       "WHERE run_id = ?1 ORDER BY split DESC");
    q.bind(1, id);
    while (q.step()) out.push_back({q.text(0), q.optReal(1), q.optReal(2), q.optReal(3), q.text(4)});
    return out;
}

std::optional<Checkpoint> RunStore::checkpoint(int64_t id, CheckpointKind kind) {
    // One read snapshot for the row and its chunks, while a writer may replace them.
    Savepoint snapshot(*m_db);
    Statement q(*m_db, "SELECT kind, epoch, format, crc32, data, chunks, bytes FROM checkpoints "
                       "WHERE run_id = ?1 AND kind = ?2");
    q.bind(1, id).bind(2, std::string(nameOf(kind)));
    if (!q.step()) return std::nullopt;
    Checkpoint c{kindFromName(q.text(0)), static_cast<int>(q.int64(1)), q.text(2), {}};
    const auto crc = static_cast<uint32_t>(q.int64(3));
    const int64_t chunks = q.int64(5);
    // Schema 2-3 rows (chunks = 0) hold the whole blob themselves.
    c.data = chunks == 0 ? q.blob(4) : readChunks(id, kind, chunks, q.int64(6));
    q.reset();
    if (crc != crc32Of(c.data))
        throwBadInput(path() + ": the " + std::string(nameOf(kind)) + " checkpoint of run " +
                      std::to_string(id) + " fails its checksum (the database was damaged); it "
                      "cannot be used");
    snapshot.release();
    return c;
}

std::vector<uint8_t> RunStore::readChunks(int64_t id, CheckpointKind kind, int64_t chunks, int64_t bytes) {
    const std::string name = nameOf(kind);
    // Sizes first (length() reads no blob), so a damaged size allocates nothing.
    Statement n(*m_db, "SELECT count(*), coalesce(sum(length(data)), 0), coalesce(min(seq), 0), "
                       "coalesce(max(seq), -1) FROM checkpoint_chunks WHERE run_id = ?1 AND kind = ?2");
    n.bind(1, id).bind(2, name);
    n.step();
    if (n.int64(0) != chunks || n.int64(1) != bytes || n.int64(2) != 0 || n.int64(3) != chunks - 1)
        throwBadInput(path() + ": the " + name + " checkpoint of run " + std::to_string(id) +
                      " is incomplete (" + std::to_string(n.int64(0)) + " of " + std::to_string(chunks) +
                      " chunks, " + std::to_string(n.int64(1)) + " of " + std::to_string(bytes) +
                      " bytes; the database was damaged); it cannot be used");
    std::vector<uint8_t> data(static_cast<std::size_t>(bytes));
    Statement q(*m_db, "SELECT data FROM checkpoint_chunks WHERE run_id = ?1 AND kind = ?2 ORDER BY seq");
    q.bind(1, id).bind(2, name);
    std::size_t at = 0;
    while (q.step()) {
        const std::span<const uint8_t> piece = q.blobView(0);
        if (piece.size() > data.size() - at) break;  // changed under us: the checksum says so
        if (!piece.empty()) std::memcpy(data.data() + at, piece.data(), piece.size());
        at += piece.size();
    }
    return data;
}

void RunStore::addTag(int64_t id, const std::string& tag) {
    requireRun(id);
    if (tag.empty()) throwBadInput("a tag cannot be empty");
    Statement q(*m_db, "INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?1, ?2)");
    q.bind(1, id).bind(2, tag).run();
}

void RunStore::setNote(int64_t id, const std::string& note) {
    requireRun(id);
    Statement q(*m_db, "UPDATE runs SET note = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, note).run();
}

void RunStore::renameRun(int64_t id, const std::string& name) {
    requireRun(id);
    if (name.empty()) throwBadInput("a run's name cannot be empty");
    Statement q(*m_db, "UPDATE runs SET name = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, name).run();
}

void RunStore::deleteRun(int64_t id) {
    const RunDetails r = requireRun(id);
    if (r.status == "running")
        throwBadInput("run " + std::to_string(id) + " is still running (pid " + std::to_string(r.pid) +
                      "); stop it first");
    Statement q(*m_db, "DELETE FROM runs WHERE id = ?1");  // the rest cascades
    q.bind(1, id).run();
}

}  // namespace neurite::storage
