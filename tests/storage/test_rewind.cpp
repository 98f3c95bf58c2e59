// Rewind and branch (teaching mode): every epoch's trainer state kept and thinned to the
// store's budget, a branch's copied history and best checkpoint, the parent chain, resume and
// delete; and end to end with neurite-cli train --branch: a branch with unchanged settings ends
// bit-identical to its parent, a changed one does not, and every refusal is exit 2 with a message.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

#include "core/error.h"
#include "run_info.h"
#include "run_store.h"
#include "support/cli_runner.h"
#include "train/checkpoint.h"

using namespace neurite;
using namespace neurite::storage;
using neurite::test::Result;
using neurite::test::runCli;

namespace {

NewRun sampleRun(const std::string& name) {
    NewRun r;
    r.name = name;
    r.projectJson = R"({"name":")" + name + R"("})";
    r.settingsJson = R"({"training.epochs":10})";
    r.dataJson = R"({"source":"synthetic:spiral","train":10})";
    r.device = "CPU";
    r.threads = 1;
    r.precision = "fp32";
    r.epochsPlanned = 10;
    return r;
}

// A serialized trainer state whose weights are all `value`.
std::vector<uint8_t> stateBlob(int epoch, float value, std::size_t weights = 8) {
    TrainerState s;
    s.epoch = epoch;
    s.model.assign(weights, value);
    return serializeCheckpoint(s);
}

// A parent of `epochs` epochs with steps, epoch rows (best at 2 and 4), a setting change in
// epoch 3 and every epoch's state; its best checkpoint is epoch 4's.
int64_t writeParent(RunStore& s, int epochs) {
    const int64_t id = s.beginRun(sampleRun("parent"));
    for (int e = 1; e <= epochs; ++e) {
        const StepPoint steps[] = {{2 * e - 1, e, 1.f / e, 0.1f}, {2 * e, e, 0.9f / e, 0.1f}};
        s.appendSteps(id, steps);
        EpochRecord r;
        r.epoch = e;
        r.trainLoss = 1.0 / e;
        r.trainAccuracy = 0.1 * e;
        r.valLoss = 1.5 / e;
        r.best = e == 2 || e == 4;
        s.putEpoch(id, r);
        if (!s.putEpochState(id, e, stateBlob(e, static_cast<float>(e)))) qFatal("a small state was not kept");
    }
    s.addSettingChange(id, {4, 3, "lr", 0.1, 0.5});
    s.addSettingChange(id, {8, 5, "lr", 0.5, 0.2});
    const std::vector<uint8_t> w = {1, 2, 3, 4};
    s.putCheckpoint(id, {CheckpointKind::Best, 4, "weights-f32", w});
    return id;
}

void expectRefused(const Result& r, const QString& needle) {
    QCOMPARE(r.code, 2);
    const QString err = QString(r.err).trimmed();
    QVERIFY2(err.split('\n').last().startsWith("error: "), qPrintable(err));
    QVERIFY2(err.contains(needle), qPrintable(err));
}

}  // namespace

class TestRewind : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void everyEpochIsKeptWithinTheBudget() {
        RunStore s(m_dir.filePath("keep.db").toStdString());
        const int64_t id = s.beginRun(sampleRun("small"));
        for (int e = 1; e <= 300; ++e) QVERIFY(s.putEpochState(id, e, stateBlob(e, 0.5f)));
        // 300 small states: thinned to at most kMaxEpochStates, the newest and the even strides kept.
        const std::vector<int> kept = s.epochStates(id);
        QVERIFY(kept.size() <= static_cast<std::size_t>(kMaxEpochStates));
        QVERIFY(kept.size() >= static_cast<std::size_t>(kMaxEpochStates) / 2);
        QCOMPARE(kept.back(), 300);
        for (int e : kept) QVERIFY2(e % 2 == 0 || e == 300, qPrintable(QString::number(e)));
        // Each kept one reads back as written.
        const TrainerState st = deserializeCheckpoint(*s.epochState(id, kept.front()), "state");
        QCOMPARE(st.epoch, kept.front());
        QVERIFY(!s.epochState(id, 1));
        QVERIFY(!s.epochState(id, 301));

        // States larger than a quarter of the budget are not kept; a state of a tenth keeps 10.
        const int64_t big = s.beginRun(sampleRun("big"));
        QVERIFY(!s.putEpochState(big, 1, std::vector<uint8_t>(kEpochStateBudgetBytes / 4 + 1, 7)));
        QVERIFY(s.epochStates(big).empty());
        const std::vector<uint8_t> tenth(kEpochStateBudgetBytes / 10, 3);
        for (int e = 1; e <= 25; ++e) QVERIFY(s.putEpochState(big, e, tenth));
        const std::vector<int> bigKept = s.epochStates(big);
        QVERIFY2(bigKept.size() <= 10, qPrintable(QString::number(bigKept.size())));
        QCOMPARE(bigKept.back(), 25);
    }

    void aDamagedStateIsRefused() {
        const std::string path = m_dir.filePath("damaged.db").toStdString();
        RunStore s(path);
        const int64_t id = s.beginRun(sampleRun("d"));
        QVERIFY(s.putEpochState(id, 1, stateBlob(1, 1.f)));
        s.db().exec("UPDATE epoch_states SET crc32 = crc32 + 1");
        try {
            s.epochState(id, 1);
            QFAIL("a state failing its checksum was read");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("checksum"), e.what());
        }
    }

    void aBranchCarriesItsParentsHistory() {
        RunStore s(m_dir.filePath("branch.db").toStdString());
        const int64_t parent = writeParent(s, 6);
        const int64_t child = s.beginBranch(sampleRun("child"), parent, 3);
        const RunDetails r = s.requireRun(child);
        QCOMPARE(r.parentRun.value_or(-1), parent);
        QCOMPARE(r.parentEpoch, 3);
        QCOMPARE(r.epochsDone, 3);
        QCOMPARE(r.bestEpoch, 2);
        QCOMPARE(*r.trainLoss, 1.0 / 3);
        QCOMPARE(r.status, std::string("running"));
        const auto epochs = s.epochs(child);
        QCOMPARE(epochs.size(), std::size_t{3});
        QCOMPARE(epochs.back().epoch, 3);
        QCOMPARE(s.steps(child).size(), std::size_t{6});
        QCOMPARE(s.steps(child).back().step, int64_t{6});
        // The change made in epoch 3 came along; the one of epoch 5 did not.
        const auto changes = s.settingChanges(child);
        QCOMPARE(changes.size(), std::size_t{1});
        QCOMPARE(changes[0].after, 0.5);
        // The parent's best checkpoint is epoch 4's, after the branch point: the branch's best
        // (epoch 2) comes from epoch 2's kept state.
        const auto best = s.checkpoint(child, CheckpointKind::Best);
        QVERIFY(best);
        QCOMPARE(best->epoch, 2);
        QCOMPARE(best->data.size(), 8 * sizeof(float));
        float w0 = 0;
        std::memcpy(&w0, best->data.data(), sizeof w0);
        QCOMPARE(w0, 2.f);
        // Its own states come after the branch point; earlier ones are the parent's.
        QVERIFY(s.putEpochState(child, 4, stateBlob(4, 40.f)));
        QCOMPARE(s.epochStates(child), (std::vector<int>{1, 2, 3, 4}));
        QCOMPARE(deserializeCheckpoint(*s.epochState(child, 4), "s").model[0], 40.f);
        QCOMPARE(deserializeCheckpoint(*s.epochState(child, 2), "s").model[0], 2.f);
        // A branch of the branch reads through both.
        const int64_t grandchild = s.beginBranch(sampleRun("grandchild"), child, 4);
        QCOMPARE(s.epochStates(grandchild), (std::vector<int>{1, 2, 3, 4}));
        QCOMPARE(deserializeCheckpoint(*s.epochState(grandchild, 1), "s").model[0], 1.f);
        QCOMPARE(s.checkpoint(grandchild, CheckpointKind::Best)->epoch, 2);

        // A branch point without a kept state is refused, naming the epochs there are.
        try {
            s.beginBranch(sampleRun("x"), parent, 9);
            QFAIL("a branch from an epoch without a state was created");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("can branch from epoch 1, 2, 3, 4, 5, 6"), e.what());
        }
        const std::size_t runs = s.listRuns().size();
        QCOMPARE(runs, std::size_t{3});

        // Resuming drops the states after the resumed epoch.
        s.beginResume(parent, 4);
        QCOMPARE(s.epochStates(parent), (std::vector<int>{1, 2, 3, 4}));

        // Deleting the parent keeps the branch, which now names no parent and keeps its own states.
        s.finishRun(child, {"completed", "", 4, 2, {}, {}, {}, {}, {}, {}, {}, {}});
        s.finishRun(parent, {"cancelled", "", 4, 2, {}, {}, {}, {}, {}, {}, {}, {}});
        s.deleteRun(parent);
        const RunDetails orphan = s.requireRun(child);
        QVERIFY(!orphan.parentRun);
        QCOMPARE(orphan.parentEpoch, 3);
        QCOMPARE(s.epochStates(child), (std::vector<int>{4}));
        QCOMPARE(s.epochs(child).size(), std::size_t{3});
    }

    // End to end: the CLI records every epoch's state; a branch from epoch 3 with the same settings
    // ends with the parent's exact weights; one with another learning rate or optimizer differs;
    // refusals are exit 2.
    void cliBranchIsExact() {
        QVERIFY(!qEnvironmentVariable("NEURITE_CLI").isEmpty());
        const QString db = m_dir.filePath("cli.db");
        const QString spiral = test::example("spiral.neurite.json");
        const QStringList common = {"--epochs", "6", "--threads", "1", "--db", db};
        Result r = runCli(QStringList{"train", spiral} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        RunStore s(db.toStdString(), RunStore::Mode::ReadOnly);
        QCOMPARE(s.epochStates(1), (std::vector<int>{1, 2, 3, 4, 5, 6}));

        r = runCli({"runs", "show", "1", "--db", db});
        QVERIFY2(r.out.contains("can branch from epoch 1, 2, 3, 4, 5, 6"), r.out.constData());

        r = runCli(QStringList{"train", spiral, "--branch", "1:3", "--json"} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("branched from run 1 after epoch 3 of 6"), r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(QJsonDocument::fromJson(lines.first()).object()["epoch"].toInt(), 4);
        const RunDetails branch = s.requireRun(2);
        QCOMPARE(branch.parentRun.value_or(0), int64_t{1});
        QCOMPARE(branch.epochsDone, 6);
        QVERIFY2(branch.name.find("from run 1 epoch 3") != std::string::npos, branch.name.c_str());
        QCOMPARE(s.epochs(2).size(), std::size_t{6});
        const auto parentFinal = s.checkpoint(1, CheckpointKind::Final);
        const auto branchFinal = s.checkpoint(2, CheckpointKind::Final);
        QVERIFY(parentFinal && branchFinal);
        QVERIFY(parentFinal->data == branchFinal->data);  // bit-identical
        QCOMPARE(*branch.testAccuracy, *s.requireRun(1).testAccuracy);

        r = runCli(QStringList{"train", spiral, "--branch", "1:3", "--lr", "0.05"} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(s.checkpoint(3, CheckpointKind::Final)->data != parentFinal->data);
        QCOMPARE(s.epochs(3).front().trainLoss, s.epochs(1).front().trainLoss);  // the history is the parent's

        // Another optimizer starts its state afresh, and says so.
        QJsonObject project = QJsonDocument::fromJson([&] {
            QFile f(spiral);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }()).object();
        QJsonObject training = project["training"].toObject();
        QJsonObject opt = training["optimizer"].toObject();
        opt["type"] = "sgd";
        training["optimizer"] = opt;
        project["training"] = training;
        QTemporaryDir files;
        const QString sgd = test::writeFile(files, "sgd.neurite.json", QJsonDocument(project).toJson());
        r = runCli(QStringList{"train", sgd, "--branch", "1:2"} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("the optimizer changed (adam to sgd): its state starts afresh"), r.err.constData());

        // Refusals: no run, no such epoch, too few epochs, another network, no database.
        const std::size_t runs = s.listRuns().size();
        expectRefused(runCli(QStringList{"train", spiral, "--branch", "99:3"} + common), "no run 99");
        expectRefused(runCli(QStringList{"train", spiral, "--branch", "1:9"} + common),
                      "run 1 has no state kept after epoch 9; it can branch from epoch 1, 2, 3, 4, 5, 6");
        expectRefused(runCli({"train", spiral, "--branch", "1:3", "--epochs", "3", "--threads", "1", "--db", db}),
                      "a branch from epoch 3 needs more");
        expectRefused(runCli(QStringList{"train", spiral, "--branch", "1"} + common), "RUN:EPOCH");
        expectRefused(runCli({"train", spiral, "--branch", "1:3", "--no-db"}), "--branch needs the run database");
        QJsonObject model = project["model"].toObject();
        QJsonArray nodes = model["nodes"].toArray();
        QJsonObject fc1 = nodes[1].toObject();
        fc1["params"] = QJsonObject{{"units", 32}};
        nodes[1] = fc1;
        model["nodes"] = nodes;
        project["model"] = model;
        const QString narrow = test::writeFile(files, "narrow.neurite.json", QJsonDocument(project).toJson());
        expectRefused(runCli(QStringList{"train", narrow, "--branch", "1:3"} + common), "a branch keeps the network");
        QCOMPARE(s.listRuns().size(), runs);  // no run was left behind by a refusal
    }

    // runs resume replays the settings changed while paused up to its checkpoint (and drops the
    // ones of the epoch that was cut short): the resumed run ends as a branch from the same epoch
    // with that learning rate does.
    void resumeReplaysSettingsChangedWhilePaused() {
        const QString db = m_dir.filePath("resume.db");
        const QString spiral = test::example("spiral.neurite.json");
        const QStringList common = {"--epochs", "4", "--threads", "1", "--db", db};
        Result r = runCli(QStringList{"train", spiral} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        int64_t stepsAfter2 = 0;
        {
            // As if the studio had paused it after epoch 2, raised the learning rate, and been
            // killed during epoch 3 (after one more change).
            RunStore s(db.toStdString());
            const std::vector<uint8_t> state = *s.epochState(1, 2);
            stepsAfter2 = deserializeCheckpoint(state, "s").globalStep;
            s.putCheckpoint(1, {CheckpointKind::Latest, 2, "trainer-state", state});
            s.addSettingChange(1, {stepsAfter2, 3, "lr", 0.01, 0.05});
            s.addSettingChange(1, {stepsAfter2 + 3, 3, "lr", 0.05, 0.5});
            s.finishRun(1, {"cancelled", "", 2, 0, {}, {}, {}, {}, {}, {}, {}, {}});
        }
        r = runCli({"runs", "resume", "1", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains(QString("note: lr 0.01 -> 0.05 from step %1").arg(stepsAfter2 + 1).toUtf8()), r.err.constData());
        QVERIFY(!r.err.contains("0.5 from"));
        r = runCli(QStringList{"train", spiral, "--branch", "1:2", "--lr", "0.05"} + common);
        QVERIFY2(r.code == 0, r.err.constData());
        RunStore s(db.toStdString(), RunStore::Mode::ReadOnly);
        QCOMPARE(s.settingChanges(1).size(), std::size_t(1));  // the cut epoch's change is gone
        QVERIFY(s.checkpoint(1, CheckpointKind::Final)->data == s.checkpoint(2, CheckpointKind::Final)->data);
    }
};

QTEST_GUILESS_MAIN(TestRewind)
#include "test_rewind.moc"
