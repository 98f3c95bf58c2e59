// Running neurite-cli (its path is in NEURITE_CLI) from the cli test suites, and the files they
// work with.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "support/test_env.h"

namespace neurite::test {

struct Result {
    int code = -1;  // -1 when the process crashed or timed out
    QByteArray out, err;
};

inline Result runCli(const QStringList& args, int timeoutMs = 180000) {
    QProcess p;
    p.start(qEnvironmentVariable("NEURITE_CLI"), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// A bundled example project's path.
inline QString example(const char* name) {
    return QString::fromStdString(sourceDir()) + "/resources/examples/" + name;
}

// One JSON object per line of a command's output (--json).
inline QList<QJsonObject> jsonLines(const QByteArray& out) {
    QList<QJsonObject> lines;
    for (const QByteArray& l : out.trimmed().split('\n')) lines << QJsonDocument::fromJson(l).object();
    return lines;
}

inline QString writeFile(QTemporaryDir& dir, const char* name, const QByteArray& bytes) {
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return f.fileName();
}

}  // namespace neurite::test
