// The stored run records' one reader and writer (run_records.h): an evaluation written by
// metricsJson reads back to the same report and writes the same text again (binary, multi-class
// with top-k and undefined metrics, regression; with and without curves); damaged values are
// bad input that names the run and the value; the data description round-trips with its target
// scaling; settings rows come in tuning order with what differs; network differences ignore
// positions.
#include <QtTest>

#include <cmath>
#include <random>

#include "core/error.h"
#include "io/json_text.h"
#include "metrics_json.h"
#include "run_records.h"

using namespace neurite;
using namespace neurite::storage;

namespace {

// n samples of k classes with probabilities that mostly favour the true class; class k-1 is
// never predicted when `starve` (so its precision is undefined).
ClassScores scores(int n, int k, unsigned seed, bool starve) {
    ClassScores s;
    for (int c = 0; c < k; ++c) s.classNames.push_back("class " + std::to_string(c));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.05f, 1.0f);
    for (int i = 0; i < n; ++i) {
        const int label = i % k;
        s.labels.push_back(label);
        std::vector<float> row(static_cast<std::size_t>(k));
        float sum = 0;
        for (int c = 0; c < k; ++c) sum += row[static_cast<std::size_t>(c)] = u(rng) + (c == label ? 0.8f : 0.0f);
        if (starve && k > 2) {
            sum -= row[static_cast<std::size_t>(k - 1)];
            row[static_cast<std::size_t>(k - 1)] = 0.001f;
            sum += 0.001f;
        }
        for (float v : row) s.probs.push_back(v / sum);
    }
    return s;
}

std::string text(const EvaluationReport& r, bool curves) { return io::dumpJson(metricsJson(r, curves)); }

template <class F> QString badInput(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::BadInput) return QString::fromUtf8(e.what());
        return QStringLiteral("wrong kind: ") + e.what();
    }
    return QStringLiteral("no error");
}

}  // namespace

class TestRunRecords : public QObject {
    Q_OBJECT

private slots:
    void evaluationsRoundTrip_data() {
        QTest::addColumn<int>("classes");
        QTest::addColumn<bool>("starve");
        QTest::addColumn<bool>("curves");
        for (bool curves : {true, false}) {
            const char* c = curves ? "curves" : "summary";
            QTest::newRow(qPrintable(QString("binary %1").arg(c))) << 2 << false << curves;
            QTest::newRow(qPrintable(QString("3 classes, one never predicted, %1").arg(c))) << 3 << true << curves;
            QTest::newRow(qPrintable(QString("7 classes, top-5, %1").arg(c))) << 7 << false << curves;
        }
    }
    void evaluationsRoundTrip() {
        QFETCH(int, classes);
        QFETCH(bool, starve);
        QFETCH(bool, curves);
        const EvaluationReport r = evaluateClassification(scores(300, classes, 7u + static_cast<unsigned>(classes), starve), "test", 50);
        const std::string stored = text(r, curves);
        const EvaluationReport back = parseEvaluation(stored, "runs.db: run 1 test evaluation");
        QCOMPARE(text(back, curves), stored);
        QVERIFY(back.classification && back.curves);
        QCOMPARE(back.split, std::string("test"));
        QCOMPARE(back.count, int64_t{300});
        QCOMPARE(back.classification->accuracy.v, r.classification->accuracy.v);
        QCOMPARE(back.classification->topK, r.classification->topK);
        if (starve && curves) {
            const ClassMetrics& last = back.classification->perClass.back();
            QVERIFY(!last.precision.defined());
            QCOMPARE(last.precision.undefinedReason, r.classification->perClass.back().precision.undefinedReason);
        }
        if (curves) {
            QCOMPARE(back.classification->confusion.counts, r.classification->confusion.counts);
            QCOMPARE(back.curves->perClass.size(), r.curves->perClass.size());
            const RocCurve& roc = back.curves->perClass.front().curves.roc;
            QCOMPARE(roc.fpr, r.curves->perClass.front().curves.roc.fpr);
            QVERIFY(std::isinf(roc.thresholds.front()));  // +inf is stored as null and read back
            QCOMPARE(roc.auc.v, r.curves->perClass.front().curves.roc.auc.v);
        } else {
            QVERIFY(back.classification->perClass.empty());
            QCOMPARE(back.curves->auc().v, r.curves->auc().v);
        }
    }

    void regressionRoundTrip() {
        const std::vector<float> pred{1, 2, 3, 4.5f}, target{1.5f, 2, 2, 4};
        const EvaluationReport r = evaluateRegression(pred, target, 1, "validation");
        const std::string stored = text(r, true);
        const EvaluationReport back = parseEvaluation(stored, "x");
        QCOMPARE(text(back, true), stored);
        QVERIFY(back.regression && !back.classification && !back.curves);
        QCOMPARE(back.regression->rmse.v, r.regression->rmse.v);
    }

    void damagedEvaluationsAreBadInput() {
        const std::string where = "runs.db: run 4 test evaluation";
        QString e = badInput([&] { parseEvaluation(R"({"split":"test","accuracy":"high"})", where); });
        QVERIFY2(e.startsWith(QString::fromStdString(where)) && e.contains("$.accuracy") && e.contains("\"high\""), qPrintable(e));
        e = badInput([&] { parseEvaluation("[1,2]", where); });
        QVERIFY2(e.contains("not an object"), qPrintable(e));
        e = badInput([&] { parseEvaluation(R"({"accuracy":1,"per_class":[{"class":"a"},{"class":"b"}],"confusion_matrix":{"classes":["a","b"],"counts":[[1,2]]}})", where); });
        QVERIFY2(e.contains("$.confusion_matrix.counts") && e.contains("1 rows for 2 classes"), qPrintable(e));
        e = badInput([&] { parseEvaluation(R"({"accuracy":1,"per_class":[{"class":"a"}],"confusion_matrix":{"classes":["a"],"counts":[[-3]]}})", where); });
        QVERIFY2(e.contains("expected a count"), qPrintable(e));
        e = badInput([&] { parseEvaluation(R"({"auc_macro":0.5,"roc":[{"class":"a","fpr":[0,1],"tpr":[0],"thresholds":[null,1]}],"pr":[{}]})", where); });
        QVERIFY2(e.contains("$.roc[0]") && e.contains("different lengths"), qPrintable(e));
        e = badInput([&] { parseEvaluation(R"({"split":"test","accuracy":1,"per_class":[{"class":3}]})", where); });
        QVERIFY2(e.contains("$.per_class[0].class"), qPrintable(e));
        // The table and the matrix come together and name the same classes, so what is read
        // writes back the same.
        e = badInput([&] { parseEvaluation(R"({"accuracy":1,"per_class":[{"class":"a"}]})", where); });
        QVERIFY2(e.contains("$.confusion_matrix is missing"), qPrintable(e));
        e = badInput([&] { parseEvaluation(R"({"accuracy":1,"per_class":[{"class":"a"}],"confusion_matrix":{"classes":["b"],"counts":[[1]]}})", where); });
        QVERIFY2(e.contains("does not name the classes"), qPrintable(e));
        e = badInput([&] { parseEvaluation("{\"split\":", where); });
        QVERIFY2(e.contains("invalid JSON"), qPrintable(e));
    }

    void finalEvaluationPrefersTest() {
        QTemporaryDir dir;
        RunStore store(dir.filePath("runs.db").toStdString());
        NewRun n;
        n.name = "r";
        n.projectJson = n.settingsJson = n.dataJson = "{}";
        const int64_t id = store.beginRun(n);
        QVERIFY(!finalEvaluation(store, id));
        const EvaluationReport val = evaluateClassification(scores(40, 2, 1, false), "validation");
        EpochRecord e;
        e.epoch = 3;
        e.metricsJson = text(val, false);
        store.putEpoch(id, e);
        QCOMPARE(finalEvaluation(store, id)->title, std::string("validation (epoch 3)"));
        store.putEvaluation(id, {"validation", 0.5, 0.5, 0.5, text(val, true)});
        QCOMPARE(finalEvaluation(store, id)->title, std::string("validation"));
        store.putEvaluation(id, {"test", 0.5, 0.5, 0.5, R"({"split":"test","accuracy":[]})"});
        // A split asked for first wins over the test evaluation (which is damaged: never read).
        QCOMPARE(finalEvaluation(store, id, "validation")->title, std::string("validation"));
        const QString err = badInput([&] { finalEvaluation(store, id); });
        QVERIFY2(err.contains(QString("runs.db: run %1 test evaluation").arg(id)) && err.contains("$.accuracy"), qPrintable(err));
    }

    void dataSummaryRoundTrip() {
        DataSummary d;
        d.source = "csv:/data/prices.csv?target=price";
        d.sampleShape = "[5]";
        d.train = 700;
        d.validation = 150;
        d.test = 150;
        d.targets = 2;
        d.targetScaling.mean = {3.5f, -0.001f};
        d.targetScaling.stddev = {1e-3f, 12.25f};
        const std::string stored = dataSummaryJson(d);
        const DataSummary back = parseDataSummary(stored, "x");
        QCOMPARE(dataSummaryJson(back), stored);
        QCOMPARE(back.targetScaling.mean, d.targetScaling.mean);  // floats survive exactly
        QCOMPARE(back.targetScaling.stddev, d.targetScaling.stddev);
        QVERIFY(!back.planar());

        // A classifier recorded before target scaling existed; a 2-D one has a decision map.
        const DataSummary old = parseDataSummary(
            R"({"source":"synthetic:spiral","sample_shape":"[2]","train":10,"classes":["a","b"],"train_class_counts":[4,6]})", "x");
        QVERIFY(!old.targetScaling.active() && old.planar());
        QCOMPARE(old.trainClassCounts, (std::vector<int64_t>{4, 6}));

        QString e = badInput([] { parseDataSummary(R"({"targets":1,"target_mean":[0],"target_std":[0]})", "runs.db: run 2 data description"); });
        QVERIFY2(e.startsWith("runs.db: run 2 data description") && e.contains("positive standard deviations"), qPrintable(e));
        e = badInput([] { parseDataSummary(R"({"targets":1,"target_mean":[0]})", "x"); });
        QVERIFY2(e.contains("$.target_std is missing"), qPrintable(e));
        e = badInput([] { parseDataSummary(R"({"train":-5})", "x"); });
        QVERIFY2(e.contains("$.train"), qPrintable(e));
    }

    void settingRowsInTuningOrder() {
        const RunSettings a = parseSettings(R"({"training.seed":1,"training.optimizer.lr":0.1,"training.optimizer.type":"adam",
                                               "training.batch_size":32,"data.source":"synthetic:moons?n=100","training.zeta":[1,2]})", "a");
        const RunSettings b = parseSettings(R"({"training.seed":1,"training.optimizer.lr":0.01,"training.optimizer.type":"sgd",
                                               "training.batch_size":64,"data.source":"synthetic:spiral","training.momentum":0.9,"training.zeta":[1,2]})", "b");
        QCOMPARE(numberSetting(a, "training.batch_size").value_or(-1), 32.0);
        QVERIFY(!numberSetting(a, "training.optimizer.type"));
        QVERIFY(!numberSetting(a, "training.momentum"));

        const auto all = settingRows({a, b}, false);
        std::vector<std::string> keys;
        for (const auto& r : all) keys.push_back(r.key);
        QCOMPARE(keys, (std::vector<std::string>{"training.optimizer.lr", "training.optimizer.type", "training.batch_size",
                                                 "data.source", "training.seed", "training.momentum", "training.zeta"}));
        QVERIFY(!all[4].differs && all[5].differs);
        QVERIFY(!all[5].values[0] && all[5].values[1]->text == "0.9");
        QCOMPARE(all[1].values[0]->text, std::string("adam"));   // strings read without quotes
        QCOMPARE(all[1].values[0]->json, std::string("\"adam\""));
        QCOMPARE(settingRows({a, b}, true).size(), std::size_t{5});
        QVERIFY(settingRows({a, a}, true).empty());

        QCOMPARE(distinguishingSettings({a, b}), (std::vector<std::string>{"lr 0.1, adam", "lr 0.01, sgd"}));
        QCOMPARE(distinguishingSettings({a, b}, 4)[1], std::string("lr 0.01, sgd, batch 64, data synthetic:spiral"));
        QCOMPARE(distinguishingSettings({a, b}, 4)[0], std::string("lr 0.1, adam, batch 32, data synthetic:moons"));
        QCOMPARE(distinguishingSettings({a}), std::vector<std::string>{""});
        QCOMPARE(distinguishingSettings({a, a}), (std::vector<std::string>{"", ""}));
        QVERIFY(badInput([] { parseSettings("[]", "s"); }).contains("not an object"));
    }

    void networkDifferences() {
        const std::string a = R"({"model":{"nodes":[
            {"id":"in","op":"Input","params":{"shape":[2]},"position":[0,0]},
            {"id":"d1","op":"Dense","inputs":["in"],"params":{"units":8,"activation":"relu"},"position":[1,0]},
            {"id":"drop","op":"Dropout","inputs":["d1"],"params":{"rate":0.5}}]}})";
        const std::string b = R"({"model":{"nodes":[
            {"id":"in","op":"Input","params":{"shape":[2]},"position":[50,50]},
            {"id":"d1","op":"Dense","inputs":["in"],"params":{"units":16},"position":[1,0]},
            {"id":"d2","op":"Dense","inputs":["d1"],"params":{"units":3}}]}})";
        QCOMPARE(networkDiff(a, a, "p"), std::vector<std::string>{});
        QCOMPARE(networkDiff(a, b, "p"), (std::vector<std::string>{"removed drop (Dropout)",
                                                                   "changed d1: activation relu -> (default), units 8 -> 16",
                                                                   "added d2 (Dense)"}));
        const QString e = badInput([&] { networkDiff(a, R"({"model":{"nodes":[{"op":"Dense","id":7}]}})", "runs.db: runs 1 and 2 projects"); });
        QVERIFY2(e.contains("$.model.nodes[0].id"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestRunRecords)
#include "test_run_records.moc"
