// The store under a real writer: neurite-cli train killed with SIGKILL at random moments leaves
// an intact database with every completed epoch and its checkpoint, shown as interrupted; a
// reader sees a run grow while the CLI writes it; and `runs resume` after a kill ends with the
// same weights and metrics, bit for bit, as a run never interrupted.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include "core/error.h"
#include "run_store.h"
#include "train/checkpoint.h"

using namespace neurite;
using namespace neurite::storage;

namespace {

// A spiral large enough that an epoch takes ~0.4 s on one thread (~65,000 samples/s), so kills
// land before, inside and between epochs.
const char* kProject = R"({"format": "neurite-project", "version": 1, "name": "crash",
  "data": {"source": "synthetic:spiral?samples=40000&classes=3&noise=0.1&seed=7",
           "validation_split": 0.2, "test_split": 0.1},
  "model": {"nodes": [
    {"id": "input", "op": "Input"},
    {"id": "fc1", "op": "Dense", "params": {"units": 256}, "inputs": ["input"]},
    {"id": "relu1", "op": "ReLU", "inputs": ["fc1"]},
    {"id": "drop", "op": "Dropout", "params": {"rate": 0.1}, "inputs": ["relu1"]},
    {"id": "fc2", "op": "Dense", "params": {"units": 256}, "inputs": ["drop"]},
    {"id": "relu2", "op": "ReLU", "inputs": ["fc2"]},
    {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["relu2"]}]},
  "training": {"epochs": 6, "batch_size": 16, "seed": 3, "threads": 1,
               "optimizer": {"type": "adam", "lr": 0.005},
               "schedule": {"type": "plateau", "patience": 1}}})";

QString cli() { return qEnvironmentVariable("NEURITE_CLI"); }

int runCli(const QStringList& args, QByteArray* err = nullptr) {
    QProcess p;
    p.start(cli(), args);
    p.waitForFinished(300000);
    if (err) *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

std::string integrity(RunStore& s) {
    Statement q(s.db(), "PRAGMA integrity_check");
    q.step();
    return q.text(0);
}

// What must hold for a run whatever moment its writer died at.
void checkConsistent(RunStore& s, int64_t id) {
    const RunDetails r = s.requireRun(id);
    const auto epochs = s.epochs(id);
    QCOMPARE(static_cast<int>(epochs.size()), r.epochsDone);
    for (std::size_t i = 0; i < epochs.size(); ++i) QCOMPARE(epochs[i].epoch, static_cast<int>(i) + 1);
    const auto ck = s.checkpoint(id, CheckpointKind::Latest);  // verifies the checksum
    QCOMPARE(ck.has_value(), r.epochsDone > 0);
    if (ck) {
        QCOMPARE(ck->epoch, r.epochsDone);
        const TrainerState st = deserializeCheckpoint(ck->data, "crash test");
        QCOMPARE(st.epoch, r.epochsDone);
    }
    for (const StepPoint& p : s.steps(id)) QVERIFY(p.epoch <= r.epochsDone + 1);
}

}  // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project;

private slots:
    void initTestCase() {
        QVERIFY(!cli().isEmpty());
        QFile f(m_dir.filePath("crash.neurite.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kProject);
        m_project = f.fileName();
    }

    void killedAtRandomMoments() {
        const std::string db = m_dir.filePath("kill.db").toStdString();
        const unsigned seed = std::random_device{}();
        qInfo("kill schedule seed %u", seed);
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> delayMs(50, 4000);
        int withEpochs = 0, interrupted = 0;
        const int kKills = 12;
        for (int i = 0; i < kKills; ++i) {
            QProcess p;
            p.start(cli(), {"train", m_project, "--db", QString::fromStdString(db), "--epochs", "30"});
            QVERIFY(p.waitForStarted());
            const int delay = delayMs(rng);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            p.kill();  // SIGKILL
            p.waitForFinished();
            if (!std::filesystem::exists(db)) continue;  // killed before it created the database
            RunStore s(db);
            QCOMPARE(integrity(s), std::string("ok"));
            for (const RunSummary& r : s.listRuns()) {
                QVERIFY2(r.status == "interrupted", qPrintable(QString::fromStdString(r.status)));
                checkConsistent(s, r.id);
            }
            const auto runs = s.listRuns();
            if (!runs.empty() && runs.back().epochsDone > 0) ++withEpochs;
            interrupted = static_cast<int>(runs.size());
            qInfo("kill %d after %d ms: %zu runs, last with %d epochs", i, delay, runs.size(),
                  runs.empty() ? 0 : runs.back().epochsDone);
        }
        QVERIFY2(interrupted >= kKills / 2, "most kills should land after the run was created");
        QVERIFY2(withEpochs >= 1, "no kill landed after a completed epoch; the schedule is too short");
    }

    void readerSeesTheRunGrow() {
        const std::string db = m_dir.filePath("live.db").toStdString();
        QProcess p;
        p.start(cli(), {"train", m_project, "--db", QString::fromStdString(db), "--epochs", "5"});
        QVERIFY(p.waitForStarted());
        std::vector<std::size_t> seenSteps;
        int seenEpochsWhileRunning = 0;
        while (p.state() != QProcess::NotRunning) {
            p.waitForFinished(100);
            if (!std::filesystem::exists(db)) continue;
            try {
                RunStore reader(db, RunStore::Mode::ReadOnly);
                const auto runs = reader.listRuns();
                if (runs.empty() || runs[0].status != "running") continue;
                const std::size_t n = reader.steps(runs[0].id).size();
                if (seenSteps.empty() || n > seenSteps.back()) seenSteps.push_back(n);
                seenEpochsWhileRunning = std::max(seenEpochsWhileRunning, runs[0].epochsDone);
            } catch (const Error& e) {
                // The writer may still be creating the schema (the file exists, its tables do not
                // yet); only that is acceptable.
                QVERIFY2(QString(e.what()).contains("an empty database without Neurite's runs"), e.what());
            }
        }
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(seenSteps.size() >= 3, "the reader did not see the step curve grow");
        QVERIFY(seenEpochsWhileRunning >= 1);
        RunStore reader(db, RunStore::Mode::ReadOnly);
        const RunDetails r = reader.requireRun(1);
        QCOMPARE(r.status, std::string("completed"));
        QCOMPARE(r.epochsDone, 5);
        QVERIFY(reader.steps(1).size() > seenSteps.front());
        QVERIFY(reader.checkpoint(1, CheckpointKind::Final).has_value());
        QCOMPARE(reader.evaluations(1).size(), std::size_t{2});
    }

    // A file-size limit in the child makes every write past it fail as on a full disk.
    void diskFullWhileTraining() {
        const QString db = m_dir.filePath("full.db");
        QCOMPARE(runCli({"train", m_project, "--db", db, "--epochs", "1"}), 0);
        const auto before = std::filesystem::file_size(db.toStdString());
        QProcess p;
        p.setChildProcessModifier([] {
            std::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead of killing
            const rlimit lim{3u << 20, 3u << 20};
            setrlimit(RLIMIT_FSIZE, &lim);
        });
        p.start(cli(), {"train", m_project, "--db", db, "--epochs", "6"});
        QVERIFY(p.waitForFinished(300000));
        const QString err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 2);
        const QStringList errors = err.split('\n').filter(QRegularExpression("^error: "));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].contains("not fully recorded") && errors[0].contains("disk is full") &&
                     errors[0].contains(db), qPrintable(errors[0]));
        QVERIFY(std::filesystem::file_size(db.toStdString()) >= before);
        RunStore s(db.toStdString());
        QCOMPARE(integrity(s), std::string("ok"));
        const RunDetails first = s.requireRun(1);
        QCOMPARE(first.status, std::string("completed"));
        QCOMPARE(s.epochs(1).size(), std::size_t{1});
        QVERIFY(s.checkpoint(1, CheckpointKind::Final).has_value());
        const RunDetails second = s.requireRun(2);
        QCOMPARE(second.status, std::string("interrupted"));  // resumable once there is room
        QVERIFY(second.epochsDone < 6);
        checkConsistent(s, 2);
    }

    void resumeAfterKillIsExact() {
        const QString whole = m_dir.filePath("whole.db"), cut = m_dir.filePath("cut.db");
        QByteArray err;
        QCOMPARE(runCli({"train", m_project, "--db", whole}, &err), 0);

        QProcess p;
        p.start(cli(), {"train", m_project, "--db", cut});
        QVERIFY(p.waitForStarted());
        // Kill once two epochs are committed, so the resume has something to continue.
        for (bool done = false; !done && p.state() != QProcess::NotRunning;) {
            p.waitForFinished(20);
            if (!std::filesystem::exists(cut.toStdString())) continue;
            try {
                RunStore r(cut.toStdString(), RunStore::Mode::ReadOnly);
                const auto runs = r.listRuns();
                done = !runs.empty() && runs[0].epochsDone >= 2;
            } catch (const Error&) {
            }
        }
        p.kill();
        p.waitForFinished();
        {
            RunStore s(cut.toStdString(), RunStore::Mode::ReadOnly);
            const RunDetails r = s.requireRun(1);
            QVERIFY2(r.status == "interrupted", "the run finished before the kill");
            QVERIFY(r.epochsDone < 6);
        }
        QCOMPARE(runCli({"runs", "resume", "1", "--db", cut}, &err), 0);

        RunStore a(whole.toStdString(), RunStore::Mode::ReadOnly), b(cut.toStdString(), RunStore::Mode::ReadOnly);
        const RunDetails ra = a.requireRun(1), rb = b.requireRun(1);
        QCOMPARE(rb.status, std::string("completed"));
        QCOMPARE(rb.resumes, 1);
        QCOMPARE(rb.epochsDone, ra.epochsDone);
        QCOMPARE(rb.testLoss, ra.testLoss);
        QCOMPARE(rb.testAccuracy, ra.testAccuracy);
        QCOMPARE(rb.valLoss, ra.valLoss);
        QCOMPARE(a.checkpoint(1, CheckpointKind::Final)->data, b.checkpoint(1, CheckpointKind::Final)->data);
        const auto ea = a.epochs(1), eb = b.epochs(1);
        QCOMPARE(eb.size(), ea.size());
        for (std::size_t i = 0; i < ea.size(); ++i) {
            QCOMPARE(eb[i].trainLoss, ea[i].trainLoss);
            QCOMPARE(eb[i].valLoss, ea[i].valLoss);
            QCOMPARE(eb[i].lr, ea[i].lr);
        }
        const auto sa = a.steps(1), sb = b.steps(1);
        QCOMPARE(sb.size(), sa.size());
        for (std::size_t i = 0; i < sa.size(); ++i) QCOMPARE(sb[i].loss, sa[i].loss);
        QCOMPARE(a.evaluations(1)[0].reportJson.size() > 0, true);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "test_crash_recovery.moc"
