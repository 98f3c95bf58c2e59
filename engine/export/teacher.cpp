#include "export/teacher.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "export/predictor.h"

namespace neurite {

namespace {

std::string listOf(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t k = 0; k < names.size() && k < 12; ++k) s += (k ? ", " : "") + names[k];
    if (names.size() > 12) s += ", ... (" + std::to_string(names.size()) + " in all)";
    return s;
}

}  // namespace

std::vector<float> teacherLogits(const ExportSource& teacher, const Dataset& student,
                                 const std::string& teacherName) {
    const std::vector<std::string> classes = classNamesOf(student);
    if (teacher.classNames.empty())
        throwBadInput("training.distillation: the teacher " + teacherName +
                      " is a regression model; distillation needs a classifier trained on the student's classes");
    if (teacher.classNames != classes)
        throwBadInput("training.distillation: the teacher " + teacherName + "'s classes (" + listOf(teacher.classNames) +
                      ") differ from the student's (" + listOf(classes) +
                      "); distill from a model trained on the same classes, in the same order");
    const Shape sample = sampleShapeOf(teacher.model);
    if (sample != student.sampleShape)
        throwBadInput("training.distillation: the teacher " + teacherName + " takes samples of shape " + sample.str() +
                      " but the student's data gives " + student.sampleShape.str());
    const bool probabilities = !teacher.project.nodes.empty() && [&] {
        for (const Node& n : teacher.project.nodes)
            if (n.id == teacher.project.output || (teacher.project.output.empty() && &n == &teacher.project.nodes.back()))
                return n.op == "Softmax";
        return false;
    }();
    Predictor predictor(teacher.model, teacher.preprocessing);
    const DataSplit& train = student.train;
    const int64_t per = student.sampleShape.numel(), classCount = static_cast<int64_t>(classes.size());
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(train.count * classCount));
    std::vector<float> raw;
    const int64_t chunk = 1024;
    for (int64_t start = 0; start < train.count; start += chunk) {
        const int64_t n = std::min(chunk, train.count - start);
        raw.resize(static_cast<std::size_t>(n * per));
        for (std::size_t k = 0; k < raw.size(); ++k) raw[k] = train.value(static_cast<std::size_t>(start * per) + k);
        const std::vector<float> y = predictor.outputs(raw.data(), n);
        for (float v : y) out.push_back(probabilities ? std::log(std::max(v, 1e-30f)) : v);
    }
    return out;
}

}  // namespace neurite
