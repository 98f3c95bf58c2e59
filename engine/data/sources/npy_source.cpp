// The npy source: a features array [N, ...] and a labels array [N] (class indices) or [N] / [N, D]
// regression targets. uint8 features stay uint8 (images), everything else becomes float32.
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "data/sources.h"
#include "data/sources/npy_reader.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

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
    if (y.shape.empty() || y.shape.size() > 2 || y.shape[0] != x.shape[0])
        throwBadInput(yPath + ": labels must have shape (" + std::to_string(x.shape[0]) +
                      ",) or (" + std::to_string(x.shape[0]) + ", D) to match " + xPath);

    Dataset ds;
    if (x.shape.size() == 3) ds.sampleShape.push(1);  // (N, H, W) grey images
    for (std::size_t d = 1; d < x.shape.size(); ++d) ds.sampleShape.push(x.shape[d]);
    DataSplit& train = ds.train;
    train.count = x.shape[0];
    const int64_t n = x.numel();
    if (x.kind == 'u' && x.itemSize == 1) {
        train.dtype = DType::U8;
        train.bytes = x.data;
    } else {
        train.dtype = DType::F32;
        train.bytes.resize(static_cast<std::size_t>(n) * sizeof(float));
        float* dst = reinterpret_cast<float*>(train.bytes.data());
        for (int64_t i = 0; i < n; ++i) {
            dst[i] = static_cast<float>(x.at(i));
            if (!std::isfinite(dst[i]))
                throwBadInput(xPath + ": element " + std::to_string(i) + " is " +
                              std::to_string(x.at(i)) + "; features must be finite");
        }
    }

    bool integral = y.shape.size() == 1;
    for (int64_t i = 0; i < y.numel() && integral; ++i)
        integral = y.at(i) == std::floor(y.at(i)) && y.at(i) >= 0 && y.at(i) < 100000;
    const bool regression = task == "regression" || (task == "auto" && !integral);
    if (!regression) {
        if (!integral)
            throwBadInput(yPath + ": class labels must be integers 0..K-1 in shape (N,); for "
                                  "real-valued targets use task=regression");
        int maxLabel = 0;
        for (int64_t i = 0; i < y.numel(); ++i) {
            train.labels.push_back(static_cast<int32_t>(y.at(i)));
            maxLabel = std::max(maxLabel, int{train.labels.back()});
        }
        ds.numClasses = maxLabel + 1;
        if (ds.numClasses < 2) throwBadInput(yPath + ": classification needs at least 2 classes");
        for (int c = 0; c < ds.numClasses; ++c) ds.classNames.push_back(std::to_string(c));
    } else {
        ds.targetDim = y.shape.size() == 2 ? static_cast<int>(y.shape[1]) : 1;
        for (int64_t i = 0; i < y.numel(); ++i) train.targets.push_back(static_cast<float>(y.at(i)));
    }
    return ds;
}

} // namespace neurite
