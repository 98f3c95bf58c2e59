// ModelAnalysis: what the engine says about a project once its data is known (output shape and
// parameters per layer, totals, problems). Computed off the GUI thread: loading data takes time.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include "io/project.h"

namespace neurite {

struct ModelAnalysis {
    QMap<QString, QString> shapes;   // node id -> "[N,32,28,28]"
    QMap<QString, qint64> params;    // node id -> trainable parameters
    qint64 totalParams = 0;
    double flopsPerSample = 0;
    QString data;                    // "54000 train, 6000 validation, 10000 test"
    QString error;                   // non-empty when the project cannot be built
    QStringList warnings;
};

// Runs prepareRun() and summarizes it; never throws.
ModelAnalysis analyzeProject(const ProjectDocument& doc);

}  // namespace neurite
