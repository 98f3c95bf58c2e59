// A regression run's target scaling is part of the run: recorded in its data description, used
// when the run's model is loaded back (export, the GUI) and when it is resumed, whatever fitting
// the data again would give. A run recorded before target scaling existed (no statistics, no
// target_scaling key in its project) loads, exports, predicts and resumes as it did then: as the
// identity, though the option now defaults to standardize.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "io/project.h"
#include "run_model.h"
#include "run_store.h"
#include "support/test_env.h"

using namespace neurite;
using storage::RunStore;

namespace {

struct Result {
    int code = -1;
    QByteArray out, err;
};

Result runCli(const QStringList& args) {
    QProcess p;
    p.start(qEnvironmentVariable("NEURITE_CLI"), args);
    p.waitForFinished(180000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

double finishedTestRmse(const QByteArray& out) {
    const QJsonObject fin = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    return fin["test_metrics"].toObject()["rmse"].toDouble(-1);
}

// Edits of run 1's data description: its std with a leading 2 (thousands larger), and a zero std.
const char* const kWidenStoredStd =
    "UPDATE runs SET data_json = replace(data_json, '\"target_std\":[', '\"target_std\":[2') WHERE id = 1";
const char* const kZeroStoredStd =
    "UPDATE runs SET data_json = '{\"target_mean\":[1],\"target_std\":[0]}' WHERE id = 1";

// A small regression project on `csv`, trained on raw or standardized targets.
void writeProject(const QString& path, const QString& csv, const char* targetScaling) {
    std::ofstream(path.toStdString())
        << "{\"format\": \"neurite-project\", \"version\": 1, \"name\": \"r\", \"data\": {\"source\": \"csv:"
        << csv.toStdString() << "?task=regression\", \"validation_split\": 0.2, \"test_split\": 0.2, "
        << "\"target_scaling\": \"" << targetScaling << "\"}, \"model\": {\"nodes\": ["
        << "{\"id\": \"input\", \"op\": \"Input\"},"
        << "{\"id\": \"fc1\", \"op\": \"Dense\", \"params\": {\"units\": 16}, \"inputs\": [\"input\"]},"
        << "{\"id\": \"act1\", \"op\": \"Tanh\", \"inputs\": [\"fc1\"]},"
        << "{\"id\": \"out\", \"op\": \"Dense\", \"params\": {\"units\": \"auto\"}, \"inputs\": [\"act1\"]}]},"
        << "\"training\": {\"epochs\": 3, \"batch_size\": 16, \"seed\": 2, \"threads\": 1, "
        << "\"loss\": {\"type\": \"mse\"}, \"optimizer\": {\"type\": \"adam\", \"lr\": 0.01}}}";
}

}  // namespace

class TestRunTargetScaling : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project, m_inputs, m_db;

    QByteArray predictFromRun(int64_t run, const char* name) {
        const QString model = m_dir.filePath(name);
        Result e = runCli({"export", "--run", QString::number(run), "--db", m_db, "--format", "native", "-o", model});
        if (e.code != 0) qWarning() << e.err;
        Result p = runCli({"predict", model, "--input", m_inputs, "--csv"});
        if (p.code != 0) qWarning() << p.err;
        return p.out;
    }

private slots:
    void initTestCase() {
        // y in the thousands: unscaled training and scaled training give clearly different models.
        std::ofstream csv(m_dir.filePath("y.csv").toStdString());
        csv << "a,b,y\n";
        for (int i = 0; i < 120; ++i) {
            const double a = std::sin(0.37 * i), b = std::cos(0.23 * i);
            csv << a << "," << b << "," << 3000 + 400 * a - 250 * b * b << "\n";
        }
        std::ofstream(m_dir.filePath("in.csv").toStdString()) << "a,b\n0.1,0.2\n-0.7,0.5\n0.9,-0.9\n";
        m_inputs = m_dir.filePath("in.csv");
        m_project = m_dir.filePath("r.neurite.json");
        m_db = m_dir.filePath("runs.db");
    }

    // Run 1: standardized targets; the statistics are recorded and loaded back.
    void aRunRecordsItsScaling() {
        writeProject(m_project, m_dir.filePath("y.csv"), "standardize");
        Result t = runCli({"train", m_project, "--db", m_db, "--json"});
        QVERIFY2(t.code == 0, t.err.constData());
        RunStore store(m_db.toStdString());
        const QJsonObject data = QJsonDocument::fromJson(QByteArray::fromStdString(store.requireRun(1).dataJson)).object();
        QVERIFY2(data.contains("target_mean") && data.contains("target_std"), store.requireRun(1).dataJson.c_str());
        const double mean = data["target_mean"].toArray()[0].toDouble();
        QVERIFY2(mean > 2500 && mean < 3500, qPrintable(QString::number(mean)));
        RunSetup s = storage::loadRunModel(store, 1, storage::CheckpointKind::Final);
        QCOMPARE(s.data.targetScaling.mean.at(0), static_cast<float>(mean));
        // The stored statistics win over fitting the data again.
        store.db().exec(kWidenStoredStd);
        RunSetup edited = storage::loadRunModel(store, 1, storage::CheckpointKind::Final);
        QVERIFY(edited.data.targetScaling.stddev.at(0) != s.data.targetScaling.stddev.at(0));
        QVERIFY(edited.data.targetScaling.stddev.at(0) > 2000);
        store.db().exec(kZeroStoredStd);
        try {
            storage::loadRunModel(store, 1, storage::CheckpointKind::Final);
            QFAIL("a zero std was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("positive standard deviations"), e.what());
        }
    }

    // Run 2 as an old run: trained on raw targets, then its record made exactly like one from
    // before target scaling (no statistics, no target_scaling key, so the project now reads as
    // the default "standardize"). Export and predict must behave as before the edit.
    void anOldRunStaysTheIdentity() {
        writeProject(m_project, m_dir.filePath("y.csv"), "none");
        Result t = runCli({"train", m_project, "--db", m_db, "--json"});
        QVERIFY2(t.code == 0, t.err.constData());
        const double rmseBefore = finishedTestRmse(t.out);
        QVERIFY(rmseBefore > 0);
        const QByteArray before = predictFromRun(2, "before.nmodel");
        QVERIFY(!before.isEmpty());
        {
            RunStore store(m_db.toStdString());
            const storage::RunDetails run = store.requireRun(2);
            QVERIFY(run.dataJson.find("target_mean") == std::string::npos);
            ProjectDocument doc = parseProject(run.projectJson, "run 2", nullptr);
            QCOMPARE(doc.data.targetScaling, std::string("none"));
            doc.data.targetScaling = "standardize";  // the default: left out of the JSON
            const std::string legacy = projectToJson(doc);
            QVERIFY(legacy.find("\"target_scaling\"") == std::string::npos);
            storage::Statement q(store.db(), "UPDATE runs SET project_json = ?1, status = 'interrupted' WHERE id = 2");
            q.bind(1, legacy).run();
            RunSetup s = storage::loadRunModel(store, 2, storage::CheckpointKind::Final);
            QVERIFY(!s.data.targetScaling.active());
        }
        QCOMPARE(predictFromRun(2, "after.nmodel"), before);
        // `runs resume` restores the statistics with the same storage::restoreTargetScaling that
        // loadRunModel used above; a completed run keeps no trainer state to resume from (it is
        // dropped when the run completes), so the resume path is not run here.
    }
};

QTEST_GUILESS_MAIN(TestRunTargetScaling)
#include "test_run_target_scaling.moc"
