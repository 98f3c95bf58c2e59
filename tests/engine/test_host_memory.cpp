// The host-memory figure the training-memory check compares with: MemAvailable, and what the
// process's cgroup limit leaves (v2 memory.max - memory.current, v1 memory.limit_in_bytes -
// memory.usage_in_bytes, inactive page cache counted as free), the smaller of them. Each row
// builds a fixture /proc + /sys/fs/cgroup tree; the real machine is never read.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "train/host_memory.h"

using namespace neurite;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// "relative/path=contents;..." into files under `root`.
void writeTree(const std::filesystem::path& root, const QString& spec) {
    for (const QString& entry : spec.split(';', Qt::SkipEmptyParts)) {
        const auto eq = entry.indexOf('=');
        const std::filesystem::path file = root / entry.left(eq).toStdString();
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << entry.mid(eq + 1).replace("\\n", "\n").toStdString();
    }
}

}  // namespace

class TestHostMemory : public QObject {
    Q_OBJECT

private slots:
    void meminfo() {
        const std::string text = "MemTotal:       24000000 kB\nMemFree:  1000 kB\n"
                                 "MemAvailable:   2048 kB\nBuffers: 1 kB\n";
        QCOMPARE(*memAvailableFromMeminfo(text), 2048.0 * 1024);
        QVERIFY(!memAvailableFromMeminfo("MemTotal: 1 kB\n").has_value());
        QVERIFY(!memAvailableFromMeminfo("").has_value());
    }

    void cgroupHeadroom_data() {
        QTest::addColumn<QString>("selfCgroup");
        QTest::addColumn<QString>("files");  // under the cgroup root
        QTest::addColumn<double>("expectedMiB");  // -1: no limit applies
        QTest::newRow("v2 limit") << "0::/user.slice/app.scope\n"
                                  << "user.slice/app.scope/memory.max=1073741824\\n;"
                                     "user.slice/app.scope/memory.current=268435456\\n"
                                  << 768.0;
        QTest::newRow("v2 inactive cache is free") << "0::/app\n"
                                                   << "app/memory.max=1073741824\\n;app/memory.current=536870912\\n;"
                                                      "app/memory.stat=anon 100\\ninactive_file 268435456\\nactive_file 5\\n"
                                                   << 768.0;
        QTest::newRow("v2 max is no limit") << "0::/app\n" << "app/memory.max=max\\n;app/memory.current=100\\n" << -1.0;
        QTest::newRow("v2 a parent's limit is lower")
            << "0::/outer/inner\n"
            << "outer/memory.max=536870912;outer/memory.current=268435456;"
               "outer/inner/memory.max=max;outer/inner/memory.current=100"
            << 256.0;
        QTest::newRow("v2 namespaced root") << "0::/\n" << "memory.max=209715200;memory.current=104857600" << 100.0;
        QTest::newRow("v2 path of another namespace falls back to the mount")
            << "0::/docker/abc\n" << "memory.max=209715200;memory.current=0" << 200.0;
        QTest::newRow("v2 usage above the limit") << "0::/a\n" << "a/memory.max=100;a/memory.current=500" << 0.0;
        QTest::newRow("v1 limit") << "12:pids:/x\n4:memory:/docker/abc\n1:name=systemd:/x\n"
                                  << "memory/docker/abc/memory.limit_in_bytes=536870912;"
                                     "memory/docker/abc/memory.usage_in_bytes=402653184;"
                                     "memory/docker/abc/memory.stat=cache 1\\ntotal_inactive_file 134217728\\n"
                                  << 256.0;
        QTest::newRow("v1 unlimited") << "4:memory:/\n"
                                      << "memory/memory.limit_in_bytes=9223372036854771712;"
                                         "memory/memory.usage_in_bytes=1000"
                                      << -1.0;
        QTest::newRow("v1 memory among other controllers") << "3:cpu,memory:/\n"
                                                           << "memory/memory.limit_in_bytes=104857600;"
                                                              "memory/memory.usage_in_bytes=0"
                                                           << 100.0;
        QTest::newRow("hybrid: the smaller of v1 and v2") << "4:memory:/\n0::/\n"
                                                          << "memory/memory.limit_in_bytes=104857600;"
                                                             "memory/memory.usage_in_bytes=0;"
                                                             "memory.max=52428800;memory.current=0"
                                                          << 50.0;
        QTest::newRow("no cgroup files") << "0::/gone\n" << "" << -1.0;
        QTest::newRow("unreadable numbers") << "0::/\n" << "memory.max=lots;memory.current=1" << -1.0;
        QTest::newRow("empty /proc/self/cgroup") << "" << "memory.max=100;memory.current=1" << -1.0;
        QTest::newRow("path escaping the root is ignored")
            << "0::/../../etc\n" << "memory.max=100;memory.current=1" << -1.0;
    }
    void cgroupHeadroom() {
        QFETCH(QString, selfCgroup);
        QFETCH(QString, files);
        QFETCH(double, expectedMiB);
        QTemporaryDir dir;
        const std::filesystem::path root = std::filesystem::path(dir.path().toStdString()) / "cgroup";
        std::filesystem::create_directories(root);
        writeTree(root, files);
        const std::optional<double> got = neurite::cgroupHeadroom(selfCgroup.toStdString(), root.string());
        if (expectedMiB < 0) {
            QVERIFY2(!got.has_value(), qPrintable(QString::number(got.value_or(0))));
        } else {
            QVERIFY(got.has_value());
            QCOMPARE(*got / kMiB, expectedMiB);
        }
    }

    // hostMemory takes the smaller of the two and says when the cgroup decided.
    void smallerOfMeminfoAndCgroup() {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        writeTree(root, "proc/meminfo=MemAvailable: 1048576 kB\\n;"  // 1 GiB
                        "proc/self_cgroup=0::/app\\n;"
                        "cgroup/app/memory.max=536870912;cgroup/app/memory.current=0");
        HostMemoryPaths paths{(root / "proc/meminfo").string(), (root / "proc/self_cgroup").string(),
                              (root / "cgroup").string()};
        HostMemory m = hostMemory(paths);
        QCOMPARE(m.bytes, 512 * kMiB);
        QVERIFY(m.cgroupLimited);

        writeTree(root, "cgroup/app/memory.max=4294967296");  // 4 GiB: MemAvailable is smaller
        m = hostMemory(paths);
        QCOMPARE(m.bytes, 1024 * kMiB);
        QVERIFY(!m.cgroupLimited);

        paths.selfCgroup = (root / "missing").string();  // no cgroup file: MemAvailable alone
        m = hostMemory(paths);
        QCOMPARE(m.bytes, 1024 * kMiB);
        QVERIFY(!m.cgroupLimited);
    }
};

QTEST_GUILESS_MAIN(TestHostMemory)
#include "test_host_memory.moc"
