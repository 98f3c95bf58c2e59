// The layer registry: parameter validation messages, the completeness of every entry (category,
// help, ONNX op, summary, factory) and the shape rules with their exact messages.
#include <QtTest>

#include <set>

#include "core/error.h"
#include "layers/conv2d_layer.h"
#include "layers/registry.h"

using namespace neurite;

namespace {

using Params = std::map<std::string, ParamValue>;
using L = std::vector<int64_t>;
constexpr int64_t N = Shape::kBatch;

struct ParamRow {
    const char* name;
    const char* type;
    Params given;
    std::string error; // expected first error; empty = none
};

const std::vector<ParamRow>& paramRows() {
    // clang-format off
    static const std::vector<ParamRow> rows = {
        {"out of range int", "Dense", {{"units", int64_t(0)}}, "units: must be >= 1, got 0"},
        {"string for int", "Dense", {{"units", std::string("ten")}}, "units: expected an integer, got \"ten\""},
        {"fraction for int", "Dense", {{"units", 3.5}}, "units: expected an integer, got 3.5"},
        {"int for bool", "Dense", {{"bias", int64_t(1)}}, "bias: expected true or false, got 1"},
        {"unknown choice", "Dense", {{"init", std::string("xavier")}},
         "init: must be one of glorot_uniform, glorot_normal, he_uniform, he_normal, zeros; got \"xavier\""},
        {"auto not allowed", "Conv2D", {{"filters", std::string("auto")}},
         "filters: \"auto\" is not allowed here; give an integer"},
        {"list too long", "Conv2D", {{"kernel_size", L{3, 3, 3}}}, "kernel_size: must have 2 values, got [3,3,3]"},
        {"empty list where not allowed", "Conv2D", {{"strides", L{}}}, "strides: must have 2 values, got []"},
        {"list item out of range", "Conv2D", {{"kernel_size", L{0, 3}}}, "kernel_size: each value must be >= 1, got 0"},
        {"list for int", "Conv2D", {{"filters", L{3}}}, "filters: expected an integer, got [3]"},
        {"bad padding", "MaxPool2D", {{"padding", std::string("full")}}, "padding: must be one of same, valid, explicit; got \"full\""},
        {"exclusive max", "Dropout", {{"rate", 1.0}}, "rate: must be < 1, got 1"},
        {"float below min", "Dropout", {{"rate", -0.1}}, "rate: must be >= 0, got -0.1"},
        {"string for float", "LeakyReLU", {{"alpha", std::string("0.1")}}, "alpha: expected a number, got \"0.1\""},
        {"reshape below -1", "Reshape", {{"shape", L{-2, 4}}}, "shape: each value must be >= -1, got -2"},
        {"auto allowed", "Dense", {{"units", std::string("auto")}}, ""},
        {"int for float", "Dropout", {{"rate", int64_t(0)}}, ""},
        {"integral double for int", "Dense", {{"units", 3.0}}, ""},
        {"empty pool strides", "MaxPool2D", {{"strides", L{}}}, ""},
        {"input auto", "Input", {{"shape", std::string("auto")}}, ""},
    };
    // clang-format on
    return rows;
}

struct ShapeRow {
    const char* name;
    const char* type;
    Params given;
    std::vector<Shape> inputs;
    Shape expected;    // when error is empty
    std::string error; // the exact message
};

const std::vector<ShapeRow>& shapeRows() {
    // clang-format off
    static const std::vector<ShapeRow> rows = {
        {"dense", "Dense", {{"units", int64_t(10)}}, {Shape{N, 784}}, Shape{N, 10}, ""},
        {"dense on image", "Dense", {{"units", int64_t(10)}}, {Shape{N, 64, 7, 7}}, {},
         "expects 2-D input [N,features], got [N,64,7,7]; insert a Flatten before it"},
        {"dense auto unresolved", "Dense", {}, {Shape{N, 8}}, {},
         "units is \"auto\" but the number of outputs is unknown; set units"},
        {"conv on vector", "Conv2D", {}, {Shape{N, 128}}, {}, "expects 4-D input [N,C,H,W], got [N,128]"},
        {"conv same s1", "Conv2D", {{"filters", int64_t(8)}}, {Shape{N, 3, 7, 5}}, Shape{N, 8, 7, 5}, ""},
        {"conv same s2 (ceil)", "Conv2D", {{"strides", int64_t(2)}}, {Shape{N, 3, 7, 5}}, Shape{N, 32, 4, 3}, ""},
        {"conv valid k3", "Conv2D", {{"padding", std::string("valid")}}, {Shape{N, 3, 7, 5}}, Shape{N, 32, 5, 3}, ""},
        {"conv valid k[3,1] s[2,1]", "Conv2D",
         {{"padding", std::string("valid")}, {"kernel_size", L{3, 1}}, {"strides", L{2, 1}}},
         {Shape{N, 1, 8, 4}}, Shape{N, 32, 3, 4}, ""},
        {"conv kernel too big", "Conv2D", {{"kernel_size", int64_t(5)}, {"padding", std::string("valid")}},
         {Shape{N, 1, 3, 3}}, {},
         "kernel 5x5 does not fit the 3x3 input with padding valid; use padding same or a smaller kernel_size"},
        {"maxpool default", "MaxPool2D", {}, {Shape{N, 8, 7, 7}}, Shape{N, 8, 3, 3}, ""},
        {"maxpool same", "MaxPool2D", {{"padding", std::string("same")}}, {Shape{N, 8, 7, 7}}, Shape{N, 8, 4, 4}, ""},
        {"avgpool 3 s1 same", "AvgPool2D", {{"pool_size", int64_t(3)}, {"strides", int64_t(1)}, {"padding", std::string("same")}},
         {Shape{N, 2, 5, 6}}, Shape{N, 2, 5, 6}, ""},
        {"pool on vector", "AvgPool2D", {}, {Shape{N, 10}}, {}, "expects 4-D input [N,C,H,W], got [N,10]"},
        {"pool too big", "MaxPool2D", {{"pool_size", int64_t(3)}}, {Shape{N, 1, 2, 5}}, {},
         "pool 3x3 does not fit the 2x5 input with padding valid; use padding same or a smaller pool_size"},
        {"global avg pool", "GlobalAvgPool", {}, {Shape{N, 16, 7, 7}}, Shape{N, 16}, ""},
        {"flatten", "Flatten", {}, {Shape{N, 64, 7, 7}}, Shape{N, 3136}, ""},
        {"reshape with -1", "Reshape", {{"shape", L{6, -1}}}, {Shape{N, 24}}, Shape{N, 6, 4}, ""},
        {"reshape mismatch", "Reshape", {{"shape", L{5, -1}}}, {Shape{N, 24}}, {},
         "cannot reshape [N,24] (24 values per sample) to [5,-1]"},
        {"reshape two -1", "Reshape", {{"shape", L{-1, -1}}}, {Shape{N, 24}}, {}, "shape [-1,-1] has more than one -1"},
        {"batchnorm 4-D", "BatchNorm", {}, {Shape{N, 3, 4, 4}}, Shape{N, 3, 4, 4}, ""},
        {"batchnorm 3-D", "BatchNorm", {}, {Shape{N, 3, 4}}, {},
         "expects 2-D input [N,C] or 4-D input [N,C,H,W], got [N,3,4]"},
        {"softmax rank 1", "Softmax", {}, {Shape{N}}, {}, "expects input [N,C,...] with at least 2 dimensions, got [N]"},
        {"relu keeps shape", "ReLU", {}, {Shape{N, 3, 2, 2}}, Shape{N, 3, 2, 2}, ""},
        {"add", "Add", {}, {Shape{N, 10}, Shape{N, 10}, Shape{N, 10}}, Shape{N, 10}, ""},
        {"add mismatch", "Add", {}, {Shape{N, 10}, Shape{N, 10}, Shape{N, 12}}, {},
         "expects inputs of equal shape, got [N,10] (input 1) and [N,12] (input 3)"},
        {"add one input", "Add", {}, {Shape{N, 10}}, {}, "expects at least 2 inputs, got 1"},
        {"concat", "Concat", {}, {Shape{N, 3, 8, 8}, Shape{N, 4, 8, 8}}, Shape{N, 7, 8, 8}, ""},
        {"concat mismatch", "Concat", {}, {Shape{N, 3, 8, 8}, Shape{N, 4, 7, 8}}, {},
         "expects inputs that match in every dimension but 1, got [N,3,8,8] (input 1) and [N,4,7,8] (input 2)"},
        {"input", "Input", {{"shape", L{1, 28, 28}}}, {}, Shape{N, 1, 28, 28}, ""},
        {"input auto unresolved", "Input", {}, {}, {},
         "shape is \"auto\" but the data's sample shape is unknown; set shape"},
        {"dense two inputs", "Dense", {{"units", int64_t(2)}}, {Shape{N, 4}, Shape{N, 4}}, {}, "expects 1 input, got 2"},
    };
    // clang-format on
    return rows;
}

// Default parameters with every "auto" replaced by a concrete value, for factories and summaries.
LayerParams concreteDefaults(const LayerType& t) {
    ParamCheck c = checkParams(t, {});
    for (const ParamSchema& s : t.params)
        if (c.params.isAuto(s.name))
            c.params.set(s.name, s.type == ParamType::IntList ? ParamValue(L{1, 8, 8})
                                                              : ParamValue(int64_t(4)));
    return c.params;
}

} // namespace

class TestRegistry : public QObject {
    Q_OBJECT
private slots:
    void checkParams_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < paramRows().size(); ++i)
            QTest::newRow(paramRows()[i].name) << int(i);
    }
    void checkParams() {
        QFETCH(int, row);
        const ParamRow& r = paramRows()[std::size_t(row)];
        const LayerType* t = findLayerType(r.type);
        QVERIFY(t);
        ParamCheck c = neurite::checkParams(*t, r.given);
        if (r.error.empty()) {
            QVERIFY2(c.errors.empty(),
                     qPrintable(QString::fromStdString(c.errors.empty() ? "" : c.errors[0])));
        } else {
            QCOMPARE(c.errors.size(), std::size_t(1));
            QCOMPARE(QString::fromStdString(c.errors[0]), QString::fromStdString(r.error));
        }
        QVERIFY(c.warnings.empty());
    }

    void fillsDefaultsAndExpandsInts() {
        ParamCheck c = neurite::checkParams(*findLayerType("Conv2D"),
                                            {{"kernel_size", int64_t(5)}, {"strides", int64_t(2)}});
        QVERIFY(c.errors.empty());
        QCOMPARE(c.params.list("kernel_size"), (L{5, 5}));
        QCOMPARE(c.params.list("strides"), (L{2, 2}));
        QCOMPARE(c.params.i("filters"), int64_t(32));
        QCOMPARE(c.params.s("padding"), std::string("same"));
        QCOMPARE(c.params.s("init"), std::string("he_uniform"));
        QVERIFY(c.params.b("bias"));
        ParamCheck d = neurite::checkParams(*findLayerType("Dense"), {{"units", 3.0}});
        QCOMPARE(d.params.i("units"), int64_t(3));
        QVERIFY(neurite::checkParams(*findLayerType("Dense"), {}).params.isAuto("units"));
        ParamCheck f = neurite::checkParams(*findLayerType("Dropout"), {{"rate", int64_t(0)}});
        QCOMPARE(f.params.f("rate"), 0.0);
    }

    void unknownNameIsAWarning() {
        ParamCheck c = neurite::checkParams(*findLayerType("Dense"), {{"unit", int64_t(3)}});
        QVERIFY(c.errors.empty());
        QCOMPARE(c.warnings.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(c.warnings[0]),
                 QString("unknown parameter \"unit\" is ignored; Dense takes units, bias, init"));
    }

    void gettersThrowOnTypeMismatch() {
        LayerParams p =
            neurite::checkParams(*findLayerType("Dense"), {{"units", int64_t(4)}}).params;
        QVERIFY_THROWS_EXCEPTION(Error, p.i("bias"));
        QVERIFY_THROWS_EXCEPTION(Error, p.list("units"));
        QVERIFY_THROWS_EXCEPTION(Error, p.get("missing"));
    }

    void toStringFormats() {
        QCOMPARE(toString(ParamValue(0.5)), std::string("0.5"));
        QCOMPARE(toString(ParamValue(1e-5)), std::string("1e-05"));
        QCOMPARE(toString(ParamValue(L{3, 3})), std::string("[3,3]"));
        QCOMPARE(toString(ParamValue(true)), std::string("true"));
        QCOMPARE(toString(ParamValue(int64_t(-7))), std::string("-7"));
    }

    // Catches an entry that the palette, inspector, exporter, docs or tests could not use.
    void everyEntryIsComplete() {
        std::set<std::string> categories;
        for (const LayerCategory& c : layerCategories()) QVERIFY(categories.insert(c.name).second);
        std::set<std::string> names;
        for (const LayerType& t : layerTypes()) {
            const QString n = QString::fromStdString(t.name);
            QVERIFY2(names.insert(t.name).second, qPrintable("duplicate " + n));
            QVERIFY2(categories.count(t.category),
                     qPrintable(n + ": category " + QString::fromStdString(t.category)));
            QVERIFY2(!t.help.empty(), qPrintable(n + ": no help"));
            QVERIFY2(t.onnx || t.dataInput, qPrintable(n + ": no ONNX emitter"));
            QVERIFY2(!t.examples.empty() || t.dataInput, qPrintable(n + ": no example"));
            QVERIFY2(t.inferShape && t.create && t.summary, qPrintable(n + ": missing function"));
            QVERIFY2(t.appliedByLoss.empty() || t.appliedByLoss == "softmax" ||
                         t.appliedByLoss == "sigmoid",
                     qPrintable(n + ": appliedByLoss names no loss's function"));
            for (const ParamSchema& s : t.params) {
                const QString p = n + "." + QString::fromStdString(s.name);
                QVERIFY2(!s.help.empty(), qPrintable(p + ": no help"));
            }
            ParamCheck defaults = neurite::checkParams(t, {});
            QVERIFY2(defaults.errors.empty(), qPrintable(n + ": default fails its own schema"));
            LayerParams p = concreteDefaults(t);
            QVERIFY2(!t.summary(p).empty(), qPrintable(n + ": empty summary"));
            QVERIFY2(t.create(p) != nullptr, qPrintable(n + ": factory returned null"));
            QCOMPARE(findLayerType(t.name), &t);
        }
        QCOMPARE(names.size(), layerTypes().size());
        QVERIFY(findLayerType("NoSuchLayer") == nullptr);
    }

    // Each example is valid: its parameters pass the schema, its shapes pass the shape rule,
    // and the ONNX emitter runs on it (onnxOperatorsOf is what the docs list).
    void examplesAreValid_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("index");
        for (const LayerType& t : layerTypes())
            for (std::size_t i = 0; i < t.examples.size(); ++i)
                QTest::addRow("%s", t.examples[i].name.c_str()) << QString::fromStdString(t.name) << int(i);
    }
    void examplesAreValid() {
        QFETCH(QString, type);
        QFETCH(int, index);
        const LayerType* t = findLayerType(type.toStdString());
        QVERIFY(t);
        const LayerExample& e = t->examples[std::size_t(index)];
        ParamCheck c = neurite::checkParams(*t, e.params);
        QVERIFY2(c.errors.empty(), c.errors.empty() ? "" : c.errors[0].c_str());
        QVERIFY(c.warnings.empty());
        for (Rng* rng : {static_cast<Rng*>(nullptr), &m_rng}) {
            const std::vector<Shape> shapes = exampleShapes(e, rng);
            QCOMPARE(int(shapes.size()), e.inputs);
            QVERIFY(e.inputs >= t->minInputs && (t->maxInputs < 0 || e.inputs <= t->maxInputs));
            const ShapeResult r = t->inferShape(c.params, shapes);
            QVERIFY2(r.ok(), r.error.c_str());
        }
        if (index == 0) QVERIFY(!onnxOperatorsOf(*t).empty());
    }

    // What the emitters write, as `neurite-cli layers` and docs/layers.md list it; GELU and SiLU
    // are compositions below opset 20 (Gelu) and in every opset (no Silu operator).
    void onnxOperators_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("ops");
        QTest::newRow("Dense") << "Dense" << "Gemm";
        QTest::newRow("GlobalAvgPool") << "GlobalAvgPool" << "GlobalAveragePool Flatten";
        QTest::newRow("LeakyReLU") << "LeakyReLU" << "LeakyRelu";
        QTest::newRow("GELU") << "GELU" << "Div Erf Add Mul";
        QTest::newRow("SiLU") << "SiLU" << "Sigmoid Mul";
        QTest::newRow("Add") << "Add" << "Sum";
    }
    void onnxOperators() {
        QFETCH(QString, type);
        QFETCH(QString, ops);
        const LayerType* t = findLayerType(type.toStdString());
        QVERIFY(t);
        QStringList got;
        for (const std::string& op : onnxOperatorsOf(*t)) got << QString::fromStdString(op);
        QCOMPARE(got.join(' '), ops);
    }

    // Input binds its shape, the last Dense its units, Embedding the text vocabulary; an unknown
    // value says what is missing.
    void autoParamsBindFromTheData() {
        LayerParams dense = concreteDefaults(*findLayerType("Dense"));
        dense.set("units", std::string("auto"));
        QVERIFY(bindAutoParams(*findLayerType("Dense"), dense, Shape{}, 0, 0).find("units is \"auto\"") == 0);
        QCOMPARE(bindAutoParams(*findLayerType("Dense"), dense, Shape{}, 7, 0), std::string());
        QCOMPARE(dense.i("units"), int64_t(7));
        LayerParams input = neurite::checkParams(*findLayerType("Input"), {}).params;
        QVERIFY(input.isAuto("shape"));
        QCOMPARE(bindAutoParams(*findLayerType("Input"), input, Shape{1, 28, 28}, 0, 0), std::string());
        QCOMPARE(input.list("shape"), (std::vector<int64_t>{1, 28, 28}));
        LayerParams embedding = neurite::checkParams(*findLayerType("Embedding"), {}).params;
        QVERIFY(embedding.isAuto("vocabulary_size"));
        QVERIFY(bindAutoParams(*findLayerType("Embedding"), embedding, Shape{50}, 3, 0).find("no vocabulary") !=
                std::string::npos);
        QCOMPARE(bindAutoParams(*findLayerType("Embedding"), embedding, Shape{50}, 3, 1234), std::string());
        QCOMPARE(embedding.i("vocabulary_size"), int64_t(1234));
    }

    void summaries_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dense") << "Dense" << 0 << "Dense 128";
        QTest::newRow("conv") << "Conv2D" << 1 << "Conv 3x3, 32, same";
        QTest::newRow("conv strided") << "Conv2D" << 2 << "Conv 5x5, 16, valid, stride 2x2";
        QTest::newRow("maxpool") << "MaxPool2D" << 3 << "MaxPool 2x2";
        QTest::newRow("dropout") << "Dropout" << 3 << "Dropout 0.5";
        QTest::newRow("leaky") << "LeakyReLU" << 3 << "LeakyReLU 0.01";
    }
    void summaries() {
        QFETCH(QString, type);
        QFETCH(int, row);
        QFETCH(QString, expected);
        const std::vector<Params> given = {{{"units", int64_t(128)}},
                                           {},
                                           {{"kernel_size", int64_t(5)},
                                            {"filters", int64_t(16)},
                                            {"padding", std::string("valid")},
                                            {"strides", int64_t(2)}},
                                           {}};
        const LayerType* t = findLayerType(type.toStdString());
        ParamCheck c = neurite::checkParams(*t, given[std::size_t(row)]);
        QVERIFY(c.errors.empty());
        QCOMPARE(QString::fromStdString(t->summary(c.params)), expected);
    }

    void shapeRules_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < shapeRows().size(); ++i)
            QTest::newRow(shapeRows()[i].name) << int(i);
    }
    void shapeRules() {
        QFETCH(int, row);
        const ShapeRow& r = shapeRows()[std::size_t(row)];
        const LayerType* t = findLayerType(r.type);
        QVERIFY(t);
        ParamCheck c = neurite::checkParams(*t, r.given);
        QVERIFY(c.errors.empty());
        ShapeResult res = t->inferShape(c.params, r.inputs);
        QCOMPARE(QString::fromStdString(res.error), QString::fromStdString(r.error));
        if (r.error.empty())
            QCOMPARE(QString::fromStdString(res.shape.str()),
                     QString::fromStdString(r.expected.str()));
    }

    // TF "same": out = ceil(in/stride), total = max((out-1)*stride + k - in, 0), top = total/2.
    // in 7, k 4, s 1: out 7, total 3 -> top 1, bottom 2. in 6, k 3, s 2: out 3, total 1 -> 0, 1.
    void samePaddingIsTensorFlowStyle() {
        Conv2DConfig cfg;
        cfg.kernelH = 4;
        cfg.kernelW = 3;
        cfg.strideW = 2;
        ConvDesc d = Conv2DLayer(cfg).describe(Shape{1, 1, 7, 6});
        QCOMPARE(d.padTop, int64_t(1));
        QCOMPARE(d.padBottom, int64_t(2));
        QCOMPARE(d.padLeft, int64_t(0));
        QCOMPARE(d.padRight, int64_t(1));
        QCOMPARE(d.outHeight(), int64_t(7));
        QCOMPARE(d.outWidth(), int64_t(3));
    }

private:
    Rng m_rng{20261204};
};

QTEST_APPLESS_MAIN(TestRegistry)
#include "test_registry.moc"
