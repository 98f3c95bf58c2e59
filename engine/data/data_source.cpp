// loadDataset: source spec dispatch, the seeded (stratified) train/validation/test split, and
// the steps fitted on the training split only (imputation, scaling, resampling, class weights),
// so that validation and test never leak into them. loadFolds does the same per k-fold fold.
#include "data/data_source.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "data/point_edits.h"
#include "data/preprocess.h"
#include "data/sources.h"
#include "data/spec_query.h"
#include "data/sources/embedded_files.h"
#include "data/split.h"

namespace neurite {

namespace {

const char* const kSpecHelp =
    "valid sources: \"builtin:fashion-mnist\", \"builtin:iris\", \"builtin:wine\", "
    "\"builtin:breast-cancer\", \"builtin:digits\", \"csv:PATH?target=COLUMN\", \"idx:PATH\", "
    "\"npy:X.npy?labels=y.npy\", \"cifar10:DIR\", \"images:DIR?size=32&color=rgb\", "
    "\"synthetic:NAME?samples=N&noise=X&seed=S\" (spiral, circles, moons, xor, linear, gaussian, blobs), "
    "\"text:FILE.csv?text=COLUMN&label=COLUMN\", \"text:DIR\" (one folder of .txt files per class), "
    "\"builtin:fortunes\", \"series:FILE.csv?lookback=N&horizon=N\", \"builtin:sunspots\", \"builtin:co2\", "
    "\"builtin:macrodata\"";

// builtin:fortunes: Debian's fortunes package, five of its categories as classes.
const char* const kFortunesDir = "/usr/share/games/fortunes";
const char* const kFortunesClasses = "computers,food,love,politics,science";

// The bundled series (resources/data, statsmodels' copies, public domain) and their defaults; a
// spec's own options ("builtin:sunspots?lookback=11") take precedence.
struct BundledSeries {
    const char* name;
    const char* file;
    const char* defaults;
};
const BundledSeries kBundledSeries[] = {
    {"sunspots", "sunspots.csv", "time=YEAR&targets=SUNACTIVITY&lookback=22"},
    {"co2", "co2.csv", "time=date&targets=co2&lookback=104&gaps=interpolate"},
    {"macrodata", "macrodata.csv",
     "time=none&inputs=realgdp,realcons,realinv,realgovt,realdpi,cpi,m1,tbilrate,unemp,infl&targets=unemp&lookback=8"},
};

const BundledSeries* bundledSeries(const std::string& name) {
    for (const BundledSeries& b : kBundledSeries)
        if (name == b.name) return &b;
    return nullptr;
}

Dataset loadBundledSeries(const BundledSeries& b, const std::string& given, const std::string& spec) {
    std::string query = given;
    std::stringstream defaults(b.defaults);
    std::string item;
    while (std::getline(defaults, item, '&')) {
        const std::string key = item.substr(0, item.find('='));
        if (("&" + given).find("&" + key + "=") == std::string::npos) query += (query.empty() ? "" : "&") + item;
    }
    return seriesFromText(std::string(embeddedFile(b.file)), b.file, query, spec);
}

Dataset readSource(const std::string& spec, const std::string& target) {
    const std::size_t colon = spec.find(':');
    const std::string scheme = colon == std::string::npos ? spec : spec.substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
    const std::string where = "data source \"" + spec + "\": ";
    if (!target.empty() && scheme != "csv")
        throwBadInput(where + "a target column applies to csv: sources only");
    if (scheme == "idx") {
        if (rest.empty())
            throwBadInput(where + "give a path after idx:, for example idx:/data/mnist");
        return loadIdxSource(rest, spec);
    }
    if (scheme == "csv") return loadCsvSource(rest, spec, target);
    if (scheme == "npy") return loadNpySource(rest, spec);
    if (scheme == "cifar10") return loadCifar10Source(rest, spec);
    if (scheme == "images") return loadImageFolderSource(rest, spec);
    if (scheme == "text") return loadTextSource(rest, spec);
    if (scheme == "series") return loadSeriesSource(rest, spec);
    if (scheme == "builtin") {
        if (isBuiltinTable(rest)) return loadBuiltinTable(rest, spec);
        const std::size_t q = rest.find('?');
        if (const BundledSeries* b = bundledSeries(rest.substr(0, q)))
            return loadBundledSeries(*b, q == std::string::npos ? std::string() : rest.substr(q + 1), spec);
        if (rest == "fortunes" || rest.rfind("fortunes?", 0) == 0) {
            std::error_code ec;
            if (!std::filesystem::is_directory(kFortunesDir, ec))
                throwBadInput(std::string("the fortunes data set was not found at ") + kFortunesDir +
                              "; install it with: sudo apt-get install fortunes");
            std::string fortunes = std::string(kFortunesDir) + "?format=fortune";
            if (rest.find("classes=") == std::string::npos) fortunes.append("&classes=").append(kFortunesClasses);
            if (rest.size() > 9) fortunes.append("&").append(rest, 9);  // the options after "fortunes?"
            return loadTextSource(fortunes, spec);
        }
        const std::size_t query = rest.find('?');
        if (rest.substr(0, query) != "fashion-mnist")
            throwBadInput(where + "unknown builtin dataset \"" + rest +
                          "\"; available: fashion-mnist, iris, wine, breast-cancer, digits, fortunes, sunspots, co2, "
                          "macrodata");
        std::error_code ec;
        if (!std::filesystem::is_directory(kFashionMnistDir, ec))
            throwBadInput(std::string("Fashion-MNIST not found at ") + kFashionMnistDir +
                          "; install it with: sudo apt-get install dataset-fashion-mnist");
        return loadIdxSource(std::string(kFashionMnistDir) + (query == std::string::npos ? "" : rest.substr(query)),
                             spec);
    }
    if (scheme == "synthetic") {
        const std::size_t q = rest.find('?');
        const std::string name = rest.substr(0, q);
        const std::string query = q == std::string::npos ? std::string() : rest.substr(q + 1);
        if (name == "spiral") return makeSpiral(query, spec);
        if (name == "circles" || name == "moons" || name == "xor" || name == "linear" || name == "gaussian" ||
            name == "blobs")
            return makeSynthetic(name, query, spec);
        throwBadInput(where + "unknown synthetic dataset \"" + name +
                      "\"; available: spiral, circles, moons, xor, linear, gaussian, blobs");
    }
    throwBadInput(where + "unknown scheme \"" + scheme + "\"; " + kSpecHelp);
}

void checkConfig(const DataConfig& cfg) {
    if (!(cfg.validationSplit >= 0 && cfg.testSplit >= 0 &&
          cfg.validationSplit + cfg.testSplit < 1))
        throwBadInput("data: validation_split and test_split must be >= 0 with a sum below 1");
    if (cfg.targetScaling != "standardize" && cfg.targetScaling != "none")
        throwBadInput("data: unknown target_scaling \"" + cfg.targetScaling +
                      "\"; expected standardize or none");
    for (const char* s : {"auto", "none", "unit", "standardize", "minmax"})
        if (cfg.scaling == s) return;
    throwBadInput("data: unknown scaling \"" + cfg.scaling +
                  "\"; expected one of: auto, none, unit, standardize, minmax");
}

std::vector<int64_t> rowRange(int64_t begin, int64_t end) {
    std::vector<int64_t> rows(static_cast<std::size_t>(std::max<int64_t>(end - begin, 0)));
    std::iota(rows.begin(), rows.end(), begin);
    return rows;
}

std::string windowRange(int64_t begin, int64_t end) {
    return end - begin == 1 ? std::to_string(begin + 1) : std::to_string(begin + 1) + ".." + std::to_string(end);
}

// Series windows: validation and test are the last windows, in time order, after dropping the
// purgeWindows windows before each boundary (their targets would overlap the next split's).
void splitChronological(Dataset& ds, const DataConfig& cfg) {
    const int64_t n = ds.train.count, purge = ds.purgeWindows;
    const auto nTest = static_cast<int64_t>(std::llround(static_cast<double>(n) * cfg.testSplit));
    const auto nVal = static_cast<int64_t>(std::llround(static_cast<double>(n) * cfg.validationSplit));
    const int64_t testStart = n - nTest;
    const int64_t valEnd = testStart - (nTest > 0 && nVal > 0 ? purge : 0);
    const int64_t valStart = valEnd - nVal;
    const int64_t trainEnd = valStart - (nVal > 0 || nTest > 0 ? purge : 0);
    if (trainEnd < 1 || valStart < 0)
        throwBadInput("data source \"" + ds.source + "\": " + std::to_string(n) +
                      " windows leave none for training after the validation and test spans" +
                      (purge > 0 ? " (and " + std::to_string(purge) + " windows dropped at each boundary)" : "") +
                      "; lower validation_split/test_split, lookback or horizon");
    const std::size_t rowBytes = rowBytesOf(ds, ds.train);
    DataSplit all = std::move(ds.train);
    const std::vector<int64_t> trainRows = rowRange(0, trainEnd), valRows = rowRange(valStart, valEnd),
                               testRows = rowRange(testStart, n);
    ds.train = takeRows(all, trainRows, rowBytes);
    ds.validation = takeRows(all, valRows, rowBytes);
    ds.test = takeRows(all, testRows, rowBytes);
    std::string note = "chronological split: training windows " + windowRange(0, trainEnd);
    if (nVal > 0) note += ", validation " + windowRange(valStart, valEnd);
    if (nTest > 0) note += ", test " + windowRange(testStart, n);
    note += " of " + std::to_string(n);
    if (purge > 0 && (nVal > 0 || nTest > 0))
        note += "; " + std::to_string(purge) + " windows dropped before each boundary, whose targets would reach into the next span";
    ds.notes.push_back(note);
}

void split(Dataset& ds, const DataConfig& cfg, uint64_t seed) {
    if (ds.chronological) {
        splitChronological(ds, cfg);
        return;
    }
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
    if (nVal == 0 && nTest == 0) return;
    // Validation and test come off the front of the order, so each holds the class proportions.
    std::vector<int64_t> perm = splitOrder(n, ds.train.labels, cfg.stratify && ds.numClasses > 0, seed);
    const std::size_t rowBytes = rowBytesOf(ds, ds.train);
    std::span<int64_t> all(perm);
    std::span<int64_t> trainRows = all.subspan(static_cast<std::size_t>(nVal + nTest));
    std::sort(trainRows.begin(), trainRows.end());  // keep the source's order within train
    DataSplit val = takeRows(ds.train, all.subspan(0, static_cast<std::size_t>(nVal)), rowBytes);
    if (!hasTest)
        ds.test = takeRows(ds.train, all.subspan(static_cast<std::size_t>(nVal), static_cast<std::size_t>(nTest)), rowBytes);
    ds.train = takeRows(ds.train, trainRows, rowBytes);
    ds.validation = std::move(val);
}

// Reconstruction (autoencoders): every split's targets become its samples as the model sees them,
// (raw * scale - mean) * invStd, and the class labels are dropped, so the run is a regression
// onto the input (mse or huber). Called after the scaling is fitted on the training split.
void toReconstruction(Dataset& ds) {
    const int64_t d = ds.sampleShape.numel();
    for (DataSplit* s : {&ds.train, &ds.validation, &ds.test}) {
        s->targets.resize(static_cast<std::size_t>(s->count * d));
        for (int64_t i = 0; i < s->count * d; ++i) {
            const auto at = static_cast<std::size_t>(i);
            const float raw = s->value(at);
            float v = raw * ds.scale;
            if (!ds.mean.empty()) {
                const auto f = static_cast<std::size_t>(i % d);
                v = (v - ds.mean[f]) * ds.invStd[f];
            }
            s->targets[at] = v;
        }
        s->labels.clear();
    }
    ds.notes.push_back("reconstruct: the targets are the " + std::to_string(d) +
                       " input values of each sample after scaling" +
                       (ds.numClasses > 0 ? "; its class labels are not used" : ""));
    ds.numClasses = 0;
    ds.classNames.clear();
    ds.targetDim = static_cast<int>(d);
}

// Everything fitted on the training split, in order: imputation, scaling (on the real training
// samples), the regression targets' scaling, resampling, class weights (on the resampled counts).
// Reconstruction targets are the scaled inputs already and keep no target scaling.
void fitOnTrain(Dataset& ds, const DataConfig& cfg, uint64_t seed) {
    if (ds.textSource) {
        encodeTexts(ds);
        if (cfg.balance == "smote")
            throwBadInput("data: balance \"smote\" interpolates between samples, which token ids are not; "
                          "use oversample, undersample or class_weights");
        if (cfg.reconstruct) throwBadInput("data: reconstruct needs numeric samples; a text source gives token ids");
        if (cfg.scaling != "auto" && cfg.scaling != "none")
            ds.notes.push_back("scaling \"" + cfg.scaling + "\" does not apply to token ids; they stay as they are");
    }
    imputeMissing(ds);
    if (ds.textSource) fitScaling(ds, "none");
    else fitScaling(ds, cfg.scaling);
    if (cfg.targetScaling == "standardize" && !cfg.reconstruct) fitTargetScaling(ds);
    rebalance(ds, cfg.balance, cfg.smoteK, seed);
    if (cfg.classWeights == "balanced") {
        if (ds.numClasses <= 0)
            throwBadInput("data: class_weights \"balanced\" needs class labels, but \"" + ds.source +
                          "\" has regression targets");
        ds.classWeights = balancedClassWeights(ds);
    } else if (cfg.classWeights != "none") {
        throwBadInput("data: unknown class_weights \"" + cfg.classWeights + "\"; expected none or balanced");
    }
    if (cfg.reconstruct) {
        if (!ds.classWeights.empty())
            throwBadInput("data: class_weights \"balanced\" weighs classes, but reconstruct "
                          "trains on the inputs themselves; set class_weights to none");
        toReconstruction(ds);
    }
}

} // namespace

Dataset loadSource(const DataConfig& cfg) {
    Dataset ds = readSource(cfg.source, cfg.target);
    ds.source = cfg.source;
    return ds;
}

Dataset loadDataset(const DataConfig& cfg, uint64_t seed) {
    checkConfig(cfg);
    Dataset ds = loadSource(cfg);
    split(ds, cfg, seed);
    applyPointEdits(ds, cfg.points);
    fitOnTrain(ds, cfg, seed);
    ds.augment = cfg.augment;
    ds.hostPipeline = cfg.augment.any();
    return ds;
}

namespace {

// A copy of `whole`'s description (not its splits) for one fold.
Dataset foldShell(const Dataset& whole) {
    Dataset ds;
    ds.source = whole.source;
    ds.sampleShape = whole.sampleShape;
    ds.numClasses = whole.numClasses;
    ds.targetDim = whole.targetDim;
    ds.classNames = whole.classNames;
    ds.featureNames = whole.featureNames;
    ds.targetNames = whole.targetNames;
    ds.notes = whole.notes;
    ds.imputation = whole.imputation;
    ds.textSource = whole.textSource;
    ds.text = whole.text;  // settings only: each fold fits its own vocabulary
    ds.chronological = whole.chronological;
    ds.purgeWindows = whole.purgeWindows;
    ds.seriesChannels = whole.seriesChannels;
    return ds;
}

// Time-series cross-validation with an expanding window (scikit-learn's TimeSeriesSplit): the
// windows before the test span form k + 1 equal blocks; fold f (1..k) trains on blocks 0..f-1
// and validates on block f, the purged windows before it left out.
std::vector<Dataset> chronologicalFolds(const Dataset& whole, const DataConfig& cfg, uint64_t seed, int k) {
    const int64_t n = whole.train.count, purge = whole.purgeWindows;
    const int64_t block = k >= 2 ? n / (k + 1) : 0;
    if (k < 2 || block - purge < 1)
        throwBadInput("data source \"" + cfg.source + "\": " + std::to_string(k) +
                      "-fold time-series cross-validation splits the " + std::to_string(n) +
                      " training windows into k + 1 blocks of at least " + std::to_string(purge + 1) +
                      " windows; use 2 <= k <= " + std::to_string(std::max<int64_t>(n / (purge + 1) - 1, 1)));
    const std::size_t rowBytes = rowBytesOf(whole, whole.train);
    std::vector<Dataset> folds;
    for (int f = 1; f <= k; ++f) {
        const int64_t valStart = f * block, valEnd = f == k ? n : (f + 1) * block, trainEnd = valStart - purge;
        Dataset ds = foldShell(whole);
        ds.train = takeRows(whole.train, rowRange(0, trainEnd), rowBytes);
        ds.validation = takeRows(whole.train, rowRange(valStart, valEnd), rowBytes);
        ds.test = whole.test;
        ds.notes.push_back("time-series fold " + std::to_string(f) + " of " + std::to_string(k) +
                           " (expanding window): training windows " + windowRange(0, trainEnd) + ", validation " +
                           windowRange(valStart, valEnd));
        fitOnTrain(ds, cfg, seed);
        ds.augment = cfg.augment;
        ds.hostPipeline = cfg.augment.any();
        folds.push_back(std::move(ds));
    }
    return folds;
}

}  // namespace

std::vector<Dataset> loadFolds(const DataConfig& cfg, uint64_t seed, int k) {
    checkConfig(cfg);
    if (!cfg.points.empty())
        throwBadInput("data.points: points edited by hand belong to one training split, and cross-validation makes " +
                      std::to_string(k) + " of them; train without --folds, or clear the edits");
    Dataset whole = loadSource(cfg);
    DataConfig testOnly = cfg;
    testOnly.validationSplit = 0;
    split(whole, testOnly, seed);  // the test split, if any, stays out of every fold
    const int64_t n = whole.train.count;
    if (whole.chronological) return chronologicalFolds(whole, cfg, seed, k);
    if (k < 2 || k > n)
        throwBadInput("data source \"" + cfg.source + "\": " + std::to_string(k) +
                      "-fold cross-validation needs 2 <= k <= " + std::to_string(n) +
                      " (the training samples)");
    if (whole.numClasses > 0 && cfg.stratify) {
        const std::vector<int64_t> counts = classCounts(whole.train, whole.numClasses);
        for (std::size_t c = 0; c < counts.size(); ++c)
            if (counts[c] > 0 && counts[c] < k)
                whole.notes.push_back("class " + whole.classNames[c] + " has only " +
                                      std::to_string(counts[c]) + " samples, fewer than the " +
                                      std::to_string(k) + " folds; some folds lack it");
    }
    // Stratified: the j-th sample of class c (in shuffled order) goes to fold (start_c + j) % k,
    // start_c being the number of samples of the classes before c, so that every fold holds
    // each class within one sample and the folds' sizes differ by at most one. Otherwise the
    // row at position p of the shuffle goes to fold p % k.
    const bool stratified = cfg.stratify && whole.numClasses > 0;
    const std::vector<int64_t> order = splitOrder(n, whole.train.labels, false, seed ^ 0xf01d5ull);
    std::vector<int> foldOf(static_cast<std::size_t>(n));
    std::vector<int64_t> next(static_cast<std::size_t>(std::max(whole.numClasses, 1)), 0);
    if (stratified) {
        const std::vector<int64_t> counts = classCounts(whole.train, whole.numClasses);
        for (std::size_t c = 1; c < next.size(); ++c) next[c] = next[c - 1] + counts[c - 1];
    }
    for (std::size_t p = 0; p < order.size(); ++p) {
        const auto row = static_cast<std::size_t>(order[p]);
        const int64_t slot = stratified ? next[static_cast<std::size_t>(whole.train.labels[row])]++
                                        : static_cast<int64_t>(p);
        foldOf[row] = static_cast<int>(slot % k);
    }
    const std::size_t rowBytes = rowBytesOf(whole, whole.train);
    std::vector<Dataset> folds;
    for (int f = 0; f < k; ++f) {
        std::vector<int64_t> trainRows, valRows;
        for (int64_t r = 0; r < n; ++r)
            (foldOf[static_cast<std::size_t>(r)] == f ? valRows : trainRows).push_back(r);
        Dataset ds = foldShell(whole);
        ds.train = takeRows(whole.train, trainRows, rowBytes);
        ds.validation = takeRows(whole.train, valRows, rowBytes);
        ds.test = whole.test;
        fitOnTrain(ds, cfg, seed);
        ds.augment = cfg.augment;
        ds.hostPipeline = cfg.augment.any();
        folds.push_back(std::move(ds));
    }
    return folds;
}

DataInfo dataInfo(const Dataset& ds) {
    DataInfo info;
    info.sampleShape = ds.sampleShape;
    info.outputUnits = ds.numClasses > 0 ? ds.numClasses : ds.targetDim;
    if (ds.text.fitted()) info.vocabularySize = ds.text.size();
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
