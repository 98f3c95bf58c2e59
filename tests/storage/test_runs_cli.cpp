// neurite-cli train recording into the store and the runs subcommands as users script them:
// run_id in the finished event, --no-db, the XDG default, list/show/compare/tag/note/export/
// delete with --json, their errors (exit 2, one error: line naming the file), and a stored final
// model loaded back (with the data's preprocessing) reproducing the recorded test metrics.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "run_model.h"
#include "run_store.h"
#include "support/test_env.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

struct Result {
    int code = -1;
    QByteArray out, err;
};

Result runCli(const QStringList& args, const QString& xdg = {}) {
    QProcess p;
    if (!xdg.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", xdg);
        p.setProcessEnvironment(env);
    }
    p.start(qEnvironmentVariable("NEURITE_CLI"), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QJsonObject lastEvent(const QByteArray& out) {
    const auto lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

QString spiral() {
    return QString::fromStdString(test::sourceDir()) + "/resources/examples/spiral.neurite.json";
}

// One error line that names the database file.
void expectCliError(const Result& r, const QString& file, const QString& needle) {
    QCOMPARE(r.code, 2);
    const QStringList lines = QString(r.err).trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines[0].startsWith("error: "), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(file), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(needle), qPrintable(lines[0]));
}

}  // namespace

class TestRunsCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

private slots:
    void initTestCase() {
        QVERIFY(!qEnvironmentVariable("NEURITE_CLI").isEmpty());
        m_db = m_dir.filePath("runs.db");
    }

    void trainRecordsAndReportsRunId() {
        for (const char* lr : {"0.01", "0.03"}) {
            const Result r = runCli({"train", spiral(), "--epochs", "3", "--threads", "1", "--json",
                                     "--lr", lr, "--db", m_db});
            QCOMPARE(r.code, 0);
            const QJsonObject fin = lastEvent(r.out);
            QCOMPARE(fin["event"].toString(), QString("finished"));
            QCOMPARE(fin["run_id"].toInt(), QString(lr) == "0.01" ? 1 : 2);
        }
        storage::RunStore s(m_db.toStdString(), storage::RunStore::Mode::ReadOnly);
        const auto r = s.requireRun(1);
        QCOMPARE(r.status, std::string("completed"));
        QCOMPARE(r.epochsDone, 3);
        QCOMPARE(s.epochs(1).size(), std::size_t{3});
        QVERIFY(s.checkpoint(1, storage::CheckpointKind::Final).has_value());
        QVERIFY(s.checkpoint(1, storage::CheckpointKind::Best).has_value());
    }

    void noDbAndDefaultLocation() {
        const QString xdg = m_dir.filePath("xdg");
        Result r = runCli({"train", spiral(), "--epochs", "1", "--json", "--no-db"}, xdg);
        QCOMPARE(r.code, 0);
        QVERIFY(!lastEvent(r.out).contains("run_id"));
        QVERIFY(!QFile::exists(xdg + "/neurite/runs.db"));
        r = runCli({"train", spiral(), "--epochs", "1", "--json"}, xdg);
        QCOMPARE(r.code, 0);
        QCOMPARE(lastEvent(r.out)["run_id"].toInt(), 1);
        QVERIFY(QFile::exists(xdg + "/neurite/runs.db"));
        r = runCli({"runs", "list", "--json"}, xdg);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
    }

    void listShowCompare() {
        Result r = runCli({"runs", "list", "--json", "--db", m_db});
        QCOMPARE(r.code, 0);
        const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].toObject()["status"].toString(), QString("completed"));
        QCOMPARE(runs[1].toObject()["epochs_done"].toInt(), 3);

        r = runCli({"runs", "show", "1", "--json", "--db", m_db});
        QCOMPARE(r.code, 0);
        const QJsonObject show = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(show["epochs"].toArray().size(), 3);
        QCOMPARE(show["settings"].toObject()["training.epochs"].toInt(), 3);
        QCOMPARE(show["data"].toObject()["train"].toInt(), 1050);
        const QJsonObject test = show["evaluations"].toObject()["test"].toObject();
        QCOMPARE(test["confusion_matrix"].toObject()["counts"].toArray().size(), 3);
        QCOMPARE(test["roc"].toArray().size(), 3);
        QCOMPARE(test["accuracy"].toDouble(), runs[0].toObject()["test_accuracy"].toDouble());

        r = runCli({"runs", "compare", "1", "2", "--json", "--db", m_db});
        QCOMPARE(r.code, 0);
        const QJsonObject cmp = QJsonDocument::fromJson(r.out).object();
        const QJsonObject diff = cmp["differing_settings"].toObject();
        QCOMPARE(diff.keys(), QStringList{"training.optimizer.lr"});
        QCOMPARE(diff["training.optimizer.lr"].toArray()[1].toDouble(), 0.03);
        QCOMPARE(cmp["metrics"].toObject()["test_accuracy"].toArray().size(), 2);
        r = runCli({"runs", "compare", "1", "2", "--db", m_db});
        QVERIFY(r.out.contains("training.optimizer.lr"));
        QVERIFY(!r.out.contains("training.epochs"));
    }

    void tagNoteExportDelete() {
        QCOMPARE(runCli({"runs", "tag", "1", "baseline", "--db", m_db}).code, 0);
        QCOMPARE(runCli({"runs", "note", "1", "first try", "--db", m_db}).code, 0);
        Result r = runCli({"runs", "show", "1", "--json", "--db", m_db});
        const QJsonObject show = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(show["tags"].toArray().first().toString(), QString("baseline"));
        QCOMPARE(show["note"].toString(), QString("first try"));

        const QString dir = m_dir.filePath("export");
        QCOMPARE(runCli({"runs", "export", "1", "--csv", dir, "--db", m_db}).code, 0);
        QFile epochs(dir + "/epochs.csv");
        QVERIFY(epochs.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = epochs.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith("epoch,train_loss"));
        QVERIFY(lines[3].startsWith("3,"));
        for (const char* f : {"steps.csv", "metrics_test.csv", "confusion_test.csv", "roc_test.csv", "pr_validation.csv"})
            QVERIFY2(QFile::exists(dir + "/" + f), f);

        QCOMPARE(runCli({"runs", "delete", "2", "--db", m_db}).code, 0);
        r = runCli({"runs", "list", "--json", "--db", m_db});
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
        storage::RunStore s(m_db.toStdString(), storage::RunStore::Mode::ReadOnly);
        QVERIFY(!s.checkpoint(2, storage::CheckpointKind::Final).has_value());
        QVERIFY(s.checkpoint(1, storage::CheckpointKind::Final).has_value());
    }

    void errors() {
        expectCliError(runCli({"runs", "show", "99", "--db", m_db}), m_db, "no run 99");
        expectCliError(runCli({"runs", "resume", "1", "--db", m_db}), "run 1", "is completed");
        const QString missing = m_dir.filePath("missing.db");
        expectCliError(runCli({"runs", "tag", "1", "x", "--db", missing}), missing, "no run database");
        QVERIFY(!QFile::exists(missing));
        const QString text = m_dir.filePath("text.db");
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(3000, 'x'));
        f.close();
        expectCliError(runCli({"runs", "list", "--db", text}), text, "not a database");
        expectCliError(runCli({"train", spiral(), "--db", text}), text, "not a Neurite run database");
        QCOMPARE(runCli({"runs", "frobnicate", "--db", m_db}).code, 2);
    }

    void storedModelReproducesItsMetrics() {
        storage::RunStore s(m_db.toStdString(), storage::RunStore::Mode::ReadOnly);
        const auto run = s.requireRun(1);
        RunSetup setup = storage::loadRunModel(s, 1, storage::CheckpointKind::Final);
        Trainer trainer(*setup.model, setup.data, setup.project.training);
        const EvalResult e = trainer.evaluate(setup.data.test);
        QCOMPARE(e.accuracy, *run.testAccuracy);
        QCOMPARE(e.loss, *run.testLoss);
        try {
            storage::loadRunModel(s, 2, storage::CheckpointKind::Final);
            QFAIL("a deleted run's model loaded");
        } catch (const Error& err) {
            QVERIFY2(QString(err.what()).contains("no run 2"), err.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunsCli)
#include "test_runs_cli.moc"
