// firstMistake (export/predictor.h), Try it's "Next mistake": against a brute-force scan of a
// trained model's predictions from several starts (wrapping at the end of the split, batches of
// 256 crossing it), -1 when every sample is right, cancellation between batches, and a split
// that does not fit the model refused.
#include <QtTest>

#include "core/error.h"
#include "export/export_source.h"
#include "export/predictor.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "support/test_env.h"
#include "train/trainer.h"

using namespace neurite;

class TestFirstMistake : public QObject {
    Q_OBJECT

private slots:
    void agreesWithABruteForceScan() {
        ProjectDocument p = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        p.training.device = "cpu";
        p.training.epochs = 2;  // a model that still gets some samples wrong
        RunSetup s = prepareRun(p);
        Trainer trainer(*s.model, s.data, p.training);
        TrainObserver quiet;
        StopToken stop;
        trainer.run(quiet, stop);
        const Preprocessing pre = preprocessingOf(s.data);
        const int classes = s.data.numClasses;
        // The training split: more than 256 samples, so batches cross the end of the split.
        DataSplit split = s.data.train;
        QVERIFY(split.count > 512);

        Predictor predictor(*s.model, pre, 1000);
        const std::vector<int> predicted =
            argmaxRows(probabilitiesOf(predictor.outputs(split.f32(), split.count), predictor.units()), classes);
        std::vector<int64_t> wrong;
        for (int64_t i = 0; i < split.count; ++i)
            if (predicted[std::size_t(i)] != split.labels[std::size_t(i)]) wrong.push_back(i);
        QVERIFY2(wrong.size() >= 3 && wrong.size() < std::size_t(split.count), qPrintable(QString::number(wrong.size())));

        auto brute = [&](int64_t start) {
            for (int64_t k = 0; k < split.count; ++k) {
                const int64_t i = (start + k) % split.count;
                if (predicted[std::size_t(i)] != split.labels[std::size_t(i)]) return i;
            }
            return int64_t{-1};
        };
        for (int64_t start : {int64_t{0}, wrong[1], wrong.back() + 1, split.count - 1, split.count - 100, split.count + 5})
            QCOMPARE(firstMistake(*s.model, pre, classes, split, start), brute(start % split.count));

        // Labels replaced by the predictions: nothing is wrong.
        DataSplit right = split;
        right.labels.assign(predicted.begin(), predicted.end());
        QCOMPARE(firstMistake(*s.model, pre, classes, right, 17), int64_t{-1});

        StopToken stopped;
        stopped.requestStop();
        try {
            firstMistake(*s.model, pre, classes, right, 0, &stopped);
            QFAIL("a stopped search went on");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }

        DataSplit cut = split;
        cut.bytes.resize(cut.bytes.size() - 4);
        try {
            firstMistake(*s.model, pre, classes, cut, 0);
            QFAIL("a split that does not fit the model was searched");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
        }
    }
};

QTEST_APPLESS_MAIN(TestFirstMistake)
#include "test_first_mistake.moc"
