// neurite-cli predict MODEL --input FILE: runs a native model file on raw inputs (images, CSV
// rows, IDX or NPY arrays) and prints one JSON line (or CSV row) per sample; --bench measures
// latency and throughput instead (docs/export.md).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/device_registry.h"
#include "cli.h"
#include "core/error.h"
#include "core/random.h"
#include "export/input_files.h"
#include "export/native_model.h"
#include "export/predictor.h"
#include "io/json_text.h"

namespace neurite::cli {

namespace {

const char* kPredictHelp =
    "usage: neurite-cli predict MODEL --input FILE [options]\n"
    "       neurite-cli predict MODEL --bench [options]\n"
    "       neurite-cli predict MODEL --text TEXT [options]\n"
    "MODEL is a native model file (neurite-cli export --format native). Inputs are raw, as in the\n"
    "training data: images (.png, .jpg), CSV rows of numbers (.csv), NPY (.npy) or IDX arrays;\n"
    "the model applies its own preprocessing. A text model takes text: one per line of FILE\n"
    "(UTF-8), or --text; it tokenizes with the vocabulary it was trained with.\n"
    "  --input FILE          the samples to predict\n"
    "  --text TEXT           one text to classify (text models)\n"
    "  --json                one JSON line per sample (default): predicted and probabilities,\n"
    "                        or values for a regression model\n"
    "  --csv                 CSV rows instead: predicted,p_<class>... or value_0...\n"
    "  --batch-size N        samples per forward pass (default 256)\n"
    "  --bench               latency (p50/p99) at batch 1 and throughput at larger batches\n"
    "                        (32, 256 and --batch-size)\n"
    "  --bench-batches LIST  with --bench: the throughput batches instead, as 1,64,1024\n"
    "  --device D            auto | cpu | cuda | cuda:N (default cpu)\n"
    "  --threads N           CPU threads (0 = all cores)\n"
    "  --layer-by-layer      run each layer on its own, as training evaluates (bit for bit),\n"
    "                        instead of the compiled plan (fused layers, kept layouts; equal\n"
    "                        up to float rounding). The bench prints which one ran. An int8\n"
    "                        model (export --format native-int8) runs on the int8 runtime;\n"
    "                        with --layer-by-layer, as its QDQ graph in float instead.\n";

std::string num(float v) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string quoted(const std::string& s) { return io::dumpJson(nlohmann::json(s)); }

void appendRow(std::string& line, const float* row, int64_t width) {
    for (int64_t c = 0; c < width; ++c) {
        if (c) line += ',';
        line += num(row[c]);
    }
}

// lines: a text model's input lines, one per sample (empty otherwise).
void printResults(const NativeModel& m, const std::vector<float>& outputs, int64_t units,
                  int64_t first, bool csv, const std::vector<int64_t>* lines) {
    const int64_t n = static_cast<int64_t>(outputs.size()) / units;
    const auto k = static_cast<int64_t>(m.classNames.size());
    const std::vector<float> probs = m.isClassifier() ? probabilitiesOf(outputs, units) : outputs;
    const int64_t width = m.isClassifier() ? k : units;
    const std::vector<int> best = m.isClassifier() ? argmaxRows(probs, k) : std::vector<int>{};
    std::string line;
    for (int64_t i = 0; i < n; ++i) {
        line.clear();
        const float* row = probs.data() + i * width;
        const int64_t sample = first + i;
        const std::string at = lines && !lines->empty() ? ",\"line\":" + std::to_string((*lines)[static_cast<std::size_t>(sample)])
                                                        : std::string();
        if (csv) {
            if (m.isClassifier()) {
                line += quoted(m.classNames[static_cast<std::size_t>(best[static_cast<std::size_t>(i)])]);
                line += ',';
            }
            appendRow(line, row, width);
        } else {
            line += "{\"sample\":";
            line += std::to_string(sample);
            line += at;
            if (m.isClassifier()) {
                const int b = best[static_cast<std::size_t>(i)];
                line += ",\"predicted\":";
                line += quoted(m.classNames[static_cast<std::size_t>(b)]);
                line += ",\"class\":";
                line += std::to_string(b);
                line += ",\"probabilities\":[";
            } else {
                line += ",\"values\":[";
            }
            appendRow(line, row, width);
            line += "]}";
        }
        line += '\n';
        std::fputs(line.c_str(), stdout);
    }
}

// Random raw samples in the range the model was trained on (pixels 0..255, token ids of the
// vocabulary, else around the mean).
std::vector<float> benchInputs(const NativeModel& m, int64_t count) {
    Rng rng(7);
    const int64_t values = m.sampleShape().numel();
    std::vector<float> v(static_cast<std::size_t>(count * values));
    const auto ids = static_cast<uint64_t>(m.preprocessing.text.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (m.preprocessing.text.fitted()) {
            v[i] = static_cast<float>(rng.next() % ids);
            continue;
        }
        const std::size_t f = i % static_cast<std::size_t>(values);
        v[i] = m.preprocessing.rawDType == DType::U8
                   ? static_cast<float>(rng.next() % 256)
                   : static_cast<float>((m.preprocessing.standardized() ? m.preprocessing.mean[f] : 0.f) +
                                        rng.normal());
    }
    return v;
}

// "1,64,1024": batch sizes for the throughput runs, each 1..2^20.
std::vector<int64_t> batchList(const std::string& text) {
    std::vector<int64_t> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        const std::string item = text.substr(at, comma - at);
        const int64_t b = positiveId(item, "--bench-batches' batch size");
        if (b > (1 << 20)) throwBadInput("--bench-batches: a batch size must be at most 1048576, got " + item);
        out.push_back(b);
        at = comma + 1;
    }
    return out;
}

int runBenchmark(NativeModel& m, const std::string& device, std::vector<int64_t> batches, InferencePath path,
                 const Model::Int8Spec* int8) {
    using Clock = std::chrono::steady_clock;
    const auto seconds = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    // Latency: one sample end to end (copy in, preprocess, forward, copy out).
    Predictor one(*m.model, m.preprocessing, 1, path, int8);
    const std::vector<float> x1 = benchInputs(m, 1);
    for (int i = 0; i < 20; ++i) one.outputs(x1.data(), 1);
    std::vector<double> ms;
    const auto start = Clock::now();
    while (ms.size() < 2000 && (ms.size() < 50 || seconds(start, Clock::now()) < 2.0)) {
        const auto t0 = Clock::now();
        one.outputs(x1.data(), 1);
        ms.push_back(1e3 * seconds(t0, Clock::now()));
    }
    std::sort(ms.begin(), ms.end());
    const auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * double(ms.size() - 1))]; };
    // The model's size and cost beside its speed (a pruned model has zero weights; a
    // structurally pruned one fewer units and FLOPs).
    std::vector<float> values(static_cast<std::size_t>(m.model->values().numel()));
    m.model->backend().copyToHost(values.data(), m.model->values());
    const auto nonzero = std::count_if(values.begin(), values.end(), [](float v) { return v != 0.f; });
    std::printf("{\"bench\":\"latency\",\"device\":%s,\"batch\":1,\"runs\":%zu,\"p50_ms\":%.4f,"
                "\"p99_ms\":%.4f,\"engine\":%s,\"parameters\":%lld,\"nonzero_parameters\":%lld,"
                "\"flops_per_sample\":%.0f}\n",
                quoted(device).c_str(), ms.size(), pct(0.5), pct(0.99), quoted(one.engine()).c_str(),
                static_cast<long long>(values.size()), static_cast<long long>(nonzero),
                m.model->forwardFlopsPerSample());
    std::fprintf(stderr, "engine: %s\n", one.engine().c_str());
    std::fprintf(stderr, "batch 1: p50 %.3f ms, p99 %.3f ms over %zu runs\n", pct(0.5), pct(0.99),
                 ms.size());
    for (int64_t b : batches) {
        Predictor p(*m.model, m.preprocessing, b, path, int8);
        const std::vector<float> x = benchInputs(m, b);
        p.outputs(x.data(), b);  // warm-up builds the plans
        int64_t samples = 0;
        const auto t0 = Clock::now();
        double elapsed = 0;
        do {
            p.outputs(x.data(), b);
            samples += b;
            elapsed = seconds(t0, Clock::now());
        } while (elapsed < 1.0);
        std::printf("{\"bench\":\"throughput\",\"device\":%s,\"batch\":%lld,\"samples_per_sec\":%.1f}\n",
                    quoted(device).c_str(), static_cast<long long>(b), double(samples) / elapsed);
        std::fprintf(stderr, "batch %lld: %.0f samples/s\n", static_cast<long long>(b),
                     double(samples) / elapsed);
    }
    return 0;
}

}  // namespace

int runPredict(int argc, char** argv) {
    Args args(argc, argv, 2, {"help", "json", "csv", "bench", "layer-by-layer"},
              {"input", "text", "batch-size", "device", "threads", "bench-batches"});
    if (args.flag("help")) {
        std::fputs(kPredictHelp, stdout);
        return 0;
    }
    if (args.positional().size() != 1)
        throwBadInput("predict needs exactly one model file (see neurite-cli predict --help)");
    if (args.flag("json") && args.flag("csv")) throwBadInput("give --json or --csv, not both");
    const auto input = args.str("input");
    const auto text = args.str("text");
    if (input && text) throwBadInput("give --input or --text, not both");
    if (!input && !text && !args.flag("bench"))
        throwBadInput("predict needs --input FILE (or --text, or --bench); see neurite-cli predict --help");
    const int64_t batch = args.integer("batch-size", 1, 1 << 20).value_or(256);
    const std::string device = args.str("device").value_or("cpu");
    std::string note;
    Backend& backend = backendFor(device, &note);
    if (!note.empty()) std::fprintf(stderr, "%s\n", note.c_str());
    backend.setThreads(static_cast<int>(args.integer("threads", 0, 4096).value_or(0)));

    NativeModel m = loadNativeModel(args.positional()[0], backend);
    const InferencePath path = args.flag("layer-by-layer") ? InferencePath::LayerByLayer : InferencePath::Compiled;
    if (m.int8 && !backend.device().isCpu())
        throwBadInput("this is an int8 model: Neurite's int8 runtime runs on the CPU; use --device cpu");
    const Model::Int8Spec* int8 = m.int8 ? &*m.int8 : nullptr;
    if (args.flag("bench")) {
        std::vector<int64_t> batches{32, 256};
        if (std::find(batches.begin(), batches.end(), batch) == batches.end()) batches.push_back(batch);
        if (auto list = args.str("bench-batches")) batches = batchList(*list);
        return runBenchmark(m, backend.device().str(), batches, path, int8);
    }
    if (args.str("bench-batches")) throwBadInput("--bench-batches goes with --bench");

    const bool textModel = m.preprocessing.text.fitted();
    if (text && !textModel)
        throwBadInput("--text needs a text model; this model takes " + m.sampleShape().str() +
                      " values per sample: give --input FILE");
    std::vector<int64_t> lines;
    const RawInputs raw = text        ? encodeTextInputs({*text}, m.preprocessing.text, "--text")
                          : textModel ? readTextLines(*input, m.preprocessing.text, &lines)
                                      : readRawInputs(*input, m.sampleShape());
    Predictor predictor(*m.model, m.preprocessing, batch, path, int8);
    const bool csv = args.flag("csv");
    if (csv) {
        std::string header = m.isClassifier() ? "predicted" : "";
        if (m.isClassifier())
            for (const auto& c : m.classNames) header += ",p_" + c;
        else
            for (int64_t u = 0; u < predictor.units(); ++u) {
                header += u ? ",value_" : "value_";
                header += std::to_string(u);
            }
        std::printf("%s\n", header.c_str());
    }
    // Chunks keep memory bounded and let people see progress on large inputs.
    const int64_t chunk = std::max<int64_t>(batch, 4096);
    const auto values = static_cast<std::size_t>(m.sampleShape().numel());
    for (int64_t start = 0; start < raw.count; start += chunk) {
        const int64_t n = std::min(chunk, raw.count - start);
        const std::vector<float> out =
            predictor.outputs(raw.values.data() + static_cast<std::size_t>(start) * values, n);
        printResults(m, out, predictor.units(), start, csv, &lines);
        if (raw.count > chunk)
            std::fprintf(stderr, "predicted %lld of %lld samples\n",
                         static_cast<long long>(start + n), static_cast<long long>(raw.count));
    }
    return 0;
}

}  // namespace neurite::cli
