// The designer's data probe keys its cache by the engine's dataKey, so every data setting that
// changes the data loads it again and updates the "auto" sizes: the target column (3 classes or
// 2), reconstruction (the outputs become the 4 inputs), and settings the old hand-made key left
// out (balance, stratify, target scaling, augmentation) re-probe instead of answering with the
// stale result; going back to a setting seen before answers from the cache without loading.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

#include "data_probe.h"
#include "designer/graph_model.h"
#include "main_window.h"
#include "project_files.h"

using namespace neurite;

namespace {

// f1..f3 features; a: 60 of class 0, 20 of class 1, 10 of class 2; b: two classes.
QString writeCsv(QTemporaryDir& dir) {
    QFile f(dir.filePath("probe.csv"));
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write the CSV");
    f.write("f1,f2,f3,a,b\n");
    for (int i = 0; i < 90; ++i) {
        const int a = i < 60 ? 0 : i < 80 ? 1 : 2;
        f.write(QString("%1,%2,%3,%4,%5\n").arg(i * 0.1).arg((i % 7) * 0.5).arg(i % 3).arg(a).arg(i % 2).toUtf8());
    }
    return f.fileName();
}

ProjectDocument csvProject(const QString& csv) {
    ProjectDocument doc;
    doc.name = "probe";
    doc.data.source = (QStringLiteral("csv:") + csv).toStdString();
    doc.data.validationSplit = 0.2;
    doc.nodes = {makeNode("input", "Input"), makeNode("out", "Dense", {"input"}, {{"units", std::string("auto")}})};
    doc.output = "out";
    return doc;
}

}  // namespace

class TestDataProbe : public QObject {
    Q_OBJECT
private slots:
    void everyDataSettingReprobes() {
        QTemporaryDir dir;
        const QString csv = writeCsv(dir);
        MainWindow w;
        GraphModel* model = w.model();
        DataProbe* probe = w.dataProbe();
        QVERIFY(w.files()->newProject(csvProject(csv)));
        QTRY_VERIFY_WITH_TIMEOUT(!probe->busy(), 30000);
        QVERIFY2(probe->result().error.isEmpty(), qPrintable(probe->result().error));
        QCOMPARE(model->shapeOf("input"), QString("[N,4]"));  // f1, f2, f3, a
        QCOMPARE(model->shapeOf("out"), QString("[N,2]"));    // b, the last column

        // Applies `edit` to the data settings; returns whether the data was loaded again.
        const auto change = [&](const std::function<void(DataConfig&)>& edit) {
            DataConfig data = model->document().data;
            edit(data);
            const int loads = probe->loadsStarted();
            const QString before = DataProbe::keyOf(model->document());
            model->setSettings(data, model->document().training);
            if (DataProbe::keyOf(model->document()) == before) qFatal("the edit changed nothing");
            const bool loaded = probe->loadsStarted() == loads + 1;
            for (int i = 0; i < 300 && probe->busy(); ++i) QTest::qWait(100);
            if (probe->busy()) qFatal("the data probe did not finish");
            return loaded;
        };

        QVERIFY(change([](DataConfig& d) { d.target = std::string("a"); }));
        QCOMPARE(model->shapeOf("input"), QString("[N,4]"));  // f1, f2, f3, b
        QCOMPARE(model->shapeOf("out"), QString("[N,3]"));
        const QString plain = probe->result().summary;

        QVERIFY(change([](DataConfig& d) { d.reconstruct = true; }));
        QCOMPARE(model->shapeOf("out"), QString("[N,4]"));  // the inputs themselves
        QVERIFY(change([](DataConfig& d) { d.reconstruct = false; }) == false);  // seen before: cached
        QCOMPARE(model->shapeOf("out"), QString("[N,3]"));

        // Oversampling the training split changes its size: the summary must not be the old one.
        QVERIFY(change([](DataConfig& d) { d.balance = std::string("oversample"); }));
        QVERIFY2(probe->result().summary != plain, qPrintable(probe->result().summary));
        QVERIFY(change([](DataConfig& d) { d.balance = std::string("none"); d.stratify = false; }));
        QVERIFY(change([](DataConfig& d) { d.targetScaling = std::string("none"); }));
        QVERIFY(change([](DataConfig& d) { d.augment.noise = 0.1f; }));
        QVERIFY(change([](DataConfig& d) { d.classWeights = std::string("balanced"); }));
        QVERIFY(change([](DataConfig& d) {
            d.classWeights = std::string("none");
            d.augment.noise = 0;
            d.targetScaling = std::string("standardize");
            d.stratify = true;
        }) == false);  // back to the plain settings of target a: from the cache
        QCOMPARE(probe->result().summary, plain);
        QCOMPARE(model->shapeOf("out"), QString("[N,3]"));
    }
};

QTEST_MAIN(TestDataProbe)
#include "test_data_probe.moc"
