// Human progress and JSON Lines events for neurite-cli train.
#include "printer.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "metrics_json.h"
#include "io/json_text.h"

using neurite::storage::metricsJson;

namespace neurite::cli {

namespace {
// Printers of trainings that run at once write whole lines, one at a time.
std::mutex& printMutex() {
    static std::mutex m;
    return m;
}

template <class T>
void putOptional(nlohmann::json& j, const char* key, const std::optional<T>& v) {
    if (v) j[key] = *v;
}
}  // namespace

void CliPrinter::setContext(std::string label, std::string fields) {
    m_label = std::move(label);
    m_fields = std::move(fields);
    m_checkedTty = true;
    m_tty = false;
}

void CliPrinter::closeLine() {
    if (m_lineOpen) std::fputs("\n", stderr);
    m_lineOpen = false;
}

void CliPrinter::onStep(const StepEvent& e) {
    if (!m_checkedTty) {
        m_tty = isatty(STDERR_FILENO) != 0;
        m_checkedTty = true;
    }
    if (!m_tty) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastDraw < std::chrono::milliseconds(100) && e.stepInEpoch != e.stepsPerEpoch) return;
    m_lastDraw = now;
    std::fprintf(stderr, "\repoch %d  step %lld/%lld  loss %.4f  ", e.epoch,
                 static_cast<long long>(e.stepInEpoch), static_cast<long long>(e.stepsPerEpoch),
                 static_cast<double>(e.loss));
    m_lineOpen = true;
}

void CliPrinter::onEpoch(const EpochEvent& e) {
    std::lock_guard lock(printMutex());
    if (m_tty) std::fputs("\r\033[K", stderr);
    m_lineOpen = false;
    std::fprintf(stderr, "%sepoch %d/%d  loss %.4f", m_label.c_str(), e.epoch, e.epochs, e.trainLoss);
    if (m_classifier) std::fprintf(stderr, "  acc %.4f", e.trainAccuracy);
    if (e.valLoss) std::fprintf(stderr, "  val_loss %.4f", *e.valLoss);
    if (e.valAccuracy) std::fprintf(stderr, "  val_acc %.4f", *e.valAccuracy);
    std::fprintf(stderr, "  lr %.3g  %.0f samples/s  %.2fs\n", e.lr, e.samplesPerSec, e.seconds);
    if (!e.warning.empty()) std::fprintf(stderr, "warning: %s\n", e.warning.c_str());
    if (!m_json) return;
    nlohmann::json j{{"event", "epoch"},     {"epoch", e.epoch},
                     {"epochs", e.epochs},   {"train_loss", e.trainLoss},
                     {"train_accuracy", e.trainAccuracy}, {"lr", e.lr},
                     {"samples_per_sec", e.samplesPerSec}, {"seconds", e.seconds},
                     {"best", e.best}};
    putOptional(j, "val_loss", e.valLoss);
    putOptional(j, "val_accuracy", e.valAccuracy);
    if (!e.warning.empty()) j["warning"] = e.warning;
    if (e.valMetrics) j["val_metrics"] = metricsJson(*e.valMetrics, m_curves);
    if (!m_fields.empty()) j.update(nlohmann::json::parse(m_fields));
    std::printf("%s\n", io::dumpJson(j).c_str());
    std::fflush(stdout);
}

void CliPrinter::onFinished(const FinishedEvent& e) {
    std::lock_guard lock(printMutex());
    closeLine();
    std::fprintf(stderr, "%s%s%s%s after %d epoch(s)", m_label.c_str(), m_model.c_str(),
                 m_model.empty() ? "" : " ", e.status.c_str(), e.epochs);
    if (e.valAccuracy) std::fprintf(stderr, "  val_acc %.4f", *e.valAccuracy);
    if (e.testAccuracy) std::fprintf(stderr, "  test_acc %.4f", *e.testAccuracy);
    const std::optional<EvaluationReport>& shown = e.testMetrics ? e.testMetrics : e.valMetrics;
    if (const EvaluationReport* r = shown ? &*shown : nullptr) {
        const char* split = e.testMetrics ? "test" : "val";
        if (r->classification && r->classification->macro.f1.defined())
            std::fprintf(stderr, "  %s_f1_macro %.4f", split, r->classification->macro.f1.v);
        if (r->curves && r->curves->auc().defined())
            std::fprintf(stderr, "  %s_auc %.4f", split, r->curves->auc().v);
        if (r->regression && r->regression->rmse.defined())
            std::fprintf(stderr, "  %s_rmse %.4f", split, r->regression->rmse.v);
        if (r->regression && r->regression->r2.defined())
            std::fprintf(stderr, "  %s_r2 %.4f", split, r->regression->r2.v);
    }
    std::fprintf(stderr, "  %.0f samples/s  %.1fs\n", e.samplesPerSec, e.seconds);
    if (!e.sparsity.empty()) {
        std::fprintf(stderr, "%ssparsity:", m_label.c_str());
        for (const LayerSparsity& l : e.sparsity) {
            std::fprintf(stderr, "  %s %.1f%%", l.node.c_str(), 100.0 * l.sparsity());
            if (l.unitsPruned > 0)
                std::fprintf(stderr, " (%lld of %lld units zero)", static_cast<long long>(l.unitsPruned),
                             static_cast<long long>(l.units));
        }
        std::fprintf(stderr, "\n");
    }
    if (!m_json) return;
    nlohmann::json j{{"event", "finished"},      {"status", e.status},
                     {"epochs", e.epochs},       {"best_epoch", e.bestEpoch},
                     {"train_loss", e.trainLoss}, {"train_accuracy", e.trainAccuracy},
                     {"samples_per_sec", e.samplesPerSec}, {"seconds", e.seconds}};
    putOptional(j, "val_loss", e.valLoss);
    putOptional(j, "val_accuracy", e.valAccuracy);
    putOptional(j, "test_loss", e.testLoss);
    putOptional(j, "test_accuracy", e.testAccuracy);
    if (m_runId > 0) j["run_id"] = m_runId;
    if (e.valMetrics) j["val_metrics"] = metricsJson(*e.valMetrics, true);
    if (e.testMetrics) j["test_metrics"] = metricsJson(*e.testMetrics, true);
    if (!e.sparsity.empty()) {
        nlohmann::json layers = nlohmann::json::array();
        for (const LayerSparsity& l : e.sparsity)
            layers.push_back({{"node", l.node}, {"weights", l.weights}, {"zeros", l.zeros},
                              {"sparsity", l.sparsity()}, {"units", l.units}, {"units_pruned", l.unitsPruned}});
        j["sparsity"] = layers;
    }
    if (!m_fields.empty()) j.update(nlohmann::json::parse(m_fields));
    std::printf("%s\n", io::dumpJson(j).c_str());
    std::fflush(stdout);
}

void CliPrinter::onFailed(const Error& e) {
    std::lock_guard lock(printMutex());
    closeLine();
    if (!m_json) return;
    nlohmann::json j{{"event", "failed"}, {"kind", nameOf(e.kind())}, {"message", e.what()}};
    if (m_runId > 0) j["run_id"] = m_runId;
    if (!m_fields.empty()) j.update(nlohmann::json::parse(m_fields));
    std::printf("%s\n", io::dumpJson(j).c_str());
    std::fflush(stdout);
}

}  // namespace neurite::cli
