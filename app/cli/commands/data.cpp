// neurite-cli data inspect SOURCE: what a source holds before any split or scaling: samples,
// feature count or image shape, classes with counts, value ranges and missing values.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "data/data_source.h"
#include "data/preprocess.h"
#include "io/json_text.h"

namespace neurite::cli {

namespace {

const char* kDataHelp =
    "usage: neurite-cli data inspect SOURCE [--target COL] [--json]\n"
    "  SOURCE         a data source spec (docs/data.md), e.g. builtin:iris,\n"
    "                 csv:data.csv?target=label, synthetic:moons?samples=500\n"
    "  --target COL   csv: the target column, a name or 0-based index (default: the last)\n"
    "  --json         one JSON object on stdout instead of the table\n";

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
    std::printf("%-34s %12s %12s %12s %8s\n", tabular ? "columns" : "values", "min", "max", "mean", "missing");
    if (tabular)
        for (std::size_t i = 0; i < stats.size(); ++i)
            row(i < ds.featureNames.size() ? ds.featureNames[i].c_str() : ("feature " + std::to_string(i)).c_str(),
                stats[i]);
    else
        row("all features", stats[0]);
    for (const auto& note : ds.notes) std::printf("note: %s\n", note.c_str());
    return 0;
}

} // namespace

int runData(int argc, char** argv) {
    Args args(argc, argv, 2, {"json", "help"}, {"target"});
    if (args.flag("help")) {
        std::fputs(kDataHelp, stdout);
        return 0;
    }
    const auto& pos = args.positional();
    if (pos.empty() || pos[0] != "inspect")
        throwBadInput("data needs a subcommand: data inspect SOURCE (see neurite-cli data --help)");
    if (pos.size() != 2)
        throwBadInput("data inspect needs exactly one source, e.g. data inspect builtin:iris");
    return inspect(pos[1], args.str("target").value_or(""), args.flag("json"));
}

} // namespace neurite::cli
