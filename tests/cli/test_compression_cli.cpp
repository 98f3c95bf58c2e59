// Compression as a user gets it from neurite-cli. Pruning (docs/pruning.md): `train` with
// training.pruning prints and records every pruned layer's sparsity; a branch of an unpruned
// stored run prunes at once and fine-tunes; the native export of a structurally pruned run removes
// the zero units (the JSON report lists them) and `predict --bench` counts fewer parameters and
// FLOPs. Distillation (docs/distillation.md): a student learns from a stored run or a model file,
// `runs show` and `runs list` name the teacher, a teacher of other classes is refused.
// Quantization (docs/quantization.md): a QAT run trains, int8 exports take --calibration. Bad
// settings exit 2 with one error line naming the setting.
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

QByteArray project(const QByteArray& pruning, const QByteArray& extra = {}, const char* classes = "3") {
    return R"({"format": "neurite-project", "version": 1, "name": "p",
        "data": {"source": "synthetic:spiral?samples=600&classes=)" + QByteArray(classes) + R"(&noise=0.1&seed=3",
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
           (pruning.isEmpty() ? QByteArray() : ", \"pruning\": " + pruning) + extra + "}}";
}

QJsonObject finished(const Result& r) {
    for (const QJsonObject& j : jsonLines(r.out))
        if (j["event"].toString() == "finished") return j;
    return {};
}

}  // namespace

class TestCompressionCli : public QObject {
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

        // The variants report: the run and its pruned branch, each in float and in int8.
        Result variants = runCli({"compress", "report", "--run", QString::number(id), "--db", db, "--seconds", "0.05",
                                "--threads", "1", "--json"});
        QVERIFY2(variants.code == 0, variants.err.constData());
        const QList<QJsonObject> rows = jsonLines(variants.out);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0]["relation"].toString(), QString("the run"));
        QCOMPARE(rows[0]["model"].toString(), QString("float"));
        QCOMPARE(rows[0]["parameters"].toInt(), 4547);
        QCOMPARE(rows[1]["model"].toString(), QString("int8"));
        QCOMPARE(rows[2]["relation"].toString(), QString("branched after epoch 30"));
        QVERIFY2(rows[2]["settings"].toString().contains("pruned structured 50%"), variants.out.constData());
        QCOMPARE(rows[2]["parameters"].toInt(), 1251);  // compacted, as exported
        QCOMPARE(rows[2]["flops_per_sample"].toInt(), 2368);
        QVERIFY(rows[3]["file_bytes"].toInt() < rows[2]["file_bytes"].toInt());
        for (const QJsonObject& r : rows) {
            QCOMPARE(r["metric"].toString(), QString("accuracy"));
            QCOMPARE(r["split"].toString(), QString("test"));
            QVERIFY2(r["value"].toDouble() > 0.8, variants.out.constData());
            QVERIFY(r["p50_ms"].toDouble() > 0 && r["p99_ms"].toDouble() >= r["p50_ms"].toDouble());
            QVERIFY(r["samples_per_sec"].toDouble() > 0);
        }
        Result table = runCli({"compress", "report", "--run", QString::number(id), "--db", db, "--seconds", "0.05"});
        QVERIFY2(table.code == 0 && table.out.contains("branched after epoch 30: "), table.out.constData());
        Result none = runCli({"compress", "report", "--run", "999", "--db", db});
        QCOMPARE(none.code, 2);
        QVERIFY2(none.err.contains("there is no run 999"), none.err.constData());
    }

    void aStudentLearnsFromAStoredRunOrAModelFile() {
        const QString db = m_dir.filePath("distill.db");
        Result teacher = runCli({"train", writeFile(m_dir, "teacher.neurite.json", project("")), "--json", "--db", db});
        QVERIFY2(teacher.code == 0, teacher.err.constData());
        const int id = finished(teacher)["run_id"].toInt();
        Result exp = runCli({"export", "--run", QString::number(id), "--db", db, "--format", "native", "-o",
                             m_dir.filePath("teacher.nmodel")});
        QVERIFY2(exp.code == 0, exp.err.constData());
        const QByteArray fromRun = QString(R"(, "distillation": {"teacher": "run:%1", "alpha": 0.3, "temperature": 2})").arg(id).toUtf8();
        Result student = runCli({"train", writeFile(m_dir, "student.neurite.json", project("", fromRun)), "--json", "--db", db});
        QVERIFY2(student.code == 0, student.err.constData());
        QVERIFY2(student.err.contains(QString("distilling from run:%1 (alpha 0.3, temperature 2)").arg(id).toUtf8()),
                 student.err.constData());
        QVERIFY2(finished(student)["test_accuracy"].toDouble() > 0.8, student.out.constData());
        const QString sid = QString::number(finished(student)["run_id"].toInt());
        Result show = runCli({"runs", "show", sid, "--db", db});
        QVERIFY2(show.out.contains(QString("distilled from run:%1 (alpha 0.3, temperature 2)").arg(id).toUtf8()),
                 show.out.constData());
        // A model file, relative to the project's folder.
        Result fromFile = runCli({"train", writeFile(m_dir, "student2.neurite.json",
                                                     project("", R"(, "distillation": {"teacher": "teacher.nmodel"})")),
                                  "--no-db"});
        QVERIFY2(fromFile.code == 0, fromFile.err.constData());
        // A project with starting weights, as neurite-cli import writes for an ONNX model.
        QByteArray teacherProject = project("");
        teacherProject.replace(R"("model": {"nodes")", R"("model": {"weights": "teacher.nmodel", "nodes")");
        writeFile(m_dir, "imported.neurite.json", teacherProject);
        Result fromProject = runCli({"train", writeFile(m_dir, "student3.neurite.json",
                                                        project("", R"(, "distillation": {"teacher": "imported.neurite.json"})")),
                                     "--json", "--no-db"});
        QVERIFY2(fromProject.code == 0, fromProject.err.constData());
        QVERIFY2(finished(fromProject)["test_accuracy"].toDouble() > 0.8, fromProject.out.constData());
        Result untrained = runCli({"train", writeFile(m_dir, "student4.neurite.json",
                                                      project("", R"(, "distillation": {"teacher": "teacher.neurite.json"})")),
                                   "--no-db"});
        QCOMPARE(untrained.code, 2);
        QVERIFY2(untrained.err.contains("has no starting weights"), untrained.err.constData());
        // A teacher of four classes for a student of three.
        Result four = runCli({"train", writeFile(m_dir, "four.neurite.json", project("", {}, "4")), "--json", "--db", db});
        QVERIFY2(four.code == 0, four.err.constData());
        const QByteArray other = QString(R"(, "distillation": {"teacher": "run:%1"})").arg(finished(four)["run_id"].toInt()).toUtf8();
        Result bad = runCli({"train", writeFile(m_dir, "bad-teacher.neurite.json", project("", other)), "--db", db});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("classes (0, 1, 2, 3) differ from the student's (0, 1, 2)"), bad.err.constData());
        Result missing = runCli({"train", writeFile(m_dir, "missing.neurite.json",
                                                    project("", R"(, "distillation": {"teacher": "nowhere.nmodel"})")),
                                 "--no-db"});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains("nowhere.nmodel"), missing.err.constData());
    }

    void quantizationAwareTrainingAndCalibrationMethods() {
        const QString db = m_dir.filePath("qat.db");
        Result qat = runCli({"train", writeFile(m_dir, "qat.neurite.json", project("", R"(, "quantization_aware": {"begin_step": 100})")),
                             "--json", "--db", db});
        QVERIFY2(qat.code == 0, qat.err.constData());
        QVERIFY2(finished(qat)["test_accuracy"].toDouble() > 0.8, qat.out.constData());
        const QString id = QString::number(finished(qat)["run_id"].toInt());
        for (const char* method : {"minmax", "percentile", "entropy"}) {
            Result exp = runCli({"export", "--run", id, "--db", db, "--format", "native-int8", "--calibration", method,
                                 "-o", m_dir.filePath(QString("qat-%1.nmodel").arg(method)), "--json"});
            QVERIFY2(exp.code == 0, exp.err.constData());
            const QJsonObject r = jsonLines(exp.out).value(0);
            QCOMPARE(r["calibration"].toString(), QString(method));
            QVERIFY2(r["int8"].toDouble() > r["float"].toDouble() - 0.05, exp.out.constData());
            QVERIFY2(exp.err.contains(QString("calibrated (%1)").arg(method).toUtf8()), exp.err.constData());
        }
        Result bad = runCli({"export", "--run", id, "--db", db, "--format", "native-int8", "--calibration", "kl", "-o",
                             m_dir.filePath("x.nmodel")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("--calibration must be minmax, percentile or entropy, got 'kl'"), bad.err.constData());
        Result floatOnly = runCli({"export", "--run", id, "--db", db, "--format", "native", "--calibration", "entropy",
                                   "-o", m_dir.filePath("y.nmodel")});
        QCOMPARE(floatOnly.code, 2);
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
        struct Other {
            const char* extra;
            const char* message;
        };
        const Other others[] = {
            {R"(, "distillation": {"teacher": "run:x1"})", "expected run:ID (a stored run's id) or a .nmodel file"},
            {R"(, "distillation": {"teacher": "run:1", "alpha": 2})", "$.training.distillation.alpha"},
            {R"(, "quantization_aware": {"range_momentum": 1})", "$.training.quantization_aware.range_momentum"},
        };
        for (const Other& o : others) {
            const QString p = writeFile(m_dir, qPrintable(QString("other%1.neurite.json").arg(&o - others)), project("", o.extra));
            Result r = runCli({"train", p, "--db", m_dir.filePath("other.db")});
            QVERIFY2(r.code == 2, (QByteArray(o.extra) + " -> " + r.err).constData());
            QVERIFY2(r.err.trimmed().split('\n').last().contains(o.message), r.err.constData());
        }
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

QTEST_GUILESS_MAIN(TestCompressionCli)
#include "test_compression_cli.moc"
