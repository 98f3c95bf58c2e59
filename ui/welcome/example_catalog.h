// ExampleCatalog: the example projects the welcome page shows, read from examplesDir(). Each
// entry carries what its card needs: title and description from the file, the data source, the
// number of layers, and (filled in later, off the GUI thread, since it loads the data to bind
// "auto" sizes) the trainable parameter count.
#pragma once

#include <QList>
#include <QPalette>
#include <QPixmap>
#include <QString>

#include "io/project.h"

namespace neurite {

struct ExampleInfo {
    QString path;         // absolute path of the .neurite.json file
    QString title;        // the project's name, or the file name when it has none
    QString description;  // the project's description
    QString source;       // "builtin:iris"
    int layers = 0;
    QString error;        // why the file could not be read (the card says so)
    ProjectDocument document;
};

// Every *.neurite.json in `dir`, sorted by file name. A broken file is listed with its error.
QList<ExampleInfo> scanExamples(const QString& dir);

// "6 layers, 8,835 parameters", or why the parameters could not be counted. Loads the data
// (seconds for Fashion-MNIST): call it off the GUI thread.
QString modelSize(const ProjectDocument& doc);

// "1 layer", "6 layers".
QString layerCount(int n);

// The layer graph in miniature: each layer a block in its category's colour at its canvas
// position, edges as lines. A long chain is turned to follow the thumbnail's longer side.
QPixmap graphThumbnail(const ProjectDocument& doc, QSize size, const QPalette& palette);

}  // namespace neurite
