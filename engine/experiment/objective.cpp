#include "experiment/objective.h"

#include <array>
#include <functional>

#include "metrics/evaluation.h"

namespace neurite {

namespace {

using Report = EvaluationReport;
using Getter = std::function<std::optional<double>(const Report&)>;

std::optional<double> defined(const MetricValue& m) {
    if (!m.defined()) return std::nullopt;
    return m.v;
}

Getter classification(const MetricValue ClassificationMetrics::*member) {
    return [member](const Report& r) -> std::optional<double> {
        if (!r.classification) return std::nullopt;
        return defined((*r.classification).*member);
    };
}

Getter averaged(AveragedMetrics ClassificationMetrics::*average, MetricValue AveragedMetrics::*m) {
    return [average, m](const Report& r) -> std::optional<double> {
        if (!r.classification) return std::nullopt;
        return defined(((*r.classification).*average).*m);
    };
}

Getter regression(MetricValue RegressionMetrics::*member) {
    return [member](const Report& r) -> std::optional<double> {
        if (!r.regression) return std::nullopt;
        return defined((*r.regression).*member);
    };
}

struct SplitMetric {
    const char* name;
    bool larger;
    Getter get;  // empty for loss and accuracy, which come from the finished event
};

const std::array<SplitMetric, 19>& splitMetrics() {
    static const std::array<SplitMetric, 19> table{{
        {"loss", false, {}},
        {"accuracy", true, {}},
        {"balanced_accuracy", true, classification(&ClassificationMetrics::balancedAccuracy)},
        {"log_loss", false, classification(&ClassificationMetrics::logLoss)},
        {"kappa", true, classification(&ClassificationMetrics::kappa)},
        {"mcc", true, classification(&ClassificationMetrics::mcc)},
        {"top_k_accuracy", true, classification(&ClassificationMetrics::topKAccuracy)},
        {"precision_macro", true, averaged(&ClassificationMetrics::macro, &AveragedMetrics::precision)},
        {"recall_macro", true, averaged(&ClassificationMetrics::macro, &AveragedMetrics::recall)},
        {"f1_macro", true, averaged(&ClassificationMetrics::macro, &AveragedMetrics::f1)},
        {"precision_weighted", true,
         averaged(&ClassificationMetrics::weighted, &AveragedMetrics::precision)},
        {"recall_weighted", true, averaged(&ClassificationMetrics::weighted, &AveragedMetrics::recall)},
        {"f1_weighted", true, averaged(&ClassificationMetrics::weighted, &AveragedMetrics::f1)},
        {"f1_micro", true, averaged(&ClassificationMetrics::micro, &AveragedMetrics::f1)},
        {"auc", true,
         [](const Report& r) -> std::optional<double> {
             if (!r.curves) return std::nullopt;
             return defined(r.curves->auc());
         }},
        {"mse", false, regression(&RegressionMetrics::mse)},
        {"rmse", false, regression(&RegressionMetrics::rmse)},
        {"mae", false, regression(&RegressionMetrics::mae)},
        {"r2", true, regression(&RegressionMetrics::r2)},
    }};
    return table;
}

struct Parsed {
    enum Kind { Unknown, Split, Train, Cost } kind = Unknown;
    bool test = false;
    const SplitMetric* metric = nullptr;
    std::string_view rest;
};

Parsed parse(std::string_view name) {
    Parsed p;
    for (const char* prefix : {"val_", "test_"}) {
        const std::string_view pre(prefix);
        if (name.substr(0, pre.size()) != pre) continue;
        for (const SplitMetric& m : splitMetrics())
            if (name.substr(pre.size()) == m.name) {
                p.kind = Parsed::Split;
                p.test = pre == "test_";
                p.metric = &m;
            }
        return p;
    }
    if (name == "train_loss" || name == "train_accuracy") {
        p.kind = Parsed::Train;
        p.rest = name;
    } else if (name == "parameters" || name == "flops" || name == "seconds" ||
               name == "samples_per_sec") {
        p.kind = Parsed::Cost;
        p.rest = name;
    }
    return p;
}

}  // namespace

bool isKnownMetric(std::string_view name) { return parse(name).kind != Parsed::Unknown; }

bool largerIsBetter(std::string_view name) {
    const Parsed p = parse(name);
    if (p.kind == Parsed::Split) return p.metric->larger;
    return name == "train_accuracy" || name == "samples_per_sec";
}

std::vector<std::string> metricNames() {
    std::vector<std::string> out;
    for (const char* split : {"val_", "test_"})
        for (const SplitMetric& m : splitMetrics()) out.push_back(split + std::string(m.name));
    for (const char* other : {"train_loss", "train_accuracy", "parameters", "flops", "seconds", "samples_per_sec"})
        out.emplace_back(other);
    return out;
}

std::string knownMetrics() {
    std::string s = "train_loss, train_accuracy";
    for (const SplitMetric& m : splitMetrics()) s.append(", val_").append(m.name);
    s += ", test_* (as val_*), parameters, flops, seconds, samples_per_sec";
    return s;
}

std::optional<double> metricValue(std::string_view name, const TrainingOutcome& outcome) {
    const FinishedEvent& f = outcome.finished;
    const Parsed p = parse(name);
    switch (p.kind) {
    case Parsed::Unknown: return std::nullopt;
    case Parsed::Train:
        if (p.rest == "train_loss") return f.trainLoss;
        if (f.valMetrics && f.valMetrics->regression) return std::nullopt;
        return f.trainAccuracy;
    case Parsed::Cost:
        if (p.rest == "parameters") return static_cast<double>(outcome.parameters);
        if (p.rest == "flops") return outcome.flopsPerSample;
        if (p.rest == "seconds") return f.seconds;
        return f.samplesPerSec;
    case Parsed::Split: break;
    }
    const std::string_view m = p.metric->name;
    if (m == "loss") return p.test ? f.testLoss : f.valLoss;
    if (m == "accuracy") return p.test ? f.testAccuracy : f.valAccuracy;
    const std::optional<EvaluationReport>& report = p.test ? f.testMetrics : f.valMetrics;
    if (!report) return std::nullopt;
    return p.metric->get(*report);
}

}  // namespace neurite
