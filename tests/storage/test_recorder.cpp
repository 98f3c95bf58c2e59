// The recorder and the relay the CLI prints through: an epoch's row commits only together with
// its checkpoint, even when the checkpoint comes seconds after the epoch (a large model's state
// takes that long to export and the writer commits once a second); a trainer state larger than
// a chunk is stored in chunks and resumes; an epoch orphaned by a failure is not committed; and
// the CLI's printer is shown each epoch only once the store has it with its checkpoint.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <mutex>
#include <thread>

#include "committed_relay.h"
#include "core/error.h"
#include "recorder.h"
#include "run_records.h"
#include "run_store.h"
#include "sqlite_db.h"
#include "train/checkpoint.h"

using namespace neurite;
using namespace neurite::storage;

namespace {

NewRun newRun(int epochs) {
    NewRun r;
    r.name = "recorded";
    r.projectJson = "{}";
    r.settingsJson = "{}";
    r.dataJson = "{}";
    r.device = "CPU";
    r.threads = 1;
    r.precision = "fp32";
    r.epochsPlanned = epochs;
    return r;
}

std::string noJson(const EvaluationReport&, bool) { return "{}"; }

EpochEvent epochEvent(int epoch, int epochs) {
    EpochEvent e;
    e.epoch = epoch;
    e.epochs = epochs;
    e.trainLoss = 1.0 / epoch;
    e.best = true;
    return e;
}

// A trainer state of `floats` weights with Adam's two moments: 3x that many floats.
TrainerState state(int epoch, std::size_t floats) {
    TrainerState s;
    s.epoch = epoch;
    s.globalStep = epoch * 10;
    s.model.resize(floats);
    s.optState1.resize(floats);
    s.optState2.resize(floats);
    for (std::size_t i = 0; i < floats; ++i) {
        s.model[i] = static_cast<float>(i) * 0.5f + static_cast<float>(epoch);
        s.optState1[i] = static_cast<float>(i % 97);
        s.optState2[i] = 1.f / static_cast<float>(i + 1);
    }
    s.optSteps = s.globalStep;
    return s;
}

struct SmallChunks {
    explicit SmallChunks(std::size_t bytes) { setCheckpointChunkBytesForTesting(bytes); }
    ~SmallChunks() { setCheckpointChunkBytesForTesting(0); }
};

// What the store held at the moment an observer was shown each epoch.
struct Seen {
    int epoch = 0;
    int storedEpochs = 0;      // rows in `epochs`
    int checkpointEpoch = -1;  // the latest checkpoint's epoch, -1 when none
};

class StoreProbe : public TrainObserver {
public:
    explicit StoreProbe(std::string db) : m_db(std::move(db)) {}
    void onEpoch(const EpochEvent& e) override {
        Seen s{e.epoch, 0, -1};
        try {
            RunStore store(m_db, RunStore::Mode::ReadOnly);
            s.storedEpochs = static_cast<int>(store.epochs(1).size());
            if (const auto ck = store.checkpoint(1, CheckpointKind::Latest)) s.checkpointEpoch = ck->epoch;
        } catch (const Error& err) {
            qWarning("probe: %s", err.what());
        }
        std::lock_guard lock(m_mutex);
        seen.push_back(s);
    }
    void onFinished(const FinishedEvent& e) override {
        std::lock_guard lock(m_mutex);
        finishedAfter = static_cast<int>(seen.size());
        finishedStatus = e.status;
    }
    void onFailed(const Error&) override {
        std::lock_guard lock(m_mutex);
        failedSeen = true;
    }
    std::size_t seenCount() {
        std::lock_guard lock(m_mutex);
        return seen.size();
    }
    std::vector<Seen> seen;
    int finishedAfter = -1;
    std::string finishedStatus;
    bool failedSeen = false;

private:
    std::string m_db;
    std::mutex m_mutex;
};

}  // namespace

class TestRecorder : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const std::string& name) const { return (m_dir.path() + "/").toStdString() + name; }

    int64_t createRun(const std::string& db, int epochs) {
        RunStore s(db);
        return s.beginRun(newRun(epochs));
    }

private slots:
    // The issue: the epoch row and the best checkpoint were committed by the once-a-second
    // commit while the latest trainer state was still being exported, so a failed write of the
    // latest left an epoch without it. Now the epoch waits.
    void epochCommitsOnlyWithItsCheckpoint() {
        const std::string db = path("wait.db");
        const int64_t id = createRun(db, 3);
        Recorder rec(db, id, 3, noJson);
        rec.onStep({1, 1, 1, 1, 0.5f, 0.1f});
        rec.onEpoch(epochEvent(1, 3));
        std::this_thread::sleep_for(std::chrono::milliseconds(1600));  // past the writer's tick
        {
            RunStore r(db, RunStore::Mode::ReadOnly);
            QCOMPARE(r.epochs(id).size(), std::size_t{0});
            QCOMPARE(r.requireRun(id).epochsDone, 0);
            QVERIFY(!r.checkpoint(id, CheckpointKind::Best).has_value());
        }
        rec.onCheckpoint(state(1, 100));
        bool landed = false;
        for (int i = 0; i < 100 && !landed; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            RunStore r(db, RunStore::Mode::ReadOnly);
            landed = !r.epochs(id).empty();
            if (landed) {
                QCOMPARE(r.checkpoint(id, CheckpointKind::Latest)->epoch, 1);
                QCOMPARE(r.checkpoint(id, CheckpointKind::Best)->epoch, 1);
                QCOMPARE(r.requireRun(id).epochsDone, 1);
            }
        }
        QVERIFY(landed);
        rec.close();
    }

    // Settings changed while paused (teaching): the applied ones are stored in order with the
    // run, the refused one is not, and deleting the run deletes them.
    void settingChangesAreStoredWithTheRun() {
        const std::string db = path("changes.db");
        const int64_t id = createRun(db, 1);
        Recorder rec(db, id, 1, noJson);
        rec.onSettingsChanged({0, 1, "lr", 0.01, 0.1, ""});
        rec.onSettingsChanged({5, 1, "batch_size", 32, 0, "the batch size must be between 1 and 700"});
        rec.onSettingsChanged({5, 1, "l2", 0, 0.001, ""});
        FinishedEvent fin;
        fin.status = "cancelled";
        rec.onFinished(fin);
        rec.close();
        RunStore r(db);
        const std::vector<SettingChange> changes = r.settingChanges(id);
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[0].setting, std::string("lr"));
        QCOMPARE(changes[0].step, int64_t(0));
        QCOMPARE(changes[0].before, 0.01);
        QCOMPARE(changes[0].after, 0.1);
        QCOMPARE(changes[1].setting, std::string("l2"));
        QCOMPARE(changes[1].step, int64_t(5));
        QCOMPARE(changes[1].epoch, 1);
        // Beside the run's other settings (the Runs tab's table, runs compare).
        const RunSettings settings = settingsOf(r.requireRun(id), r);
        QVERIFY(settings.count(kChangedWhilePaused));
        QCOMPARE(QString::fromStdString(settings.at(kChangedWhilePaused).text),
                 QString::fromUtf8("lr 0.01 \u2192 0.1 from step 1; l2 0 \u2192 0.001 from step 6"));
        r.deleteRun(id);
        QVERIFY(r.settingChanges(id).empty());
        Statement left(r.db(), "SELECT COUNT(*) FROM setting_changes");
        QVERIFY(left.step());
        QCOMPARE(left.int64(0), int64_t(0));
    }

    // A trainer state many chunks long (chunk size 4 KiB here, 64 MiB for real) is stored
    // whole and resumes; the run's completion then drops it and keeps the best weights.
    void largeStateInChunks() {
        SmallChunks small(4096);
        const std::string db = path("chunks.db");
        const int64_t id = createRun(db, 2);
        const TrainerState st = state(1, 30000);  // 360 KB serialized: 88 chunks
        {
            Recorder rec(db, id, 2, noJson);
            rec.onEpoch(epochEvent(1, 2));
            rec.onCheckpoint(st);
            rec.close();
        }
        RunStore s(db);
        const auto ck = s.checkpoint(id, CheckpointKind::Latest);
        QVERIFY(ck.has_value());
        Statement q(s.db(), "SELECT count(*) FROM checkpoint_chunks WHERE kind = 'latest'");
        QVERIFY(q.step());
        QCOMPARE(q.int64(0), static_cast<int64_t>((ck->data.size() + 4095) / 4096));
        QVERIFY(q.int64(0) > 80);
        const TrainerState back = deserializeCheckpoint(ck->data, "test");
        QCOMPARE(back.epoch, 1);
        QCOMPARE(back.model, st.model);
        QCOMPARE(back.optState2, st.optState2);
    }

    // The trainer failed between an epoch and its checkpoint: the epoch is not recorded (a
    // resume starts after the last epoch that has its state), the failure is.
    void orphanEpochIsNotCommitted() {
        const std::string db = path("orphan.db");
        const int64_t id = createRun(db, 3);
        {
            Recorder rec(db, id, 3, noJson);
            rec.onEpoch(epochEvent(1, 3));
            rec.onCheckpoint(state(1, 10));
            rec.onEpoch(epochEvent(2, 3));
            rec.onFailed(Error(ErrorKind::Internal, "export failed"));
            rec.setFinalModel({1.f, 2.f}, 1);
            rec.close();
        }
        RunStore s(db, RunStore::Mode::ReadOnly);
        QCOMPARE(s.epochs(id).size(), std::size_t{1});
        QCOMPARE(s.requireRun(id).status, std::string("failed"));
        QCOMPARE(s.checkpoint(id, CheckpointKind::Latest)->epoch, 1);  // resumable
        QVERIFY(s.checkpoint(id, CheckpointKind::Final).has_value());
    }

    // The CLI printed an epoch before its commit: a kill within ~20 ms lost a printed epoch.
    // Through the relay the printer is shown an epoch only once the store has it and its state.
    void relayShowsAnEpochOnlyOnceCommitted() {
        const std::string db = path("relay.db");
        const int64_t id = createRun(db, 3);
        QCOMPARE(id, int64_t{1});
        Recorder rec(db, id, 3, noJson);
        StoreProbe probe(db);
        {
            CommittedRelay relay(rec, probe);
            QVERIFY(relay.wantsCheckpoints());
            for (int e = 1; e <= 3; ++e) {
                relay.onStep({e, e, 1, 1, 0.5f, 0.1f});
                relay.onEpoch(epochEvent(e, 3));
                std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a slow export
                relay.onCheckpoint(state(e, 1000));
            }
            // The last epoch's commit (the run's completion then drops its trainer state).
            for (int i = 0; i < 250 && probe.seenCount() < 3; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            FinishedEvent fin;
            fin.status = "completed";
            fin.epochs = 3;
            relay.onFinished(fin);
            QCOMPARE(probe.finishedAfter, -1);  // waits for close()
            rec.setFinalModel({1.f}, 3);
            relay.close();
        }
        QCOMPARE(probe.seen.size(), std::size_t{3});
        for (std::size_t i = 0; i < probe.seen.size(); ++i) {
            const Seen& s = probe.seen[i];
            QCOMPARE(s.epoch, static_cast<int>(i) + 1);
            QVERIFY2(s.storedEpochs >= s.epoch, qPrintable(QString("epoch %1 shown with %2 stored").arg(s.epoch).arg(s.storedEpochs)));
            QVERIFY2(s.checkpointEpoch >= s.epoch, qPrintable(QString("epoch %1 shown with checkpoint %2").arg(s.epoch).arg(s.checkpointEpoch)));
        }
        QCOMPARE(probe.finishedAfter, 3);
        QCOMPARE(probe.finishedStatus, std::string("completed"));
        RunStore s(db, RunStore::Mode::ReadOnly);
        QCOMPARE(s.requireRun(id).status, std::string("completed"));
    }

    // When the store fails, epochs are shown at once (nothing will commit them), the finished
    // event still reaches the printer, and close() reports the storage error afterwards.
    void relayAfterAStorageError() {
        const std::string db = path("relay_error.db");
        createRun(db, 2);
        Recorder rec(db, 999, 2, noJson);  // no such run: the first write fails its foreign key
        StoreProbe probe(db);
        CommittedRelay relay(rec, probe);
        relay.onEpoch(epochEvent(1, 2));
        relay.onCheckpoint(state(1, 10));
        for (int i = 0; i < 100 && probe.seenCount() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QCOMPARE(probe.seen.size(), std::size_t{1});
        relay.onEpoch(epochEvent(2, 2));
        QCOMPARE(probe.seen.size(), std::size_t{2});  // no waiting once recording failed
        FinishedEvent fin;
        fin.status = "completed";
        relay.onFinished(fin);
        QString error;
        try {
            relay.close();
        } catch (const Error& e) {
            error = e.what();
        }
        QVERIFY2(error.contains("not fully recorded") && error.contains("FOREIGN KEY"), qPrintable(error));
        QCOMPARE(probe.finishedAfter, 2);
    }
};

QTEST_GUILESS_MAIN(TestRecorder)
#include "test_recorder.moc"
