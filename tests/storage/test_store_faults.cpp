// The run store under hostile databases and process faults: a negative or too-large schema
// version, another program's database (refused, byte for byte untouched), an empty file, a
// directory/device/FIFO as --db, damaged JSON in a stored run, a path that needs URI escaping
// for an immutable read, a lock held past the busy timeout (recording waits it out), SIGTERM
// and SIGHUP (cancelled like Ctrl-C) and a file-size limit (an error line, not a silent death).
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_store.h"
#include "schema.h"
#include "train/checkpoint.h"
#include "support/cli_runner.h"
#include "support/test_env.h"

using namespace neurite;
using namespace neurite::storage;
using neurite::test::example;
using neurite::test::Result;
using neurite::test::runCli;

namespace {

QByteArray fileBytes(const std::string& path) {
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

template <class F>
QString errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// One error line for the user, nothing else on stderr that looks like a crash.
bool oneErrorLine(const Result& r, const QString& expected) {
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    return r.code == 2 && lines.last().startsWith("error: ") && r.err.count("error: ") == 1 &&
           QString::fromUtf8(lines.last()).contains(expected) && !r.err.contains("internal error");
}

NewRun newRun(const std::string& name, int epochs) {
    NewRun r;
    r.name = name;
    r.projectJson = R"({"name":")" + name + R"("})";
    r.settingsJson = R"({"training.epochs":)" + std::to_string(epochs) + "}";
    r.dataJson = R"({"source":"synthetic:spiral","train":10})";
    r.device = "CPU";
    r.precision = "fp32";
    r.epochsPlanned = epochs;
    return r;
}

int64_t storedRun(const std::string& db) {
    RunStore s(db);
    const int64_t id = s.beginRun(newRun("n", 1));
    s.putEpoch(id, {1, 0.9, 0.5, 0.8, 0.6, 0.01, 1.0, 100, true, R"({"accuracy":0.6})"});
    s.putEvaluation(id, {"test", 0.5, 0.75, 0.9,
                         R"({"accuracy":0.75,"confusion_matrix":{"classes":["a","b"],"counts":[[1,0],[0,1]]}})"});
    RunOutcome o;
    o.status = "completed";
    o.epochsDone = 1;
    s.finishRun(id, o);
    return id;
}

}  // namespace

class TestStoreFaults : public QObject {
    Q_OBJECT
private slots:
    // user_version indexed the migration table unchecked: -2147483648 crashed `train`.
    void badSchemaVersionIsRefused_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("expected");
        QTest::newRow("-1") << -1 << "not a Neurite run database (its schema version";
        QTest::newRow("-100") << -100 << "user_version, is -100";
        QTest::newRow("INT_MIN") << INT_MIN << "is -2147483648";
        QTest::newRow("newer") << kSchemaVersion + 1 << "written by a newer Neurite";
        QTest::newRow("INT_MAX") << INT_MAX << "written by a newer Neurite";
    }
    void badSchemaVersionIsRefused() {
        QFETCH(int, version);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string db = dir.filePath("v.db").toStdString();
        SqliteDb(db, false).exec("PRAGMA user_version = " + std::to_string(version));
        for (const auto mode : {RunStore::Mode::ReadWrite, RunStore::Mode::ReadOnly}) {
            const QString error = errorOf([&] { RunStore s(db, mode); });
            QVERIFY2(error.contains(expected), qPrintable(error));
        }
        const Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "1", "--db",
                                 QString::fromStdString(db)});
        QVERIFY2(oneErrorLine(r, expected), r.err.constData());
    }

    // Another program's database was switched to WAL and given Neurite's tables.
    void foreignDatabaseIsNotWritten_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        QTest::newRow("its own tables") << "CREATE TABLE customers(id INTEGER, name TEXT); "
                                           "INSERT INTO customers VALUES(1, 'Ann');"
                                        << "another program (it holds customers)";
        QTest::newRow("its own runs table") << "CREATE TABLE runs(x); CREATE INDEX runs_x ON runs(x);"
                                            << "it holds runs, runs_x";
    }
    void foreignDatabaseIsNotWritten() {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string db = dir.filePath("customers.db").toStdString();
        SqliteDb(db, false).exec(sql.toStdString());
        const QByteArray before = fileBytes(db);
        QVERIFY(!before.isEmpty());
        QVERIFY2(errorOf([&] { RunStore s(db); }).contains(expected), qPrintable(errorOf([&] { RunStore s(db); })));
        const Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "1", "--db",
                                 QString::fromStdString(db)});
        QVERIFY2(oneErrorLine(r, expected), r.err.constData());
        const Result list = runCli({"runs", "list", "--db", QString::fromStdString(db)});
        QVERIFY2(oneErrorLine(list, "Neurite does not write into it"), list.err.constData());
        QCOMPARE(fileBytes(db), before);
        QVERIFY(!std::filesystem::exists(db + "-wal"));
    }

    // An empty file read-only said "schema version 0 and is read-only ... open it once with
    // write access"; writing into it is fine (nothing to lose).
    void emptyDatabaseFile() {
        QTemporaryDir dir;
        const std::string db = dir.filePath("empty.db").toStdString();
        std::ofstream(db).close();
        const Result list = runCli({"runs", "list", "--db", QString::fromStdString(db)});
        QVERIFY2(oneErrorLine(list, "an empty database without Neurite's runs"), list.err.constData());
        QVERIFY(!list.err.contains("read-only"));
        const Result train = runCli({"train", example("spiral.neurite.json"), "--epochs", "1", "--db",
                                     QString::fromStdString(db)});
        QCOMPARE(train.code, 0);
        QCOMPARE(runCli({"runs", "list", "--db", QString::fromStdString(db)}).code, 0);
    }

    // A directory said "disk I/O error; check the disk"; a FIFO would block.
    void dbThatIsNotAFile_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("directory") << "dir" << "is a directory; pass --db with a file name";
        QTest::newRow("/dev/zero") << "/dev/zero" << "it is not a regular file";
        QTest::newRow("fifo") << "fifo" << "it is not a regular file";
    }
    void dbThatIsNotAFile() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString db =
            QString::fromStdString(neurite::test::notAFile(kind.toStdString(), dir.path().toStdString(), "runs.db"));
        QVERIFY(!db.isEmpty());
        for (const QStringList& args :
             {QStringList{"train", example("spiral.neurite.json"), "--epochs", "1", "--db", db},
              QStringList{"runs", "list", "--db", db}, QStringList{"runs", "show", "1", "--db", db}}) {
            const Result r = runCli(args, 30000);
            QVERIFY2(oneErrorLine(r, expected), qPrintable(args.join(' ') + ": " + r.err));
        }
    }

    // Damaged JSON in a stored run: exit 2 naming the run, not "internal error" (exit 1) or a
    // crash (100,000-deep nesting); the list still works.
    void damagedStoredJson_data() {
        QTest::addColumn<QString>("update");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("expected");
        const QString deep = QString("[").repeated(100000) + QString("]").repeated(100000);
        QTest::newRow("garbage settings") << "UPDATE runs SET settings_json = '{{{'" << "show --json"
                                          << "run 1 settings: line 1, column 2: invalid JSON";
        QTest::newRow("deep project") << "UPDATE runs SET project_json = '" + deep + "'" << "show --json"
                                      << "run 1 project: line 1, column 101: JSON nested deeper";
        QTest::newRow("data not an object") << "UPDATE runs SET data_json = '[1]'" << "show"
                                            << "run 1 data description: the stored JSON is damaged";
        QTest::newRow("wrong types in data") << "UPDATE runs SET data_json = '{\"source\": 3}'" << "show"
                                             << "run 1 data description: $.source is 3, expected a string";
        QTest::newRow("epoch metrics 1e400") << "UPDATE epochs SET metrics_json = '{\"a\": 1e400}'"
                                             << "show --json" << "number overflow";
        QTest::newRow("report for export") << "UPDATE evaluations SET report_json = "
                                              "'{\"per_class\": [], \"confusion_matrix\": {\"classes\": 3}}'"
                                           << "export" << "run 1 test evaluation: $.confusion_matrix.classes is 3, expected a list";
        QTest::newRow("report counts past classes")
            << "UPDATE evaluations SET report_json = '{\"per_class\": [{\"class\": \"a\"}], \"confusion_matrix\": {\"classes\": [\"a\"], "
               "\"counts\": [[1], [2]]}}'"
            << "export" << "run 1 test evaluation: $.confusion_matrix.counts has 2 rows for 1 classes";
        QTest::newRow("settings for compare") << "UPDATE runs SET settings_json = '7'" << "compare"
                                              << "run 1 settings: the stored JSON is damaged";
    }
    void damagedStoredJson() {
        QFETCH(QString, update);
        QFETCH(QString, command);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string db = dir.filePath("runs.db").toStdString();
        storedRun(db);
        storedRun(db);
        SqliteDb(db, false).exec(update.toStdString() + " WHERE " +
                                 (update.contains("UPDATE runs") ? "id" : "run_id") + " = 1");
        const QString file = QString::fromStdString(db);
        QStringList args{"runs"};
        if (command == "export") args << "export" << "1" << "--csv" << dir.filePath("csv");
        else if (command == "compare") args << "compare" << "1" << "2";
        else args << "show" << "1" << (command.endsWith("--json") ? QStringList{"--json"} : QStringList{});
        args << "--db" << file;
        const Result r = runCli(args);
        QVERIFY2(oneErrorLine(r, expected), qPrintable(args.join(' ') + ": " + r.err.left(2000)));
        QVERIFY2(r.err.size() < 1000, "the error line quotes too much");
        const Result list = runCli({"runs", "list", "--json", "--db", file});
        QCOMPARE(list.code, 0);
        QVERIFY(!QJsonDocument::fromJson(list.out).isNull());
    }

    // The immutable read (for a directory that is not writable) goes through a URI: characters
    // that mean something in a URI must reach the file name unchanged.
    void immutableReadEscapesThePath() {
        QTemporaryDir dir;
        const std::string db = dir.filePath("a?b#c%d.db").toStdString();
        storedRun(db);
        SqliteDb ro(db, true, true);
        Statement q(ro, "SELECT count(*) FROM runs");
        QVERIFY(q.step());
        QCOMPARE(q.int64(0), int64_t{1});
    }

    // One lock held longer than the busy timeout ended recording for good (57 of 300 epochs
    // recorded); now the writes wait it out and every epoch lands.
    void lockPastTheBusyTimeoutIsWaitedOut() {
        QTemporaryDir dir;
        const std::string db = dir.filePath("runs.db").toStdString();
        int64_t id = 0;
        {
            RunStore s(db);
            id = s.beginRun(newRun("locked", 3));
        }
        Recorder rec(db, id, 3, reportJson(), 100);
        SqliteDb blocker(db, false);
        blocker.exec("BEGIN IMMEDIATE");
        for (int e = 1; e <= 3; ++e) {
            EpochEvent ev;
            ev.epoch = e;
            ev.epochs = 3;
            ev.trainLoss = 1.0 / e;
            rec.onEpoch(ev);
            TrainerState st;  // an epoch row commits only with its checkpoint
            st.epoch = e;
            st.model = {1.f, 2.f};
            rec.onCheckpoint(st);
        }
        FinishedEvent fin;
        fin.status = "completed";
        fin.epochs = 3;
        rec.onFinished(fin);
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the writer tries twice
        blocker.exec("COMMIT");
        rec.close();
        RunStore s(db, RunStore::Mode::ReadOnly);
        QCOMPARE(s.epochs(id).size(), std::size_t{3});
        QCOMPARE(s.requireRun(id).status, std::string("completed"));
    }

    // SIGTERM and SIGHUP left the run `interrupted`; now they cancel like Ctrl-C.
    void terminationSignalsCancel_data() {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << SIGINT;
        QTest::newRow("SIGTERM") << SIGTERM;
        QTest::newRow("SIGHUP") << SIGHUP;
    }
    void terminationSignalsCancel() {
        QFETCH(int, signal);
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        QProcess p;
        p.start(qEnvironmentVariable("NEURITE_CLI"), {"train", example("spiral.neurite.json"), "--epochs",
                                                      "100000", "--json", "--db", db});
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForReadyRead(60000));  // an epoch ended: the handler is installed
        ::kill(static_cast<pid_t>(p.processId()), signal);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const Result show = runCli({"runs", "show", "1", "--json", "--db", db});
        QCOMPARE(show.code, 0);
        QCOMPARE(QJsonDocument::fromJson(show.out).object()["status"].toString(), QString("cancelled"));
    }

    // A file-size limit killed the process with SIGXFSZ and no word; now the write fails and the
    // user gets an error line naming the limit.
    void fileSizeLimitGivesAnErrorLine() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        QProcess p;
        p.start("/bin/sh", {"-c", "ulimit -f 256; exec \"$0\" train \"$1\" --epochs 200 --db \"$2\"",
                            qEnvironmentVariable("NEURITE_CLI"), example("spiral.neurite.json"), db});
        QVERIFY(p.waitForFinished(120000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 2, err.right(2000).constData());
        QVERIFY2(err.contains("error: ") && err.contains("size limit"), err.right(2000).constData());
    }
};

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "test_store_faults.moc"
