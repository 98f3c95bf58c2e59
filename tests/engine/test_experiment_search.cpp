// Bayesian search (experiment/tpe.h) and pruning (experiment/pruner.h) on cases worked by hand:
// TPE is deterministic, stays in bounds, never repeats a combination of a finite space, and on a
// smooth objective proposes points closer to the optimum than random draws do; the median rule
// and successive halving stop exactly the trainings the rules say.
#include <QtTest>

#include <cmath>
#include <set>

#include "experiment/importance.h"
#include "experiment/pareto.h"
#include "experiment/pruner.h"
#include "experiment/tpe.h"

using namespace neurite;
using nlohmann::json;

namespace {

SearchParam range(const std::string& path, SearchParam::Kind kind, double low, double high) {
    SearchParam p;
    p.path = path;
    p.kind = kind;
    p.low = low;
    p.high = high;
    return p;
}

// A bowl with its minimum at x = 0.3, log10(lr) = -3: what a learning-rate sweep looks like.
double bowl(const Assignment& a) {
    const double x = a[0].get<double>() - 0.3, y = std::log10(a[1].get<double>()) + 3;
    return x * x + 0.25 * y * y;
}

}  // namespace

class TestExperimentSearch : public QObject {
    Q_OBJECT
private slots:
    void tpeIsDeterministicAndInBounds() {
        const std::vector<SearchParam> space{range("x", SearchParam::Kind::Uniform, 0, 1),
                                             range("lr", SearchParam::Kind::LogUniform, 1e-5, 1e-1),
                                             range("units", SearchParam::Kind::Integer, 4, 9)};
        std::vector<TpeObservation> seen;
        for (int t = 1; t <= 30; ++t) {
            const auto a = tpePropose(space, seen, {}, 5, 7, t);
            const auto b = tpePropose(space, seen, {}, 5, 7, t);
            QVERIFY(a && b);
            QCOMPARE(json(*a).dump(), json(*b).dump());
            const double x = (*a)[0].get<double>(), lr = (*a)[1].get<double>();
            const int64_t units = (*a)[2].get<int64_t>();
            QVERIFY(x >= 0 && x < 1);
            QVERIFY(lr >= 1e-5 && lr < 1e-1);
            QVERIFY(units >= 4 && units <= 9);
            seen.push_back({*a, bowl(*a)});
        }
    }

    // After 10 random trials, TPE's next 30 proposals land nearer the optimum than 30 more random
    // draws, for each of 5 seeds (the median of the last 15 objectives).
    void tpeBeatsRandomOnASmoothObjective() {
        const std::vector<SearchParam> space{range("x", SearchParam::Kind::Uniform, 0, 1),
                                             range("lr", SearchParam::Kind::LogUniform, 1e-6, 1)};
        for (uint64_t seed = 1; seed <= 5; ++seed) {
            std::vector<TpeObservation> tpe;
            for (int t = 1; t <= 40; ++t) {
                const auto a = tpePropose(space, tpe, {}, 10, seed, t);
                tpe.push_back({*a, bowl(*a)});
            }
            const std::vector<Assignment> random = randomTrials(space, 40, seed);
            std::vector<double> lastTpe, lastRandom;
            for (int t = 25; t < 40; ++t) {
                lastTpe.push_back(tpe[t].objective);
                lastRandom.push_back(bowl(random[t]));
            }
            std::sort(lastTpe.begin(), lastTpe.end());
            std::sort(lastRandom.begin(), lastRandom.end());
            QVERIFY2(lastTpe[7] < lastRandom[7],
                     qPrintable(QString("seed %1: tpe %2 random %3").arg(seed).arg(lastTpe[7]).arg(lastRandom[7])));
        }
    }

    void tpeNeverRepeatsAFiniteCombination() {
        SearchParam batch;
        batch.path = "batch";
        batch.values = {16, 32, 64};
        const std::vector<SearchParam> space{batch, range("units", SearchParam::Kind::Integer, 1, 4)};
        std::vector<TpeObservation> seen;
        std::vector<Assignment> tried;
        std::set<std::string> keys;
        for (int t = 1; t <= 12; ++t) {
            const auto a = tpePropose(space, seen, tried, 3, 3, t);
            QVERIFY2(a.has_value(), qPrintable(QString("trial %1").arg(t)));
            QVERIFY(keys.insert(json(*a).dump()).second);
            tried.push_back(*a);
            seen.push_back({*a, static_cast<double>((*a)[1].get<int64_t>())});
        }
        QVERIFY(!tpePropose(space, seen, tried, 3, 3, 13).has_value());  // all 12 tried
    }

    void medianRuleStopsWhatIsWorseThanTheMedian() {
        PrunerConfig c;
        c.kind = PrunerConfig::Kind::Median;
        c.warmupEpochs = 2;
        c.minTrials = 2;
        Pruner p(c, false);  // a loss: smaller is better
        QVERIFY(!p.report(1, 0, 1, 1.0));
        QVERIFY(!p.report(1, 0, 2, 0.5));
        QVERIFY(!p.report(2, 0, 2, 0.7));   // one other trial: not enough to judge
        QVERIFY(!p.report(3, 0, 1, 9.0));   // epoch 1: warm-up
        QVERIFY(p.report(3, 0, 2, 0.61));   // median of 0.5 and 0.7 is 0.6
        QVERIFY(!p.report(4, 0, 2, 0.59));
        QVERIFY(!p.report(5, 1, 2, 5.0));   // another slot has no values yet
        QVERIFY(p.report(6, 0, 3, std::nan("")));  // a diverged training always stops
        Pruner q(c, true);  // an accuracy: larger is better
        q.restore(1, 0, {0.5, 0.8});
        q.restore(2, 0, {0.5, 0.6});
        QVERIFY(q.report(3, 0, 2, 0.69));
        QVERIFY(!q.report(4, 0, 2, 0.71));
    }

    void successiveHalvingKeepsTheBestThird() {
        PrunerConfig c;
        c.kind = PrunerConfig::Kind::Halving;
        c.minEpochs = 1;
        c.reductionFactor = 3;
        Pruner p(c, false);
        QVERIFY(!p.report(1, 0, 1, 0.5));  // alone at the rung: the best
        QVERIFY(p.report(2, 0, 1, 0.6));   // two values, fewer than 3: only the best goes on
        QVERIFY(!p.report(3, 0, 1, 0.4));
        QVERIFY(!p.report(1, 0, 2, 0.1));  // epoch 2 is no rung (1, 3, 9, ...)
        // rung 1 now holds 0.5, 0.6, 0.4 and this: 4 values, keep 4/3 = 1, the best (0.3)
        QVERIFY(!p.report(4, 0, 1, 0.3));
        QVERIFY(p.report(5, 0, 1, 0.35));  // 5 values, keep 1: 0.3
        for (int t = 6; t <= 9; ++t) p.report(t, 0, 1, 0.9);
        // 10 values, keep 3 (0.3, 0.35, 0.39): 0.39 goes on; then 11, keep 3: 0.41 does not
        QVERIFY(!p.report(10, 0, 1, 0.39));
        QVERIFY(p.report(11, 0, 1, 0.41));
        QVERIFY(!p.report(1, 0, 3, 0.2));  // the next rung, alone
    }

    // Worked by hand: objective = 10 * [lr = 0.01] + units / 8 over a 2 x 2 grid: 0.25, 0.5,
    // 10.25, 10.5. Mean 5.375; deviations -+5.125, -+4.875: total SS = 2 (26.265625 +
    // 23.765625) = 100.0625. lr groups: means 0.375 and 10.375, deviations +-5, SS_between =
    // 4 * 25 = 100. units groups: means 5.25 and 5.5, deviations +-0.125, SS_between = 0.0625.
    void importanceIsTheVarianceShareOfEachParameter() {
        SearchParam lr, units;
        lr.path = "lr";
        lr.values = {0.001, 0.01};
        units.path = "units";
        units.kind = SearchParam::Kind::Integer;
        units.low = 2;
        units.high = 4;
        const std::vector<Assignment> values{{0.001, 2}, {0.001, 4}, {0.01, 2}, {0.01, 4}};
        const std::vector<double> objectives{0.25, 0.5, 10.25, 10.5};
        const auto imp = parameterImportance({lr, units}, values, objectives);
        QCOMPARE(imp.size(), std::size_t{2});
        QCOMPARE(imp[0].eta2, 100.0 / 100.0625);
        QCOMPARE(imp[1].eta2, 0.0625 / 100.0625);
        QCOMPARE(imp[0].importance + imp[1].importance, 1.0);
        QVERIFY(imp[0].importance > 0.99);
        // no variance, or too few trials: nothing to attribute
        QCOMPARE(parameterImportance({lr, units}, values, {1, 1, 1, 1})[0].importance, 0.0);
        QCOMPARE(parameterImportance({lr, units}, {values[0], values[1]}, {1, 2})[0].eta2, 0.0);
    }

    // A continuous parameter in 5 bins of equal counts: a step in it is found, a noise one not.
    void importanceBinsContinuousRanges() {
        const std::vector<SearchParam> space{range("x", SearchParam::Kind::Uniform, 0, 1),
                                             range("noise", SearchParam::Kind::LogUniform, 1e-4, 1)};
        const std::vector<Assignment> values = randomTrials(space, 50, 11);
        std::vector<double> objectives;
        for (const Assignment& a : values) objectives.push_back(a[0].get<double>() > 0.5 ? 1.0 : 0.0);
        const auto imp = parameterImportance(space, values, objectives);
        QVERIFY2(imp[0].importance > 0.8, qPrintable(QString::number(imp[0].importance)));
        QVERIFY(imp[0].eta2 > 0.6);
    }

    void paretoFrontKeepsTheUndominated() {
        // x = parameters (smaller better), y = accuracy (larger better)
        const std::vector<ParetoPoint> p{{100, 0.80}, {200, 0.85}, {150, 0.79}, {300, 0.85},
                                         {50, 0.70},  {200, 0.85}, {400, 0.90}, {NAN, 0.99}};
        QCOMPARE(paretoFront(p, true, true), (std::vector<std::size_t>{4, 0, 1, 5, 6}));
        // both smaller better: a loss against seconds
        const std::vector<ParetoPoint> q{{1, 0.5}, {2, 0.4}, {3, 0.45}, {0.5, 0.9}};
        QCOMPARE(paretoFront(q, true, false), (std::vector<std::size_t>{3, 0, 1}));
        QVERIFY(paretoFront({}, true, true).empty());
    }
};

QTEST_APPLESS_MAIN(TestExperimentSearch)
#include "test_experiment_search.moc"
