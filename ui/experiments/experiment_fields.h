// What an experiment can vary in a project, for the definition builder: the training settings
// that make sense to sweep and every numeric or choice parameter of every layer of the project's
// graph (`model.nodes[ID].params.NAME`, from the layer registry), each with a suggested kind and
// values from the project's current value. Also the objective metrics (experiment/objective.h)
// and the text form of values and ranges the builder's table edits.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/search_space.h"

namespace neurite {

struct FieldChoice {
    QString path;   // "training.optimizer.lr"
    QString label;  // "Learning rate" or "fc1 (Dense): units"
    SearchParam::Kind kind = SearchParam::Kind::Choice;  // suggested
    QString text;   // suggested values or range, as the table shows them
};

// The fields of `project` (a project file's JSON): training settings first, then the layers in
// graph order. Nodes of unknown types are skipped (the reader reports them).
std::vector<FieldChoice> experimentFields(const nlohmann::json& project);

// Every objective metric name, val_* before test_* (objective.h's list, test_* spelled out).
QStringList objectiveMetrics();

// "values", "uniform", "log-uniform", "integer" (the table's kind column, in Kind order).
QStringList kindNames();

// "0.001, 0.01" / "adam, sgd" / "[3, 3], [5, 5]": values separated by commas outside brackets;
// each is JSON when it parses as JSON (numbers, true, lists, "quoted"), a number when it reads as
// one (".5"), else a string. Empty items are dropped.
std::vector<nlohmann::json> parseValueList(const QString& text);
// The inverse: strings unquoted unless they hold a comma or would read back as something else.
QString valueListText(const std::vector<nlohmann::json>& values);
// "low, high" as two numbers; nullopt when it is not exactly two numbers.
std::optional<std::pair<double, double>> parseRange(const QString& text);
QString rangeText(double low, double high);
// A column title for a path: "lr" for training.optimizer.lr, "fc1.units" for a layer parameter.
QString shortFieldName(const QString& path);

}  // namespace neurite
