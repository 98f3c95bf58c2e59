// The Try it panel's data-set samples, offscreen: the panel loads the model's own data set split
// as in training, shows held-out samples with their true labels and exactly the Predictor's
// probabilities, "Next mistake" stops at the first misclassified sample and at nothing earlier,
// and a data set that does not fit the model leaves a message and the model usable.
#include <QLineEdit>
#include <qcustomplot.h>
#include <QTabWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

#include "support/test_env.h"
#include "support/try_it_wait.h"
#include "data/data_source.h"
#include "devices/device_registry.h"
#include "export/export_model.h"
#include "export/input_files.h"
#include "export/native_model.h"
#include "export/predictor.h"
#include "deploy/probability_bars.h"
#include "deploy/try_it_panel.h"
#include "decision_plot.h"
#include "main_window.h"
#include "runs/runs_panel.h"
#include "support/cli_runner.h"
#include "support/export_fixtures.h"
#include "training/training_panel.h"

using namespace neurite;
using test::loadAndWait;
using test::settle;

namespace {

// A classifier with random weights (so it gets some samples right and some wrong) reading the
// given data source.
test::ModelFixture classifier(const std::string& source, const Shape& sample, int classes,
                              bool image) {
    std::vector<Node> nodes{makeNode("input", "Input")};
    std::string last = "input";
    if (image) {
        nodes.push_back(makeNode("flat", "Flatten", {"input"}));
        last = "flat";
    }
    nodes.push_back(makeNode("logits", "Dense", {last}, {{"units", std::string("auto")}}));
    test::ModelFixture f = test::makeFixture(source, std::move(nodes), sample, classes, 77, !image);
    f.project.data.source = source;
    f.project.data.testSplit = image ? 0.0 : 0.2;
    f.project.training.seed = 5;
    return f;
}

std::vector<float> rawOf(const DataSplit& s, int64_t index, int64_t values) {
    std::vector<float> raw(static_cast<std::size_t>(values));
    for (int64_t i = 0; i < values; ++i) {
        const auto at = std::size_t(index * values + i);
        raw[std::size_t(i)] = s.dtype == DType::U8 ? float(s.bytes[at]) : s.f32()[at];
    }
    return raw;
}

bool loadSamples(TryItPanel& panel) {
    QSignalSpy spy(&panel, &TryItPanel::samplesLoaded);
    panel.loadSamples();
    return spy.wait(20000) && panel.sampleCount() > 0 && settle(panel);  // sample 1 is predicted
}

}  // namespace

class TestTryItPanel : public QObject {
    Q_OBJECT
private slots:
    void heldOutSamplesWithTheirLabels() {
        test::ModelFixture f = classifier("builtin:iris", Shape{4}, 3, false);
        QTemporaryDir dir;
        const QString path = dir.filePath("iris.nmodel");
        saveNativeModel(f.source(), path.toStdString());
        const Dataset ds = loadDataset(f.project.data, f.project.training.seed);
        QVERIFY(ds.test.count > 0);

        TryItPanel panel;
        QVERIFY(loadAndWait(panel, path));
        QCOMPARE(panel.sampleCount(), int64_t(0));
        QVERIFY2(loadSamples(panel), qPrintable(panel.errorText()));
        QCOMPARE(panel.sampleCount(), ds.test.count);
        QCOMPARE(panel.sampleSplitName(), QString("test"));
        QCOMPARE(panel.currentSample(), int64_t(0));

        Predictor p(*f.model, f.preprocessing, 1);
        const auto predictedOf = [&](int64_t i) {
            const std::vector<float> raw = rawOf(ds.test, i, 4);
            const std::vector<float> probs = probabilitiesOf(p.outputs(raw.data(), 1), p.units());
            return std::pair{argmaxRows(probs, 3).front(), probs};
        };
        QVERIFY(panel.showSample(7));
        QVERIFY(settle(panel));
        const std::vector<float> raw = rawOf(ds.test, 7, 4);
        QStringList typed;
        for (float v : raw) typed << QString::number(v, 'g', 6);
        QCOMPARE(panel.findChild<QLineEdit*>()->text(), typed.join(", "));  // editable in the row
        const auto [predicted, probs] = predictedOf(7);
        QCOMPARE(panel.bars().values().size(), probs.size());
        QVERIFY(std::memcmp(panel.bars().values().data(), probs.data(), probs.size() * 4) == 0);
        const int truth = ds.test.labels[7];
        QVERIFY2(panel.truthText().contains("True: " + QString::fromStdString(f.classNames[std::size_t(truth)])),
                 qPrintable(panel.truthText()));
        QCOMPARE(panel.truthText().contains("correct"), predicted == truth);
        QCOMPARE(panel.truthText().contains("wrong"), predicted != truth);
        QVERIFY(!panel.hasPreview());  // tabular: no image

        // Next mistake: the first wrong sample after the current one, every one between right.
        int64_t from = 7;
        for (int round = 0; round < 3; ++round) {
            QSignalSpy searched(&panel, &TryItPanel::mistakeSearched);
            QVERIFY(panel.nextMistake());
            QVERIFY(!panel.nextMistake());  // one search at a time
            QVERIFY(searched.wait(60000));
            QVERIFY(settle(panel));
            const int64_t at = panel.currentSample();
            QVERIFY(predictedOf(at).first != ds.test.labels[std::size_t(at)]);
            for (int64_t i = (from + 1) % ds.test.count; i != at; i = (i + 1) % ds.test.count)
                QCOMPARE(predictedOf(i).first, ds.test.labels[std::size_t(i)]);
            QVERIFY(panel.truthText().contains("wrong"));
            from = at;
        }
        QVERIFY(!panel.showSample(ds.test.count));  // out of range: nothing happens
        QCOMPARE(panel.currentSample(), from);

        // Another model drops the samples of the previous one.
        QVERIFY(loadAndWait(panel, path));
        QCOMPARE(panel.sampleCount(), int64_t(0));
    }

    // An int8 model file runs on the int8 runtime: the bars are the int8 Predictor's, the model
    // line says int8, and the next mistake is a mistake of the int8 model.
    void int8ModelsRunOnTheInt8Runtime() {
        test::ModelFixture f = classifier("builtin:iris", Shape{4}, 3, false);
        const Dataset ds = loadDataset(f.project.data, f.project.training.seed);
        QTemporaryDir dir;
        const QString path = dir.filePath("iris-int8.nmodel");
        Int8Options options;
        options.data = &ds;
        options.calibrationSamples = 64;
        exportModel(f.source(), ExportFormat::NativeInt8, path.toStdString(), {}, 0, &options);
        NativeModel m = loadNativeModel(path.toStdString(), backendFor("cpu"));
        QVERIFY(m.int8);
        Predictor p(*m.model, m.preprocessing, 1, InferencePath::Compiled, &*m.int8);
        const auto probsOf = [&](int64_t i) {
            const std::vector<float> raw = rawOf(ds.test, i, 4);
            return probabilitiesOf(p.outputs(raw.data(), 1), p.units());
        };

        TryItPanel panel;
        QVERIFY(loadAndWait(panel, path));
        QVERIFY2(panel.modelText().contains("int8"), qPrintable(panel.modelText()));
        QVERIFY2(loadSamples(panel), qPrintable(panel.errorText()));
        QVERIFY(panel.showSample(5));
        QVERIFY(settle(panel));
        const std::vector<float> probs = probsOf(5);
        QCOMPARE(panel.bars().values().size(), probs.size());
        QVERIFY(std::memcmp(panel.bars().values().data(), probs.data(), probs.size() * 4) == 0);
        QSignalSpy searched(&panel, &TryItPanel::mistakeSearched);
        QVERIFY(panel.nextMistake());
        QVERIFY(searched.wait(60000));
        QVERIFY(settle(panel));
        const int64_t at = panel.currentSample();
        if (panel.truthText().contains("wrong")) {
            const std::vector<float> q = probsOf(at);
            QVERIFY(argmaxRows(q, 3).front() != ds.test.labels[std::size_t(at)]);
        } else {
            QVERIFY2(panel.errorText().contains("correctly"), qPrintable(panel.errorText()));
        }
    }

    // A text model takes typed text, says which of its words it does not know, and shows a data
    // set sample as its text, predicted from exactly the ids the data set holds.
    void textModelsTakeTypedText() {
        QTemporaryDir dir;
        QFile csv(dir.filePath("topics.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("text,label\n");
        for (int i = 0; i < 40; ++i)
            csv.write(QByteArray(i % 2 ? "\"the sea,\nthe ship " : "\"the sky: a cloud ") + QByteArray::number(i % 5) +
                      (i % 2 ? "\",sea\n" : "\",sky\n"));
        csv.close();
        DataConfig data;
        data.source = "text:" + csv.fileName().toStdString();
        data.testSplit = 0.25;
        const Dataset ds = loadDataset(data, 5);
        QVERIFY(ds.text.fitted());
        std::vector<Node> nodes{makeNode("input", "Input"),
                                makeNode("e", "Embedding", {"input"}, {{"vocabulary_size", ds.text.size()}, {"dimension", int64_t(4)}}),
                                makeNode("avg", "GlobalAvgPool1D", {"e"}),
                                makeNode("logits", "Dense", {"avg"}, {{"units", std::string("auto")}})};
        test::ModelFixture f = test::makeFixture("text", std::move(nodes), ds.sampleShape, 2, 9, false);
        f.project.data = data;
        f.project.training.seed = 5;
        f.preprocessing.text = ds.text;
        f.classNames = ds.classNames;
        const QString path = dir.filePath("text.nmodel");
        saveNativeModel(f.source(), path.toStdString());

        TryItPanel panel;
        QVERIFY(loadAndWait(panel, path));
        Predictor p(*f.model, f.preprocessing, 1);
        QSignalSpy predicted(&panel, &TryItPanel::predicted);
        QVERIFY(panel.predictRow("The SHIP and a zebra"));
        QVERIFY(predicted.wait(20000));
        const RawInputs ids = encodeTextInputs({"the ship and a zebra"}, ds.text, "t");
        const std::vector<float> probs = probabilitiesOf(p.outputs(ids.values.data(), 1), p.units());
        QVERIFY(std::memcmp(panel.bars().values().data(), probs.data(), probs.size() * 4) == 0);
        QVERIFY2(panel.wordsText().contains("5 tokens") && panel.wordsText().contains("unknown): and, zebra"),
                 qPrintable(panel.wordsText()));
        QVERIFY(!panel.predictRow("   "));
        QVERIFY(panel.errorText().contains("Type a text"));

        QVERIFY2(loadSamples(panel), qPrintable(panel.errorText()));
        QCOMPARE(panel.sampleSplitName(), QString("test"));
        QVERIFY(panel.showSample(3));
        QVERIFY(settle(panel));
        QCOMPARE(panel.findChild<QLineEdit*>()->text(), QString::fromStdString(ds.test.texts[3]).simplified());
        const std::vector<float> sample(ds.test.f32() + 3 * ds.sampleShape[0], ds.test.f32() + 4 * ds.sampleShape[0]);
        const std::vector<float> sampleProbs = probabilitiesOf(p.outputs(sample.data(), 1), p.units());
        QVERIFY(std::memcmp(panel.bars().values().data(), sampleProbs.data(), sampleProbs.size() * 4) == 0);
        QVERIFY2(panel.wordsText().contains("All of them are in the vocabulary"), qPrintable(panel.wordsText()));
    }

    void imageSamplesShowAPreview() {
        test::ModelFixture f = classifier("builtin:digits", Shape{1, 8, 8}, 10, true);
        QTemporaryDir dir;
        const QString path = dir.filePath("digits.nmodel");
        saveNativeModel(f.source(), path.toStdString());
        const Dataset ds = loadDataset(f.project.data, f.project.training.seed);
        TryItPanel panel;
        QVERIFY(loadAndWait(panel, path));
        QVERIFY2(loadSamples(panel), qPrintable(panel.errorText()));
        QCOMPARE(panel.sampleSplitName(), QString("validation"));  // digits has no test split here
        QCOMPARE(panel.sampleCount(), ds.validation.count);
        QVERIFY(panel.showSample(3));
        QVERIFY(settle(panel));
        QVERIFY(panel.hasPreview());
        QVERIFY(panel.predictionText().startsWith("Predicted: "));
        panel.resize(700, 500);
        QVERIFY(!panel.grab().isNull());
    }

    void aDataSetThatDoesNotFitKeepsTheModel() {
        test::ModelFixture f = classifier("builtin:wine", Shape{4}, 3, false);  // wine has 13 features
        QTemporaryDir dir;
        const QString path = dir.filePath("m.nmodel");
        saveNativeModel(f.source(), path.toStdString());
        TryItPanel panel;
        QVERIFY(loadAndWait(panel, path));
        QVERIFY(!loadSamples(panel));
        QVERIFY2(panel.errorText().contains("the model expects [4]"), qPrintable(panel.errorText()));
        QVERIFY(panel.hasModel());
        QVERIFY(panel.predictRow("5.1, 3.5, 1.4, 0.2"));
        QVERIFY(settle(panel));

        f.project.data.source = "csv:/nonexistent/data.csv";
        saveNativeModel(f.source(), path.toStdString());
        QVERIFY(loadAndWait(panel, path));
        QVERIFY(!loadSamples(panel));
        QVERIFY2(panel.errorText().contains("/nonexistent/data.csv"), qPrintable(panel.errorText()));
        QVERIFY(panel.predictRow("5.1, 3.5, 1.4, 0.2"));
        QVERIFY(settle(panel));
    }

    // A stored run is tried without exporting it: the panel loads its final model from the run
    // store and predicts exactly what the exported native file predicts; a 2-D classifier gets
    // its decision map, and a click on the plane predicts that point. A run that is not there
    // leaves a message and the model shown before.
    void aStoredRunIsTriedWithoutExport() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        test::Result r = test::runCli({"train", test::example("spiral.neurite.json"), "--epochs", "3",
                                       "--threads", "1", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString exported = dir.filePath("run1.nmodel");
        r = test::runCli({"export", "--run", "1", "--db", db, "--format", "native", "-o", exported});
        QVERIFY2(r.code == 0, r.err.constData());

        TryItPanel fromFile;
        QVERIFY(loadAndWait(fromFile, exported));
        TryItPanel panel;
        QSignalSpy loaded(&panel, &TryItPanel::modelLoaded);
        panel.loadRun(db, 1);
        QVERIFY(loaded.wait(60000));
        QVERIFY2(panel.modelText().startsWith("Run #1 Spiral (final model): 3 classes"), qPrintable(panel.modelText()));
        for (const auto& [x, y] : {std::pair{0.3, -0.2}, {-0.7, 0.5}, {0.05, 0.9}}) {
            QVERIFY(panel.predictPoint(x, y));
            QVERIFY(settle(panel));
            QVERIFY(fromFile.predictRow(QString("%1, %2").arg(x, 0, 'g', 4).arg(y, 0, 'g', 4)));
            QVERIFY(settle(fromFile));
            QCOMPARE(panel.predictionText(), fromFile.predictionText());
            QCOMPARE(panel.bars().values(), fromFile.bars().values());
        }
        // Requests while one runs: one result for the newest, those in between dropped.
        const QString newest = fromFile.predictionText();
        QSignalSpy predicted(&fromFile, &TryItPanel::predicted);
        QVERIFY(fromFile.predictRow("0.3, -0.2"));
        QVERIFY(fromFile.predictRow("-0.7, 0.5"));
        QVERIFY(fromFile.predictRow("0.05, 0.9"));
        QVERIFY(settle(fromFile));
        QCOMPARE(predicted.count(), 1);
        QCOMPARE(fromFile.predictionText(), newest);
        // The map: the model's decision over the plane; a click predicts and marks the point.
        plot::DecisionPlot* map = panel.map();
        QVERIFY(map->isVisibleTo(&panel));
        QTRY_COMPARE_WITH_TIMEOUT(map->gridImage().size(), QSize(64, 64), 20000);  // drawn on a worker
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCustomPlot* plane = map->customPlot();
        const QPoint at = plane->axisRect()->rect().center();
        QTest::mouseClick(plane, Qt::LeftButton, {}, at);
        QVERIFY(panel.predicting());  // on the worker
        QVERIFY(settle(panel));
        QVERIFY(map->marker().has_value());
        QVERIFY(std::abs(map->marker()->x() - plane->xAxis->pixelToCoord(at.x())) < 1e-6);  // as float
        QVERIFY(panel.predictionText().startsWith("Predicted: "));

        panel.loadRun(db, 99);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.modelLoading(), 20000);
        QVERIFY2(panel.errorText().contains("no run 99"), qPrintable(panel.errorText()));
        QVERIFY(panel.hasModel());  // run 1's model stays
        QVERIFY(panel.predictPoint(0.1, 0.1));
        QVERIFY(settle(panel));
    }

    void theStudioOpensAModelFileInTryIt() {  // `neurite MODEL.nmodel`
        test::ModelFixture f = classifier("builtin:iris", Shape{4}, 3, false);
        QTemporaryDir dir;
        const QString path = dir.filePath("iris.nmodel");
        saveNativeModel(f.source(), path.toStdString());
        MainWindow window;
        QSignalSpy loaded(window.tryItPanel(), &TryItPanel::modelLoaded);
        QVERIFY(window.tryModel(path));
        auto* tabs = window.findChild<QTabWidget*>();
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(window.tryItPanel()));
        QVERIFY(loaded.wait(60000));
        QVERIFY(window.tryItPanel()->hasModel());
        QVERIFY(!window.tryModel(dir.filePath("missing.nmodel")));
        QVERIFY(!window.tryItPanel()->errorText().isEmpty());
        QVERIFY(window.tryItPanel()->hasModel());  // the first model stays
    }
};

QTEST_MAIN(TestTryItPanel)
#include "test_try_it_panel.moc"
