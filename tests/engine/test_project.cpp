// Project files: round trip, defaults, every kind of bad document reported with its JSON path,
// unknown-key warnings, saving and loading, and the bundled examples.
#include <QTemporaryDir>
#include <QtTest>

#include "core/error.h"
#include "io/project.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

const char* const kData = R"("source": "synthetic:spiral")";
const char* const kNodes =
    R"({"id": "in", "op": "Input"}, {"id": "fc", "op": "Dense", "inputs": ["in"]})";

// A small document with the given sections' contents.
QByteArray project(const char* training, const char* data = kData, const char* nodes = kNodes,
                   const char* top = "") {
    return QByteArray("{") + top + R"("data": {)" + data + R"(}, "model": {"nodes": [)" + nodes +
           R"(]}, "training": {)" + training + "}}";
}

// Parses and returns the BadInput message, or "" when parsing succeeded.
QString errorOf(const QByteArray& text) {
    try {
        parseProject(text.toStdString(), "p.neurite.json", nullptr);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) return QString("wrong kind: ") + e.what();
        return QString::fromStdString(e.what());
    }
    return {};
}

QStringList warningsOf(const QByteArray& text) {
    std::vector<std::string> warnings;
    parseProject(text.toStdString(), "p.neurite.json", &warnings);
    QStringList out;
    for (const std::string& w : warnings)
        out << QString::fromStdString(w);
    return out;
}

// A document that sets every field away from its default.
ProjectDocument fullDocument() {
    ProjectDocument d;
    d.name = "Everything \"quoted\"";
    d.description = "line 1\nline 2";
    d.data.source = "idx:/tmp/data";
    d.data.validationSplit = 0.15;
    d.data.testSplit = 0.05;
    d.data.scaling = "standardize";
    d.data.target = "label";
    d.data.stratify = false;
    d.data.balance = "smote";
    d.data.smoteK = 7;
    d.data.classWeights = "balanced";
    d.data.augment.horizontalFlip = d.data.augment.verticalFlip = true;
    d.data.augment.shift = 0.1f;
    d.data.augment.rotation = 15;
    d.data.augment.zoom = 0.2f;
    d.data.augment.shear = 3;
    d.data.augment.brightness = 0.05f;
    d.data.augment.noise = 0.01f;
    d.data.augment.cutout = 0.3f;
    d.data.augment.mixup = 0.4f;
    d.output = "out";
    Node in{"in", "Input", {{"shape", std::vector<int64_t>{1, 28, 28}}}, {}, 0, 0};
    Node conv{"conv",
              "Conv2D",
              {{"filters", int64_t{8}}, {"padding", std::string("valid")}, {"bias", false}},
              {"in"},
              12.5,
              90};
    Node drop{"drop", "Dropout", {{"rate", 0.25}}, {"conv"}, -3, 180};
    Node out{"out",    "Dense", {{"units", std::string("auto")}, {"empty", std::vector<int64_t>{}}},
             {"drop"}, 0,       270};
    d.nodes = {in, conv, drop, out};
    TrainConfig& t = d.training;
    t.epochs = 7;
    t.batchSize = 16;
    t.seed = 18446744073709551615ull;
    t.device = "cuda:1";
    t.threads = 3;
    t.precision = Precision::Bf16;
    t.loss = {LossKind::Focal, 0.1f, {1.f, 2.5f, 0.3f}, 1.5f, 0.3f, 2.f, 0.7f};
    t.optimizer = {OptimizerKind::Sgd, 0.05f, 0.9f, true, 0.8f, 0.99f, 1e-6f, 0.95f, 1e-4f};
    t.schedule = {ScheduleKind::Plateau, 3, 0.5f, 2, 1e-5f, 0.2f, 4, 1e-3f};
    t.l1 = 1e-5f;
    t.l2 = 3e-4f;
    t.clipNorm = 1.5f;
    t.earlyStopping = {true, "val_accuracy", 9, 0.01f, false};
    t.maxSteps = 100;
    return d;
}

void compareDocuments(const ProjectDocument& a, const ProjectDocument& b) {
    QCOMPARE(a.version, b.version);
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.description, b.description);
    QCOMPARE(a.data.source, b.data.source);
    QCOMPARE(a.data.validationSplit, b.data.validationSplit);
    QCOMPARE(a.data.testSplit, b.data.testSplit);
    QCOMPARE(a.data.scaling, b.data.scaling);
    QCOMPARE(a.data.target, b.data.target);
    QCOMPARE(a.data.stratify, b.data.stratify);
    QCOMPARE(a.data.balance, b.data.balance);
    QCOMPARE(a.data.smoteK, b.data.smoteK);
    QCOMPARE(a.data.classWeights, b.data.classWeights);
    const AugmentConfig &ga = a.data.augment, &gb = b.data.augment;
    QCOMPARE(ga.horizontalFlip, gb.horizontalFlip);
    QCOMPARE(ga.verticalFlip, gb.verticalFlip);
    QCOMPARE(ga.shift, gb.shift);
    QCOMPARE(ga.rotation, gb.rotation);
    QCOMPARE(ga.zoom, gb.zoom);
    QCOMPARE(ga.shear, gb.shear);
    QCOMPARE(ga.brightness, gb.brightness);
    QCOMPARE(ga.noise, gb.noise);
    QCOMPARE(ga.cutout, gb.cutout);
    QCOMPARE(ga.mixup, gb.mixup);
    QCOMPARE(a.output, b.output);
    QCOMPARE(a.nodes.size(), b.nodes.size());
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        QCOMPARE(a.nodes[i].id, b.nodes[i].id);
        QCOMPARE(a.nodes[i].op, b.nodes[i].op);
        QVERIFY2(a.nodes[i].params == b.nodes[i].params, a.nodes[i].id.c_str());
        QCOMPARE(a.nodes[i].inputs, b.nodes[i].inputs);
        QCOMPARE(a.nodes[i].x, b.nodes[i].x);
        QCOMPARE(a.nodes[i].y, b.nodes[i].y);
    }
    const TrainConfig &x = a.training, &y = b.training;
    QCOMPARE(x.epochs, y.epochs);
    QCOMPARE(x.batchSize, y.batchSize);
    QCOMPARE(x.seed, y.seed);
    QCOMPARE(x.device, y.device);
    QCOMPARE(x.threads, y.threads);
    QCOMPARE(x.precision, y.precision);
    QCOMPARE(x.loss.kind, y.loss.kind);
    QCOMPARE(x.loss.labelSmoothing, y.loss.labelSmoothing);
    QCOMPARE(x.loss.classWeights, y.loss.classWeights);
    QCOMPARE(x.loss.gamma, y.loss.gamma);
    QCOMPARE(x.loss.alpha, y.loss.alpha);
    QCOMPARE(x.loss.posWeight, y.loss.posWeight);
    QCOMPARE(x.loss.delta, y.loss.delta);
    QCOMPARE(x.optimizer.kind, y.optimizer.kind);
    QCOMPARE(x.optimizer.lr, y.optimizer.lr);
    QCOMPARE(x.optimizer.momentum, y.optimizer.momentum);
    QCOMPARE(x.optimizer.nesterov, y.optimizer.nesterov);
    QCOMPARE(x.optimizer.beta1, y.optimizer.beta1);
    QCOMPARE(x.optimizer.beta2, y.optimizer.beta2);
    QCOMPARE(x.optimizer.epsilon, y.optimizer.epsilon);
    QCOMPARE(x.optimizer.alpha, y.optimizer.alpha);
    QCOMPARE(x.optimizer.weightDecay, y.optimizer.weightDecay);
    QCOMPARE(x.schedule.kind, y.schedule.kind);
    QCOMPARE(x.schedule.stepSize, y.schedule.stepSize);
    QCOMPARE(x.schedule.gamma, y.schedule.gamma);
    QCOMPARE(x.schedule.warmupEpochs, y.schedule.warmupEpochs);
    QCOMPARE(x.schedule.minLr, y.schedule.minLr);
    QCOMPARE(x.schedule.factor, y.schedule.factor);
    QCOMPARE(x.schedule.patience, y.schedule.patience);
    QCOMPARE(x.schedule.threshold, y.schedule.threshold);
    QCOMPARE(x.l1, y.l1);
    QCOMPARE(x.l2, y.l2);
    QCOMPARE(x.clipNorm, y.clipNorm);
    QCOMPARE(x.earlyStopping.enabled, y.earlyStopping.enabled);
    QCOMPARE(x.earlyStopping.monitor, y.earlyStopping.monitor);
    QCOMPARE(x.earlyStopping.patience, y.earlyStopping.patience);
    QCOMPARE(x.earlyStopping.minDelta, y.earlyStopping.minDelta);
    QCOMPARE(x.earlyStopping.restoreBest, y.earlyStopping.restoreBest);
    QCOMPARE(x.maxSteps, y.maxSteps);
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        const ProjectDocument doc = fullDocument();
        const std::string text = projectToJson(doc);
        std::vector<std::string> warnings;
        ProjectDocument back = parseProject(text, "rt.neurite.json", &warnings);
        compareDocuments(back, doc);
        QCOMPARE(projectToJson(back), text);
        // Settings the chosen kinds ignore survive the round trip, and reading them says so.
        QCOMPARE(warnings.size(), std::size_t{10});
        for (const std::string& w : warnings)
            QVERIFY2(w.find(": not used by ") != std::string::npos, w.c_str());
    }

    void roundTripIsClean() {
        ProjectDocument doc = fullDocument();
        doc.training.loss = {};
        doc.training.optimizer = {};
        doc.training.schedule = {};
        doc.training.schedule.kind = ScheduleKind::Cosine;
        doc.training.schedule.warmupEpochs = 3;
        std::vector<std::string> warnings;
        compareDocuments(parseProject(projectToJson(doc), "rt.neurite.json", &warnings), doc);
        QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings[0].c_str());
    }

    void writesReadableNumbers() {
        ProjectDocument doc =
            parseProject(project(R"("optimizer": {"lr": 0.001})").toStdString(), "p", nullptr);
        const QString text = QString::fromStdString(projectToJson(doc));
        QVERIFY2(text.contains("\"lr\": 0.001,"), qPrintable(text));
        QVERIFY2(text.contains("\"position\": [0, 0]"), qPrintable(text));
    }

    void defaults() {
        ProjectDocument doc =
            parseProject(R"({"data": {"source": "s"}, "model": {"nodes": []}})", "p", nullptr);
        const ProjectDocument d;
        const TrainConfig t;
        QCOMPARE(doc.version, 1);
        QCOMPARE(doc.data.validationSplit, d.data.validationSplit);
        QCOMPARE(doc.data.testSplit, 0.0);
        QCOMPARE(doc.data.scaling, std::string("auto"));
        QCOMPARE(doc.output, std::string());
        QCOMPARE(doc.training.epochs, t.epochs);
        QCOMPARE(doc.training.batchSize, t.batchSize);
        QCOMPARE(doc.training.seed, t.seed);
        QCOMPARE(doc.training.optimizer.kind, OptimizerKind::Adam);
        QCOMPARE(doc.training.optimizer.lr, t.optimizer.lr);
        QCOMPARE(doc.training.loss.kind, LossKind::CrossEntropy);
        QCOMPARE(doc.training.schedule.kind, ScheduleKind::Constant);
        QCOMPARE(doc.training.earlyStopping.enabled, false);
        QCOMPARE(doc.training.earlyStopping.restoreBest, true);
    }

    void nodeParams() {
        ProjectDocument doc = parseProject(
            project(
                "", kData,
                R"({"id": "n", "op": "X", "params": {"i": 3, "f": 0.5, "w": 2.0, "b": true, "s": "same",
                       "l": [3, 3], "e": [], "big": 9007199254740993}, "position": [1.5, -2]})")
                .toStdString(),
            "p", nullptr);
        const auto& p = doc.nodes.at(0).params;
        QCOMPARE(std::get<int64_t>(p.at("i")), int64_t{3});
        QCOMPARE(std::get<double>(p.at("f")), 0.5);
        QCOMPARE(std::get<double>(p.at("w")), 2.0);
        QCOMPARE(std::get<bool>(p.at("b")), true);
        QCOMPARE(std::get<std::string>(p.at("s")), std::string("same"));
        QCOMPARE(std::get<std::vector<int64_t>>(p.at("l")), (std::vector<int64_t>{3, 3}));
        QVERIFY(std::get<std::vector<int64_t>>(p.at("e")).empty());
        QCOMPARE(std::get<int64_t>(p.at("big")), int64_t{9007199254740993});
        QCOMPARE(doc.nodes[0].x, 1.5);
        QCOMPARE(doc.nodes[0].y, -2.0);
    }

    void badDocuments_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax")
            << QByteArray("{\n  \"name\": \"x\",\n  \"data\": {\"source\": \"s\"}\n  oops\n}")
            << "p.neurite.json: line 4, column 3: invalid JSON";
        QTest::newRow("syntax-eof")
            << QByteArray("{\n  \"name\": ") << "line 2, column 11: invalid JSON";
        QTest::newRow("not-object") << QByteArray("[1, 2]") << "$: expected an object, got a list";
        // A file picked by mistake is named as such; no byte of it reaches the message raw.
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)
                             << "this is not a Neurite project: the file holds binary data";
        QTest::newRow("csv") << QByteArray("sepal_length,sepal_width\n5.1,3.5\n")
                             << "this is not a Neurite project: a project is a JSON file";
        QTest::newRow("latin1") << QByteArray("{\"name\": \"caf\xe9\"}")
                                << "line 1, column 15: invalid JSON: syntax error while parsing value - invalid string: "
                                   "ill-formed UTF-8 byte; last read: '\"caf\\xe9\"'";
        QTest::newRow("latin1-key") << QByteArray("{\"\xe9\xff\": 1 oops}") << "invalid JSON";
        QTest::newRow("format") << project("", kData, kNodes, R"("format": "keras",)")
                                << "$.format: not a Neurite project (format \"keras\")";
        QTest::newRow("version")
            << project("", kData, kNodes, R"("version": 2,)")
            << "$.version: this file has format version 2, but this Neurite reads version 1";
        QTest::newRow("version-type") << project("", kData, kNodes, R"("version": "1",)")
                                      << "$.version: expected an integer, got \"1\"";
        QTest::newRow("name-type")
            << project("", kData, kNodes, R"("name": 5,)") << "$.name: expected a string, got 5";
        QTest::newRow("no-data") << QByteArray(R"({"model": {"nodes": []}})") << "$.data: missing";
        QTest::newRow("no-source") << project("", "") << "$.data.source: missing";
        QTest::newRow("empty-source")
            << project("", R"("source": "")") << "$.data.source: must not be empty";
        QTest::newRow("val-range") << project("", R"("source": "s", "validation_split": 1.5)")
                                   << "$.data.validation_split: must be in [0, 1), got 1.5";
        QTest::newRow("test-negative") << project("", R"("source": "s", "test_split": -0.1)")
                                       << "$.data.test_split: must be in [0, 1), got -0.1";
        QTest::newRow("split-sum")
            << project("", R"("source": "s", "validation_split": 0.6, "test_split": 0.4)")
            << "$.data: validation_split + test_split must be < 1";
        QTest::newRow("scaling") << project("", R"("source": "s", "scaling": "minmaxx")")
                                 << "$.data.scaling: unknown scaling \"minmaxx\"; expected one of: "
                                    "auto, none, unit, standardize, minmax";
        QTest::newRow("no-model") << QByteArray(R"({"data": {"source": "s"}})")
                                  << "$.model: missing";
        QTest::newRow("no-nodes") << QByteArray(R"({"data": {"source": "s"}, "model": {}})")
                                  << "$.model.nodes: missing";
        QTest::newRow("nodes-type")
            << QByteArray(R"({"data": {"source": "s"}, "model": {"nodes": {}}})")
            << "$.model.nodes: expected a list of nodes, got an object";
        QTest::newRow("node-type")
            << project("", kData, "3") << "$.model.nodes[0]: expected an object, got 3";
        QTest::newRow("node-no-id")
            << project("", kData, R"({"op": "Input"})") << "$.model.nodes[0].id: missing";
        QTest::newRow("node-no-op")
            << project("", kData, R"({"id": "a"}, {"id": "b"})") << "$.model.nodes[0].op: missing";
        QTest::newRow("duplicate-id")
            << project("", kData, R"({"id": "a", "op": "Input"}, {"id": "a", "op": "ReLU"})")
            << "$.model.nodes[1].id: duplicate node id \"a\" (also used by $.model.nodes[0])";
        QTest::newRow("inputs-type")
            << project("", kData, R"({"id": "a", "op": "ReLU", "inputs": "in"})")
            << "$.model.nodes[0].inputs: expected a list of node ids, got \"in\"";
        QTest::newRow("inputs-item")
            << project("", kData, R"({"id": "a", "op": "ReLU", "inputs": ["x", 1]})")
            << "$.model.nodes[0].inputs[1]: expected a node id (string), got 1";
        QTest::newRow("param-object")
            << project("", kData, R"({"id": "a", "op": "Dense", "params": {"units": {}}})")
            << "$.model.nodes[0].params.units: expected a number, true/false, a string or a list "
               "of integers, got an object";
        QTest::newRow("param-list")
            << project("", kData,
                       R"({"id": "a", "op": "Conv2D", "params": {"kernel_size": [3, 2.5]}})")
            << "$.model.nodes[0].params.kernel_size[1]: expected an integer in a parameter list, "
               "got 2.5";
        QTest::newRow("param-null")
            << project("", kData, R"({"id": "a", "op": "Dense", "params": {"units": null}})")
            << "$.model.nodes[0].params.units: expected a number, true/false, a string or a list "
               "of integers, got null";
        QTest::newRow("position")
            << project("", kData, R"({"id": "a", "op": "Input", "position": [1]})")
            << "$.model.nodes[0].position: expected [x, y] (two numbers), got a list";
        QTest::newRow("output-type")
            << QByteArray(R"({"data": {"source": "s"}, "model": {"output": 1, "nodes": []}})")
            << "$.model.output: expected a string, got 1";
        QTest::newRow("training-type")
            << QByteArray(R"({"data": {"source": "s"}, "model": {"nodes": []}, "training": []})")
            << "$.training: expected an object, got a list";
        QTest::newRow("epochs-type") << project(R"("epochs": "ten")")
                                     << "$.training.epochs: expected an integer, got \"ten\"";
        QTest::newRow("epochs-float")
            << project(R"("epochs": 2.5)") << "$.training.epochs: expected an integer, got 2.5";
        QTest::newRow("epochs-zero")
            << project(R"("epochs": 0)") << "$.training.epochs: must be in [1, 1000000], got 0";
        QTest::newRow("batch-zero") << project(R"("batch_size": 0)")
                                    << "$.training.batch_size: must be in [1, 1048576], got 0";
        QTest::newRow("seed-negative")
            << project(R"("seed": -1)") << "$.training.seed: must be >= 0, got -1";
        QTest::newRow("threads") << project(R"("threads": -2)")
                                 << "$.training.threads: must be in [0, 4096], got -2";
        QTest::newRow("device")
            << project(R"("device": "gpu")")
            << "$.training.device: unknown device \"gpu\"; expected auto, cpu, cuda or cuda:N";
        QTest::newRow("precision")
            << project(R"("precision": "fp16")")
            << "$.training.precision: unknown precision \"fp16\"; expected one of: fp32, bf16";
        QTest::newRow("loss-type") << project(R"("loss": {"type": "crossentropy"})")
                                   << "$.training.loss.type: unknown loss \"crossentropy\"; "
                                      "expected one of: cross_entropy, binary_cross_entropy, "
                                      "focal, mse, huber (did you mean \"cross_entropy\"?)";
        QTest::newRow("smoothing") << project(R"("loss": {"label_smoothing": 1})")
                                   << "$.training.loss.label_smoothing: must be in [0, 1), got 1";
        QTest::newRow("class-weights")
            << project(R"("loss": {"class_weights": [1, -2]})")
            << "$.training.loss.class_weights[1]: expected a number >= 0, got -2";
        QTest::newRow("huber-delta") << project(R"("loss": {"type": "huber", "delta": 0})")
                                     << "$.training.loss.delta: must be > 0, got 0";
        QTest::newRow("optimizer-type")
            << project(R"("optimizer": {"type": "adamx"})")
            << "$.training.optimizer.type: unknown optimizer \"adamx\"; expected one of: sgd, "
               "adam, adamw, rmsprop (did you mean \"adam\"?)";
        QTest::newRow("lr-zero") << project(R"("optimizer": {"lr": 0})")
                                 << "$.training.optimizer.lr: must be > 0, got 0";
        QTest::newRow("lr-string") << project(R"("optimizer": {"lr": "1e-3"})")
                                   << "$.training.optimizer.lr: expected a number, got \"1e-3\"";
        QTest::newRow("beta2") << project(R"("optimizer": {"beta2": 1.0})")
                               << "$.training.optimizer.beta2: must be in [0, 1), got 1.0";
        QTest::newRow("nesterov")
            << project(R"("optimizer": {"type": "sgd", "nesterov": true})")
            << "$.training.optimizer.nesterov: Nesterov momentum needs \"momentum\" > 0";
        QTest::newRow("nesterov-type")
            << project(R"("optimizer": {"type": "sgd", "nesterov": 1})")
            << "$.training.optimizer.nesterov: expected true or false, got 1";
        QTest::newRow("schedule-type")
            << project(R"("schedule": {"type": "cosin"})")
            << "$.training.schedule.type: unknown schedule \"cosin\"; expected one of: constant, "
               "step, exponential, cosine, plateau (did you mean \"cosine\"?)";
        QTest::newRow("step-size") << project(R"("schedule": {"type": "step", "step_size": 0})")
                                   << "$.training.schedule.step_size: must be >= 1, got 0";
        QTest::newRow("factor") << project(R"("schedule": {"type": "plateau", "factor": 1})")
                                << "$.training.schedule.factor: must be in (0, 1), got 1";
        QTest::newRow("l2") << project(R"("regularization": {"l2": -1e-4})")
                            << "$.training.regularization.l2: must be >= 0, got -0.0001";
        QTest::newRow("clip-type") << project(R"("clip_norm": true)")
                                   << "$.training.clip_norm: expected a number, got true";
        QTest::newRow("monitor")
            << project(R"("early_stopping": {"monitor": "accuracy"})")
            << "$.training.early_stopping.monitor: unknown metric to monitor \"accuracy\"; "
               "expected one of: val_loss, val_accuracy, train_loss";
        QTest::newRow("monitor-no-val")
            << project(R"("early_stopping": {"enabled": true})",
                       R"("source": "s", "validation_split": 0)")
            << "$.training.early_stopping.monitor: \"val_loss\" needs validation data";
    }
    void badDocuments() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString error = errorOf(text);
        QVERIFY2(error.startsWith("p.neurite.json: "),
                 qPrintable("no BadInput naming the file: " + error));
        QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
        for (QChar c : error)
            QVERIFY2(c == '\n' || (c.isPrint() && c != QChar::ReplacementCharacter),
                     qPrintable(QString("unprintable U+%1 in: %2").arg(c.unicode(), 4, 16, QChar('0')).arg(error)));
    }

    void warnings_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top") << project("", kData, kNodes, R"("nmae": "x",)")
                             << "p.neurite.json: $.nmae: unknown key (did you mean \"name\"?)";
        QTest::newRow("optimiser")
            << project(R"("optimiser": {"lr": 0.1})")
            << "p.neurite.json: $.training.optimiser: unknown key (did you mean \"optimizer\"?)";
        QTest::newRow("node") << project("", kData, R"({"id": "a", "op": "Input", "parms": {}})")
                              << "$.model.nodes[0].parms: unknown key (did you mean \"params\"?)";
        QTest::newRow("no-suggestion")
            << project("", R"("source": "s", "shuffle": true)") << "$.data.shuffle: unknown key";
        QTest::newRow("deep")
            << project(R"("early_stopping": {"patients": 3})")
            << "$.training.early_stopping.patients: unknown key (did you mean \"patience\"?)";
        QTest::newRow("unused")
            << project(R"("optimizer": {"type": "adam", "momentum": 0.9})")
            << "$.training.optimizer.momentum: not used by adam (only by sgd, rmsprop)";
        QTest::newRow("unused-loss")
            << project(R"("loss": {"type": "mse", "class_weights": [1, 2]})")
            << "$.training.loss.class_weights: not used by mse";
    }
    void warnings() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QStringList list = warningsOf(text);
        QVERIFY2(list.size() == 1, qPrintable("warnings: " + list.join(" | ")));
        QVERIFY2(list[0].contains(expected),
                 qPrintable("got: " + list[0] + "\nexpected: " + expected));
    }

    void noSuggestionForUnrelatedKey() {
        const QStringList list = warningsOf(project("", R"("source": "s", "shuffle": true)"));
        QCOMPARE(list.size(), 1);
        QVERIFY2(!list[0].contains("did you mean"), qPrintable(list[0]));
    }

    void saveAndLoad() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("saved.neurite.json").toStdString();
        const ProjectDocument doc = fullDocument();
        saveProject(doc, path);
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
        compareDocuments(loadProject(path, nullptr), doc);
        ProjectDocument changed = doc;
        changed.name = "second";
        saveProject(changed, path);
        QCOMPARE(loadProject(path, nullptr).name, std::string("second"));
    }

    void loadMissingFile() {
        try {
            loadProject("/nonexistent/dir/x.neurite.json", nullptr);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QCOMPARE(
                QString(e.what()),
                QString("cannot open /nonexistent/dir/x.neurite.json: No such file or directory"));
        }
    }

    void saveToMissingDirectory() {
        QVERIFY_THROWS_EXCEPTION(Error,
                                 saveProject(fullDocument(), "/nonexistent/dir/x.neurite.json"));
    }

    void examples_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("nodes");
        QTest::newRow("spiral") << "spiral.neurite.json" << 6;
        QTest::newRow("fashion_mlp") << "fashion_mlp.neurite.json" << 7;
        QTest::newRow("fashion_cnn") << "fashion_cnn.neurite.json" << 11;
        QTest::newRow("breast_cancer") << "breast_cancer.neurite.json" << 4;
        QTest::newRow("iris") << "iris.neurite.json" << 4;
        QTest::newRow("wine") << "wine.neurite.json" << 4;
        QTest::newRow("digits") << "digits.neurite.json" << 8;
        QTest::newRow("fashion_autoencoder") << "fashion_autoencoder.neurite.json" << 11;
    }
    void examples() {
        QFETCH(QString, file);
        QFETCH(int, nodes);
        const std::string path = test::sourceDir() + "/resources/examples/" + file.toStdString();
        std::vector<std::string> warnings;
        const ProjectDocument doc = loadProject(path, &warnings);
        QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings[0].c_str());
        QCOMPARE(int(doc.nodes.size()), nodes);
        QCOMPARE(doc.output, doc.nodes.back().id);  // the declared output is the last layer
        compareDocuments(parseProject(projectToJson(doc), path, nullptr), doc);
    }
};

QTEST_APPLESS_MAIN(TestProject)
#include "test_project.moc"
