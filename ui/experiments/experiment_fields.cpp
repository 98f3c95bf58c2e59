#include "experiment_fields.h"

#include <QObject>

#include <functional>

#include "experiment/objective.h"
#include "io/json_text.h"
#include "layers/registry.h"
#include "number_field.h"

namespace neurite {

namespace {

using nlohmann::json;
using Kind = SearchParam::Kind;

// The value at a dotted path of `j`, or null.
json at(const json& j, const std::string& dotted) {
    const json* cur = &j;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        const std::size_t dot = dotted.find('.', start);
        const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(key)) return nullptr;
        cur = &(*cur)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *cur;
}

QString num(double v) { return QString::number(v, 'g', 6); }
// Every digit it takes to read back the same double.
QString exact(double v) { return NumberField::shortest(v, NumberField::Storage::Double); }

// A training setting: its current value (or the format's default) shapes the suggestion.
FieldChoice training(const json& project, const char* path, const QString& label, Kind kind,
                     const std::function<QString(const json&)>& suggest) {
    return {QString::fromLatin1(path), label, kind, suggest(at(project, path))};
}

double numberOr(const json& v, double fallback) { return v.is_number() ? v.get<double>() : fallback; }

QString valueText(const ParamValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return QString::fromStdString(*s);
    return QString::fromStdString(toString(v));
}

}  // namespace

std::vector<FieldChoice> experimentFields(const json& project) {
    std::vector<FieldChoice> out;
    const auto same = [](double fallback) {
        return [fallback](const json& v) { return num(numberOr(v, fallback)); };
    };
    out.push_back(training(project, "training.optimizer.lr", QObject::tr("Learning rate"), Kind::Choice,
                           [](const json& v) {
                               const double lr = numberOr(v, 1e-3);
                               return QStringLiteral("%1, %2, %3").arg(num(lr / 10), num(lr), num(lr * 10));
                           }));
    out.push_back(training(project, "training.batch_size", QObject::tr("Batch size"), Kind::Choice,
                           [](const json& v) {
                               const int b = static_cast<int>(numberOr(v, 64));
                               return QStringLiteral("%1, %2, %3").arg(std::max(1, b / 2)).arg(b).arg(b * 2);
                           }));
    out.push_back(training(project, "training.epochs", QObject::tr("Epochs"), Kind::Choice, same(10)));
    out.push_back(training(project, "training.optimizer.type", QObject::tr("Optimizer"), Kind::Choice,
                           [](const json&) { return QStringLiteral("adam, sgd, adamw, rmsprop"); }));
    out.push_back(training(project, "training.optimizer.weight_decay", QObject::tr("Weight decay"),
                           Kind::LogUniform, [](const json&) { return QStringLiteral("1e-06, 0.01"); }));
    out.push_back(training(project, "training.optimizer.momentum", QObject::tr("Momentum (sgd, rmsprop)"),
                           Kind::Choice, [](const json&) { return QStringLiteral("0, 0.9"); }));
    out.push_back(training(project, "training.regularization.l2", QObject::tr("L2 penalty"), Kind::LogUniform,
                           [](const json&) { return QStringLiteral("1e-06, 0.01"); }));
    out.push_back(training(project, "training.regularization.l1", QObject::tr("L1 penalty"), Kind::LogUniform,
                           [](const json&) { return QStringLiteral("1e-06, 0.01"); }));
    out.push_back(training(project, "training.loss.label_smoothing", QObject::tr("Label smoothing"), Kind::Choice,
                           [](const json&) { return QStringLiteral("0, 0.1"); }));
    out.push_back(training(project, "training.clip_norm", QObject::tr("Gradient clipping norm"), Kind::Choice,
                           [](const json&) { return QStringLiteral("0, 1"); }));
    out.push_back(training(project, "training.schedule.type", QObject::tr("Learning-rate schedule"), Kind::Choice,
                           [](const json&) { return QStringLiteral("constant, cosine"); }));
    out.push_back(training(project, "data.validation_split", QObject::tr("Validation split"), Kind::Choice, same(0.2)));

    const json nodes = at(project, "model.nodes");
    if (!nodes.is_array()) return out;
    for (const json& node : nodes) {
        if (!node.is_object() || !node.value("id", json()).is_string() || !node.value("op", json()).is_string())
            continue;
        const std::string id = node["id"].get<std::string>(), op = node["op"].get<std::string>();
        const LayerType* type = findLayerType(op);
        if (!type || type->dataInput) continue;
        const json params = node.value("params", json::object());
        for (const ParamSchema& s : type->params) {
            if (s.type == ParamType::IntList) continue;
            const json given = params.is_object() && params.contains(s.name) ? params[s.name] : json();
            if (given.is_string() && given.get<std::string>() == "auto") continue;  // bound from the data
            if (given.is_null() && s.allowAuto() && std::holds_alternative<std::string>(s.defaultValue)) continue;
            FieldChoice f;
            f.path = QString::fromStdString("model.nodes[" + id + "].params." + s.name);
            f.label = QStringLiteral("%1 (%2): %3").arg(QString::fromStdString(id), QString::fromStdString(op),
                                                        QString::fromStdString(s.name));
            f.kind = Kind::Choice;
            if (s.type == ParamType::Choice) {
                QStringList all;
                for (const std::string& c : s.choices) all << QString::fromStdString(c);
                f.text = all.join(QStringLiteral(", "));
            } else if (s.type == ParamType::Bool) {
                f.text = QStringLiteral("false, true");
            } else {
                f.text = given.is_null() ? valueText(s.defaultValue) : valueListText({given});
            }
            out.push_back(f);
        }
    }
    return out;
}

QStringList objectiveMetrics() {
    QStringList out;
    for (const std::string& m : metricNames()) out << QString::fromStdString(m);
    return out;
}

QStringList kindNames() {
    return {QObject::tr("values"), QObject::tr("uniform"), QObject::tr("log-uniform"), QObject::tr("integer")};
}

std::vector<json> parseValueList(const QString& text) {
    QStringList items;
    QString cur;
    int depth = 0;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '[' || c == '{')) ++depth;
        if (!quoted && (c == ']' || c == '}')) --depth;
        if (c == ',' && depth <= 0 && !quoted) {
            items << cur;
            cur.clear();
        } else {
            cur += c;
        }
    }
    items << cur;
    std::vector<json> out;
    for (QString item : items) {
        item = item.trimmed();
        if (item.isEmpty()) continue;
        try {
            out.push_back(io::parseJson(item.toStdString(), "value"));
            continue;
        } catch (const std::exception&) {
        }
        bool ok = false;
        const double v = item.toDouble(&ok);
        out.push_back(ok ? json(v) : json(item.toStdString()));
    }
    return out;
}

QString valueListText(const std::vector<json>& values) {
    QStringList parts;
    for (const json& v : values) {
        if (v.is_string()) {
            const QString s = QString::fromStdString(v.get<std::string>());
            // Unquoted only when it reads back as the same string.
            const std::vector<json> back = parseValueList(s);
            parts << (back.size() == 1 && back[0] == v ? s : QString::fromStdString(io::dumpJson(v)));
        } else if (v.is_number_float()) {
            parts << exact(v.get<double>());
        } else {
            parts << QString::fromStdString(io::dumpJson(v));
        }
    }
    return parts.join(QStringLiteral(", "));
}

std::optional<std::pair<double, double>> parseRange(const QString& text) {
    const std::vector<json> v = parseValueList(text);
    if (v.size() != 2 || !v[0].is_number() || !v[1].is_number()) return std::nullopt;
    return std::make_pair(v[0].get<double>(), v[1].get<double>());
}

QString rangeText(double low, double high) { return exact(low) + QStringLiteral(", ") + exact(high); }

QString shortFieldName(const QString& path) {
    static const QString nodes = QStringLiteral("model.nodes[");
    const int close = path.indexOf(']');
    if (path.startsWith(nodes) && close > nodes.size())
        return path.mid(nodes.size(), close - nodes.size()) + '.' + path.section('.', -1);
    return path.section('.', -1);
}

}  // namespace neurite
