// neurite-cli data inspect SOURCE: what a source holds before any split or scaling: samples,
// feature count or image shape, classes with counts, value ranges and missing values.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "data/data_source.h"
#include "data/preprocess.h"
#include "io/json_text.h"
#include "io/project.h"

namespace neurite::cli {

namespace {

const char* kDataHelp =
    "usage: neurite-cli data inspect SOURCE [--target COL] [--json]\n"
    "       neurite-cli data split PROJECT -o DIR\n"
    "  SOURCE         a data source spec (docs/data.md), e.g. builtin:iris,\n"
    "                 csv:data.csv?target=label, synthetic:moons?samples=500\n"
    "  --target COL   csv: the target column, a name or 0-based index (default: the last)\n"
    "  --json         one JSON object on stdout instead of the table\n"
    "  split          writes the project's train/validation/test splits, as training makes them\n"
    "                 (same seed), to DIR/train.csv, validation.csv, test.csv: label,text for text\n"
    "                 sources, else the label (or targets) and the raw feature values (a series\n"
    "                 window as NAME_t-LAG, oldest first); so another tool can be compared on\n"
    "                 exactly the same split\n"
    "  -o, --output DIR  the folder to write (created if missing)\n";

// Table rows are kept for up to this many features; images get one overall range.
constexpr int64_t kMaxFeatureRows = 200;

struct FeatureStats {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;
    int64_t values = 0, missing = 0;
};

std::vector<FeatureStats> featureStats(const Dataset& ds, bool perFeature) {
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    std::vector<FeatureStats> stats(perFeature ? d : 1);
    for (const DataSplit* s : {&ds.train, &ds.test})
        for (std::size_t r = 0; r < static_cast<std::size_t>(s->count); ++r)
            for (std::size_t i = 0; i < d; ++i) {
                const double v = s->dtype == DType::U8 ? double(s->bytes[r * d + i]) : double(s->f32()[r * d + i]);
                FeatureStats& f = stats[perFeature ? i : 0];
                if (std::isnan(v)) {
                    ++f.missing;
                    continue;
                }
                f.min = std::min(f.min, v);
                f.max = std::max(f.max, v);
                f.sum += v;
                ++f.values;
            }
    return stats;
}

// The double nearest to the float's shortest decimal text: 6.9f is written 6.9, not 6.90000009.
double asWritten(double v) {
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
    return std::strtod(std::string(buf, res.ptr).c_str(), nullptr);
}

nlohmann::ordered_json statsJson(const FeatureStats& f, const std::string& name) {
    nlohmann::ordered_json j;
    if (!name.empty()) j["name"] = name;
    j["min"] = f.values ? nlohmann::ordered_json(asWritten(f.min)) : nlohmann::ordered_json();
    j["max"] = f.values ? nlohmann::ordered_json(asWritten(f.max)) : nlohmann::ordered_json();
    j["mean"] = f.values ? nlohmann::ordered_json(f.sum / double(f.values)) : nlohmann::ordered_json();
    j["missing"] = f.missing;
    return j;
}

int inspect(const std::string& spec, const std::string& target, bool json) {
    DataConfig cfg;
    cfg.source = spec;
    cfg.target = target;
    const Dataset ds = loadSource(cfg);
    const bool tabular = ds.sampleShape.rank() == 1 && ds.sampleShape.numel() <= kMaxFeatureRows;
    const std::vector<FeatureStats> stats = featureStats(ds, tabular);
    std::vector<int64_t> counts = classCounts(ds.train, ds.numClasses);
    const std::vector<int64_t> testCounts = classCounts(ds.test, ds.numClasses);
    for (std::size_t c = 0; c < counts.size(); ++c) counts[c] += testCounts[c];

    nlohmann::ordered_json j;
    j["source"] = spec;
    j["samples"] = ds.train.count + ds.test.count;
    j["source_test_samples"] = ds.test.count;
    j["sample_shape"] = std::vector<int64_t>(ds.sampleShape.begin(), ds.sampleShape.end());
    j["features"] = ds.sampleShape.numel();
    if (ds.textSource) j["text"] = true;  // samples are raw texts until a project's split fits the vocabulary
    j["dtype"] = ds.train.dtype == DType::U8 ? "uint8" : "float32";
    j["task"] = ds.numClasses > 0 ? "classification" : "regression";
    if (ds.numClasses > 0) {
        nlohmann::ordered_json classes = nlohmann::ordered_json::array();
        for (std::size_t c = 0; c < counts.size(); ++c)
            classes.push_back({{"name", ds.classNames[c]}, {"count", counts[c]}});
        j["classes"] = classes;
    } else {
        j["targets"] = ds.targetDim;
    }
    if (tabular) {
        nlohmann::ordered_json cols = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < stats.size(); ++i) {
            cols.push_back(statsJson(stats[i], i < ds.featureNames.size() ? ds.featureNames[i]
                                                                         : "feature " + std::to_string(i)));
        }
        j["columns"] = cols;
    } else {
        j["value_range"] = statsJson(stats[0], "");
    }
    j["notes"] = ds.notes;
    if (json) {
        std::printf("%s\n", io::dumpJson(j).c_str());
        return 0;
    }

    std::printf("source   %s\n", spec.c_str());
    std::printf("samples  %lld", static_cast<long long>(ds.train.count + ds.test.count));
    if (ds.test.count > 0)
        std::printf(" (%lld train + %lld in the source's test set)", static_cast<long long>(ds.train.count),
                    static_cast<long long>(ds.test.count));
    if (ds.textSource)
        std::printf("\ntexts    raw; the vocabulary is fitted on the training split when a project loads them\n");
    else
        std::printf("\n%-8s %s, %s\n", tabular ? "features" : "shape",
                tabular ? std::to_string(ds.sampleShape.numel()).c_str() : ds.sampleShape.str().c_str(),
                ds.train.dtype == DType::U8 ? "uint8" : "float32");
    if (ds.numClasses > 0) {
        std::printf("task     classification, %d classes\n", ds.numClasses);
        for (std::size_t c = 0; c < counts.size(); ++c)
            std::printf("  %-24s %8lld  %5.1f%%\n", ds.classNames[c].c_str(), static_cast<long long>(counts[c]),
                        100.0 * double(counts[c]) / double(std::max<int64_t>(1, ds.train.count + ds.test.count)));
    } else {
        std::printf("task     regression, %d target%s\n", ds.targetDim, ds.targetDim == 1 ? "" : "s");
    }
    auto row = [](const char* name, const FeatureStats& f) {
        if (f.values)
            std::printf("  %-32s %12.6g %12.6g %12.6g %8lld\n", name, f.min, f.max, f.sum / double(f.values),
                        static_cast<long long>(f.missing));
        else
            std::printf("  %-32s %12s %12s %12s %8lld\n", name, "-", "-", "-", static_cast<long long>(f.missing));
    };
    if (!ds.textSource) {  // a text source has no values before its vocabulary exists
        std::printf("%-34s %12s %12s %12s %8s\n", tabular ? "columns" : "values", "min", "max", "mean", "missing");
        if (tabular)
            for (std::size_t i = 0; i < stats.size(); ++i)
                row(i < ds.featureNames.size() ? ds.featureNames[i].c_str() : ("feature " + std::to_string(i)).c_str(),
                    stats[i]);
        else
            row("all features", stats[0]);
    }
    for (const auto& note : ds.notes) std::printf("note: %s\n", note.c_str());
    return 0;
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void writeSplit(const Dataset& ds, const DataSplit& split, const std::filesystem::path& file) {
    std::ofstream out(file, std::ios::binary);
    if (!out) throw Error(ErrorKind::Io, "cannot write " + file.string());
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    const std::size_t targets = split.count > 0 ? split.targets.size() / static_cast<std::size_t>(split.count) : 0;
    const bool text = ds.textSource;
    if (ds.numClasses > 0) out << "label";
    for (std::size_t t = 0; t < targets; ++t) out << (t || ds.numClasses > 0 ? "," : "") << "target_" << t;
    if (text)
        out << ",text";
    else if (ds.seriesChannels > 0)  // a window: each channel at each lag, oldest first
        for (std::size_t i = 0; i < d; ++i) {
            const auto c = static_cast<std::size_t>(static_cast<int64_t>(i) % ds.seriesChannels);
            const int64_t lag = ds.sampleShape[0] - static_cast<int64_t>(i) / ds.seriesChannels;
            out << "," << csvField((c < ds.featureNames.size() ? ds.featureNames[c] : "f" + std::to_string(c)) + "_t-" +
                                   std::to_string(lag));
        }
    else
        for (std::size_t i = 0; i < d; ++i)
            out << "," << csvField(i < ds.featureNames.size() ? ds.featureNames[i] : "f" + std::to_string(i));
    out << "\n";
    char buf[32];
    for (std::size_t r = 0; r < static_cast<std::size_t>(split.count); ++r) {
        if (ds.numClasses > 0) out << csvField(ds.classNames[static_cast<std::size_t>(split.labels[r])]);
        for (std::size_t t = 0; t < targets; ++t) {
            const auto res = std::to_chars(buf, buf + sizeof buf, split.targets[r * targets + t]);
            out << (t || ds.numClasses > 0 ? "," : "") << std::string(buf, res.ptr);
        }
        if (text) {
            out << "," << csvField(split.texts[r]);
        } else {
            for (std::size_t i = 0; i < d; ++i) {
                const auto res = std::to_chars(buf, buf + sizeof buf, split.value(r * d + i));
                out << "," << std::string(buf, res.ptr);
            }
        }
        out << "\n";
    }
    out.flush();
    if (!out) throw Error(ErrorKind::Io, "cannot write " + file.string());
}

int splitProject(const std::string& projectPath, const std::string& dir) {
    std::vector<std::string> warnings;
    const ProjectDocument project = loadProject(projectPath, &warnings);
    const Dataset ds = loadDataset(project.data, project.training.seed);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorKind::Io, "cannot create " + dir + ": " + ec.message());
    for (const auto& [name, split] : {std::pair<const char*, const DataSplit*>{"train", &ds.train},
                                      {"validation", &ds.validation},
                                      {"test", &ds.test}}) {
        const std::filesystem::path file = std::filesystem::path(dir) / (std::string(name) + ".csv");
        writeSplit(ds, *split, file);
        std::printf("%s: %lld samples\n", file.string().c_str(), static_cast<long long>(split->count));
    }
    return 0;
}

} // namespace

int runData(int argc, char** argv) {
    // "-o DIR" is the short form of --output, as for export.
    std::vector<std::string> words(argv, argv + argc);
    for (std::string& w : words)
        if (w == "-o") w = "--output";
    std::vector<char*> ptrs;
    for (std::string& w : words) ptrs.push_back(w.data());
    Args args(argc, ptrs.data(), 2, {"json", "help"}, {"target", "output"});
    if (args.flag("help")) {
        std::fputs(kDataHelp, stdout);
        return 0;
    }
    const auto& pos = args.positional();
    if (!pos.empty() && pos[0] == "split") {
        if (pos.size() != 2 || !args.str("output"))
            throwBadInput("data split needs one project and -o DIR, e.g. data split p.neurite.json -o splits");
        return splitProject(pos[1], *args.str("output"));
    }
    if (pos.empty() || pos[0] != "inspect")
        throwBadInput("data needs a subcommand: data inspect SOURCE or data split PROJECT -o DIR (see "
                      "neurite-cli data --help)");
    if (pos.size() != 2)
        throwBadInput("data inspect needs exactly one source, e.g. data inspect builtin:iris");
    return inspect(pos[1], args.str("target").value_or(""), args.flag("json"));
}

} // namespace neurite::cli
