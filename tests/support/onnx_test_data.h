// What the ONNX tests share (test_onnx_import, test_onnx_run): the Python scripts of
// tests/support run under Debian's /usr/bin/python3 (torch, onnx), and the raw float32 files
// and "2,3,16,16" dimension lists they write.
#pragma once

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

#include "core/shape.h"

namespace neurite::test {

inline constexpr const char* kPython = "/usr/bin/python3";

// Runs tests/support/SCRIPT with `args`; "" when it succeeded, else why not (its output).
QString runScript(const QString& script, const QStringList& args);
// A file of little-endian float32 values.
std::vector<float> readFloats(const std::string& path);
// "2,3,16,16" as a shape.
Shape dims(const QString& text);
// numpy's allclose(got, want, rtol, atol, equal_nan=True), as ONNX's test cases are judged; false
// when the sizes differ.
bool allClose(const std::vector<float>& got, const std::vector<float>& want, double rtol, double atol);

}  // namespace neurite::test
