#include "run_data.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace neurite::ui {

namespace {

QJsonObject parseObject(const std::string& json) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::vector<double> numbers(const QJsonValue& v) {
    std::vector<double> out;
    for (const QJsonValue& x : v.toArray()) out.push_back(x.toDouble());
    return out;
}

QString scalarText(const QJsonValue& v) {
    if (v.isString()) return v.toString();
    if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull() || v.isUndefined()) return QStringLiteral("null");
    if (v.isDouble()) return QString::number(v.toDouble(), 'g', 8);
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

}  // namespace

QString runLabel(const storage::RunSummary& run) {
    return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.name));
}

QStringList distinguishingSettings(const std::vector<QMap<QString, QString>>& settings, int most) {
    QStringList out;
    for (std::size_t i = 0; i < settings.size(); ++i) out << QString();
    if (settings.size() < 2) return out;
    // Keys that differ between any two runs; the ones people tune first, then the rest by name.
    static const QStringList first = {"training.optimizer.lr", "training.optimizer.type", "training.batch_size",
                                      "training.epochs", "data.source", "training.seed"};
    QStringList keys;
    for (const auto& m : settings)
        for (auto it = m.begin(); it != m.end(); ++it)
            if (!keys.contains(it.key())) keys << it.key();
    QStringList differing;
    for (const QString& k : keys) {
        const QString v = settings.front().value(k);
        if (std::any_of(settings.begin(), settings.end(), [&](const auto& m) { return m.value(k) != v; }))
            differing << k;
    }
    std::stable_sort(differing.begin(), differing.end(), [&](const QString& a, const QString& b) {
        const auto rank = [&](const QString& k) { return first.contains(k) ? first.indexOf(k) : int(first.size()); };
        return rank(a) < rank(b);
    });
    differing = differing.mid(0, most);
    const auto shortName = [](const QString& key) {
        if (key == "training.optimizer.lr") return QStringLiteral("lr");
        if (key == "training.batch_size") return QStringLiteral("batch");
        if (key == "data.source") return QStringLiteral("data");
        return key.section(QLatin1Char('.'), -1);
    };
    for (std::size_t i = 0; i < settings.size(); ++i) {
        QStringList parts;
        for (const QString& k : differing) {
            QString v = settings[i].value(k, QStringLiteral("-"));
            if (k == "data.source") v = v.section(QLatin1Char('?'), 0, 0);
            parts << (k == "training.optimizer.type" ? v : shortName(k) + QLatin1Char(' ') + v);
        }
        out[static_cast<qsizetype>(i)] = parts.join(QStringLiteral(", "));
    }
    return out;
}

RunSeries makeSeries(const storage::RunDetails& run) {
    RunSeries s;
    s.id = run.id;
    s.label = s.legend = runLabel(run);
    const QMap<QString, QString> settings = flatSettings(run.settingsJson);
    const double batch = settings.value(QStringLiteral("training.batch_size")).toDouble();
    const double train = parseObject(run.dataJson).value(QStringLiteral("train")).toDouble();
    double steps = batch > 0 && train > 0 ? std::ceil(train / batch) : 1;
    const double maxSteps = settings.value(QStringLiteral("training.max_steps")).toDouble();
    if (maxSteps > 0) steps = std::min(steps, maxSteps);
    s.stepsPerEpoch = std::max(steps, 1.0);
    return s;
}

int64_t loadNew(storage::RunStore& store, RunSeries& s) {
    int64_t added = 0;
    for (const storage::StepPoint& p : store.steps(s.id, s.lastStep)) {
        s.stepX.push_back(static_cast<double>(p.step) / s.stepsPerEpoch);
        s.stepLoss.push_back(p.loss);
        s.stepLr.push_back(p.lr);
        s.lastStep = p.step;
        ++added;
    }
    for (const storage::EpochRecord& e : store.epochs(s.id, s.lastEpoch)) {
        s.epochX.push_back(e.epoch);
        s.trainLoss.push_back(e.trainLoss);
        s.trainAcc.push_back(e.trainAccuracy);
        s.valLoss.push_back(e.valLoss.value_or(std::nan("")));
        s.valAcc.push_back(e.valAccuracy.value_or(std::nan("")));
        s.lastEpoch = e.epoch;
        ++added;
    }
    return added;
}

std::optional<EvaluationPlots> parseEvaluation(const std::string& reportJson, const QString& split) {
    const QJsonObject j = parseObject(reportJson);
    if (j.isEmpty()) return std::nullopt;
    EvaluationPlots out;
    out.split = split;
    for (const QJsonValue& v : j.value(QStringLiteral("roc")).toArray()) {
        const QJsonObject r = v.toObject();
        out.roc.push_back({r.value(QStringLiteral("class")).toString(), numbers(r.value(QStringLiteral("fpr"))),
                           numbers(r.value(QStringLiteral("tpr"))), r.value(QStringLiteral("auc")).toDouble()});
    }
    for (const QJsonValue& v : j.value(QStringLiteral("pr")).toArray()) {
        const QJsonObject r = v.toObject();
        out.pr.push_back({r.value(QStringLiteral("class")).toString(), numbers(r.value(QStringLiteral("recall"))),
                          numbers(r.value(QStringLiteral("precision"))),
                          r.value(QStringLiteral("average_precision")).toDouble()});
    }
    const QJsonObject cm = j.value(QStringLiteral("confusion_matrix")).toObject();
    for (const QJsonValue& c : cm.value(QStringLiteral("classes")).toArray()) out.confusion.classes << c.toString();
    for (const QJsonValue& row : cm.value(QStringLiteral("counts")).toArray())
        for (const QJsonValue& c : row.toArray()) out.confusion.counts.push_back(static_cast<int64_t>(c.toDouble()));
    return out;
}

std::optional<EvaluationPlots> finalEvaluation(storage::RunStore& store, int64_t id) {
    const std::vector<storage::EvaluationRecord> evals = store.evaluations(id);
    for (const char* split : {"test", "validation"})
        for (const auto& e : evals)
            if (e.split == split) return parseEvaluation(e.reportJson, QString::fromLatin1(split));
    const std::vector<storage::EpochRecord> epochs = store.epochs(id);
    for (auto it = epochs.rbegin(); it != epochs.rend(); ++it)
        if (!it->metricsJson.empty())
            return parseEvaluation(it->metricsJson, QStringLiteral("validation (epoch %1)").arg(it->epoch));
    return std::nullopt;
}

QMap<QString, QString> flatSettings(const std::string& settingsJson) {
    QMap<QString, QString> out;
    const QJsonObject j = parseObject(settingsJson);
    for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key(), scalarText(it.value()));
    return out;
}

QStringList networkDiff(const std::string& projectA, const std::string& projectB) {
    auto nodes = [](const std::string& project) {
        QMap<QString, QJsonObject> byId;
        const QJsonObject model = parseObject(project).value(QStringLiteral("model")).toObject();
        for (const QJsonValue& n : model.value(QStringLiteral("nodes")).toArray()) {
            QJsonObject o = n.toObject();
            o.remove(QStringLiteral("position"));  // moving a block changes nothing
            o.remove(QStringLiteral("ui"));
            byId.insert(o.value(QStringLiteral("id")).toString(), o);
        }
        return byId;
    };
    const auto a = nodes(projectA), b = nodes(projectB);
    QStringList out;
    for (auto it = a.begin(); it != a.end(); ++it)
        if (!b.contains(it.key()))
            out << QObject::tr("removed %1 (%2)").arg(it.key(), it.value().value(QStringLiteral("op")).toString());
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (!a.contains(it.key())) {
            out << QObject::tr("added %1 (%2)").arg(it.key(), it.value().value(QStringLiteral("op")).toString());
            continue;
        }
        const QJsonObject& before = a[it.key()];
        const QJsonObject& after = it.value();
        if (before == after) continue;
        QStringList changes;
        for (const QString& key : {QStringLiteral("op"), QStringLiteral("inputs")})
            if (before.value(key) != after.value(key))
                changes << QStringLiteral("%1 %2 -> %3").arg(key, scalarText(before.value(key)), scalarText(after.value(key)));
        const QJsonObject pa = before.value(QStringLiteral("params")).toObject();
        const QJsonObject pb = after.value(QStringLiteral("params")).toObject();
        QStringList keys = pa.keys() + pb.keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString& k : keys)
            if (pa.value(k) != pb.value(k))
                changes << QStringLiteral("%1 %2 -> %3").arg(k, pa.contains(k) ? scalarText(pa.value(k)) : QStringLiteral("(default)"),
                                                             pb.contains(k) ? scalarText(pb.value(k)) : QStringLiteral("(default)"));
        out << QObject::tr("changed %1: %2").arg(it.key(), changes.join(QStringLiteral(", ")));
    }
    return out;
}

}  // namespace neurite::ui
