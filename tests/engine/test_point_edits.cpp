// Points added or removed by hand (data.points, teaching mode's clicks on the decision map): read
// and written with the project file and refused with the field named; applied to the training
// split only, before the scaling is fitted; removals that match nothing reported; refused on
// data that is not 2-D classification, for a class the data lacks, and with cross-validation.
#include <QtTest>

#include "core/error.h"
#include "data/data_source.h"
#include "io/project.h"

using namespace neurite;

namespace {

std::string projectWith(const std::string& points, const std::string& source = "synthetic:xor?samples=200&seed=3") {
    return R"({"format": "neurite-project", "version": 1, "name": "p",
        "data": {"source": ")" + source + R"(", "validation_split": 0.2, "test_split": 0.1, "points": )" + points + R"(},
        "model": {"nodes": [{"id": "input", "op": "Input"}, {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]}]},
        "training": {"epochs": 1}})";
}

void expectRefused(const std::string& points, const QString& needle) {
    try {
        parseProject(projectWith(points), "p.neurite.json", nullptr);
        QFAIL(qPrintable("accepted: " + QString::fromStdString(points)));
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

DataConfig xor200() {
    DataConfig d;
    d.source = "synthetic:xor?samples=200&seed=3";
    d.validationSplit = 0.2;
    d.testSplit = 0.1;
    d.scaling = "standardize";
    return d;
}

bool sameSplit(const DataSplit& a, const DataSplit& b) { return a.bytes == b.bytes && a.labels == b.labels; }

}  // namespace

class TestPointEdits : public QObject {
    Q_OBJECT
private slots:
    void fileRoundTrip() {
        const ProjectDocument doc = parseProject(projectWith(R"({"add": [[0.5, -0.25, 1], [1e-3, 2, 0]], "remove": [[0.125, 0.75]]})"),
                                                 "p.neurite.json", nullptr);
        QCOMPARE(doc.data.points.add.size(), std::size_t(2));
        QCOMPARE(doc.data.points.add[0], (PointEdit{0.5, -0.25, 1}));
        QCOMPARE(doc.data.points.remove[0].y, 0.75);
        const ProjectDocument again = parseProject(projectToJson(doc), "p.neurite.json", nullptr);
        QVERIFY(again.data.points == doc.data.points);
        // No edits: no key written, so older files round-trip unchanged.
        ProjectDocument plain = doc;
        plain.data.points = {};
        QVERIFY(!QString::fromStdString(projectToJson(plain)).contains("points"));
        // The cache key of the data changes with the edits.
        QVERIFY(dataKey(doc.data, 1) != dataKey(plain.data, 1));
    }

    void brokenEditsNameTheField() {
        expectRefused(R"([1, 2])", "$.data.points");
        expectRefused(R"({"add": [[1, 2]]})", "$.data.points.add[0]: must be [x, y, class]");
        expectRefused(R"({"add": [[1, "a", 0]]})", "$.data.points.add[0][1]: must be a finite number");
        expectRefused(R"({"add": [[1, 2, -1]]})", "$.data.points.add[0][2]: must be a class index");
        expectRefused(R"({"add": [[1, 2, 0.5]]})", "$.data.points.add[0][2]");
        expectRefused(R"({"add": [[1e300, 2, 0]]})", "within float range");
        expectRefused(R"({"remove": [[1, 2, 3]]})", "$.data.points.remove[0]: must be [x, y]");
        expectRefused(R"({"remove": {}})", "$.data.points.remove: must be a list");
        // An unknown key is a warning (a newer Neurite may write more), as everywhere in the file.
        std::vector<std::string> warnings;
        parseProject(projectWith(R"({"add": [], "moved": []})"), "p.neurite.json", &warnings);
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(warnings[0]).contains("$.data.points") &&
                     QString::fromStdString(warnings[0]).contains("moved"),
                 warnings[0].c_str());
    }

    void editsChangeOnlyTheTrainingSplit() {
        const Dataset plain = loadDataset(xor200(), 42);
        DataConfig cfg = xor200();
        // Two training points out (the 4th and the last), three in.
        const float* v = plain.train.f32();
        const auto n = static_cast<std::size_t>(plain.train.count);
        cfg.points.remove = {{v[6], v[7], 0}, {v[2 * n - 2], v[2 * n - 1], 0}, {9.5, 9.5, 0}};
        cfg.points.add = {{0.5, 0.5, 1}, {-0.75, 0.25, 0}, {3.0, -3.0, 1}};
        const Dataset ds = loadDataset(cfg, 42);
        QCOMPARE(ds.train.count, plain.train.count - 2 + 3);
        QVERIFY(sameSplit(ds.validation, plain.validation));
        QVERIFY(sameSplit(ds.test, plain.test));
        // The kept points in their order, then the added ones with their classes.
        const float* w = ds.train.f32();
        QCOMPARE(w[6], v[8]);  // the 4th point is gone: the 5th moved up
        QCOMPARE(ds.train.labels[3], plain.train.labels[4]);
        const auto m = static_cast<std::size_t>(ds.train.count);
        QCOMPARE(w[2 * (m - 3)], 0.5f);
        QCOMPARE(w[2 * (m - 1) + 1], -3.f);
        QCOMPARE(ds.train.labels[m - 3], 1);
        QCOMPARE(ds.train.labels[m - 2], 0);
        // The scaling was fitted with them (the point at (3, -3) moves the mean).
        QVERIFY(ds.mean != plain.mean);
        bool noted = false;
        for (const std::string& note : ds.notes)
            noted |= note.find("3 added to and 2 removed") != std::string::npos &&
                     note.find("1 removed point(s) are not in the training data") != std::string::npos;
        QVERIFY(noted);
    }

    void refusals() {
        auto refused = [](const DataConfig& cfg, const QString& needle) {
            try {
                loadDataset(cfg, 42);
                QFAIL("loaded");
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains(needle), e.what());
            }
        };
        DataConfig cfg = xor200();
        cfg.points.add = {{0, 0, 2}};
        refused(cfg, "data.points.add[0]: class 2 is not one of the data's 2 classes (0 to 1)");
        cfg.source = "synthetic:blobs?features=3&samples=90";
        cfg.points.add = {{0, 0, 0}};
        refused(cfg, "two features and class labels");
        cfg = xor200();
        cfg.points.add = {{0, 0, 0}};
        try {
            loadFolds(cfg, 42, 3);
            QFAIL("folds with point edits");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("cross-validation"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestPointEdits)
#include "test_point_edits.moc"
