// Augmentation and the background batch pipeline: each transform does what it says on images
// the test builds, every draw is reproducible from (seed, epoch, position), the pipeline hands
// out exactly the batches a synchronous gather would, and the project file keeps the settings.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "data/batch_pipeline.h"
#include "data/data_source.h"
#include "data/transforms/augment.h"
#include "io/project.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

// A 1x5x7 image with distinct values: pixel (v, u) = 1 + v * 7 + u.
std::vector<float> ramp() {
    std::vector<float> x(35);
    std::iota(x.begin(), x.end(), 1.f);
    return x;
}

std::vector<float> augmented(const AugmentConfig& cfg, uint64_t seed, std::vector<float> x = ramp()) {
    Rng rng(seed);
    std::vector<float> scratch;
    augmentSample(cfg, Shape({1, 5, 7}), x.data(), rng, scratch);
    return x;
}

std::vector<float> mirrored(const std::vector<float>& x, bool horizontal) {
    std::vector<float> out(x.size());
    for (int v = 0; v < 5; ++v)
        for (int u = 0; u < 7; ++u)
            out[std::size_t(v * 7 + u)] = horizontal ? x[std::size_t(v * 7 + 6 - u)] : x[std::size_t((4 - v) * 7 + u)];
    return out;
}

class NullObserver : public TrainObserver {};

} // namespace

class TestDataAugment : public QObject {
    Q_OBJECT
private slots:
    void flipsMirrorExactly_data() {
        QTest::addColumn<bool>("horizontal");
        QTest::newRow("horizontal") << true;
        QTest::newRow("vertical") << false;
    }
    void flipsMirrorExactly() {
        QFETCH(bool, horizontal);
        AugmentConfig cfg;
        (horizontal ? cfg.horizontalFlip : cfg.verticalFlip) = true;
        int flipped = 0;
        for (uint64_t seed = 0; seed < 40; ++seed) {
            const std::vector<float> x = augmented(cfg, seed);
            if (x == mirrored(ramp(), horizontal)) ++flipped;
            else QCOMPARE(x, ramp());
        }
        QVERIFY2(flipped > 10 && flipped < 30, qPrintable(QString::number(flipped)));  // about half
    }

    void rotationBy180IsBothFlips() {
        // rotation range 180 draws angles in [-180, 180]; check the map itself with the exact
        // half turn: a point-symmetric rotation equals a horizontal and a vertical mirror.
        AugmentConfig cfg;
        cfg.rotation = 180;
        bool sawHalfTurn = false;
        for (uint64_t seed = 0; seed < 200000 && !sawHalfTurn; ++seed) {
            Rng probe(seed);
            const double angle = 180.0 * (2.0 * probe.uniform() - 1.0);
            if (std::fabs(std::fabs(angle) - 180.0) > 0.05) continue;
            const std::vector<float> x = augmented(cfg, seed);
            const std::vector<float> expected = mirrored(mirrored(ramp(), true), false);
            for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(std::fabs(x[i] - expected[i]) < 0.2f);
            sawHalfTurn = true;
        }
        QVERIFY(sawHalfTurn);
    }

    void shiftTranslates() {
        // The ramp is linear in (v, u), so bilinear sampling is exact: inside the image the
        // output must be the ramp at (v - ty, u - tx), outside zero. The draws come in the
        // order angle, shear, zoom, tx, ty.
        AugmentConfig cfg;
        cfg.shift = 0.3f;
        for (uint64_t seed : {5u, 6u, 7u}) {
            Rng probe(seed);
            for (int i = 0; i < 3; ++i) probe.uniform();
            const double tx = 0.3 * (2 * probe.uniform() - 1) * 7, ty = 0.3 * (2 * probe.uniform() - 1) * 5;
            const std::vector<float> x = augmented(cfg, seed);
            int inside = 0;
            for (int v = 0; v < 5; ++v)
                for (int u = 0; u < 7; ++u) {
                    const double su = u - tx, sv = v - ty;
                    const float got = x[std::size_t(v * 7 + u)];
                    if (su >= 0 && su <= 6 && sv >= 0 && sv <= 4) {
                        QVERIFY2(std::fabs(got - (1 + 7 * sv + su)) < 1e-4, qPrintable(QString::number(got)));
                        ++inside;
                    } else if (su < -1 || su > 7 || sv < -1 || sv > 5) {
                        QCOMPARE(got, 0.f);
                    }
                }
            QVERIFY(inside > 0);
        }
    }

    void photometric() {
        AugmentConfig b;
        b.brightness = 0.5f;
        const std::vector<float> x = augmented(b, 3);
        const float delta = x[0] - 1.f;
        QVERIFY(std::fabs(delta) <= 0.5f && delta != 0.f);
        for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(std::fabs(x[i] - (ramp()[i] + delta)) < 1e-5f);
        AugmentConfig n;
        n.noise = 0.1f;
        std::vector<float> zeros(35 * 100, 0.f);
        Rng rng(9);
        std::vector<float> scratch;
        for (int k = 0; k < 100; ++k) augmentSample(n, Shape({1, 5, 7}), zeros.data() + k * 35, rng, scratch);
        double sq = 0;
        for (float v : zeros) sq += double(v) * v;
        QVERIFY(std::fabs(std::sqrt(sq / double(zeros.size())) - 0.1) < 0.01);
        AugmentConfig c;
        c.cutout = 0.4f;  // side round(0.4 * 5) = 2
        const std::vector<float> cut = augmented(c, 11);
        const auto zeroed = std::count(cut.begin(), cut.end(), 0.f);
        QVERIFY(zeroed >= 1 && zeroed <= 4);
    }

    void reproducibleBySeedEpochPosition() {
        AugmentConfig cfg;
        cfg.horizontalFlip = true;
        cfg.rotation = 15;
        cfg.zoom = 0.1f;
        cfg.shear = 5;
        cfg.shift = 0.1f;
        cfg.noise = 0.05f;
        const uint64_t s = augmentSeed(7, 2, 123);
        QCOMPARE(augmented(cfg, s), augmented(cfg, augmentSeed(7, 2, 123)));
        QVERIFY(augmented(cfg, s) != augmented(cfg, augmentSeed(7, 3, 123)));
        QVERIFY(augmented(cfg, s) != augmented(cfg, augmentSeed(7, 2, 124)));
        QVERIFY(augmented(cfg, s) != augmented(cfg, augmentSeed(8, 2, 123)));
    }

    void pipelineMatchesSynchronousGather() {
        DataConfig dc;
        dc.source = "builtin:digits";
        dc.scaling = "standardize";
        Dataset ds = loadDataset(dc, 1);
        std::vector<int32_t> order(static_cast<std::size_t>(ds.train.count));
        std::iota(order.begin(), order.end(), 0);
        std::reverse(order.begin(), order.end());
        const int64_t batch = 100, steps = (ds.train.count + batch - 1) / batch;
        BatchPipeline plain(ds, AugmentConfig{}, 1, batch);
        AugmentConfig aug;
        aug.rotation = 10;
        aug.noise = 0.1f;
        BatchPipeline augmentedPipe(ds, aug, 1, batch);
        const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
        for (int epoch = 0; epoch < 2; ++epoch) {
            plain.startEpoch(epoch, order, steps);
            augmentedPipe.startEpoch(epoch, order, steps);
            for (int64_t step = 0; step < steps; ++step) {
                const HostBatch& hb = plain.next();
                QCOMPARE(hb.step, step);
                const int64_t n = std::min<int64_t>(batch, ds.train.count - step * batch);
                QCOMPARE(hb.n, n);
                std::vector<int64_t> rows;
                for (int64_t k = 0; k < n; ++k) rows.push_back(order[std::size_t(step * batch + k)]);
                std::vector<float> expected(std::size_t(n) * d);
                gatherFeatures(ds, ds.train, rows, expected.data());
                QCOMPARE(hb.x, expected);
                QCOMPARE(hb.labels[0], ds.train.labels[std::size_t(rows[0])]);
                HostBatch ref;
                augmentedPipe.prepare(epoch, order, step, ref);
                const HostBatch& got = augmentedPipe.next();
                QCOMPARE(got.x, ref.x);  // background and synchronous preparation agree
                QVERIFY(got.x != expected);
            }
        }
        // A new epoch while batches are still pending stops the old producer cleanly.
        plain.startEpoch(5, order, steps);
        plain.next();
        plain.startEpoch(6, order, steps);
        QCOMPARE(plain.next().step, int64_t{0});
        // Resuming mid-epoch: the batches from step 3 on are those of an uninterrupted epoch.
        augmentedPipe.startEpoch(1, order, steps, 3);
        HostBatch ref;
        augmentedPipe.prepare(1, order, 3, ref);
        const HostBatch& resumed = augmentedPipe.next();
        QCOMPARE(resumed.step, int64_t{3});
        QCOMPARE(resumed.x, ref.x);
    }

    void mixupMixesPairsOfTheBatch() {
        DataConfig dc;
        dc.source = "builtin:iris";
        const Dataset ds = loadDataset(dc, 1);
        std::vector<int32_t> order(static_cast<std::size_t>(ds.train.count));
        std::iota(order.begin(), order.end(), 0);
        AugmentConfig mix;
        mix.mixup = 0.4f;
        BatchPipeline plain(ds, AugmentConfig{}, 3, 32), mixed(ds, mix, 3, 32);
        HostBatch a, b;
        plain.prepare(0, order, 1, a);
        mixed.prepare(0, order, 1, b);
        QCOMPARE(a.lambda, 1.f);
        QVERIFY(b.lambda > 0.f && b.lambda < 1.f);
        QCOMPARE(b.originalLabels, a.labels);
        const std::size_t d = 4;
        int moved = 0;
        for (std::size_t k = 0; k < 32; ++k) {
            bool found = false;
            for (std::size_t p = 0; p < 32 && !found; ++p) {
                if (b.labelsB[k] != a.labels[p]) continue;
                bool same = true;
                for (std::size_t i = 0; i < d; ++i)
                    same = same && std::fabs(b.x[k * d + i] - (b.lambda * a.x[k * d + i] + (1 - b.lambda) * a.x[p * d + i])) < 1e-5f;
                found = same;
                moved += same && p != k;
            }
            QVERIFY2(found, qPrintable("sample " + QString::number(k) + " is no mix of two batch samples"));
        }
        QVERIFY(moved > 20);
        HostBatch again;
        mixed.prepare(0, order, 1, again);
        QCOMPARE(again.x, b.x);  // seeded by (seed, epoch, step)
        double sum = 0;  // Beta(0.4, 0.4) has mean 1/2
        Rng rng(5);
        for (int i = 0; i < 20000; ++i) sum += sampleBeta(rng, 0.4);
        QVERIFY(std::fabs(sum / 20000 - 0.5) < 0.01);
    }

    void augmentedTrainingIsDeterministic() {
        ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        doc.training.epochs = 2;
        doc.training.threads = 1;
        auto finalLoss = [](const ProjectDocument& d) {
            RunSetup setup = prepareRun(d);
            Trainer trainer(*setup.model, setup.data, d.training);
            NullObserver quiet;
            StopToken stop;
            return trainer.run(quiet, stop).trainLoss;
        };
        const double plain = finalLoss(doc);
        QCOMPARE(finalLoss(doc), plain);  // the host pipeline is off: device gather
        doc.data.augment.noise = 0.05f;
        const double noisy = finalLoss(doc);
        QCOMPARE(finalLoss(doc), noisy);  // augmented runs repeat bit for bit
        QVERIFY(noisy != plain);
        doc.data.augment.mixup = 0.2f;
        const double mixed = finalLoss(doc);
        QVERIFY(std::isfinite(mixed) && mixed != noisy);
        QCOMPARE(finalLoss(doc), mixed);
    }

    void projectKeysRoundTrip() {
        const std::string json = R"({"format": "neurite-project", "version": 1,
            "data": {"source": "csv:x.csv", "target": "label", "stratify": false, "balance": "smote",
                     "smote_k": 3, "class_weights": "balanced", "scaling": "minmax",
                     "augment": {"horizontal_flip": true, "rotation": 10, "cutout": 0.25}},
            "model": {"nodes": [{"id": "input", "op": "Input"}]}})";
        std::vector<std::string> warnings;
        const ProjectDocument doc = parseProject(json, "p.neurite.json", &warnings);
        QVERIFY(warnings.empty());
        QCOMPARE(doc.data.target, std::string("label"));
        QCOMPARE(doc.data.stratify, false);
        QCOMPARE(doc.data.balance, std::string("smote"));
        QCOMPARE(doc.data.smoteK, 3);
        QCOMPARE(doc.data.classWeights, std::string("balanced"));
        QCOMPARE(doc.data.augment.horizontalFlip, true);
        QCOMPARE(doc.data.augment.rotation, 10.f);
        QCOMPARE(doc.data.augment.cutout, 0.25f);
        const ProjectDocument again = parseProject(projectToJson(doc), "p.neurite.json", nullptr);
        QCOMPARE(again.data.balance, doc.data.balance);
        QCOMPARE(again.data.augment.cutout, doc.data.augment.cutout);
        QCOMPARE(again.data.augment.horizontalFlip, true);
        QCOMPARE(again.data.stratify, false);
        try {
            parseProject(R"({"format": "neurite-project", "version": 1, "data": {"source": "x:y", "augment": {"rotation": 400}},
                "model": {"nodes": []}})", "p.neurite.json", nullptr);
            QFAIL("accepted rotation 400");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("$.data.augment.rotation"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestDataAugment)
#include "test_data_augment.moc"
