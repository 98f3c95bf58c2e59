// What happens after a source is read: stratified splits keep class proportions, k-fold folds
// partition the data, imputation and scaling statistics come from training rows only, SMOTE
// points lie on segments between same-class neighbours, resampling never touches validation
// or test, and every random choice is reproducible from the seed.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"
#include "data/data_source.h"
#include "data/preprocess.h"

using namespace neurite;

namespace {

DataConfig config(const std::string& source, double val, double test, const std::string& scaling = "none") {
    DataConfig cfg;
    cfg.source = source;
    cfg.validationSplit = val;
    cfg.testSplit = test;
    cfg.scaling = scaling;
    return cfg;
}

std::vector<std::vector<float>> rowsOf(const Dataset& ds, const DataSplit& s) {
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    std::vector<std::vector<float>> out;
    for (int64_t r = 0; r < s.count; ++r)
        out.emplace_back(s.f32() + static_cast<std::size_t>(r) * d, s.f32() + static_cast<std::size_t>(r + 1) * d);
    return out;
}

double share(const DataSplit& s, int32_t label) {
    return double(std::count(s.labels.begin(), s.labels.end(), label)) / double(s.count);
}

} // namespace

class TestDataPreprocess : public QObject {
    Q_OBJECT
private slots:
    void stratifiedSplitKeepsProportions_data() {
        QTest::addColumn<int>("seed");
        for (int seed : {1, 2, 3, 4}) QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }
    void stratifiedSplitKeepsProportions() {
        QFETCH(int, seed);
        // breast-cancer: 212 malignant, 357 benign. 20% validation = 114 rows, 10% test = 57.
        const Dataset ds = loadDataset(config("builtin:breast-cancer", 0.2, 0.1), uint64_t(seed));
        QCOMPARE(ds.validation.count, int64_t{114});
        QCOMPARE(ds.test.count, int64_t{57});
        const auto val0 = std::count(ds.validation.labels.begin(), ds.validation.labels.end(), 0);
        const auto test0 = std::count(ds.test.labels.begin(), ds.test.labels.end(), 0);
        QVERIFY2(std::abs(double(val0) - 114.0 * 212 / 569) <= 1.0, qPrintable(QString::number(val0)));
        QVERIFY2(std::abs(double(test0) - 57.0 * 212 / 569) <= 1.0, qPrintable(QString::number(test0)));
        // Unstratified splits drift further for some seeds; stratified ones never.
        DataConfig plain = config("builtin:breast-cancer", 0.2, 0.1);
        plain.stratify = false;
        const Dataset p = loadDataset(plain, uint64_t(seed));
        QCOMPARE(p.validation.count, int64_t{114});
        QVERIFY(std::abs(share(ds.train, 0) - 212.0 / 569) < 0.005);
    }

    void kFoldPartitions_data() {
        QTest::addColumn<int>("k");
        QTest::newRow("2") << 2;
        QTest::newRow("5") << 5;
        QTest::newRow("7") << 7;
    }
    void kFoldPartitions() {
        QFETCH(int, k);
        const std::vector<Dataset> folds = loadFolds(config("builtin:iris", 0, 0), 3, k);
        QCOMPARE(int(folds.size()), k);
        const Dataset whole = loadSource(config("builtin:iris", 0, 0));
        std::multiset<std::vector<float>> validated;
        for (const Dataset& f : folds) {
            QCOMPARE(f.train.count + f.validation.count, int64_t{150});
            // Stratified: each fold holds every class in proportion, within one sample.
            for (int32_t c = 0; c < 3; ++c) {
                const auto n = std::count(f.validation.labels.begin(), f.validation.labels.end(), c);
                QVERIFY(std::abs(double(n) - 50.0 / k) <= 1.0);
            }
            for (const auto& r : rowsOf(f, f.validation)) validated.insert(r);
            // Train and validation of a fold are disjoint (iris has 1 duplicate row pair: compare counts).
            std::multiset<std::vector<float>> all;
            for (const auto& r : rowsOf(f, f.train)) all.insert(r);
            for (const auto& r : rowsOf(f, f.validation)) all.insert(r);
            std::multiset<std::vector<float>> expected;
            for (const auto& r : rowsOf(whole, whole.train)) expected.insert(r);
            QVERIFY(all == expected);
        }
        // The validation folds together are the whole data set, each sample exactly once.
        std::multiset<std::vector<float>> expected;
        for (const auto& r : rowsOf(whole, whole.train)) expected.insert(r);
        QVERIFY(validated == expected);
        QVERIFY(loadFolds(config("builtin:iris", 0, 0), 3, k)[0].validation.bytes == folds[0].validation.bytes);
    }

    void kFoldBadK() {
        try {
            loadFolds(config("synthetic:moons?samples=10", 0, 0), 1, 11);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("needs 2 <= k <= 10"), e.what());
        }
    }

    void scalingFitsTrainOnly_data() {
        QTest::addColumn<QString>("mode");
        QTest::newRow("standardize") << "standardize";
        QTest::newRow("minmax") << "minmax";
    }
    void scalingFitsTrainOnly() {
        QFETCH(QString, mode);
        const Dataset ds = loadDataset(config("builtin:wine", 0.3, 0, mode.toStdString()), 5);
        const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
        for (std::size_t i = 0; i < d; ++i) {
            double lo = 1e300, hi = -1e300, sum = 0, sq = 0;
            for (const auto& r : rowsOf(ds, ds.train)) {
                lo = std::min<double>(lo, r[i]);
                hi = std::max<double>(hi, r[i]);
                sum += r[i];
                sq += double(r[i]) * r[i];
            }
            const double n = double(ds.train.count), mean = sum / n;
            if (mode == "minmax") {
                QCOMPARE(ds.mean[i], float(lo));  // the affine form: mean = min, invStd = 1/(max-min)
                QVERIFY(std::fabs(ds.invStd[i] * (hi - lo) - 1.0) < 1e-5);
            } else {
                QVERIFY(std::fabs(ds.mean[i] - mean) < 1e-3 * std::max(1.0, std::fabs(mean)));
                QVERIFY(std::fabs(ds.invStd[i] - 1.0 / std::sqrt(sq / n - mean * mean)) < 1e-3 * ds.invStd[i]);
            }
        }
    }

    void imputationUsesTrainingRowsOnly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.csv").toStdString();
        std::ofstream out(path);
        out << "x,gap,y\n";
        // 20 rows; "gap" is missing on row 0 only. Its value is 1000 on the rows stratification
        // sends to validation and test: a leak would move the training mean far from the rest.
        for (int r = 0; r < 40; ++r) out << r << "," << (r == 0 ? std::string("") : std::to_string(r % 2 == 0 ? 1 : 3)) << "," << r % 2 << "\n";
        out.close();
        DataConfig cfg = config("csv:" + path + "?missing=mean", 0.25, 0.25);
        const Dataset ds = loadDataset(cfg, 7);
        double sum = 0;
        int n = 0;
        bool imputedSomewhere = false;
        for (const DataSplit* s : {&ds.train, &ds.validation, &ds.test})
            for (const auto& r : rowsOf(ds, *s)) {
                QVERIFY(!std::isnan(r[1]));
                if (r[0] == 0.f) imputedSomewhere = true;
            }
        for (const auto& r : rowsOf(ds, ds.train))
            if (r[0] != 0.f) sum += r[1], ++n;
        QVERIFY(imputedSomewhere);
        const double trainMean = sum / n;
        for (const DataSplit* s : {&ds.train, &ds.validation, &ds.test})
            for (const auto& r : rowsOf(ds, *s))
                if (r[0] == 0.f) QVERIFY2(std::fabs(r[1] - trainMean) < 1e-4, qPrintable(QString::number(r[1])));
        QVERIFY(std::any_of(ds.notes.begin(), ds.notes.end(),
                            [](const std::string& s) { return s.find("missing values set to the training mean") != std::string::npos; }));
    }

    void smotePointsLieOnNeighbourSegments() {
        DataConfig cfg = config("builtin:breast-cancer", 0.2, 0.1);
        cfg.balance = "smote";
        cfg.smoteK = 3;
        const Dataset ds = loadDataset(cfg, 11);
        DataConfig plainCfg = cfg;
        plainCfg.balance = "none";
        const Dataset plain = loadDataset(plainCfg, 11);
        // Validation and test are untouched; train is balanced.
        QCOMPARE(ds.validation.bytes, plain.validation.bytes);
        QCOMPARE(ds.test.bytes, plain.test.bytes);
        const std::vector<int64_t> counts = classCounts(ds.train, 2);
        QCOMPARE(counts[0], counts[1]);
        QCOMPARE(counts[1], classCounts(plain.train, 2)[1]);
        // The original rows come first, unchanged; each synthetic malignant row x satisfies
        // x = a + t (b - a) for a malignant training row a and one of a's 3 nearest malignant
        // neighbours b (standardized distance), with t in [0, 1].
        const auto original = rowsOf(plain, plain.train);
        const auto resampled = rowsOf(ds, ds.train);
        QVERIFY(std::equal(original.begin(), original.end(), resampled.begin()));
        std::vector<std::vector<float>> minority;
        for (std::size_t r = 0; r < original.size(); ++r)
            if (plain.train.labels[r] == 0) minority.push_back(original[r]);
        const std::size_t d = minority[0].size();
        std::vector<double> invStd(d);
        for (std::size_t i = 0; i < d; ++i) {
            double s = 0, s2 = 0;
            for (const auto& r : original) s += r[i], s2 += double(r[i]) * r[i];
            const double n = double(original.size());
            invStd[i] = 1.0 / std::sqrt(s2 / n - (s / n) * (s / n));
        }
        auto dist = [&](const std::vector<float>& a, const std::vector<float>& b) {
            double sum = 0;
            for (std::size_t i = 0; i < d; ++i) sum += std::pow((double(a[i]) - b[i]) * invStd[i], 2);
            return sum;
        };
        int checked = 0;
        for (std::size_t r = original.size(); r < resampled.size(); r += 7, ++checked) {
            QCOMPARE(ds.train.labels[r], 0);
            const auto& x = resampled[r];
            bool found = false;
            for (std::size_t a = 0; a < minority.size() && !found; ++a) {
                std::vector<std::pair<double, std::size_t>> near;
                for (std::size_t b = 0; b < minority.size(); ++b)
                    if (b != a) near.emplace_back(dist(minority[a], minority[b]), b);
                std::partial_sort(near.begin(), near.begin() + 3, near.end());
                for (int j = 0; j < 3 && !found; ++j) {
                    const auto& A = minority[a];
                    const auto& B = minority[near[std::size_t(j)].second];
                    // t from the coordinate with the largest gap, then every coordinate must agree.
                    std::size_t best = 0;
                    for (std::size_t i = 0; i < d; ++i)
                        if (std::fabs(B[i] - A[i]) > std::fabs(B[best] - A[best])) best = i;
                    const double t = (double(x[best]) - A[best]) / (double(B[best]) - A[best]);
                    bool on = t >= -1e-6 && t <= 1 + 1e-6;
                    for (std::size_t i = 0; i < d && on; ++i)
                        on = std::fabs(A[i] + t * (double(B[i]) - A[i]) - x[i]) <= 1e-4 * (1 + std::fabs(x[i]));
                    found = on;
                }
            }
            QVERIFY2(found, qPrintable("synthetic row " + QString::number(r) + " is on no neighbour segment"));
        }
        QVERIFY(checked > 10);
        QCOMPARE(loadDataset(cfg, 11).train.bytes, ds.train.bytes);  // seeded
    }

    // The blocked neighbour search gives exactly the plain O(n^2) search's samples: FNV-1a
    // hashes of the resampled training split (features and labels) recorded with the plain
    // search before it was replaced; digits has many tied distances.
    void smoteMatchesThePlainSearch_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("validation");
        QTest::addColumn<int>("seed");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<quint64>("hash");
        QTest::newRow("breast-cancer") << "builtin:breast-cancer" << 5 << 0.2 << 11 << qint64{572} << quint64{0x2acd9ec37b206ae0ull};
        QTest::newRow("digits-ties") << "builtin:digits" << 5 << 0.0 << 3 << qint64{1830} << quint64{0x90f96928cd9d6ef1ull};
        QTest::newRow("wine-k2") << "builtin:wine" << 2 << 0.25 << 7 << qint64{159} << quint64{0xdc33363b261e10e5ull};
    }
    void smoteMatchesThePlainSearch() {
        QFETCH(QString, source);
        QFETCH(int, k);
        QFETCH(double, validation);
        QFETCH(int, seed);
        QFETCH(qint64, count);
        QFETCH(quint64, hash);
        DataConfig cfg = config(source.toStdString(), validation, 0);
        cfg.balance = "smote";
        cfg.smoteK = k;
        const Dataset ds = loadDataset(cfg, static_cast<uint64_t>(seed));
        uint64_t h = 1469598103934665603ull;
        for (uint8_t b : ds.train.bytes) h = (h ^ b) * 1099511628211ull;
        for (int32_t l : ds.train.labels) h = (h ^ uint64_t(l)) * 1099511628211ull;
        QCOMPARE(ds.train.count, count);
        QCOMPARE(h, hash);
    }

    // imbalanced-learn refuses SMOTE for a class with one sample; so do we. A class with fewer
    // samples than smote_k + 1 uses what it has and says so.
    void smoteSmallClasses() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv").toStdString();
        std::ofstream(path) << "x,y\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n9,b\n";
        DataConfig cfg = config("csv:" + path, 0, 0);
        cfg.balance = "smote";
        try {
            loadDataset(cfg, 1);
            QFAIL("SMOTE of a single sample was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("balance=smote: class b has 1 training sample"), e.what());
        }
        std::ofstream(path, std::ios::app) << "8,b\n7,b\n";
        const Dataset ds = loadDataset(cfg, 1);
        QCOMPARE(classCounts(ds.train, 2), (std::vector<int64_t>{6, 6}));
        QVERIFY(std::find(ds.notes.begin(), ds.notes.end(),
                          "balance=smote: class b has 3 training samples, so its synthetic samples use 2 neighbours instead of smote_k 5") != ds.notes.end());
    }

    // Standardization statistics: two passes in double. Unix times near 1.7e9 spaced by 128
    // (exact in float) have a variance of 32800.67; the one-pass E[x^2] - E[x]^2 gave 17920.
    void scalingOfLargeOffsets() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv").toStdString();
        std::string text = "time,y\n";
        std::vector<double> x;
        for (int k = 0; k < 1001; ++k) {
            x.push_back(1.7e9 + 128.0 * (k % 5));
            text += std::to_string(int64_t(x.back())) + (k % 2 ? ",a\n" : ",b\n");
        }
        std::ofstream(path) << text;
        const Dataset ds = loadDataset(config("csv:" + path, 0, 0, "standardize"), 1);
        long double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= x.size();
        for (double v : x) var += (v - mean) * (v - mean);
        var /= x.size();
        QVERIFY2(std::fabs(double(ds.invStd[0]) * std::sqrt(double(var)) - 1) < 1e-6,
                 qPrintable(QString::number(1 / ds.invStd[0]) + " vs " + QString::number(std::sqrt(double(var)))));
        // A column spanning more than float32 can hold would overflow when centred.
        std::ofstream(path) << "v,y\n3e38,a\n-3e38,b\n1,a\n2,b\n";
        for (const char* mode : {"standardize", "minmax"}) {
            try {
                loadDataset(config("csv:" + path, 0, 0, mode), 1);
                QFAIL("a range beyond float32 was accepted");
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains("column \"v\" spans -3e+38 to 3e+38, a range beyond float32"), e.what());
            }
        }
    }

    void resamplingCounts_data() {
        QTest::addColumn<QString>("balance");
        QTest::addColumn<int>("perClass");
        QTest::newRow("oversample") << "oversample" << 250;
        QTest::newRow("undersample") << "undersample" << 148;
    }
    void resamplingCounts() {
        QFETCH(QString, balance);
        QFETCH(int, perClass);
        DataConfig cfg = config("builtin:breast-cancer", 0.3, 0);
        cfg.balance = balance.toStdString();
        const Dataset ds = loadDataset(cfg, 2);
        QCOMPARE(classCounts(ds.train, 2), (std::vector<int64_t>{perClass, perClass}));
        QCOMPARE(ds.validation.count, int64_t{171});
        QVERIFY2(QString::fromStdString(ds.notes.back()).contains("balance=" + balance + ": training class counts 148/250 -> "),
                 ds.notes.back().c_str());
    }

    void balancedClassWeights() {
        DataConfig cfg = config("builtin:wine", 0, 0);
        cfg.classWeights = "balanced";
        const Dataset ds = loadDataset(cfg, 1);
        // 59/71/48 samples: w_c = 178 / (3 n_c), as sklearn's compute_class_weight("balanced").
        QCOMPARE(ds.classWeights.size(), std::size_t{3});
        QVERIFY(std::fabs(ds.classWeights[0] - 178.0 / (3 * 59)) < 1e-6);
        QVERIFY(std::fabs(ds.classWeights[1] - 178.0 / (3 * 71)) < 1e-6);
        QVERIFY(std::fabs(ds.classWeights[2] - 178.0 / (3 * 48)) < 1e-6);
        cfg.source = "synthetic:spiral";
        cfg.classWeights = "balanced";
        cfg.balance = "none";
        QCOMPARE(loadDataset(cfg, 1).classWeights.size(), std::size_t{3});
    }

    void reconstructTargetsAreTheScaledInputs() {
        DataConfig cfg = config("builtin:wine", 0.2, 0.1);
        cfg.scaling = "standardize";
        const Dataset plain = loadDataset(cfg, 4);
        cfg.reconstruct = true;
        const Dataset ds = loadDataset(cfg, 4);
        QCOMPARE(ds.numClasses, 0);
        QCOMPARE(ds.targetDim, 13);
        QVERIFY(ds.classNames.empty());
        QCOMPARE(ds.test.count, plain.test.count);  // the same (stratified) split
        for (const auto& [s, p] : {std::pair{&ds.train, &plain.train}, {&ds.validation, &plain.validation},
                                   {&ds.test, &plain.test}}) {
            QVERIFY(s->labels.empty());
            QCOMPARE(s->targets.size(), std::size_t(s->count * 13));
            QVERIFY(s->bytes == p->bytes);  // the inputs are untouched
            for (std::size_t i = 0; i < s->targets.size(); ++i) {
                const std::size_t f = i % 13;
                const float expected = (s->f32()[i] * ds.scale - ds.mean[f]) * ds.invStd[f];
                QCOMPARE(s->targets[i], expected);
            }
        }
        // Standardized training targets: mean 0 per feature.
        double sum = 0;
        for (int64_t r = 0; r < ds.train.count; ++r) sum += ds.train.targets[std::size_t(r * 13)];
        QVERIFY(std::fabs(sum / double(ds.train.count)) < 1e-4);
        // minmax (fitted on train): training targets in 0..1, as a Sigmoid output needs.
        DataConfig digits = config("builtin:digits", 0.1, 0);
        digits.scaling = "minmax";
        digits.reconstruct = true;
        const Dataset img = loadDataset(digits, 1);
        QCOMPARE(img.targetDim, 64);
        const auto [lo, hi] = std::minmax_element(img.train.targets.begin(), img.train.targets.end());
        QVERIFY2(*lo >= -1e-6f && *hi <= 1.f + 1e-6f && *hi > 0.5f, qPrintable(QString("%1..%2").arg(*lo).arg(*hi)));
        // Class weights have no meaning for a reconstruction.
        cfg.classWeights = "balanced";
        QVERIFY_THROWS_EXCEPTION(Error, loadDataset(cfg, 4));
    }
};

QTEST_APPLESS_MAIN(TestDataPreprocess)
#include "test_data_preprocess.moc"
