#include "distillation_teacher.h"

#include <filesystem>

#include "core/error.h"
#include "devices/device_registry.h"
#include "export/native_model.h"
#include "export/teacher.h"
#include "run_model.h"
#include "run_store.h"

namespace neurite::storage {

std::vector<float> distillationTeacher(const ProjectDocument& project, const Dataset& student,
                                       const std::string& dbPath) {
    const std::string& spec = project.training.distillation.teacher;
    if (spec.rfind("run:", 0) == 0) {
        const std::string digits = spec.substr(4);
        if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos)
            throwBadInput("training.distillation.teacher: expected run:ID (a stored run's id) or a .nmodel file, got '" +
                          spec + "'");
        const int64_t id = std::stoll(digits);
        if (dbPath.empty())
            throwBadInput("training.distillation.teacher: " + spec + " is a stored run, but runs are not recorded here; "
                          "record runs, or export the teacher as a .nmodel file");
        RunStore store(dbPath, RunStore::Mode::ReadOnly);
        RunSetup teacher = loadRunModelFinalElseBest(store, id);
        return teacherLogits(exportSourceOf(teacher), student, "run " + digits);
    }
    std::filesystem::path path(spec);
    if (!path.is_absolute() && !project.folder.empty()) path = std::filesystem::path(project.folder) / path;
    const std::string file = path.lexically_normal().string();
    const std::string projectSuffix = ".neurite.json";
    if (file.size() > projectSuffix.size() && file.compare(file.size() - projectSuffix.size(), projectSuffix.size(), projectSuffix) == 0) {
        // A project with its starting weights (model.weights): what `neurite-cli import` makes of
        // an ONNX model, with its own data for its preprocessing and classes.
        std::vector<std::string> warnings;
        RunSetup teacher = prepareRun(loadProject(file, &warnings));
        if (teacher.project.weights.empty())
            throwBadInput("training.distillation.teacher: the project " + spec +
                          " has no starting weights (model.weights), so it would teach with random ones; "
                          "use a trained run (run:ID) or a model file");
        return teacherLogits(exportSourceOf(teacher), student, spec);
    }
    NativeModel teacher = loadNativeModel(file, backendFor("cpu"));
    return teacherLogits(teacher.source(), student, spec);
}

}  // namespace neurite::storage
