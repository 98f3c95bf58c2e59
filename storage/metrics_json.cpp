// Serializes metrics with stable snake_case keys; see docs/metrics.md for their definitions.
#include "metrics_json.h"
#include "io/json_text.h"

#include <cmath>
#include <string>
#include <vector>

namespace neurite::storage {

namespace {

using nlohmann::json;

void put(json& j, const std::string& key, const MetricValue& v) {
    if (v.defined()) {
        j[key] = v.v;
    } else {
        j[key] = nullptr;
        j[key + "_undefined"] = v.undefinedReason;
    }
}

// Thresholds start at +inf, which JSON cannot hold: written as null.
json thresholds(const std::vector<double>& t) {
    json a = json::array();
    for (double v : t)
        a.push_back(std::isfinite(v) ? json(v) : json(nullptr));
    return a;
}

template <class T> json matrix(const std::vector<T>& v, int k) {
    json rows = json::array();
    for (int r = 0; r < k; ++r)
        rows.push_back(std::vector<T>(v.begin() + r * k, v.begin() + (r + 1) * k));
    return rows;
}

void classification(json& j, const ClassificationMetrics& m) {
    put(j, "accuracy", m.accuracy);
    put(j, "balanced_accuracy", m.balancedAccuracy);
    if (m.topK > 0) {
        j["top_k"] = m.topK;
        put(j, "top_k_accuracy", m.topKAccuracy);
    }
    const std::pair<const char*, const AveragedMetrics*> avgs[] = {
        {"macro", &m.macro}, {"weighted", &m.weighted}, {"micro", &m.micro}};
    for (const auto& [name, a] : avgs) {
        put(j, std::string("precision_") + name, a->precision);
        put(j, std::string("recall_") + name, a->recall);
        put(j, std::string("f1_") + name, a->f1);
    }
    put(j, "log_loss", m.logLoss);
    put(j, "kappa", m.kappa);
    put(j, "mcc", m.mcc);
}

void summary(json& j, const CurveReport& c) {
    if (c.perClass.size() == 1) {
        put(j, "auc", c.perClass[0].curves.roc.auc);
        put(j, "average_precision", c.perClass[0].curves.pr.averagePrecision);
        return;
    }
    put(j, "auc_macro", c.aucMacro);
    put(j, "auc_micro", c.aucMicro);
    put(j, "average_precision_macro", c.apMacro);
    put(j, "average_precision_micro", c.apMicro);
}

void details(json& j, const ClassificationMetrics& m, const CurveReport& c) {
    json perClass = json::array();
    std::vector<std::string> names;
    for (const ClassMetrics& pc : m.perClass) {
        json e{{"class", pc.name}, {"support", pc.support}, {"predicted", pc.predicted}};
        put(e, "precision", pc.precision);
        put(e, "recall", pc.recall);
        put(e, "f1", pc.f1);
        perClass.push_back(e);
        names.push_back(pc.name);
    }
    j["per_class"] = perClass;
    const int k = m.confusion.numClasses;
    j["confusion_matrix"] = {{"classes", names},
                             {"counts", matrix(m.confusion.counts, k)},
                             {"normalized", matrix(m.confusion.rowNormalized(), k)}};
    json roc = json::array(), pr = json::array();
    for (const ClassCurves& cc : c.perClass) {
        json r{{"class", cc.name},
               {"fpr", cc.curves.roc.fpr},
               {"tpr", cc.curves.roc.tpr},
               {"thresholds", thresholds(cc.curves.roc.thresholds)}};
        put(r, "auc", cc.curves.roc.auc);
        roc.push_back(r);
        json p{{"class", cc.name},
               {"recall", cc.curves.pr.recall},
               {"precision", cc.curves.pr.precision},
               {"thresholds", thresholds(cc.curves.pr.thresholds)}};
        put(p, "average_precision", cc.curves.pr.averagePrecision);
        pr.push_back(p);
    }
    j["roc"] = roc;
    j["pr"] = pr;
}

}  // namespace

json metricsJson(const EvaluationReport& r, bool curves) {
    json j{{"split", r.split}, {"count", r.count}, {"seconds", r.seconds}};
    if (r.classification) classification(j, *r.classification);
    if (r.curves) summary(j, *r.curves);
    if (curves && r.classification && r.curves && !r.classification->perClass.empty())
        details(j, *r.classification, *r.curves);
    if (r.regression) {
        put(j, "mse", r.regression->mse);
        put(j, "rmse", r.regression->rmse);
        put(j, "mae", r.regression->mae);
        put(j, "r2", r.regression->r2);
    }
    return j;
}

Recorder::ReportJson reportJson() {
    return [](const EvaluationReport& r, bool curves) { return io::dumpJson(metricsJson(r, curves)); };
}

}  // namespace neurite::storage
