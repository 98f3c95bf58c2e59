// The ONNX tests' shared helpers (onnx_test_data.h).
#include "support/onnx_test_data.h"

#include <QProcess>

#include <cmath>
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

bool allClose(const std::vector<float>& got, const std::vector<float>& want, double rtol, double atol) {
    if (got.size() != want.size()) return false;
    for (std::size_t k = 0; k < got.size(); ++k)
        if (!(std::fabs(double(got[k]) - want[k]) <= atol + rtol * std::fabs(double(want[k]))) &&
            !(std::isnan(got[k]) && std::isnan(want[k])))
            return false;
    return true;
}

}  // namespace neurite::test
