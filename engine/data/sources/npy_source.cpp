// The npy source: a features array [N, ...] and a labels array: (N,) or (N, 1) class labels
// (distinct values are the classes) or (N,) / (N, D) regression targets. uint8 features stay uint8 (images), everything else becomes float32.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "data/sources.h"
#include "data/sources/class_labels.h"
#include "data/sources/npy_reader.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + (shape.size() == 1 ? ",)" : ")");
}

// Every element as float32; NaN, infinities and values beyond the float range are refused with
// their index (a finite 1e39 in a float64 file would otherwise become inf).
std::vector<float> floatValues(const NpyArray& a, const std::string& path, const char* what) {
    std::vector<float> out(static_cast<std::size_t>(a.numel()));
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double v = a.at(i);
        if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max())
            throwBadInput(path + ": element " + std::to_string(i) + " is " + labelName(v) + "; " +
                          what + " must be finite and within the float32 range (+-3.4e38)" +
                          (std::isnan(v) ? "; drop or fill the missing values before saving" : ""));
        out[static_cast<std::size_t>(i)] = static_cast<float>(v);
    }
    return out;
}

// Labels (N,) or (N, 1) with whole-number values are classes (distinct values in numeric order,
// as in the CSV source); other values, or (N, D) with D > 1, are regression targets.
void setLabels(Dataset& ds, const NpyArray& y, const std::string& yPath, const std::string& task) {
    const std::vector<float> values = floatValues(y, yPath, "labels");
    const bool column = y.shape.size() == 1 || y.shape[1] == 1;
    bool integral = column;
    for (std::size_t i = 0; i < values.size() && integral; ++i)
        integral = y.at(static_cast<int64_t>(i)) == std::floor(y.at(static_cast<int64_t>(i)));
    if (task == "regression" || (task == "auto" && !integral)) {
        ds.targetDim = y.shape.size() == 2 ? static_cast<int>(y.shape[1]) : 1;
        ds.train.targets = values;
        return;
    }
    if (!column)
        throwBadInput(yPath + ": class labels need shape (N,) or (N, 1), got " + shapeText(y.shape) +
                      "; for several regression targets use task=regression");
    // Class values exactly as stored (float64 labels need not be representable as float).
    std::vector<double> raw(values.size());
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = y.at(static_cast<int64_t>(i));
    const std::vector<double> classes = distinctValues({raw});
    if (classes.size() > kMaxClasses)
        throwBadInput(yPath + ": " + std::to_string(classes.size()) +
                      " distinct label values, too many classes (at most " +
                      std::to_string(kMaxClasses) + "); for a quantity use task=regression");
    if (classes.size() < 2)
        throwBadInput(yPath + ": every label is " + labelName(classes[0]) +
                      "; classification needs at least 2 classes");
    for (double v : raw) ds.train.labels.push_back(classIndex(classes, v));
    for (double v : classes) ds.classNames.push_back(labelName(v));
    ds.numClasses = static_cast<int>(classes.size());
    noteManyClasses(ds, ds.train.count, yPath);
}

} // namespace

Dataset loadNpySource(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    const SpecQuery q(parts.query, where, {"labels", "task"});
    const std::string task = q.choice("task", "auto", {"auto", "classification", "regression"});
    if (parts.path.empty()) throwBadInput(where + "give a path after npy:, for example npy:X.npy?labels=y.npy");
    std::string xPath = parts.path, yPath;
    std::error_code ec;
    if (fs::is_directory(parts.path, ec)) {
        xPath = (fs::path(parts.path) / "X.npy").string();
        yPath = (fs::path(parts.path) / "y.npy").string();
        if (!fs::exists(xPath, ec) || !fs::exists(yPath, ec))
            throwBadInput(where + parts.path + " must hold X.npy (features) and y.npy (labels)");
    } else {
        auto labels = q.str("labels");
        if (!labels)
            throwBadInput(where + "name the labels file: npy:" + parts.path + "?labels=y.npy");
        yPath = fs::path(*labels).is_absolute() ? *labels
                                                 : (fs::path(parts.path).parent_path() / *labels).string();
    }
    const NpyArray x = readNpy(xPath, where);
    const NpyArray y = readNpy(yPath, where);
    if (x.shape.size() < 2 || x.shape[0] == 0)
        throwBadInput(xPath + ": features must have shape (N, ...) with N > 0, got " +
                      std::to_string(x.shape.size()) + " dimensions");
    for (std::size_t dim = 1; dim < x.shape.size(); ++dim)
        if (x.shape[dim] == 0)
            throwBadInput(xPath + ": features have shape " + shapeText(x.shape) +
                          ", so no feature values per sample; save the (N, D) array with D > 0");
    if (y.shape.empty() || y.shape.size() > 2 || y.shape[0] != x.shape[0] ||
        (y.shape.size() == 2 && y.shape[1] == 0))
        throwBadInput(yPath + ": labels must have shape (" + std::to_string(x.shape[0]) +
                      ",) or (" + std::to_string(x.shape[0]) + ", D) to match " + xPath);

    Dataset ds;
    if (x.shape.size() == 3) ds.sampleShape.push(1);  // (N, H, W) grey images
    for (std::size_t d = 1; d < x.shape.size(); ++d) ds.sampleShape.push(x.shape[d]);
    DataSplit& train = ds.train;
    train.count = x.shape[0];
    if (x.kind == 'u' && x.itemSize == 1) {
        train.dtype = DType::U8;
        train.bytes = x.data;
    } else {
        train.dtype = DType::F32;
        const std::vector<float> values = floatValues(x, xPath, "features");
        train.bytes.resize(values.size() * sizeof(float));
        std::memcpy(train.bytes.data(), values.data(), train.bytes.size());
    }
    setLabels(ds, y, yPath, task);
    return ds;
}

} // namespace neurite
