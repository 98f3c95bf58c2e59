// examplesDir(): the environment wins, then <exe>/../share/neurite/examples, then the source
// tree; a missing candidate is skipped, never returned.
#include <QtTest>

#include <QTemporaryDir>

#include <cstdlib>
#include <filesystem>

#include "core/paths.h"

using namespace neurite;
namespace fs = std::filesystem;

class TestPaths : public QObject {
    Q_OBJECT

private slots:
    void init() {
        QVERIFY(m_tmp.isValid());
        m_root = fs::path(m_tmp.path().toStdString());
        m_env = m_root / "env-examples";
        m_exeDir = m_root / "prefix" / "bin";
        m_installed = m_root / "prefix" / "share" / "neurite" / "examples";
        m_source = m_root / "src" / "resources" / "examples";
        for (const auto& d : {m_env, m_exeDir, m_installed, m_source})
            fs::create_directories(d);
    }
    void cleanup() { fs::remove_all(m_root); }

    void environmentFirst() { QCOMPARE(examplesDirFrom(m_env, m_exeDir, m_source), m_env); }

    void installedLayoutBeforeSourceTree() {
        QCOMPARE(examplesDirFrom({}, m_exeDir, m_source), m_installed);
        // An environment value naming no directory is skipped, not returned.
        QCOMPARE(examplesDirFrom(m_root / "nowhere", m_exeDir, m_source), m_installed);
    }

    void sourceTreeLast() {
        fs::remove_all(m_installed);
        QCOMPARE(examplesDirFrom({}, m_exeDir, m_source), m_source);
        fs::remove_all(m_source);
        QVERIFY(examplesDirFrom({}, m_exeDir, m_source).empty());
        QVERIFY(examplesDirFrom({}, {}, {}).empty());
    }

    void theRunningBuildFindsTheBundledSpiral() {
        // A test binary in build/bin has no share/ beside it: the source tree's examples.
        qunsetenv("NEURITE_EXAMPLES_DIR");
        QVERIFY(!executableDir().empty());
        QVERIFY(fs::exists(examplesDir() / "spiral.neurite.json"));
        qputenv("NEURITE_EXAMPLES_DIR", QByteArray::fromStdString(m_env.string()));
        QCOMPARE(examplesDir(), m_env);
        qunsetenv("NEURITE_EXAMPLES_DIR");
    }

private:
    QTemporaryDir m_tmp;
    fs::path m_root, m_env, m_exeDir, m_installed, m_source;
};

QTEST_APPLESS_MAIN(TestPaths)
#include "test_paths.moc"
