// Time series: timestamps (numbers, ISO dates, YYYYMMDD, times of day), windows of lookback
// steps with the next horizon steps as targets, the chronological split with purged boundaries,
// expanding-window folds, scaling per channel fitted on the training windows only, sequence
// classification, the bundled series, and every bad input the issue names (unsorted or repeated
// timestamps, gaps, missing values, a lookback longer than the series) with the file and line,
// or the documented repair and its report.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "data/data_source.h"
#include "data/series/series_time.h"
#include "support/data_source_helpers.h"

using namespace neurite;
using namespace neurite::test;

namespace {

// time = 1..n, x = 10 time, y = time (so every value says its time)
std::string linear(int n) {
    std::string csv = "time,x,y\n";
    for (int i = 1; i <= n; ++i) csv += std::to_string(i) + "," + std::to_string(10 * i) + "," + std::to_string(i) + "\n";
    return csv;
}

Dataset split(const std::string& spec, double validation, double test) {
    DataConfig cfg;
    cfg.source = spec;
    cfg.validationSplit = validation;
    cfg.testSplit = test;
    cfg.scaling = "none";
    cfg.targetScaling = "none";
    return loadDataset(cfg, 1);
}

bool noted(const Dataset& ds, const char* text) {
    for (const std::string& n : ds.notes)
        if (n.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

class TestDataSeries : public QObject {
    Q_OBJECT
private slots:
    void times() {
        QCOMPARE(daysFromCivil(1970, 1, 1), 0LL);
        QCOMPARE(daysFromCivil(2000, 3, 1), 11017LL);
        QCOMPARE(parseSeriesTime("1700").value(), 1700.0);
        QCOMPARE(parseSeriesTime(" 2.5 ").value(), 2.5);
        QCOMPARE(parseSeriesTime("1958-03-29").value(), double(daysFromCivil(1958, 3, 29)));
        QCOMPARE(parseSeriesTime("19580329").value(), double(daysFromCivil(1958, 3, 29)));
        QCOMPARE(parseSeriesTime("1958/03/29").value(), double(daysFromCivil(1958, 3, 29)));
        QCOMPARE(parseSeriesTime("1958-03").value(), double(daysFromCivil(1958, 3, 1)));
        QCOMPARE(parseSeriesTime("2001-12-31 12:00").value(), double(daysFromCivil(2001, 12, 31)) + 0.5);
        QCOMPARE(parseSeriesTime("2001-12-31T06:00:00").value(), double(daysFromCivil(2001, 12, 31)) + 0.25);
        QCOMPARE(parseSeriesTime("20241301").value(), 20241301.0);  // not a date: a number
        QVERIFY(!parseSeriesTime("1958-02-30"));
        QVERIFY(!parseSeriesTime("2001-12-31 25:00"));
        QVERIFY(!parseSeriesTime("march"));
        QVERIFY(!parseSeriesTime(""));
    }

    void windowsAndTargets() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.csv").toStdString();
        writeText(path, linear(10));
        const Dataset ds = load("series:" + path + "?inputs=x,y&targets=y&lookback=3&horizon=2");
        QCOMPARE(ds.sampleShape, (Shape{3, 2}));
        QCOMPARE(ds.train.count, int64_t(6));  // starts 1..6: 3 steps in, 2 out, 10 rows
        QCOMPARE(ds.targetDim, 2);
        QCOMPARE(row(ds, 0), (std::vector<float>{10, 1, 20, 2, 30, 3}));
        QCOMPARE(row(ds, 5), (std::vector<float>{60, 6, 70, 7, 80, 8}));
        QCOMPARE(ds.train.targets[0], 4.f);
        QCOMPARE(ds.train.targets[1], 5.f);
        QCOMPARE(ds.train.targets[11], 10.f);
        QVERIFY(ds.chronological);
        QCOMPARE(ds.purgeWindows, int64_t(1));
        const Dataset strided = load("series:" + path + "?lookback=2&stride=3");  // inputs x, y; target y
        QCOMPARE(strided.train.count, int64_t(3));  // starts 1, 4, 7
        QCOMPARE(row(strided, 2), (std::vector<float>{70, 7, 80, 8}));
        QCOMPARE(strided.train.targets[2], 9.f);
        QVERIFY(noted(strided, "series: 10 rows from 1 to 10, step 1; 3 windows of 2 steps of x, y -> the next 1 step of y"));
    }

    // Validation and test are the last windows in time order; with horizon 3 two windows are
    // dropped before each boundary, so no training target reaches the validation targets' time.
    void chronologicalSplitPurgesTheBoundaries() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.csv").toStdString();
        writeText(path, linear(26));
        const Dataset ds = split("series:" + path + "?inputs=x&targets=y&lookback=4&horizon=3", 0.2, 0.2);
        // 20 windows: 4 test (17..20), 4 validation (11..14, 2 dropped before test), 8 training (1..8)
        QCOMPARE(ds.test.count, int64_t(4));
        QCOMPARE(ds.validation.count, int64_t(4));
        QCOMPARE(ds.train.count, int64_t(8));
        auto lastTarget = [](const DataSplit& s) { return s.targets.back(); };
        auto firstTarget = [](const DataSplit& s) { return s.targets.front(); };
        QVERIFY(lastTarget(ds.train) < firstTarget(ds.validation));
        QVERIFY(lastTarget(ds.validation) < firstTarget(ds.test));
        QCOMPARE(firstTarget(ds.test), 21.f);  // window 17 reads 17..20 and forecasts 21..23
        QVERIFY(noted(ds, "chronological split: training windows 1..8, validation 11..14, test 17..20 of 20; 2 windows dropped"));
    }

    void expandingWindowFolds() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.csv").toStdString();
        writeText(path, linear(33));
        DataConfig cfg;
        cfg.source = "series:" + path + "?inputs=x&targets=y&lookback=4&horizon=2";
        cfg.validationSplit = 0;
        cfg.testSplit = 0;
        const std::vector<Dataset> folds = loadFolds(cfg, 1, 3);  // 28 windows, blocks of 7
        QCOMPARE(folds.size(), std::size_t(3));
        for (int f = 0; f < 3; ++f) {
            QCOMPARE(folds[std::size_t(f)].train.count, int64_t(7 * (f + 1) - 1));  // one purged
            QCOMPARE(folds[std::size_t(f)].validation.count, int64_t(7));
            QCOMPARE(folds[std::size_t(f)].validation.targets.front(), float(7 * (f + 1) + 5));
            QVERIFY(folds[std::size_t(f)].train.targets.back() < folds[std::size_t(f)].validation.targets.front());
        }
        QVERIFY(errorOf([&] { loadFolds(cfg, 1, 20); }).contains("k + 1 blocks"));
    }

    // Standardization per channel from the training windows only: a validation value changes
    // nothing; every step of a window shares its channel's statistics.
    void scalingPerChannelOnTrainOnly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.csv").toStdString();
        writeText(path, linear(20));
        DataConfig cfg;
        cfg.source = "series:" + path + "?inputs=x,y&targets=y&lookback=3";
        cfg.validationSplit = 0.25;
        const Dataset a = loadDataset(cfg, 1);
        QCOMPARE(a.mean.size(), std::size_t(6));
        double sum = 0;
        int64_t count = 0;
        for (int64_t w = 0; w < a.train.count; ++w)
            for (int s = 0; s < 3; ++s, ++count) sum += a.train.f32()[w * 6 + s * 2];
        QVERIFY(std::fabs(a.mean[0] - sum / double(count)) < 1e-4);
        QCOMPARE(a.mean[2], a.mean[0]);
        QCOMPARE(a.mean[3], a.mean[1]);
        QCOMPARE(a.invStd[4], a.invStd[0]);
        std::string changed = linear(20);
        changed.replace(changed.find("\n19,190,"), 8, "\n19,999,");
        writeText(path, changed);
        const Dataset b = loadDataset(cfg, 1);
        QCOMPARE(b.mean, a.mean);
        QCOMPARE(b.invStd, a.invStd);
    }

    void datesGapsAndMissingValues() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.csv").toStdString();
        // weekly, a missing week after line 4, a missing value on line 6
        writeText(path, "date,v\n1958-03-29,1\n1958-04-05,2\n1958-04-12,3\n1958-04-26,5\n1958-05-03,\n1958-05-10,7\n");
        QString e = errorOf([&] { load("series:" + path + "?lookback=2"); });
        QVERIFY2(e.contains("w.csv") && e.contains("1 gaps") && e.contains("line 5 (1958-04-26) follows line 4 (1958-04-12) after 2 steps") &&
                     e.contains("gaps=interpolate"),
                 qPrintable(e));
        const Dataset ds = load("series:" + path + "?lookback=2&gaps=interpolate");
        QCOMPARE(ds.train.count, int64_t(5));  // 7 weekly rows
        QCOMPARE(row(ds, 2), (std::vector<float>{3, 4}));  // the inserted week: halfway
        QCOMPARE(ds.train.targets[3], 6.f);  // the missing value: between 5 and 7
        QVERIFY2(noted(ds, "gaps=interpolate: 1 missing time steps inserted (1 gaps), 2 values filled"), ds.notes[0].c_str());
        QVERIFY(noted(ds, "step 7 days"));

        // a gap of a million steps is refused, not filled (found by fuzz_series)
        writeText(path, "year,v\n1,1\n2,2\n3,3\n1000004,4\n");
        e = errorOf([&] { load("series:" + path + "?lookback=2&gaps=interpolate"); });
        QVERIFY2(e.contains("filling the gaps would insert more than 100000 rows") && e.contains("time column"),
                 qPrintable(e));

        writeText(path, "date,v\n19580329,1\n19580405,2\n19580412,\n19580419,4\n");
        e = errorOf([&] { load("series:" + path + "?lookback=2"); });
        QVERIFY2(e.contains("1 missing values: line 4 column \"v\""), qPrintable(e));
    }

    void orderAndBadTimes() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("o.csv").toStdString();
        writeText(path, "year,v\n2001,1\n2003,3\n2002,2\n2004,4\n");
        QString e = errorOf([&] { load("series:" + path + "?lookback=2"); });
        QVERIFY2(e.contains("o.csv: line 4: time 2002 comes before line 3's 2003") && e.contains("order=sort"), qPrintable(e));
        const Dataset sorted = load("series:" + path + "?lookback=2&order=sort");
        QCOMPARE(row(sorted, 0), (std::vector<float>{1, 2}));
        QVERIFY(noted(sorted, "order=sort: 2 rows moved"));
        writeText(path, "year,v\n2001,1\n2002,3\n2002,2\n");
        e = errorOf([&] { load("series:" + path + "?lookback=1"); });
        QVERIFY2(e.contains("line 4: time 2002 repeats line 3's"), qPrintable(e));
        writeText(path, "date,v\n2001-01-01,1\nyesterday,3\n");
        e = errorOf([&] { load("series:" + path + "?lookback=1"); });
        QVERIFY2(e.contains("line 3: time \"yesterday\" is neither a number nor a date"), qPrintable(e));
        writeText(path, "year,v\n2001,1\n2002,x\n");
        e = errorOf([&] { load("series:" + path + "?lookback=1&inputs=v"); });
        QVERIFY2(e.contains("line 3: column \"v\": \"x\" is not a number"), qPrintable(e));
        writeText(path, linear(5));
        e = errorOf([&] { load("series:" + path + "?lookback=5"); });
        QVERIFY2(e.contains("lookback 5 + horizon 1 needs 6 rows, but the series has 5"), qPrintable(e));
        QVERIFY(errorOf([&] { load("series:" + path + "?targets=z"); }).contains("no target column \"z\""));
        QVERIFY(errorOf([&] { load("series:" + path + "?lookback=2&label=y"); }).contains("task=classify"));
        QVERIFY(errorOf([&] { load("series:" + dir.filePath("none.csv").toStdString()); }).contains("does not exist"));
        e = errorOf([&] { split("series:" + path + "?lookback=2&horizon=2", 0.3, 0.3); });
        QVERIFY2(e.contains("leave none for training"), qPrintable(e));
    }

    void sequenceClassification() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.csv").toStdString();
        std::string csv = "time,a,state\n";
        for (int i = 0; i < 12; ++i) csv += std::to_string(i) + "," + std::to_string(i % 3) + "," + (i % 4 < 2 ? "low" : "high") + "\n";
        writeText(path, csv);
        const Dataset ds = load("series:" + path + "?task=classify&label=state&lookback=3");
        QCOMPARE(ds.numClasses, 2);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"high", "low"}));
        QCOMPARE(ds.train.count, int64_t(10));
        QCOMPARE(ds.sampleShape, (Shape{3, 1}));
        QCOMPARE(ds.train.labels[0], 0);  // row 2 (i = 2): high
        QCOMPARE(ds.train.labels[2], 1);  // row 4: low
        QCOMPARE(ds.purgeWindows, int64_t(0));
    }

    void bundledSeries() {
        const Dataset sun = load("builtin:sunspots");
        QCOMPARE(sun.sampleShape, (Shape{22, 1}));
        QCOMPARE(sun.train.count, int64_t(309 - 22));
        QCOMPARE(sun.train.f32()[0], 5.f);  // 1700
        QVERIFY(noted(sun, "series: 309 rows from 1700 to 2008, step 1;"));
        const Dataset shorter = load("builtin:sunspots?lookback=11&horizon=3");
        QCOMPARE(shorter.sampleShape, (Shape{11, 1}));
        QCOMPARE(shorter.targetDim, 3);
        const Dataset co2 = load("builtin:co2");
        QVERIFY(noted(co2, "gaps=interpolate:"));
        QCOMPARE(co2.sampleShape, (Shape{104, 1}));
        const Dataset macro = load("builtin:macrodata");
        QCOMPARE(macro.sampleShape, (Shape{8, 10}));
        QCOMPARE(macro.train.count, int64_t(203 - 8));
    }
};

QTEST_APPLESS_MAIN(TestDataSeries)
#include "test_data_series.moc"
