// Pruning as a user gets it from neurite-cli (docs/pruning.md): `train` with training.pruning
// prints and records every pruned layer's sparsity; a branch of an unpruned stored run prunes at
// once and fine-tunes; the native export of a structurally pruned run removes the zero units
// (the JSON report lists them) and `predict --bench` counts fewer parameters and FLOPs; bad
// pruning settings are refused with exit 2 and one error line naming the setting.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::jsonLines;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

QByteArray project(const QByteArray& pruning) {
    return R"({"format": "neurite-project", "version": 1, "name": "p",
        "data": {"source": "synthetic:spiral?samples=600&classes=3&noise=0.1&seed=3",
                 "validation_split": 0.2, "test_split": 0.2},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 64}, "inputs": ["input"]},
            {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
            {"id": "fc2", "op": "Dense", "params": {"units": 64}, "inputs": ["act1"]},
            {"id": "act2", "op": "ReLU", "inputs": ["fc2"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act2"]}]},
        "training": {"epochs": 30, "batch_size": 32, "seed": 5, "threads": 2,
                     "optimizer": {"type": "adam", "lr": 0.01})" +
           (pruning.isEmpty() ? QByteArray() : ", \"pruning\": " + pruning) + "}}";
}

QJsonObject finished(const Result& r) {
    for (const QJsonObject& j : jsonLines(r.out))
        if (j["event"].toString() == "finished") return j;
    return {};
}

}  // namespace

class TestPruningCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void trainPrintsAndRecordsTheSparsity() {
        const QString db = m_dir.filePath("runs.db");
        const QString p = writeFile(m_dir, "gradual.neurite.json",
                                    project(R"({"final_sparsity": 0.8, "begin_step": 50, "end_step": 300, "frequency": 25})"));
        Result r = runCli({"train", p, "--json", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        // round(0.8 * n) of each layer's n weights: 102 of 128, 3277 of 4096, 154 of 192.
        for (const char* layer : {"sparsity:  fc1 79.7%", "fc2 80.0%", "out 80.2%"})
            QVERIFY2(r.err.contains(layer), r.err.constData());
        const QJsonObject fin = finished(r);
        const QJsonArray layers = fin["sparsity"].toArray();
        QCOMPARE(layers.size(), 3);
        QCOMPARE(layers[1].toObject()["node"].toString(), QString("fc2"));
        QCOMPARE(layers[1].toObject()["weights"].toInt(), 4096);
        QCOMPARE(layers[1].toObject()["zeros"].toInt(), 3277);  // round(0.8 * 4096)
        QVERIFY2(fin["test_accuracy"].toDouble() > 0.8, r.out.constData());
        Result show = runCli({"runs", "show", QString::number(fin["run_id"].toInt()), "--db", db, "--json"});
        QVERIFY2(show.code == 0, show.err.constData());
        const QJsonObject stored = QJsonDocument::fromJson(show.out).object();
        QCOMPARE(stored["sparsity"].toArray()[1].toObject()["zeros"].toInt(), 3277);
        Result text = runCli({"runs", "show", QString::number(fin["run_id"].toInt()), "--db", db});
        QVERIFY2(text.out.contains("pruned fc2: 80.0% of 4096 weights zero, ") && text.out.contains(" of 64 units\n"),
                 text.out.constData());
    }

    void aBranchPrunesAtOnceAndTheExportRemovesTheUnits() {
        const QString db = m_dir.filePath("branch.db");
        const QString dense = writeFile(m_dir, "dense.neurite.json", project(""));
        Result base = runCli({"train", dense, "--json", "--db", db});
        QVERIFY2(base.code == 0, base.err.constData());
        const int id = finished(base)["run_id"].toInt();
        const QString pruned = writeFile(m_dir, "structured.neurite.json",
                                         project(R"({"structure": "structured", "final_sparsity": 0.5})"));
        Result branch = runCli({"train", pruned, "--branch", QString("%1:30").arg(id), "--epochs", "40", "--json", "--db", db});
        QVERIFY2(branch.code == 0, branch.err.constData());
        const QJsonObject fin = finished(branch);
        const QJsonArray layers = fin["sparsity"].toArray();
        QCOMPARE(layers.size(), 3);
        QCOMPARE(layers[0].toObject()["units_pruned"].toInt(), 32);
        QCOMPARE(layers[1].toObject()["units_pruned"].toInt(), 32);
        QCOMPARE(layers[2].toObject()["units_pruned"].toInt(), 0);  // the output layer keeps its units
        QVERIFY2(fin["test_accuracy"].toDouble() > 0.8, branch.out.constData());

        const QString model = m_dir.filePath("structured.nmodel");
        Result exp = runCli({"export", "--run", QString::number(fin["run_id"].toInt()), "--db", db, "--format", "native",
                             "-o", model, "--json"});
        QVERIFY2(exp.code == 0, exp.err.constData());
        QVERIFY2(exp.err.contains("pruned units removed (units before -> after): fc1 64 -> 32, fc2 64 -> 32"), exp.err.constData());
        const QJsonObject report = jsonLines(exp.out).value(0);
        QCOMPARE(report["compacted"].toArray().size(), 2);
        QVERIFY(report["compacted_max_abs_diff"].toDouble() < 1e-4);
        Result bench = runCli({"predict", model, "--bench", "--bench-batches", "8", "--threads", "1"});
        QVERIFY2(bench.code == 0, bench.err.constData());
        const QJsonObject latency = jsonLines(bench.out).value(0);
        // 2*32 + 32 + 32*32 + 32 + 32*3 + 3 parameters; 2 * (2*32 + 32*32 + 32*3) FLOPs.
        QCOMPARE(latency["parameters"].toInt(), 1251);
        QCOMPARE(latency["flops_per_sample"].toInt(), 2368);
    }

    void badSettingsExitTwoNamingTheSetting() {
        struct Case {
            const char* pruning;
            const char* message;
        };
        const Case cases[] = {
            {R"({"final_sparsity": 1})", "$.training.pruning.final_sparsity"},
            {R"({"final_sparsity": -0.5})", "must be in [0, 1)"},
            {R"({"begin_step": 500, "end_step": 100})", "the schedule ends (step 100) before it begins (begin_step 500)"},
            {R"({"layers": ["fc9"]})", "training.pruning.layers: there is no layer \"fc9\""},
            {R"({"layers": ["act1"]})", "act1 is a ReLU; only Dense and Conv2D layers have weights to prune"},
            {R"({"structure": "structured", "layers": ["out"]})", "the units of out cannot be removed: out (Dense) is the model's output"},
        };
        int k = 0;
        for (const Case& c : cases) {
            const QString p = writeFile(m_dir, qPrintable(QString("bad%1.neurite.json").arg(k++)), project(c.pruning));
            Result r = runCli({"train", p, "--no-db"});
            QVERIFY2(r.code == 2, (c.pruning + QByteArray(" -> ") + r.err).constData());
            // One error line, the last, naming the setting.
            const QList<QByteArray> lines = r.err.trimmed().split('\n');
            QVERIFY2(lines.last().startsWith("error: ") && lines.last().contains(c.message), r.err.constData());
            QCOMPARE(r.err.count("error:"), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestPruningCli)
#include "test_pruning_cli.moc"
