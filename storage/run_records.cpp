// Readers for the JSON metrics_json.cpp and run_info.cpp write. Every read checks the type it
// expects and names the value's path on failure; keys absent from older runs read as empty.
#include "run_records.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/json_reader.h"
#include "io/json_text.h"

namespace neurite::storage {

namespace {

using nlohmann::json;

// One JSON object being read, with the path of its values for messages.
class Obj {
public:
    Obj(const json& j, std::string what, std::string path = "$") : m_j(j), m_what(std::move(what)), m_path(std::move(path)) {
        if (!j.is_object()) fail(m_path, "is " + kind(j) + ", expected an object");
    }

    bool has(const char* key) const { return m_j.contains(key); }
    const json* find(const char* key) const {
        const auto it = m_j.find(key);
        return it == m_j.end() ? nullptr : &*it;
    }
    std::string at(const char* key) const { return m_path + "." + key; }

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
        throwBadInput(m_what + ": " + path + " " + problem + " (the stored JSON is damaged)");
    }
    static std::string kind(const json& v) {
        if (v.is_null()) return "null";
        if (v.is_object()) return "an object";
        if (v.is_array()) return "a list";
        if (v.is_string()) return "\"" + v.get<std::string>().substr(0, 40) + "\"";
        return io::dumpJson(v);
    }

    double number(const char* key, double fallback = 0) const {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number()) fail(at(key), "is " + kind(*v) + ", expected a number");
        return v->get<double>();
    }
    int64_t count(const char* key) const {
        const json* v = find(key);
        if (!v) return 0;
        if (!v->is_number_integer() || v->get<int64_t>() < 0) fail(at(key), "is " + kind(*v) + ", expected a count");
        return v->get<int64_t>();
    }
    std::string text(const char* key) const {
        const json* v = find(key);
        if (!v) return {};
        if (!v->is_string()) fail(at(key), "is " + kind(*v) + ", expected a string");
        return v->get<std::string>();
    }
    // A metric: a number, or null with the reason under "<key>_undefined".
    MetricValue metric(const std::string& key) const {
        const json* v = find(key.c_str());
        if (!v) return MetricValue::undefined("not recorded");
        if (v->is_number()) return MetricValue::of(v->get<double>());
        if (!v->is_null()) fail(at(key.c_str()), "is " + kind(*v) + ", expected a number or null");
        const std::string reason = text((key + "_undefined").c_str());
        return MetricValue::undefined(reason.empty() ? "undefined" : reason);
    }
    const json& list(const char* key) const {
        static const json empty = json::array();
        const json* v = find(key);
        if (!v) return empty;
        if (!v->is_array()) fail(at(key), "is " + kind(*v) + ", expected a list");
        return *v;
    }
    // Numbers; null reads as `nullAs` (thresholds: +inf, which JSON cannot hold).
    std::vector<double> numbers(const char* key, std::optional<double> nullAs = std::nullopt) const {
        std::vector<double> out;
        const json& a = list(key);
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].is_number()) out.push_back(a[i].get<double>());
            else if (a[i].is_null() && nullAs) out.push_back(*nullAs);
            else fail(at(key) + "[" + std::to_string(i) + "]", "is " + kind(a[i]) + ", expected a number");
        }
        return out;
    }
    std::vector<int64_t> counts(const char* key) const {
        std::vector<int64_t> out;
        const json& a = list(key);
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_number_integer() || a[i].get<int64_t>() < 0)
                fail(at(key) + "[" + std::to_string(i) + "]", "is " + kind(a[i]) + ", expected a count");
            out.push_back(a[i].get<int64_t>());
        }
        return out;
    }
    // Numbers a float holds (target scaling).
    std::vector<float> floats(const char* key) const {
        std::vector<float> out;
        for (double v : numbers(key)) {
            if (!(std::fabs(v) <= std::numeric_limits<float>::max())) fail(at(key), "holds " + io::dumpJson(json(v)) + ", beyond a float");
            out.push_back(static_cast<float>(v));
        }
        return out;
    }
    std::vector<std::string> strings(const char* key) const {
        std::vector<std::string> out;
        const json& a = list(key);
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_string()) fail(at(key) + "[" + std::to_string(i) + "]", "is " + kind(a[i]) + ", expected a string");
            out.push_back(a[i].get<std::string>());
        }
        return out;
    }
    Obj child(const json& v, const std::string& path) const { return Obj(v, m_what, path); }

private:
    const json& m_j;
    std::string m_what, m_path;
};

json parseObjectText(const std::string& text, const std::string& what) {
    json j = io::parseJson(text, what);
    if (!j.is_object()) throwBadInput(what + ": the stored JSON is damaged (not an object)");
    return j;
}

void readAveraged(const Obj& o, const char* name, AveragedMetrics& a) {
    a.precision = o.metric(std::string("precision_") + name);
    a.recall = o.metric(std::string("recall_") + name);
    a.f1 = o.metric(std::string("f1_") + name);
}

ClassificationMetrics readClassification(const Obj& o, int64_t count) {
    ClassificationMetrics m;
    m.count = count;
    m.accuracy = o.metric("accuracy");
    m.balancedAccuracy = o.metric("balanced_accuracy");
    if (o.has("top_k")) {
        m.topK = static_cast<int>(o.count("top_k"));
        m.topKAccuracy = o.metric("top_k_accuracy");
    }
    readAveraged(o, "macro", m.macro);
    readAveraged(o, "weighted", m.weighted);
    readAveraged(o, "micro", m.micro);
    m.logLoss = o.metric("log_loss");
    m.kappa = o.metric("kappa");
    m.mcc = o.metric("mcc");
    const json& perClass = o.list("per_class");
    for (std::size_t i = 0; i < perClass.size(); ++i) {
        const Obj c = o.child(perClass[i], o.at("per_class") + "[" + std::to_string(i) + "]");
        ClassMetrics pc;
        pc.name = c.text("class");
        pc.support = c.count("support");
        pc.predicted = c.count("predicted");
        pc.precision = c.metric("precision");
        pc.recall = c.metric("recall");
        pc.f1 = c.metric("f1");
        m.perClass.push_back(std::move(pc));
    }
    // The per-class table and the confusion matrix come together (metricsJson writes both, the
    // matrix's classes from the table), so a report read here writes back the same.
    if (o.has("per_class") != o.has("confusion_matrix"))
        o.fail(o.has("per_class") ? o.at("confusion_matrix") : o.at("per_class"), "is missing");
    if (const json* cmJson = o.find("confusion_matrix")) {
        const Obj cm = o.child(*cmJson, o.at("confusion_matrix"));
        const std::vector<std::string> classes = cm.strings("classes");
        const std::size_t k = classes.size();
        for (std::size_t c = 0; c < k; ++c)
            if (c >= m.perClass.size() || m.perClass[c].name != classes[c])
                cm.fail(cm.at("classes"), "does not name the classes of $.per_class");
        if (k != m.perClass.size()) cm.fail(cm.at("classes"), "does not name the classes of $.per_class");
        const json& rows = cm.list("counts");
        if (rows.size() != k) cm.fail(cm.at("counts"), "has " + std::to_string(rows.size()) + " rows for " + std::to_string(k) + " classes");
        m.confusion.numClasses = static_cast<int>(k);
        for (std::size_t r = 0; r < k; ++r) {
            const std::string path = cm.at("counts") + "[" + std::to_string(r) + "]";
            if (!rows[r].is_array() || rows[r].size() != k) cm.fail(path, "is not a row of " + std::to_string(k) + " counts");
            for (const json& v : rows[r]) {
                if (!v.is_number_integer() || v.get<int64_t>() < 0) cm.fail(path, "holds " + Obj::kind(v) + ", expected a count");
                m.confusion.counts.push_back(v.get<int64_t>());
            }
        }
    }
    return m;
}

CurveReport readCurves(const Obj& o) {
    CurveReport c;
    const json& roc = o.list("roc");
    const json& pr = o.list("pr");
    if (!roc.empty() || !pr.empty()) {
        if (roc.size() != pr.size())
            o.fail(o.at("pr"), "has " + std::to_string(pr.size()) + " curves for " + std::to_string(roc.size()) + " ROC curves");
        for (std::size_t i = 0; i < roc.size(); ++i) {
            const Obj r = o.child(roc[i], o.at("roc") + "[" + std::to_string(i) + "]");
            const Obj p = o.child(pr[i], o.at("pr") + "[" + std::to_string(i) + "]");
            ClassCurves cc;
            cc.name = r.text("class");
            const double inf = std::numeric_limits<double>::infinity();
            cc.curves.roc = {r.numbers("fpr"), r.numbers("tpr"), r.numbers("thresholds", inf), r.metric("auc")};
            cc.curves.pr = {p.numbers("recall"), p.numbers("precision"), p.numbers("thresholds", inf),
                            p.metric("average_precision")};
            const auto& rc = cc.curves.roc;
            if (rc.fpr.size() != rc.tpr.size() || rc.fpr.size() != rc.thresholds.size())
                r.fail(o.at("roc") + "[" + std::to_string(i) + "]", "has lists of different lengths");
            const auto& pc = cc.curves.pr;
            if (pc.recall.size() != pc.precision.size() || pc.recall.size() != pc.thresholds.size())
                p.fail(o.at("pr") + "[" + std::to_string(i) + "]", "has lists of different lengths");
            c.perClass.push_back(std::move(cc));
        }
    } else if (o.has("auc")) {  // a binary summary without its points
        ClassCurves cc;
        cc.curves.roc.auc = o.metric("auc");
        cc.curves.pr.averagePrecision = o.metric("average_precision");
        c.perClass.push_back(std::move(cc));
    }
    if (c.perClass.size() != 1) {
        c.aucMacro = o.metric("auc_macro");
        c.aucMicro = o.metric("auc_micro");
        c.apMacro = o.metric("average_precision_macro");
        c.apMicro = o.metric("average_precision_micro");
    } else {
        c.aucMacro = c.aucMicro = c.apMacro = c.apMicro = MetricValue::undefined("binary");
    }
    return c;
}

std::string settingText(const json& v) { return v.is_string() ? v.get<std::string>() : io::dumpJson(v); }

}  // namespace

std::string storedWhere(const RunStore& store, int64_t id, const std::string& what) {
    return store.path() + ": run " + std::to_string(id) + " " + what;
}

EvaluationReport parseEvaluation(const std::string& text, const std::string& what) {
    const json j = parseObjectText(text, what);
    const Obj o(j, what);
    EvaluationReport r;
    r.split = o.text("split");
    r.count = o.count("count");
    r.seconds = o.number("seconds");
    if (o.has("accuracy") || o.has("per_class") || o.has("confusion_matrix"))
        r.classification = readClassification(o, r.count);
    if (o.has("auc") || o.has("auc_macro") || o.has("roc")) r.curves = readCurves(o);
    if (o.has("mse")) {
        RegressionMetrics m;
        m.count = r.count;
        m.mse = o.metric("mse");
        m.rmse = o.metric("rmse");
        m.mae = o.metric("mae");
        m.r2 = o.metric("r2");
        r.regression = m;
    }
    return r;
}

std::optional<StoredEvaluation> finalEvaluation(RunStore& store, int64_t id, const std::string& first) {
    const std::vector<EvaluationRecord> evals = store.evaluations(id);
    for (const std::string& split : {first, std::string("test"), std::string("validation")})
        for (const auto& e : evals)
            if (e.split == split)
                return StoredEvaluation{split, parseEvaluation(e.reportJson, storedWhere(store, id, e.split + " evaluation"))};
    const std::vector<EpochRecord> epochs = store.epochs(id);
    for (auto it = epochs.rbegin(); it != epochs.rend(); ++it)
        if (!it->metricsJson.empty()) {
            const std::string epoch = "epoch " + std::to_string(it->epoch);
            return StoredEvaluation{"validation (" + epoch + ")",
                                    parseEvaluation(it->metricsJson, storedWhere(store, id, epoch + " metrics"))};
        }
    return std::nullopt;
}

std::string dataSummaryJson(const DataSummary& d) {
    json data{{"source", d.source},
              {"sample_shape", d.sampleShape},
              {"train", d.train},
              {"validation", d.validation},
              {"test", d.test},
              {"classes", d.classes},
              {"train_class_counts", d.trainClassCounts}};
    if (d.classes.empty()) data["targets"] = d.targets;
    if (d.targetScaling.active()) {
        json mean = json::array(), sd = json::array();
        for (float v : d.targetScaling.mean) mean.push_back(io::floatToJson(v));
        for (float v : d.targetScaling.stddev) sd.push_back(io::floatToJson(v));
        data["target_mean"] = mean;
        data["target_std"] = sd;
    }
    return io::dumpJson(data);
}

DataSummary parseDataSummary(const std::string& text, const std::string& what) {
    const json j = parseObjectText(text, what);
    const Obj o(j, what);
    DataSummary d;
    d.source = o.text("source");
    d.sampleShape = o.text("sample_shape");
    d.train = o.count("train");
    d.validation = o.count("validation");
    d.test = o.count("test");
    d.classes = o.strings("classes");
    d.trainClassCounts = o.counts("train_class_counts");
    d.targets = static_cast<int>(std::min<int64_t>(o.count("targets"), std::numeric_limits<int>::max()));
    if (o.has("target_mean") || o.has("target_std")) {
        if (!o.has("target_mean") || !o.has("target_std"))
            o.fail(o.has("target_mean") ? o.at("target_std") : o.at("target_mean"), "is missing");
        d.targetScaling.mean = o.floats("target_mean");
        d.targetScaling.stddev = o.floats("target_std");
        const auto& t = d.targetScaling;
        const bool finite = std::all_of(t.mean.begin(), t.mean.end(), [](float v) { return std::isfinite(v); });
        const bool positive = std::all_of(t.stddev.begin(), t.stddev.end(), [](float v) { return v > 0 && std::isfinite(v); });
        if (static_cast<int>(t.mean.size()) != d.targets || t.stddev.size() != t.mean.size() || !finite || !positive)
            o.fail("$", "has a target scaling that is not " + std::to_string(d.targets) +
                            " finite means and positive standard deviations");
    }
    return d;
}

RunSettings parseSettings(const std::string& settingsJson, const std::string& what) {
    const json j = parseObjectText(settingsJson, what);
    RunSettings out;
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = SettingValue{io::dumpJson(it.value()), settingText(it.value())};
    return out;
}

RunSettings settingsOf(const RunDetails& run, const RunStore& store) {
    RunSettings s = parseSettings(run.settingsJson, storedWhere(store, run.id, "settings"));
    s["device"] = SettingValue{io::dumpJson(json(run.device)), run.device};
    // Settings changed while the run was paused (teaching mode), in order: "lr 0.001 → 0.3 from
    // step 116; l2 0 → 0.01 from step 300".
    std::string changed;
    for (const SettingChange& c : store.settingChanges(run.id)) {
        std::ostringstream part;
        part << c.setting << ' ' << c.before << " \u2192 " << c.after << " from step " << c.step + 1;
        changed += (changed.empty() ? "" : "; ") + part.str();
    }
    if (!changed.empty()) s[kChangedWhilePaused] = SettingValue{io::dumpJson(json(changed)), changed};
    return s;
}

std::optional<double> numberSetting(const RunSettings& s, const std::string& key) {
    const auto it = s.find(key);
    if (it == s.end()) return std::nullopt;
    const json v = io::parseJson(it->second.json, key);
    if (!v.is_number()) return std::nullopt;
    return v.get<double>();
}

std::vector<SettingRow> settingRows(const std::vector<RunSettings>& runs, bool differingOnly) {
    static const std::vector<std::string> first = {"training.optimizer.lr", "training.optimizer.type",
                                                   "training.batch_size",   "training.epochs",
                                                   "data.source",           "training.seed"};
    std::vector<std::string> keys;
    for (const RunSettings& r : runs)
        for (const auto& [key, _] : r)
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    const auto rank = [&](const std::string& k) {
        return static_cast<std::size_t>(std::find(first.begin(), first.end(), k) - first.begin());
    };
    std::sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
        return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
    });
    std::vector<SettingRow> rows;
    for (const std::string& key : keys) {
        SettingRow row{key, {}, false};
        for (const RunSettings& r : runs) {
            const auto it = r.find(key);
            row.values.push_back(it == r.end() ? std::nullopt : std::optional<SettingValue>(it->second));
        }
        row.differs = std::any_of(row.values.begin(), row.values.end(), [&](const auto& v) { return v != row.values.front(); });
        if (row.differs || !differingOnly) rows.push_back(std::move(row));
    }
    return rows;
}

std::string shortSettingName(const std::string& key) {
    if (key == "training.optimizer.lr") return "lr";
    if (key == "training.batch_size") return "batch";
    if (key == "data.source") return "data";
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::vector<std::string> distinguishingSettings(const std::vector<RunSettings>& runs, int most) {
    std::vector<std::string> out(runs.size());
    if (runs.size() < 2) return out;
    std::vector<SettingRow> rows = settingRows(runs, true);
    if (rows.size() > static_cast<std::size_t>(std::max(most, 0))) rows.resize(static_cast<std::size_t>(std::max(most, 0)));
    for (std::size_t i = 0; i < runs.size(); ++i)
        for (const SettingRow& row : rows) {
            std::string v = row.values[i] ? row.values[i]->text : "-";
            if (row.key == "data.source") v = v.substr(0, v.find('?'));
            if (row.key == "device") v = v.substr(0, v.find(" ("));  // "CPU", not its threads and ISA
            if (!out[i].empty()) out[i] += ", ";
            out[i] += row.key == "training.optimizer.type" ? v : shortSettingName(row.key) + " " + v;
        }
    return out;
}

std::vector<std::string> networkDiff(const std::string& projectA, const std::string& projectB, const std::string& what) {
    auto nodes = [&](const std::string& project) {
        std::map<std::string, json> byId;
        const json doc = parseObjectText(project, what);
        const Obj o(doc, what);
        const json* model = o.find("model");
        if (!model) return byId;
        const Obj m = o.child(*model, "$.model");
        const json& list = m.list("nodes");
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Obj n = m.child(list[i], "$.model.nodes[" + std::to_string(i) + "]");
            json node = list[i];
            node.erase("position");  // moving a block changes nothing
            node.erase("ui");
            byId[n.text("id")] = std::move(node);
        }
        return byId;
    };
    const auto a = nodes(projectA), b = nodes(projectB);
    const auto text = [](const json& v) { return settingText(v); };
    std::vector<std::string> out;
    for (const auto& [id, node] : a)
        if (!b.count(id)) out.push_back("removed " + id + " (" + text(node.value("op", json(""))) + ")");
    for (const auto& [id, after] : b) {
        const auto it = a.find(id);
        if (it == a.end()) {
            out.push_back("added " + id + " (" + text(after.value("op", json(""))) + ")");
            continue;
        }
        const json& before = it->second;
        if (before == after) continue;
        std::vector<std::string> changes;
        for (const char* key : {"op", "inputs"}) {
            const json x = before.value(key, json()), y = after.value(key, json());
            if (x != y) changes.push_back(std::string(key) + " " + text(x) + " -> " + text(y));
        }
        const json pa = before.value("params", json::object()), pb = after.value("params", json::object());
        std::map<std::string, bool> keys;
        for (const json* p : {&pa, &pb})
            if (p->is_object())
                for (auto k = p->begin(); k != p->end(); ++k) keys[k.key()] = true;
        for (const auto& [k, _] : keys) {
            const bool inA = pa.is_object() && pa.contains(k), inB = pb.is_object() && pb.contains(k);
            if (inA && inB && pa[k] == pb[k]) continue;
            changes.push_back(k + " " + (inA ? text(pa[k]) : "(default)") + " -> " + (inB ? text(pb[k]) : "(default)"));
        }
        std::string line = "changed " + id + ":";
        for (std::size_t i = 0; i < changes.size(); ++i) line += (i ? ", " : " ") + changes[i];
        out.push_back(line);
    }
    return out;
}

}  // namespace neurite::storage
