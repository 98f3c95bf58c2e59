// The validation windows through the model, in chunks, as the trainer's evaluation does.
#include "train/forecast.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "data/data_source.h"

namespace neurite {

Forecast forecastSplit(Model& model, const Dataset& data, int64_t maxWindows) {
    if (data.numClasses > 0 || data.targetDim < 1)
        throwBadInput("a forecast needs regression targets; this data has classes");
    const DataSplit& split = data.validation.count > 0 ? data.validation : data.train;
    Forecast f;
    f.split = data.validation.count > 0 ? "validation" : "training";
    f.columns = data.targetDim;
    f.count = std::clamp<int64_t>(maxWindows, 0, split.count);
    if (f.count == 0) return f;
    const int64_t per = data.sampleShape.numel();
    f.actual.assign(split.targets.begin(), split.targets.begin() + static_cast<std::ptrdiff_t>(f.count * f.columns));
    f.predicted.resize(f.actual.size());
    constexpr int64_t kChunk = 256;
    std::vector<float> x;
    std::vector<int64_t> rows;
    Backend& be = model.backend();
    for (int64_t first = 0; first < f.count; first += kChunk) {
        const int64_t n = std::min(kChunk, f.count - first);
        rows.resize(static_cast<std::size_t>(n));
        std::iota(rows.begin(), rows.end(), first);
        x.resize(static_cast<std::size_t>(n * per));
        gatherFeatures(data, split, rows, x.data());
        Shape shape;
        shape.push(n);
        for (int64_t d : data.sampleShape) shape.push(d);
        Tensor input = Tensor::empty(be, shape);
        be.copyFromHost(input, x.data());
        const Tensor& out = model.forward(input, false, 0, 0);
        if (out.numel() != n * f.columns)
            throwBadInput("the model's output " + out.shape().str() + " does not hold the " + std::to_string(f.columns) +
                          " targets of each window");
        float* dst = f.predicted.data() + first * f.columns;
        be.copyToHost(dst, out);
        if (data.targetScaling.active()) data.targetScaling.toOriginal(dst, n * f.columns);
    }
    return f;
}

}  // namespace neurite
