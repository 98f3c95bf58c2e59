// neurite-cli bench: trains the two reference models (docs/performance.md) on Fashion-MNIST and
// prints one JSON line per model with throughput, achieved GFLOP/s and the fraction of this
// machine's measured fp32 GEMM peak. tests/bench/compare_torch.py runs it beside PyTorch.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "devices/device_registry.h"
#include "cli.h"
#include "core/error.h"
#include "core/random.h"
#include "data/data_source.h"
#include "graph/model.h"
#include "train/trainer.h"
#include "io/json_text.h"

namespace neurite::cli {

namespace {

// The text models read sequences of kTextSteps token ids of a kTextVocabulary-word vocabulary.
constexpr int64_t kTextSteps = 100, kTextVocabulary = 20000;

bool isTextModel(const std::string& name) { return name.rfind("text-", 0) == 0; }

// mlp = Flatten, Dense 256, ReLU, Dense 128, ReLU, Dense 10.
// cnn = Conv 3x3 32 same, ReLU, MaxPool 2, Conv 3x3 64 same, ReLU, MaxPool 2, Flatten,
//       Dense 128, ReLU, Dense 10.
// lstm, gru = the image row by row (28 steps of 28 pixels) into LSTM/GRU 128, Dense 10.
// text-lstm, text-gru = Embedding(20000, 64), LSTM/GRU 128, Dense 10 over 100 token ids.
// text-cnn = Embedding(20000, 64), Conv1D 128 k5 same, ReLU, GlobalMaxPool1D, Dense 10.
std::vector<Node> referenceModel(const std::string& name) {
    std::vector<Node> n{makeNode("input", "Input", {})};
    auto chain = [&](std::string id, std::string op, std::map<std::string, ParamValue> p = {}) {
        n.push_back(makeNode(std::move(id), std::move(op), {n.back().id}, std::move(p)));
    };
    if (isTextModel(name)) {
        chain("embedding", "Embedding", {{"vocabulary_size", kTextVocabulary}, {"dimension", int64_t(64)}});
        if (name == "text-cnn") {
            chain("conv", "Conv1D", {{"filters", int64_t(128)}, {"kernel_size", int64_t(5)}, {"padding", std::string("same")}});
            chain("relu", "ReLU");
            chain("pool", "GlobalMaxPool1D");
        } else {
            chain("rnn", name == "text-lstm" ? "LSTM" : "GRU", {{"units", int64_t(128)}});
        }
    } else if (name == "lstm" || name == "gru") {  // the image read row by row: 28 steps of 28 pixels
        chain("rows", "Reshape", {{"shape", std::vector<int64_t>{28, 28}}});
        chain("rnn", name == "lstm" ? "LSTM" : "GRU", {{"units", int64_t(128)}});
    } else if (name == "cnn") {
        chain("conv1", "Conv2D", {{"filters", int64_t(32)}, {"kernel_size", std::vector<int64_t>{3, 3}}});
        chain("relu1", "ReLU");
        chain("pool1", "MaxPool2D");
        chain("conv2", "Conv2D", {{"filters", int64_t(64)}, {"kernel_size", std::vector<int64_t>{3, 3}}});
        chain("relu2", "ReLU");
        chain("pool2", "MaxPool2D");
        chain("flatten", "Flatten");
        chain("fc1", "Dense", {{"units", int64_t(128)}});
        chain("relu3", "ReLU");
    } else {
        chain("flatten", "Flatten");
        chain("fc1", "Dense", {{"units", int64_t(256)}});
        chain("relu1", "ReLU");
        chain("fc2", "Dense", {{"units", int64_t(128)}});
        chain("relu2", "ReLU");
    }
    chain("logits", "Dense", {{"units", int64_t(10)}});
    return n;
}

// Best of several large fp32 GEMMs (as a dense layer forward), in GFLOP/s.
double measureGemmPeak(Backend& be) {
    const int64_t m = 1024, k = 1024, n = 1024;
    auto plan = be.makeDense({m, k, n, false});
    Tensor a = Tensor::empty(be, Shape{m, k}), w = Tensor::empty(be, Shape{n, k}),
           c = Tensor::empty(be, Shape{m, n});
    be.fill(a, 0.5f);
    be.fill(w, 0.25f);
    double best = 0;
    for (int i = 0; i < 12; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        plan->forward(a, w, nullptr, c);
        // a GPU runs asynchronously: reading one value back waits for the GEMM
        if (!be.device().isCpu()) {
            float one = 0.f;
            be.copyToHost(&one, c.slice(0, Shape{1}));
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (i >= 2) best = std::max(best, 2.0 * m * k * n / s / 1e9);
    }
    return best;
}

class Quiet : public TrainObserver {};

// Random token ids (1..vocabulary-1; 0 is padding) with random labels of 10 classes: the text
// models' speed does not depend on what the texts say. tests/bench/torch_reference.py draws the
// same sizes.
Dataset tokenData(uint64_t seed) {
    Dataset ds;
    ds.source = "random token ids";
    ds.sampleShape = Shape{kTextSteps};
    ds.numClasses = 10;
    for (int c = 0; c < 10; ++c) ds.classNames.push_back(std::to_string(c));
    Rng rng(seed ^ 0x7e47ull);
    auto fill = [&](DataSplit& split, int64_t count) {
        split.count = count;
        split.bytes.resize(static_cast<std::size_t>(count * kTextSteps) * sizeof(float));
        float* ids = reinterpret_cast<float*>(split.bytes.data());
        for (int64_t i = 0; i < count * kTextSteps; ++i)
            ids[i] = static_cast<float>(1 + rng.next() % static_cast<uint64_t>(kTextVocabulary - 1));
        for (int64_t i = 0; i < count; ++i) split.labels.push_back(static_cast<int32_t>(rng.next() % 10));
    };
    fill(ds.train, 10000);
    fill(ds.test, 1000);
    return ds;
}

}  // namespace

int runBench(int argc, char** argv) {
    Args args(argc, argv, 2, {"json", "help"},
              {"model", "batch-size", "threads", "epochs", "max-steps", "seed", "data", "precision",
               "pipeline", "device", "readback-steps"});
    if (args.flag("help")) {
        std::puts("usage: neurite-cli bench [--model mlp|cnn|lstm|gru|text-lstm|text-gru|text-cnn|all]\n"
                  "                         [--batch-size 64]\n"
                  "                         [--threads N]\n"
                  "                         [--epochs 1] [--max-steps N] [--seed 0] [--data SPEC]\n"
                  "                         [--precision fp32|bf16] [--pipeline device|host] [--json]\n"
                  "                         [--device cpu|cuda|cuda:N] [--readback-steps N]\n"
                  "  text-*: Embedding(20000, 64) over 100 random token ids (10,000 training samples),\n"
                  "          then LSTM 128, GRU 128, or Conv1D 128 k5 + global max pooling; Dense 10\n"
                  "  --pipeline host: batches prepared by the background thread (as with augmentation);\n"
                  "                   reports the share of step time spent waiting on data\n"
                  "  --readback-steps N: read the steps' losses back N at a time (default: every\n"
                  "                   step on the CPU, up to 256 on a GPU); 1 measures what a\n"
                  "                   read-back per step costs (docs/gpu.md)\n"
                  "  The timed epochs follow 5 untimed warm-up steps of the same model, as in\n"
                  "  tests/bench/torch_reference.py.");
        return 0;
    }
    const std::string which = args.str("model").value_or("all");
    const std::vector<std::string> models{"mlp", "cnn", "lstm", "gru", "text-lstm", "text-gru", "text-cnn"};
    if (which != "all" && std::find(models.begin(), models.end(), which) == models.end())
        throwBadInput("--model must be mlp, cnn, lstm, gru, text-lstm, text-gru, text-cnn or all (mlp and cnn), got '" +
                      which + "'");
    TrainConfig cfg;
    cfg.epochs = static_cast<int>(args.integer("epochs", 1, 1000).value_or(1));
    cfg.batchSize = static_cast<int>(args.integer("batch-size", 1, 65536).value_or(64));
    cfg.threads = static_cast<int>(args.integer("threads", 0, 4096).value_or(0));
    cfg.seed = static_cast<uint64_t>(args.integer("seed", 0, 1LL << 62).value_or(0));
    cfg.maxSteps = args.integer("max-steps", 1, 1LL << 40).value_or(0);
    const int readbackSteps = static_cast<int>(args.integer("readback-steps", 1, 4096).value_or(0));
    const std::string precision = args.str("precision").value_or("fp32");
    if (precision != "fp32" && precision != "bf16")
        throwBadInput("--precision must be fp32 or bf16, got '" + precision + "'");
    cfg.optimizer.kind = OptimizerKind::Adam;
    cfg.optimizer.lr = 1e-3f;

    DataConfig dc;
    dc.source = args.str("data").value_or("builtin:fashion-mnist");
    dc.validationSplit = 0;
    const std::string pipeline = args.str("pipeline").value_or("device");
    if (pipeline != "device" && pipeline != "host")
        throwBadInput("--pipeline must be device or host, got '" + pipeline + "'");
    Dataset data = isTextModel(which) ? tokenData(cfg.seed) : loadDataset(dc, cfg.seed);
    data.hostPipeline = data.hostPipeline || pipeline == "host";
    Backend& be = backendFor(args.str("device").value_or("cpu"));
    be.setThreads(cfg.threads);
    if (precision == "bf16") {
        const Support sup = be.supports(Op::Dense, DType::BF16);
        if (!sup.ok) throw Error(ErrorKind::Unsupported, "precision bf16: " + sup.reason);
    }
    const double peak = measureGemmPeak(be);

    for (const std::string& name : models) {
        if (which == "all" && name != "mlp" && name != "cnn") continue;  // "all": the two image models
        if (which != "all" && which != name) continue;
        const std::vector<Node> nodes = referenceModel(name);
        const ResolvedGraph graph = resolveGraph(nodes, "", dataInfo(data));
        if (!graph.ok()) throwInternal("reference model " + name + ": " + graph.firstError());
        Model model(be, nodes, graph, cfg.seed);
        if (precision == "bf16") model.setCompute(DType::BF16);
        Quiet quiet;
        StopToken stop;
        {
            // As the PyTorch reference (tests/bench/torch_reference.py): 5 untimed steps first,
            // part of the same model's training, so that one-off costs (plans, algorithm
            // choice, the GPU's kernel loading) stay out of the measured epochs.
            TrainConfig warm = cfg;
            warm.epochs = 1;
            warm.maxSteps = 5;
            Trainer warmup(model, data, warm);
            warmup.run(quiet, stop);
        }
        Trainer trainer(model, data, cfg);
        trainer.setStepReadback(readbackSteps, 0.1);
        const FinishedEvent fin = trainer.run(quiet, stop);
        const double gflops = fin.samplesPerSec * 3.0 * model.forwardFlopsPerSample() / 1e9;
        nlohmann::json j{{"model", name},
                         {"framework", "neurite"},
                         {"device", be.name()},
                         {"threads", be.threads()},
                         {"precision", precision},
                         {"readback_steps", readbackSteps},  // 0: the trainer's default
                         {"batch_size", cfg.batchSize},
                         {"epochs", fin.epochs},
                         {"samples_per_sec", fin.samplesPerSec},
                         {"seconds", fin.seconds},
                         {"gflops", gflops},
                         {"peak_gflops", peak},
                         {"peak_fraction", peak > 0 ? gflops / peak : 0.0}};
        if (fin.testAccuracy) j["test_accuracy"] = *fin.testAccuracy;
        // Training time per epoch is samples / throughput; the wait is what the steps spent
        // blocked on the background pipeline within it.
        const int64_t perEpoch = cfg.maxSteps > 0 ? std::min<int64_t>(data.train.count, cfg.maxSteps * cfg.batchSize)
                                                  : data.train.count;
        const double trainSeconds =
            fin.samplesPerSec > 0 ? double(fin.epochs) * double(perEpoch) / fin.samplesPerSec : 0;
        const double waitShare =
            trainSeconds > 0 ? std::min(1.0, trainer.dataWaitSeconds() / trainSeconds) : 0.0;
        j["pipeline"] = pipeline;
        j["data_wait_fraction"] = waitShare;
        if (args.flag("json")) {
            std::printf("%s\n", io::dumpJson(j).c_str());
        } else {
            std::printf("%-4s %9.0f samples/s  %6.1f GFLOP/s (%4.1f%% of %.0f GFLOP/s GEMM peak)  test_acc %.4f"
                        "  data wait %.1f%% (%s pipeline)\n",
                        name.c_str(), fin.samplesPerSec, gflops, 100.0 * gflops / std::max(peak, 1e-9),
                        peak, fin.testAccuracy.value_or(0.0), 100.0 * waitShare, pipeline.c_str());
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace neurite::cli
