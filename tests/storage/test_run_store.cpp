// The run store: schema creation and every migration, a newer database refused, writing and
// reading back a run, incremental reads, checksums, tags, notes, cascading delete, runs of dead
// processes shown as interrupted, and the faults (not a database, corrupt, read-only, locked,
// full disk), each a clear error with nothing already stored lost.
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <sqlite3.h>

#include "core/error.h"
#include "io/project.h"
#include "recorder.h"
#include "run_info.h"
#include "run_store.h"
#include "schema.h"
#include "run/run_setup.h"
#include "train/checkpoint.h"

using namespace neurite;
using namespace neurite::storage;

namespace {

storage::NewRun sampleRun(const std::string& name = "spiral") {
    NewRun r;
    r.name = name;
    r.projectJson = R"({"name":")" + name + R"("})";
    r.settingsJson = R"({"training.epochs":3})";
    r.dataJson = R"({"source":"synthetic:spiral","train":10})";
    r.device = "CPU";
    r.threads = 1;
    r.precision = "fp32";
    r.seed = 7;
    r.epochsPlanned = 3;
    return r;
}

// Writes one run with two epochs, steps, an evaluation and its latest and best checkpoints.
int64_t writeRun(RunStore& s, const std::string& name = "spiral", const std::string& status = "completed") {
    const int64_t id = s.beginRun(sampleRun(name));
    std::vector<StepPoint> steps;
    for (int i = 1; i <= 10; ++i) steps.push_back({i, (i - 1) / 5 + 1, 1.f / static_cast<float>(i), 0.01f});
    s.appendSteps(id, steps);
    s.putEpoch(id, {1, 0.9, 0.5, 0.8, 0.6, 0.01, 1.0, 100, true, R"({"accuracy":0.6})"});
    s.putEpoch(id, {2, 0.7, 0.7, std::nullopt, std::nullopt, 0.01, 1.0, 100, false, ""});
    s.putEvaluation(id, {"test", 0.5, 0.75, 0.9, R"({"accuracy":0.75})"});
    s.putCheckpoint(id, {CheckpointKind::Latest, 2, "trainer-state", {1, 2, 3, 4}});
    s.putCheckpoint(id, {CheckpointKind::Best, 1, "weights-f32", {5, 6, 7, 8}});
    RunOutcome o;
    o.status = status;
    o.epochsDone = 2;
    o.bestEpoch = 1;
    o.testAccuracy = 0.75;
    s.finishRun(id, o);
    return id;
}

int64_t count(SqliteDb& db, const std::string& table) {
    Statement q(db, "SELECT count(*) FROM " + table);
    q.step();
    return q.int64(0);
}

// Every table's columns (name, type, notnull, default, pk) and every index: the layout a
// migrated database must share with a fresh one.
QStringList layout(SqliteDb& db) {
    QStringList out;
    std::vector<std::string> tables;
    Statement t(db, "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
    while (t.step()) {
        out << QString::fromStdString(t.text(0) + " " + t.text(1));
        if (t.text(0) == "table") tables.push_back(t.text(1));
    }
    for (const auto& name : tables) {
        Statement c(db, "PRAGMA table_info(" + name + ")");
        while (c.step())
            out << QString::fromStdString(name + "." + c.text(1) + " " + c.text(2) + " nn=" +
                                          std::to_string(c.int64(3)) + " dflt=" + c.text(4) +
                                          " pk=" + std::to_string(c.int64(5)));
    }
    return out;
}

void expectError(const std::function<void()>& f, const QString& needle, ErrorKind kind = ErrorKind::Io) {
    try {
        f();
        QFAIL(qPrintable("no error; expected one containing: " + needle));
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(needle, Qt::CaseInsensitive), e.what());
        QCOMPARE(nameOf(e.kind()), nameOf(kind));
    }
}

const std::vector<uint8_t> kOldBlob{1, 2, 3, 4};

// n bytes of a pattern that differs from chunk to chunk.
std::vector<uint8_t> pattern(std::size_t n) {
    std::vector<uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + i / 13);
    return v;
}

// A small chunk size for one test, back to the default however the test ends.
struct SmallChunks {
    explicit SmallChunks(std::size_t bytes = 16) { setCheckpointChunkBytesForTesting(bytes); }
    ~SmallChunks() { setCheckpointChunkBytesForTesting(0); }
};

}  // namespace

class TestRunStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

private slots:
    // A run of an unnamed project is named after its data, not "run": a list of them stays
    // readable; a named project's runs keep its name.
    void unnamedProjectsRunsAreNamedAfterTheirData() {
        ProjectDocument doc;
        doc.data.source = "synthetic:spiral?samples=200&classes=2";
        doc.nodes = {makeNode("input", "Input"), makeNode("out", "Dense", {"input"})};
        QCOMPARE(describeRun(prepareRun(doc)).name, std::string("spiral run"));
        doc.data.source = "builtin:iris";
        QCOMPARE(describeRun(prepareRun(doc)).name, std::string("iris run"));
        doc.name = "Petals";
        QCOMPARE(describeRun(prepareRun(doc)).name, std::string("Petals"));
    }

    // The runs list's settings column names a distilled run's teacher, pruning and
    // quantization-aware training; the finished run keeps every pruned layer's sparsity.
    void compressionShowsInTheListAndTheSparsityIsKept() {
        RunStore s(path("compression.db"));
        NewRun r = sampleRun("student");
        r.settingsJson = R"({"training.optimizer.type":"adam","training.optimizer.lr":0.001,"training.batch_size":64,)"
                         R"("training.distillation.teacher":"run:3","training.pruning.enabled":true,)"
                         R"("training.pruning.structure":"structured","training.pruning.final_sparsity":0.5,)"
                         R"("training.quantization_aware.enabled":true})";
        const int64_t id = s.beginRun(r);
        RunOutcome o;
        o.status = "completed";
        o.sparsityJson = sparsityJson({{"fc1", 100, 50, 10, 5}, {"out", 30, 15, 3, 0}});
        s.finishRun(id, o);
        const int64_t plain = s.beginRun(sampleRun("plain"));
        const auto runs = s.listRuns();
        QCOMPARE(runs[0].keySettings,
                 std::string("adam, lr 0.001, batch 64, distilled from run:3, pruned structured 50%, int8-aware"));
        QCOMPARE(runs[1].keySettings, std::string(""));
        const auto layers = sparsityFromJson(s.run(id)->sparsityJson);
        QCOMPARE(layers.size(), std::size_t{2});
        QCOMPARE(layers[0].node, std::string("fc1"));
        QCOMPARE(layers[0].zeros, int64_t{50});
        QCOMPARE(layers[0].unitsPruned, int64_t{5});
        QCOMPARE(layers[1].sparsity(), 0.5);
        QVERIFY(s.run(plain)->sparsityJson.empty());
        QVERIFY(sparsityFromJson("not json").empty());
    }

    void freshDatabase() {
        RunStore s(path("fresh.db"));
        QCOMPARE(schemaVersion(s.db()), kSchemaVersion);
        Statement wal(s.db(), "PRAGMA journal_mode");
        QVERIFY(wal.step());
        QCOMPARE(wal.text(0), std::string("wal"));
        Statement fk(s.db(), "PRAGMA foreign_keys");
        QVERIFY(fk.step());
        QCOMPARE(fk.int64(0), int64_t{1});
        for (const char* table : {"runs", "step_losses", "epochs", "evaluations", "checkpoints", "tags"})
            QCOMPARE(count(s.db(), table), int64_t{0});
    }

    void migratesFromEveryVersion_data() {
        QTest::addColumn<int>("from");
        for (int v = 0; v < kSchemaVersion; ++v) QTest::addRow("v%d", v) << v;
    }
    void migratesFromEveryVersion() {
        QFETCH(int, from);
        const std::string file = path(("old" + std::to_string(from) + ".db").c_str());
        {
            SqliteDb db(file, false);
            migrate(db, from);
            QCOMPARE(schemaVersion(db), from);
            if (from >= 1)  // a run as that version's writer left it
                db.exec("INSERT INTO runs(name, project_json, settings_json, data_json, device, threads, "
                        "precision, seed, program_version, started_at, status, host, pid, pid_start, "
                        "epochs_planned, epochs_done) VALUES('old', '{}', '{}', '{}', 'CPU', 1, 'fp32', 1, "
                        "'0.0.1', 1.0, 'completed', 'h', 1, 1, 5, 5); "
                        "INSERT INTO epochs(run_id, epoch, train_loss, train_accuracy, lr, seconds, "
                        "samples_per_sec, best) VALUES(1, 1, 0.5, 0.5, 0.1, 1, 1, 1)");
            if (from >= 2)  // a checkpoint in one blob, as versions 2 and 3 stored them
                db.exec("INSERT INTO checkpoints(run_id, kind, epoch, format, bytes, crc32, data, "
                        "created_at) VALUES(1, 'best', 5, 'weights-f32', 4, " +
                        std::to_string(crc32Of(kOldBlob)) + ", x'01020304', 1.0)");
        }
        RunStore s(file);
        QCOMPARE(schemaVersion(s.db()), kSchemaVersion);
        RunStore fresh(path(("fresh_for" + std::to_string(from) + ".db").c_str()));
        QCOMPARE(layout(s.db()), layout(fresh.db()));
        if (from >= 1) {
            const RunDetails r = s.requireRun(1);
            QCOMPARE(r.name, std::string("old"));
            QCOMPARE(r.epochsDone, 5);
            QCOMPARE(r.note, std::string());
            QCOMPARE(r.resumes, 0);
            QCOMPARE(s.epochs(1).size(), std::size_t{1});
        }
        if (from >= 2) {
            const auto old = s.checkpoint(1, CheckpointKind::Best);
            QVERIFY(old.has_value());
            QCOMPARE(old->data, kOldBlob);
            QCOMPARE(old->epoch, 5);
            s.db().exec("UPDATE checkpoints SET data = x'01020305' WHERE run_id = 1");
            expectError([&] { s.checkpoint(1, CheckpointKind::Best); }, "fails its checksum", ErrorKind::BadInput);
        }
        // The migrated database takes every kind of write.
        const int64_t id = writeRun(s);
        s.addTag(id, "migrated");
        QCOMPARE(s.requireRun(id).tags, std::vector<std::string>{"migrated"});
    }

    void newerDatabaseIsRefused() {
        const std::string file = path("newer.db");
        {
            RunStore s(file);
            writeRun(s);
            s.db().exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
        }
        expectError([&] { RunStore s(file); }, "written by a newer Neurite");
        expectError([&] { RunStore s(file, RunStore::Mode::ReadOnly); }, "update Neurite");
    }

    void writesAndReadsBack() {
        RunStore s(path("rw.db"));
        const int64_t id = writeRun(s, "first");
        const int64_t id2 = writeRun(s, "second");
        const auto runs = s.listRuns();
        QCOMPARE(runs.size(), std::size_t{2});
        QCOMPARE(runs[0].id, id);
        QCOMPARE(runs[1].name, std::string("second"));
        QCOMPARE(runs[0].status, std::string("completed"));
        QCOMPARE(runs[0].epochsDone, 2);
        QCOMPARE(runs[0].bestEpoch, 1);
        QCOMPARE(*runs[0].testAccuracy, 0.75);
        QVERIFY(!runs[0].valLoss.has_value());
        QVERIFY(runs[0].endedAt.has_value());

        const RunDetails d = s.requireRun(id2);
        QCOMPARE(d.projectJson, std::string(R"({"name":"second"})"));
        QCOMPARE(d.seed, uint64_t{7});
        QCOMPARE(d.pid, static_cast<int64_t>(getpid()));

        QCOMPARE(s.steps(id).size(), std::size_t{10});
        const auto later = s.steps(id, 7);  // incremental: only what is new
        QCOMPARE(later.size(), std::size_t{3});
        QCOMPARE(later[0].step, int64_t{8});
        QCOMPARE(later[0].loss, 1.f / 8.f);
        const auto epochs = s.epochs(id);
        QCOMPARE(epochs.size(), std::size_t{2});
        QCOMPARE(*epochs[0].valAccuracy, 0.6);
        QVERIFY(epochs[0].best);
        QVERIFY(!epochs[1].valLoss.has_value());
        QCOMPARE(epochs[0].metricsJson, std::string(R"({"accuracy":0.6})"));
        QCOMPARE(s.epochs(id, 1).size(), std::size_t{1});
        const auto evals = s.evaluations(id);
        QCOMPARE(evals.size(), std::size_t{1});
        QCOMPARE(*evals[0].auc, 0.9);
        const auto ck = s.checkpoint(id, CheckpointKind::Best);
        QVERIFY(ck.has_value());
        QCOMPARE(ck->data, (std::vector<uint8_t>{5, 6, 7, 8}));
        QCOMPARE(ck->epoch, 1);
        QCOMPARE(ck->format, std::string("weights-f32"));
        QVERIFY(!s.checkpoint(id, CheckpointKind::Final).has_value());
        expectError([&] { s.requireRun(99); }, "no run 99", ErrorKind::BadInput);
    }

    void tagsNotesAndDelete() {
        RunStore s(path("edit.db"));
        const int64_t keep = writeRun(s, "keep");
        const int64_t gone = writeRun(s, "gone");
        s.addTag(gone, "baseline");
        s.addTag(gone, "adam");
        s.addTag(gone, "adam");  // twice is once
        s.addTag(keep, "other");
        s.setNote(gone, "lr too high");
        const auto runs = s.listRuns();
        QCOMPARE(runs[1].tags, (std::vector<std::string>{"adam", "baseline"}));
        QCOMPARE(runs[1].note, std::string("lr too high"));
        s.deleteRun(gone);
        QVERIFY(!s.run(gone).has_value());
        // Everything of the deleted run went with it, nothing of the other run did.
        QCOMPARE(count(s.db(), "step_losses"), int64_t{10});
        QCOMPARE(count(s.db(), "epochs"), int64_t{2});
        QCOMPARE(count(s.db(), "checkpoints"), int64_t{1});  // the kept run's best
        QCOMPARE(count(s.db(), "checkpoint_chunks"), int64_t{1});
        QCOMPARE(count(s.db(), "evaluations"), int64_t{1});
        QCOMPARE(count(s.db(), "tags"), int64_t{1});
        expectError([&] { s.deleteRun(gone); }, "no run", ErrorKind::BadInput);
    }

    void damagedCheckpointIsRefused() {
        RunStore s(path("crc.db"));
        const int64_t id = writeRun(s);
        s.db().exec("UPDATE checkpoint_chunks SET data = x'05060709'");
        expectError([&] { s.checkpoint(id, CheckpointKind::Best); }, "fails its checksum", ErrorKind::BadInput);
    }

    // Checkpoints are stored in chunks (an SQLite value holds at most 1 GB; a 157M-parameter
    // model's trainer state is 1.9 GB): every size around the chunk size reads back whole.
    void checkpointsInChunks_data() {
        QTest::addColumn<int>("bytes");
        for (int n : {0, 1, 15, 16, 17, 32, 100, 1000}) QTest::addRow("%d bytes", n) << n;
    }
    void checkpointsInChunks() {
        QFETCH(int, bytes);
        SmallChunks small;
        RunStore s(path(("chunks" + std::to_string(bytes) + ".db").c_str()));
        const int64_t id = s.beginRun(sampleRun());
        const std::vector<uint8_t> data = pattern(static_cast<std::size_t>(bytes));
        s.putCheckpoint(id, {CheckpointKind::Latest, 3, "trainer-state", data});
        QCOMPARE(count(s.db(), "checkpoint_chunks"), int64_t{(bytes + 15) / 16});
        const auto back = s.checkpoint(id, CheckpointKind::Latest);
        QVERIFY(back.has_value());
        QCOMPARE(back->data, data);
        QCOMPARE(back->epoch, 3);
        // A smaller replacement leaves none of the old chunks behind.
        s.putCheckpoint(id, {CheckpointKind::Latest, 4, "trainer-state", pattern(5)});
        QCOMPARE(count(s.db(), "checkpoint_chunks"), int64_t{1});
        QCOMPARE(s.checkpoint(id, CheckpointKind::Latest)->data, pattern(5));
    }

    // The failure of the issue: with SQLite's value limit below the checkpoint's size the
    // single-blob write failed ("string or blob too big"); in chunks below the limit it fits.
    void checkpointLargerThanSqlitesValueLimit() {
        SmallChunks chunks(4096);
        RunStore s(path("limit.db"));
        sqlite3_limit(s.db().handle(), SQLITE_LIMIT_LENGTH, 10000);
        const int64_t id = s.beginRun(sampleRun());
        const std::vector<uint8_t> big = pattern(100000);
        s.putCheckpoint(id, {CheckpointKind::Latest, 1, "trainer-state", big});
        QCOMPARE(s.checkpoint(id, CheckpointKind::Latest)->data, big);
        QCOMPARE(count(s.db(), "checkpoint_chunks"), int64_t{25});
        // One chunk over the limit is refused as a whole: the previous checkpoint stays.
        setCheckpointChunkBytesForTesting(20000);
        expectError([&] { s.putCheckpoint(id, {CheckpointKind::Latest, 2, "trainer-state", pattern(50000)}); },
                    "too big");
        const auto kept = s.checkpoint(id, CheckpointKind::Latest);
        QCOMPARE(kept->epoch, 1);
        QCOMPARE(kept->data, big);
    }

    void damagedChunksAreRefused_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("a chunk missing") << "DELETE FROM checkpoint_chunks WHERE seq = 2" << "is incomplete (4 of 5 chunks";
        QTest::newRow("a chunk too many") << "INSERT INTO checkpoint_chunks VALUES(1, 'latest', 5, x'00')" << "is incomplete (6 of 5";
        QTest::newRow("a chunk cut short") << "UPDATE checkpoint_chunks SET data = x'0102' WHERE seq = 0" << "66 of 80 bytes";
        QTest::newRow("chunks renumbered") << "UPDATE checkpoint_chunks SET seq = seq + 10" << "is incomplete";
        QTest::newRow("a byte changed") << "UPDATE checkpoint_chunks SET data = zeroblob(16) WHERE seq = 3" << "fails its checksum";
        QTest::newRow("two chunks swapped")
            << "UPDATE checkpoint_chunks SET seq = 100 WHERE seq = 1; UPDATE checkpoint_chunks SET seq = 1 "
               "WHERE seq = 3; UPDATE checkpoint_chunks SET seq = 3 WHERE seq = 100"
            << "fails its checksum";
        QTest::newRow("absurd size") << "UPDATE checkpoints SET bytes = 9000000000000000000" << "is incomplete";
    }
    void damagedChunksAreRefused() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        SmallChunks small;
        RunStore s(path(("damaged_" + std::string(QTest::currentDataTag()) + ".db").c_str()));
        QCOMPARE(s.beginRun(sampleRun()), int64_t{1});
        s.putCheckpoint(1, {CheckpointKind::Latest, 1, "trainer-state", pattern(80)});
        s.db().exec(damage.toStdString());
        expectError([&] { s.checkpoint(1, CheckpointKind::Latest); }, expected, ErrorKind::BadInput);
    }

    // Only interrupted, cancelled and failed runs can be resumed; the others lose the latest
    // trainer state (2.8 of 4.7 MB per Fashion-MNIST MLP run) and keep best and final.
    void finishedRunsDropTheLatestState_data() {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("keepsLatest");
        QTest::newRow("completed") << "completed" << false;
        QTest::newRow("early_stopped") << "early_stopped" << false;
        QTest::newRow("cancelled") << "cancelled" << true;
        QTest::newRow("failed") << "failed" << true;
    }
    void finishedRunsDropTheLatestState() {
        QFETCH(QString, status);
        QFETCH(bool, keepsLatest);
        RunStore s(path(("finish_" + status.toStdString() + ".db").c_str()));
        const int64_t id = writeRun(s, "r", status.toStdString());
        QCOMPARE(s.checkpoint(id, CheckpointKind::Latest).has_value(), keepsLatest);
        QVERIFY(s.checkpoint(id, CheckpointKind::Best).has_value());
        Statement q(s.db(), "SELECT count(*) FROM checkpoint_chunks WHERE kind = 'latest'");
        QVERIFY(q.step());
        QCOMPARE(q.int64(0), int64_t{keepsLatest ? 1 : 0});
    }

    void deadWritersRunIsInterrupted() {
        const std::string file = path("dead.db");
        int64_t id = 0, alive = 0;
        {
            RunStore s(file);
            id = s.beginRun(sampleRun());
            alive = s.beginRun(sampleRun());
            // The pid of a process that has exited, as a killed trainer leaves it.
            const pid_t child = fork();
            if (child == 0) _exit(0);
            waitpid(child, nullptr, 0);
            Statement u(s.db(), "UPDATE runs SET pid = ?1 WHERE id = ?2");
            u.bind(1, int64_t{child}).bind(2, id).run();
            QCOMPARE(s.listRuns()[0].status, std::string("interrupted"));
            QCOMPARE(s.listRuns()[1].status, std::string("running"));  // this process lives
        }
        RunStore reader(file, RunStore::Mode::ReadOnly);
        QCOMPARE(reader.requireRun(id).status, std::string("interrupted"));
        RunStore writer(file);  // a writer records it
        Statement q(writer.db(), "SELECT status, message FROM runs WHERE id = ?1");
        q.bind(1, id);
        QVERIFY(q.step());
        QCOMPARE(q.text(0), std::string("interrupted"));
        QVERIFY(q.text(1).find("runs resume") != std::string::npos);
        QCOMPARE(writer.requireRun(alive).status, std::string("running"));
        expectError([&] { writer.deleteRun(alive); }, "still running", ErrorKind::BadInput);
    }

    void notADatabase() {
        const std::string file = path("notes.txt");
        std::ofstream(file) << std::string(5000, 'x');
        expectError([&] { RunStore s(file); }, "not a Neurite run database");
        expectError([&] { RunStore s(file, RunStore::Mode::ReadOnly); }, "file is not a database");
        std::ifstream in(file);
        QCOMPARE(std::string(std::istreambuf_iterator<char>(in), {}), std::string(5000, 'x'));
    }

    void corruptDatabase() {
        const std::string file = path("corrupt.db");
        {
            RunStore s(file);
            for (int i = 0; i < 20; ++i) writeRun(s);
            s.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        // Garbage over the schema page, past the 100-byte header.
        {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            const std::string junk(3000, '\x5a');
            f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        }
        expectError([&] {
            RunStore s(file, RunStore::Mode::ReadOnly);
            s.listRuns();
        }, "malformed");
        expectError([&] { RunStore s(file); }, "damaged");
    }

    void readOnlyDatabase() {
        // In a directory of its own that an ordinary user may enter but not write.
        std::filesystem::create_directory(path("ro"));
        std::filesystem::permissions(m_dir.path().toStdString(), std::filesystem::perms::others_exec,
                                     std::filesystem::perm_options::add);
        std::filesystem::permissions(path("ro"), std::filesystem::perms::others_exec,
                                     std::filesystem::perm_options::add);
        const std::string file = path("ro/ro.db");
        int64_t id = 0;
        {
            RunStore s(file);
            id = writeRun(s);
            s.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                               std::filesystem::perms::others_read);
        // root ignores file modes: the attempt runs in a child that drops to an ordinary user.
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
            std::string msg = "no error";
            try {
                RunStore s(file);
                s.setNote(id, "lost?");
            } catch (const Error& e) {
                msg = e.what();
            }
            if (write(fds[1], msg.data(), msg.size()) < 0) _exit(4);
            _exit(0);
        }
        close(fds[1]);
        std::string msg;
        char buf[512];
        for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, static_cast<std::size_t>(n));
        close(fds[0]);
        int status = 0;
        waitpid(child, &status, 0);
        QCOMPARE(WEXITSTATUS(status), 0);
        QVERIFY2(QString::fromStdString(msg).contains("read-only"), msg.c_str());
        std::filesystem::permissions(file, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
        RunStore s(file, RunStore::Mode::ReadOnly);
        QCOMPARE(s.requireRun(id).note, std::string());
        QCOMPARE(s.steps(id).size(), std::size_t{10});
    }

    void lockedDatabase() {
        const std::string file = path("locked.db");
        RunStore s(file);
        const int64_t id = writeRun(s);
        RunStore other(file, RunStore::Mode::ReadWrite, 200);
        Transaction hold(s.db());  // another writer holds the lock
        expectError([&] { other.setNote(id, "x"); }, "locked");
        // A reader is not blocked by the writer (WAL).
        RunStore reader(file, RunStore::Mode::ReadOnly, 200);
        QCOMPARE(reader.steps(id).size(), std::size_t{10});
    }

    void fullDisk() {
        const std::string file = path("full.db");
        RunStore s(file);
        const int64_t id = writeRun(s);
        Statement pc(s.db(), "PRAGMA page_count");
        pc.step();
        const int64_t pages = pc.int64(0);
        pc.reset();
        // No room for one more page, as on a full disk.
        s.db().exec("PRAGMA max_page_count = " + std::to_string(pages));
        const std::vector<uint8_t> big(1 << 20, 7);
        expectError([&] {
            Transaction tx(s.db());
            s.putCheckpoint(id, {CheckpointKind::Final, 2, "weights-f32", big});
            tx.commit();
        }, "disk is full");
        RunStore check(file, RunStore::Mode::ReadOnly);
        Statement ic(check.db(), "PRAGMA integrity_check");
        QVERIFY(ic.step());
        QCOMPARE(ic.text(0), std::string("ok"));
        QCOMPARE(check.steps(id).size(), std::size_t{10});
        QCOMPARE(check.epochs(id).size(), std::size_t{2});
        QVERIFY(!check.checkpoint(id, CheckpointKind::Final).has_value());
    }

    void missingDatabaseForReading() {
        expectError([&] { RunStore s(path("absent.db"), RunStore::Mode::ReadOnly); }, "no run database here yet",
                    ErrorKind::BadInput);
        QVERIFY(!std::filesystem::exists(path("absent.db")));
    }

    void defaultPathFollowsXdg() {
        qputenv("XDG_DATA_HOME", m_dir.path().toUtf8() + "/xdg");
        QCOMPARE(RunStore::defaultPath(true), path("xdg/neurite/runs.db"));
        QVERIFY(std::filesystem::is_directory(path("xdg/neurite")));
        qunsetenv("XDG_DATA_HOME");
        qputenv("HOME", m_dir.path().toUtf8());
        QCOMPARE(RunStore::defaultPath(false), path(".local/share/neurite/runs.db"));
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "test_run_store.moc"
