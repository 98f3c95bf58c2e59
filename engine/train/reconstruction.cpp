// Reconstructing held-out samples with the model in inference mode.
#include "train/reconstruction.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "data/data_source.h"

namespace neurite {

Reconstructions reconstructSamples(Model& model, const Dataset& data, int64_t count) {
    const Shape& sh = data.sampleShape;
    if (!isImageShape(sh))
        throwBadInput("reconstructions need image samples [1 or 3, H, W], got " + sh.str());
    const DataSplit& split = data.validation.count > 0 ? data.validation : data.train;
    Reconstructions r;
    r.sampleShape = sh;
    r.count = std::clamp<int64_t>(count, 0, split.count);
    if (r.count == 0) return r;
    const int64_t per = sh.numel();
    std::vector<int64_t> rows(static_cast<std::size_t>(r.count));
    std::iota(rows.begin(), rows.end(), 0);
    r.inputs.resize(static_cast<std::size_t>(r.count * per));
    gatherFeatures(data, split, rows, r.inputs.data());

    Backend& be = model.backend();
    Tensor x = Tensor::empty(be, Shape{r.count, sh[0], sh[1], sh[2]});
    be.copyFromHost(x, r.inputs.data());
    const Tensor& out = model.forward(x, false, 0, 0);
    if (out.numel() != r.count * per)
        throwBadInput("the model's output " + out.shape().str() + " does not hold one value per input value of " +
                      x.shape().str() + ": it cannot be shown as a reconstruction");
    r.outputs.resize(r.inputs.size());
    be.copyToHost(r.outputs.data(), out);
    for (int64_t i = 0; i < r.count; ++i) {
        const float* in = r.inputs.data() + i * per;
        const auto [lo, hi] = std::minmax_element(in, in + per);
        r.inputImages.push_back(sampleImage(in, sh, *lo, *hi));
        r.outputImages.push_back(sampleImage(r.outputs.data() + i * per, sh, *lo, *hi));
    }
    return r;
}

}  // namespace neurite
