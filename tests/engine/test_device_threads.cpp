// The device threading contract (engine/backend/backend.h, "Threads"), through
// checkConcurrentJobs (export/concurrency_check.h): a training run, an int8 export and Try it's
// predictions at once on one device's backend give, bit for bit, what they give one after
// another. With a GPU the same check covers the CUDA backend's serialization (a lock per call);
// `neurite-cli selftest --device cuda` runs it on the GPU machine, which has no Qt.
#include <QtTest>

#include "core/error.h"
#include "export/concurrency_check.h"

using namespace neurite;

class TestDeviceThreads : public QObject {
    Q_OBJECT

private slots:
    void concurrentJobsEqualSequentialOnes_data() {
        QTest::addColumn<QString>("device");
        QTest::newRow("cpu") << "cpu";
        QTest::newRow("cuda") << "cuda";
    }
    void concurrentJobsEqualSequentialOnes() {
        QFETCH(QString, device);
        ConcurrencyReport r;
        try {
            r = checkConcurrentJobs(device.toStdString());
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Unsupported) throw;
            QSKIP(qPrintable(QString("no %1 device here: %2").arg(device, e.what())));
        }
        qInfo("while the run trained: %d int8 exports, %d prediction passes", r.exports, r.predictions);
        QVERIFY2(r.pass, r.problem.c_str());
    }
};

QTEST_APPLESS_MAIN(TestDeviceThreads)
#include "test_device_threads.moc"
