// Experiment search spaces (experiment/search_space.h): a grid holds every combination once, in
// order or in a seeded shuffle; random search draws a finite space without replacement and
// continuous ranges within their bounds (log-uniform evenly over the logarithm); the same seed
// gives the same trials; bad spaces are bad input naming the parameter.
#include <QtTest>

#include <cmath>
#include <set>

#include "core/error.h"
#include "experiment/search_space.h"

using namespace neurite;
using nlohmann::json;

namespace {

SearchParam choice(const std::string& path, std::vector<json> values) {
    SearchParam p;
    p.path = path;
    p.values = std::move(values);
    return p;
}
SearchParam range(const std::string& path, SearchParam::Kind kind, double low, double high) {
    SearchParam p;
    p.path = path;
    p.kind = kind;
    p.low = low;
    p.high = high;
    return p;
}

std::string key(const Assignment& a) { return json(a).dump(); }

template <class F> QString badInput(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::BadInput ? QString::fromUtf8(e.what()) : QString("wrong kind: ") + e.what();
    }
    return "no error";
}

}  // namespace

class TestSearchSpace : public QObject {
    Q_OBJECT
private slots:
    void gridHoldsEveryCombinationOnce() {
        // The classic grid: learning rate x batch size, plus an integer range.
        const std::vector<SearchParam> space{choice("training.optimizer.lr", {1e-4, 1e-3, 1e-2}),
                                           choice("training.batch_size", {16, 32, 64}),
                                           range("model.nodes.fc1.params.units", SearchParam::Kind::Integer, 8, 9)};
        const auto grid = gridTrials(space, false, 0);
        QCOMPARE(grid.size(), std::size_t{18});
        QCOMPARE(key(grid.front()), std::string("[0.0001,16,8]"));  // the first parameter slowest
        QCOMPARE(key(grid[1]), std::string("[0.0001,16,9]"));
        QCOMPARE(key(grid.back()), std::string("[0.01,64,9]"));
        std::set<std::string> seen;
        for (const auto& a : grid) seen.insert(key(a));
        QCOMPARE(seen.size(), grid.size());

        const auto shuffled = gridTrials(space, true, 5);
        std::set<std::string> same;
        for (const auto& a : shuffled) same.insert(key(a));
        QCOMPARE(same, seen);                                   // a permutation
        QVERIFY(key(shuffled.front()) != key(grid.front()) || key(shuffled[1]) != key(grid[1]));
        QCOMPARE(json(gridTrials(space, true, 5)).dump(), json(shuffled).dump());  // fixed by the seed
        QVERIFY(json(gridTrials(space, true, 6)).dump() != json(shuffled).dump());
    }

    void randomDrawsAFiniteSpaceWithoutReplacement() {
        const std::vector<SearchParam> space{choice("training.optimizer.type", {"sgd", "adam"}),
                                           choice("training.batch_size", {16, 32, 64})};
        for (int count : {4, 6, 10}) {
            const auto trials = randomTrials(space, count, 11);
            QCOMPARE(trials.size(), std::size_t(std::min(count, 6)));
            std::set<std::string> seen;
            for (const auto& a : trials) seen.insert(key(a));
            QCOMPARE(seen.size(), trials.size());
        }
        // A large finite space takes the rejection path; still distinct.
        std::vector<json> many;
        for (int i = 0; i < 1000; ++i) many.push_back(i);
        const auto big = randomTrials({choice("a", many), choice("b", many)}, 500, 3);
        std::set<std::string> seen;
        for (const auto& a : big) seen.insert(key(a));
        QCOMPARE(seen.size(), std::size_t{500});
        QCOMPARE(json(randomTrials(space, 4, 11)).dump(), json(randomTrials(space, 4, 11)).dump());
    }

    void randomDrawsContinuousRangesWithinBounds() {
        const std::vector<SearchParam> space{range("training.optimizer.lr", SearchParam::Kind::LogUniform, 1e-5, 1e-1),
                                           range("model.nodes.drop.params.rate", SearchParam::Kind::Uniform, 0.0, 0.5),
                                           range("model.nodes.fc.params.units", SearchParam::Kind::Integer, 16, 20)};
        const auto trials = randomTrials(space, 4000, 1);
        QCOMPARE(trials.size(), std::size_t{4000});
        double logSum = 0, rateSum = 0;
        std::set<int64_t> units;
        for (const auto& a : trials) {
            const double lr = a[0].get<double>(), rate = a[1].get<double>();
            const int64_t u = a[2].get<int64_t>();
            QVERIFY(lr >= 1e-5 && lr < 1e-1);
            QVERIFY(rate >= 0 && rate < 0.5);
            QVERIFY(u >= 16 && u <= 20);
            logSum += std::log10(lr);
            rateSum += rate;
            units.insert(u);
        }
        // Log-uniform: the mean exponent is the middle one (-3), not the arithmetic middle's (-1.3).
        QVERIFY2(std::fabs(logSum / 4000 + 3) < 0.1, qPrintable(QString::number(logSum / 4000)));
        QVERIFY(std::fabs(rateSum / 4000 - 0.25) < 0.02);
        QCOMPARE(units.size(), std::size_t{5});  // both ends included
    }

    void badSpacesNameTheParameter() {
        QString e = badInput([] { gridTrials({choice("training.batch_size", {})}, false, 0); });
        QVERIFY2(e.contains("\"training.batch_size\"") && e.contains("no values"), qPrintable(e));
        e = badInput([] { gridTrials({choice("training.batch_size", {16, 16})}, false, 0); });
        QVERIFY2(e.contains("repeats 16"), qPrintable(e));
        e = badInput([] { randomTrials({range("training.optimizer.lr", SearchParam::Kind::LogUniform, 0, 1)}, 3, 0); });
        QVERIFY2(e.contains("above 0"), qPrintable(e));
        e = badInput([] { randomTrials({range("x", SearchParam::Kind::Uniform, 1, 1)}, 3, 0); });
        QVERIFY2(e.contains("empty"), qPrintable(e));
        e = badInput([] { randomTrials({range("x", SearchParam::Kind::Integer, 1.5, 3)}, 3, 0); });
        QVERIFY2(e.contains("whole numbers"), qPrintable(e));
        e = badInput([] { gridTrials({range("training.optimizer.lr", SearchParam::Kind::Uniform, 0.1, 1)}, false, 0); });
        QVERIFY2(e.contains("a grid needs values"), qPrintable(e));
        e = badInput([] { gridTrials({choice("x", {1, 2}), choice("x", {3})}, false, 0); });
        QVERIFY2(e.contains("appears twice"), qPrintable(e));
        std::vector<json> many;
        for (int i = 0; i < 1000; ++i) many.push_back(i);
        e = badInput([&] { gridTrials({choice("a", many), choice("b", many)}, false, 0); });
        QVERIFY2(e.contains("more than 100000 combinations"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestSearchSpace)
#include "test_search_space.moc"
