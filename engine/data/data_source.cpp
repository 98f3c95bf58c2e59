// loadDataset: source spec dispatch, the seeded train/validation/test split, and scaling
// fitted on the training split only (so validation and test never leak into it).
#include "data/data_source.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>

#include "core/error.h"
#include "data/random.h"
#include "data/sources.h"

namespace neurite {

namespace {

const char* const kSpecHelp = "valid sources: \"builtin:fashion-mnist\", \"idx:PATH\" (a directory "
                              "of IDX files or an images file), "
                              "\"synthetic:spiral?samples=N&classes=K&noise=X&seed=S\"";

Dataset readSource(const std::string& spec) {
    const std::size_t colon = spec.find(':');
    const std::string scheme = colon == std::string::npos ? spec : spec.substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
    const std::string where = "data source \"" + spec + "\": ";
    if (scheme == "idx") {
        if (rest.empty())
            throwBadInput(where + "give a path after idx:, for example idx:/data/mnist");
        return loadIdxSource(rest, spec);
    }
    if (scheme == "builtin") {
        if (rest != "fashion-mnist")
            throwBadInput(where + "unknown builtin dataset \"" + rest +
                          "\"; available: fashion-mnist");
        std::error_code ec;
        if (!std::filesystem::is_directory(kFashionMnistDir, ec))
            throwBadInput(std::string("Fashion-MNIST not found at ") + kFashionMnistDir +
                          "; install it with: sudo apt-get install dataset-fashion-mnist");
        return loadIdxSource(kFashionMnistDir, spec);
    }
    if (scheme == "synthetic") {
        const std::size_t q = rest.find('?');
        const std::string name = rest.substr(0, q);
        if (name != "spiral")
            throwBadInput(where + "unknown synthetic dataset \"" + name + "\"; available: spiral");
        return makeSpiral(q == std::string::npos ? std::string() : rest.substr(q + 1), spec);
    }
    throwBadInput(where + "unknown scheme \"" + scheme + "\"; " + kSpecHelp);
}

DataSplit takeRows(const DataSplit& src, std::span<const int64_t> rows, std::size_t rowBytes) {
    DataSplit out;
    out.dtype = src.dtype;
    out.count = static_cast<int64_t>(rows.size());
    out.bytes.resize(rows.size() * rowBytes);
    out.labels.reserve(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto r = static_cast<std::size_t>(rows[k]);
        std::memcpy(out.bytes.data() + k * rowBytes, src.bytes.data() + r * rowBytes, rowBytes);
        if (!src.labels.empty()) out.labels.push_back(src.labels[r]);
    }
    return out;
}

void split(Dataset& ds, const DataConfig& cfg, uint64_t seed) {
    const int64_t n = ds.train.count;
    const bool hasTest = ds.test.count > 0;
    const auto nTest =
        hasTest ? int64_t{0}
                : static_cast<int64_t>(std::llround(static_cast<double>(n) * cfg.testSplit));
    const auto nVal =
        static_cast<int64_t>(std::llround(static_cast<double>(n) * cfg.validationSplit));
    const int64_t nTrain = n - nVal - nTest;
    if (nTrain < 1)
        throwBadInput("data source \"" + ds.source + "\": " + std::to_string(n) +
                      " samples leave none for training after the validation and test splits; "
                      "lower validation_split/test_split or use more samples");
    std::vector<int64_t> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), int64_t{0});
    Rng(seed ^ 0x5eed5b117ull).shuffle(std::span<int64_t>(perm));
    const auto rowBytes =
        static_cast<std::size_t>(ds.sampleShape.numel()) * dtypeSize(ds.train.dtype);
    std::span<int64_t> all(perm);
    std::span<int64_t> trainRows = all.subspan(0, static_cast<std::size_t>(nTrain));
    std::sort(trainRows.begin(), trainRows.end()); // keep the source's order within train
    DataSplit val = takeRows(
        ds.train, all.subspan(static_cast<std::size_t>(nTrain), static_cast<std::size_t>(nVal)),
        rowBytes);
    if (!hasTest)
        ds.test =
            takeRows(ds.train, all.subspan(static_cast<std::size_t>(nTrain + nVal)), rowBytes);
    if (nTrain != n) ds.train = takeRows(ds.train, trainRows, rowBytes);
    ds.validation = std::move(val);
}

// Per-feature statistics of raw * scale over the training split.
void fitScaling(Dataset& ds, const std::string& mode) {
    const bool u8 = ds.train.dtype == DType::U8;
    ds.scale = u8 && mode != "none" ? 1.f / 255.f : 1.f;
    const bool standardize = mode == "standardize" || (mode == "auto" && !u8);
    const bool unitRange = mode == "unit" && !u8;
    if (!standardize && !unitRange) return;

    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    const auto n = static_cast<std::size_t>(ds.train.count);
    std::vector<double> a(d, 0.0), b(d, 0.0);
    std::vector<float> row(d);
    ds.mean.clear();
    for (std::size_t r = 0; r < n; ++r) {
        const int64_t index = static_cast<int64_t>(r);
        gatherFeatures(ds, ds.train, std::span<const int64_t>(&index, 1), row.data());
        for (std::size_t i = 0; i < d; ++i) {
            const double v = row[i];
            if (standardize) {
                a[i] += v;
                b[i] += v * v;
            } else {
                a[i] = r == 0 ? v : std::min(a[i], v);
                b[i] = r == 0 ? v : std::max(b[i], v);
            }
        }
    }
    ds.mean.assign(d, 0.f);
    ds.invStd.assign(d, 1.f);
    for (std::size_t i = 0; i < d; ++i) {
        if (standardize) {
            const double mean = a[i] / static_cast<double>(n);
            const double var = std::max(0.0, b[i] / static_cast<double>(n) - mean * mean);
            ds.mean[i] = static_cast<float>(mean);
            ds.invStd[i] = var > 1e-12 ? static_cast<float>(1.0 / std::sqrt(var)) : 1.f;
        } else {
            ds.mean[i] = static_cast<float>(a[i]);
            ds.invStd[i] = b[i] - a[i] > 1e-12 ? static_cast<float>(1.0 / (b[i] - a[i])) : 1.f;
        }
    }
}

} // namespace

Dataset loadDataset(const DataConfig& cfg, uint64_t seed) {
    if (!(cfg.validationSplit >= 0 && cfg.testSplit >= 0 &&
          cfg.validationSplit + cfg.testSplit < 1))
        throwBadInput("data: validation_split and test_split must be >= 0 with a sum below 1");
    if (cfg.scaling != "auto" && cfg.scaling != "none" && cfg.scaling != "unit" &&
        cfg.scaling != "standardize")
        throwBadInput("data: unknown scaling \"" + cfg.scaling +
                      "\"; expected one of: auto, none, unit, standardize");
    Dataset ds = readSource(cfg.source);
    ds.source = cfg.source;
    split(ds, cfg, seed);
    fitScaling(ds, cfg.scaling);
    return ds;
}

DataInfo dataInfo(const Dataset& ds) {
    DataInfo info;
    info.sampleShape = ds.sampleShape;
    info.outputUnits = ds.numClasses > 0 ? ds.numClasses : ds.targetDim;
    return info;
}

void gatherFeatures(const Dataset& ds, const DataSplit& split, std::span<const int64_t> rows,
                    float* dst) {
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    const bool standardized = ds.mean.size() == d;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        NEURITE_CHECK(rows[k] >= 0 && rows[k] < split.count, "row index out of range");
        const auto r = static_cast<std::size_t>(rows[k]);
        float* out = dst + k * d;
        if (split.dtype == DType::U8) {
            const uint8_t* src = split.bytes.data() + r * d;
            for (std::size_t i = 0; i < d; ++i)
                out[i] = static_cast<float>(src[i]) * ds.scale;
        } else {
            const float* src = split.f32() + r * d;
            for (std::size_t i = 0; i < d; ++i)
                out[i] = src[i] * ds.scale;
        }
        if (standardized)
            for (std::size_t i = 0; i < d; ++i)
                out[i] = (out[i] - ds.mean[i]) * ds.invStd[i];
    }
}

} // namespace neurite
