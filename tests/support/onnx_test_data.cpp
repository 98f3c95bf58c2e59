// The ONNX tests' shared helpers (onnx_test_data.h).
#include "support/onnx_test_data.h"

#include <QProcess>

#include <cstring>

#include "core/file_read.h"
#include "support/test_env.h"

namespace neurite::test {

QString runScript(const QString& script, const QStringList& args) {
    QProcess run;
    run.setProcessChannelMode(QProcess::MergedChannels);
    run.start(kPython, QStringList{QString::fromStdString(sourceDir()) + "/tests/support/" + script} + args);
    if (!run.waitForFinished(600000)) return script + " timed out";
    if (run.exitStatus() != QProcess::NormalExit || run.exitCode() != 0)
        return script + " failed:\n" + QString::fromUtf8(run.readAll());
    return {};
}

std::vector<float> readFloats(const std::string& path) {
    const std::vector<uint8_t> bytes = readRegularFileBytes(path, int64_t{1} << 30, "test data");
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), v.size() * 4);
    return v;
}

Shape dims(const QString& text) {
    std::vector<int64_t> d;
    for (const QString& part : text.split(',')) d.push_back(part.toLongLong());
    return Shape(d.begin(), d.end());
}

}  // namespace neurite::test
