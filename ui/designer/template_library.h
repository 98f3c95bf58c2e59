// The template gallery: starting networks that open as a new project in one click. Templates
// use "auto" input shapes and output units, so they fit whatever data the project names.
#pragma once

#include <QString>
#include <vector>

#include "io/project.h"

namespace neurite {

struct ProjectTemplate {
    QString name;         // "LeNet-5"
    QString description;  // one sentence for the gallery
    ProjectDocument document;
};

// Every template, laid out top to bottom, each resolving without errors against its data.
std::vector<ProjectTemplate> projectTemplates();

}  // namespace neurite
