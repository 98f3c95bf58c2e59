// writeFileAtomic (core/file_write.h), the one writer of projects and exported models: the file is
// replaced whole, nothing is left beside it, and a write that fails leaves the old file as it was
// and says which path failed and why (Error{Io}).
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/file_write.h"

using namespace neurite;

namespace {

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

QString ioError(const std::string& path, const std::string& text) {
    try {
        writeFileAtomic(path, text.data(), text.size());
    } catch (const Error& e) {
        return e.kind() == ErrorKind::Io ? QString::fromUtf8(e.what()) : QString("wrong kind: ") + e.what();
    }
    return "no error";
}

}  // namespace

class TestFileWrite : public QObject {
    Q_OBJECT
private slots:
    void replacesWholeAndLeavesNothingBeside() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.onnx").toStdString();
        const std::string big(3 << 20, 'x');
        writeFileAtomic(path, big.data(), big.size());
        QCOMPARE(contents(path).size(), big.size());
        writeFileAtomic(path, "short", 5);
        QCOMPARE(contents(path), std::string("short"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"model.onnx"});
        writeFileAtomic(path, "", 0);
        QCOMPARE(contents(path), std::string());
    }

    void aFailedWriteKeepsTheOldFile() {
        QTemporaryDir dir;
        const std::string missingDir = dir.filePath("no/such/dir/p.neurite.json").toStdString();
        QString e = ioError(missingDir, "{}");
        QVERIFY2(e.startsWith("cannot write " + QString::fromStdString(missingDir)) && e.contains("No such file"), qPrintable(e));

        // The target is a directory: the rename fails, the directory and its file stay, and the
        // temporary file is gone.
        const std::string target = dir.filePath("taken").toStdString();
        std::filesystem::create_directory(target);
        writeFileAtomic(target + "/inside", "keep", 4);
        e = ioError(target, "new");
        QVERIFY2(e.startsWith("cannot write " + QString::fromStdString(target)), qPrintable(e));
        QVERIFY(std::filesystem::is_directory(target));
        QCOMPARE(contents(target + "/inside"), std::string("keep"));
        QVERIFY(!std::filesystem::exists(target + ".tmp"));
    }
};

QTEST_APPLESS_MAIN(TestFileWrite)
#include "test_file_write.moc"
