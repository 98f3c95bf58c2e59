#include "backend/plan_checks.h"

#include <cmath>
#include <sstream>
#include <string>

#include "core/error.h"

namespace neurite {

void requirePositive(const char* plan, std::initializer_list<std::pair<const char*, int64_t>> sizes) {
    for (const auto& [name, value] : sizes)
        if (value <= 0)
            throwBadInput(std::string(plan) + ": " + name + " must be positive, got " +
                          std::to_string(value));
}

void requireNonNegative(const char* plan,
                        std::initializer_list<std::pair<const char*, int64_t>> sizes) {
    for (const auto& [name, value] : sizes)
        if (value < 0)
            throwBadInput(std::string(plan) + ": " + name + " must not be negative, got " +
                          std::to_string(value));
}

void checkDenseDesc(const DenseDesc& d) {
    requirePositive("dense plan", {{"batch", d.batch}, {"inputs", d.inputs}, {"outputs", d.outputs}});
}

void checkConvDesc(const ConvDesc& d) {
    requirePositive("convolution plan", {{"batch", d.batch},
                                         {"input channels", d.inChannels},
                                         {"height", d.height},
                                         {"width", d.width},
                                         {"output channels", d.outChannels},
                                         {"kernel height", d.kernelH},
                                         {"kernel width", d.kernelW},
                                         {"stride height", d.strideH},
                                         {"stride width", d.strideW},
                                         {"dilation height", d.dilationH},
                                         {"dilation width", d.dilationW},
                                         {"groups", d.groups}});
    if (d.inChannels % d.groups != 0 || d.outChannels % d.groups != 0)
        throwBadInput("convolution plan: input channels " + std::to_string(d.inChannels) + " and output channels " +
                      std::to_string(d.outChannels) + " must both divide by groups " + std::to_string(d.groups));
    requireNonNegative("convolution plan", {{"top padding", d.padTop},
                                            {"left padding", d.padLeft},
                                            {"bottom padding", d.padBottom},
                                            {"right padding", d.padRight}});
    requireNonNegative("convolution plan",
                       {{"padded height minus kernel height (input too small for the kernel)",
                         d.height + d.padTop + d.padBottom - d.extentH()},
                        {"padded width minus kernel width (input too small for the kernel)",
                         d.width + d.padLeft + d.padRight - d.extentW()}});
    if (d.channelsLast && (d.height != 1 || d.kernelH != 1 || d.padTop != 0 || d.padBottom != 0))
        throwInternal("convolution plan: channels-last is for 1-D convolutions (height 1, kernel height 1, no "
                      "vertical padding), got height " + std::to_string(d.height));
}

void checkPoolDesc(const PoolDesc& d) {
    requirePositive("pooling plan", {{"batch", d.batch},
                                     {"channels", d.channels},
                                     {"height", d.height},
                                     {"width", d.width},
                                     {"kernel height", d.kernelH},
                                     {"kernel width", d.kernelW},
                                     {"stride height", d.strideH},
                                     {"stride width", d.strideW}});
    requireNonNegative("pooling plan", {{"top padding", d.padTop},
                                        {"left padding", d.padLeft},
                                        {"bottom padding", d.padBottom},
                                        {"right padding", d.padRight}});
    requireNonNegative("pooling plan",
                       {{"padded height minus window height (input too small for the window)",
                         d.height + d.padTop + d.padBottom - d.kernelH},
                        {"padded width minus window width (input too small for the window)",
                         d.width + d.padLeft + d.padRight - d.kernelW}});
}

void checkBatchNormDesc(const BatchNormDesc& d) {
    requirePositive("batch norm plan",
                    {{"batch", d.batch}, {"channels", d.channels}, {"spatial size", d.spatial}});
    if (!(d.epsilon > 0.f))
        throwBadInput("batch norm plan: epsilon must be positive, got " + std::to_string(d.epsilon));
}

void checkLayerNormDesc(const LayerNormDesc& d) {
    requirePositive("layer norm plan", {{"rows", d.rows}, {"features (last dimension)", d.features}});
    if (!(d.epsilon > 0.f) || !std::isfinite(d.epsilon))
        throwBadInput("layer norm plan: epsilon must be positive and finite, got " +
                      std::to_string(d.epsilon));
}

void checkRnnDesc(const RnnDesc& d) {
    requirePositive("recurrent plan", {{"batch", d.batch}, {"time steps", d.steps},
                                       {"input features", d.inputs}, {"units", d.hidden}});
}

namespace {

void requireF32Numel(const Tensor& t, int64_t numel, const char* what) {
    if (t.dtype() != DType::F32)
        throwInternal(std::string(what) + ": expected an fp32 tensor, got " + nameOf(t.dtype()));
    if (t.numel() != numel)
        throwInternal(std::string(what) + ": expected " + std::to_string(numel) +
                      " elements, got " + t.shape().str());
}

void requireIndices(const Tensor& indices, int64_t count, const char* op) {
    if (indices.dtype() != DType::I32 || indices.numel() < count || count < 0)
        throwInternal(std::string(op) + ": indices must be i32 with at least count entries");
}

}  // namespace

void checkBatchNormForward(const BatchNormDesc& d, bool training, const Tensor& src, const Tensor& gamma,
                           const Tensor& beta, const Tensor& runningMean, const Tensor& runningVar,
                           const Tensor& dst) {
    if (training && d.batch * d.spatial < 2)
        throwBadInput("batch norm training needs more than one value per channel; use a batch size above 1");
    const int64_t size = d.batch * d.channels * d.spatial;
    requireF32Numel(src, size, "batch norm src");
    requireF32Numel(dst, size, "batch norm dst");
    requireF32Numel(gamma, d.channels, "batch norm gamma");
    requireF32Numel(beta, d.channels, "batch norm beta");
    requireF32Numel(runningMean, d.channels, "batch norm running mean");
    requireF32Numel(runningVar, d.channels, "batch norm running variance");
}

void checkBatchNormBackward(const BatchNormDesc& d, bool haveStats, const Tensor& src,
                            const Tensor& diffDst, const Tensor& gamma, const Tensor& diffSrc,
                            const Tensor& diffGamma, const Tensor& diffBeta) {
    if (!haveStats) throwInternal("batch norm backward needs a training forward on the same plan first");
    const int64_t size = d.batch * d.channels * d.spatial;
    requireF32Numel(src, size, "batch norm backward src");
    requireF32Numel(diffDst, size, "batch norm backward diffDst");
    requireF32Numel(diffSrc, size, "batch norm backward diffSrc");
    requireF32Numel(gamma, d.channels, "batch norm backward gamma");
    requireF32Numel(diffGamma, d.channels, "batch norm backward diffGamma");
    requireF32Numel(diffBeta, d.channels, "batch norm backward diffBeta");
}

void checkLayerNormForward(const LayerNormDesc& d, const Tensor& src, const Tensor& gamma,
                           const Tensor& beta, const Tensor& dst) {
    const int64_t size = d.rows * d.features;
    requireF32Numel(src, size, "layer norm src");
    requireF32Numel(dst, size, "layer norm dst");
    requireF32Numel(gamma, d.features, "layer norm gamma");
    requireF32Numel(beta, d.features, "layer norm beta");
}

void checkLayerNormBackward(const LayerNormDesc& d, bool haveStats, const Tensor& src,
                            const Tensor& diffDst, const Tensor& gamma, const Tensor& diffSrc,
                            const Tensor& diffGamma, const Tensor& diffBeta) {
    if (!haveStats) throwInternal("layer norm backward needs a forward on the same plan first");
    const int64_t size = d.rows * d.features;
    requireF32Numel(src, size, "layer norm backward src");
    requireF32Numel(diffDst, size, "layer norm backward diffDst");
    requireF32Numel(diffSrc, size, "layer norm backward diffSrc");
    requireF32Numel(gamma, d.features, "layer norm backward gamma");
    requireF32Numel(diffGamma, d.features, "layer norm backward diffGamma");
    requireF32Numel(diffBeta, d.features, "layer norm backward diffBeta");
}

int64_t checkGatherRows(const Tensor& src, const Tensor& indices, int64_t count, const Tensor* mean,
                        const Tensor* invStd, const Tensor& dst) {
    if (src.dtype() != DType::U8 && src.dtype() != DType::F32)
        throwInternal(std::string("gatherRows: src must be u8 or f32, got ") + nameOf(src.dtype()));
    requireIndices(indices, count, "gatherRows");
    if ((mean == nullptr) != (invStd == nullptr))
        throwInternal("gatherRows: mean and invStd come together");
    const int64_t features = src.shape().numelFrom(1);
    requireF32Numel(dst, count * features, "gatherRows dst");
    if (mean) {
        requireF32Numel(*mean, features, "gatherRows mean");
        requireF32Numel(*invStd, features, "gatherRows invStd");
    }
    return features;
}

int64_t checkClassificationShapes(const Tensor& logits, const Tensor& labels, const Tensor& diff,
                                  const char* what) {
    requireF32Numel(logits, logits.numel(), what);
    requireF32Numel(diff, logits.numel(), what);
    const int64_t n = logits.shape().rank() > 0 ? logits.shape()[0] : 0;
    if (n <= 0 || logits.numel() % n != 0)
        throwInternal(std::string(what) + ": expected logits [N, C], got " + logits.shape().str());
    if (labels.dtype() != DType::I32 || labels.numel() != n)
        throwInternal(std::string(what) + ": expected i32 labels [" + std::to_string(n) +
                      "], got " + nameOf(labels.dtype()) + " " + labels.shape().str());
    return logits.numel() / n;
}

int64_t checkGatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                          const Tensor& dst) {
    if (labels.dtype() != DType::I32 && labels.dtype() != DType::F32)
        throwInternal(std::string("gatherLabels: labels must be i32 or f32, got ") +
                      nameOf(labels.dtype()));
    if (dst.dtype() != labels.dtype()) throwInternal("gatherLabels: dst must have the labels' dtype");
    requireIndices(indices, count, "gatherLabels");
    const int64_t rowSize = labels.shape().numelFrom(1);
    if (dst.numel() != count * rowSize)
        throwInternal("gatherLabels: dst " + dst.shape().str() + " does not hold " +
                      std::to_string(count) + " rows of " + std::to_string(rowSize));
    return rowSize;
}

void checkRnnTensors(const RnnDesc& d, const Tensor& src, const RnnWeights& w, const Tensor* dst,
                     const Tensor* last) {
    const int64_t gh = d.directions() * d.gates() * d.hidden;
    requireF32Numel(src, d.batch * d.steps * d.inputs, "recurrent src");
    if (!w.weightIh || !w.weightHh) throwInternal("recurrent plan: weights missing");
    requireF32Numel(*w.weightIh, gh * d.inputs, "recurrent weight_ih");
    requireF32Numel(*w.weightHh, gh * d.hidden, "recurrent weight_hh");
    if (d.bias != (w.biasIh != nullptr) || d.bias != (w.biasHh != nullptr))
        throwInternal("recurrent plan: biases given do not match the plan's bias setting");
    if (w.biasIh) requireF32Numel(*w.biasIh, gh, "recurrent bias_ih");
    if (w.biasHh) requireF32Numel(*w.biasHh, gh, "recurrent bias_hh");
    if (dst) requireF32Numel(*dst, d.batch * d.steps * d.outputs(), "recurrent dst");
    if (last) requireF32Numel(*last, d.batch * d.outputs(), "recurrent last state");
}

void checkRnnGrads(const RnnDesc& d, const Tensor* diffDst, const Tensor* diffLast,
                   const Tensor* diffSrc, const RnnGrads& g) {
    const int64_t gh = d.directions() * d.gates() * d.hidden;
    if (diffDst) requireF32Numel(*diffDst, d.batch * d.steps * d.outputs(), "recurrent diffDst");
    if (diffLast) requireF32Numel(*diffLast, d.batch * d.outputs(), "recurrent diffLast");
    if (diffSrc) requireF32Numel(*diffSrc, d.batch * d.steps * d.inputs, "recurrent diffSrc");
    if (!g.weightIh || !g.weightHh) throwInternal("recurrent plan: weight gradients missing");
    requireF32Numel(*g.weightIh, gh * d.inputs, "recurrent diff weight_ih");
    requireF32Numel(*g.weightHh, gh * d.hidden, "recurrent diff weight_hh");
    if (d.bias != (g.biasIh != nullptr) || d.bias != (g.biasHh != nullptr))
        throwInternal("recurrent plan: bias gradients do not match the plan's bias setting");
    if (g.biasIh) requireF32Numel(*g.biasIh, gh, "recurrent diff bias_ih");
    if (g.biasHh) requireF32Numel(*g.biasHh, gh, "recurrent diff bias_hh");
}

std::unique_ptr<RnnPlan> Backend::makeRnn(const RnnDesc& desc) {
    checkRnnDesc(desc);
    const Support s = supports(Op::Rnn, DType::F32);
    throw Error(ErrorKind::Unsupported,
                name() + ": " + (s.reason.empty() ? "recurrent layers are not available" : s.reason));
}

int64_t checkEmbedding(const Tensor& ids, const Tensor& weight, const Tensor& rows) {
    if (ids.dtype() != DType::F32 || weight.dtype() != DType::F32 || rows.dtype() != DType::F32)
        throwInternal("embedding: ids, weight and rows must be f32");
    if (weight.shape().rank() != 2)
        throwInternal("embedding: weight must be [V, D], got " + weight.shape().str());
    const int64_t d = weight.shape()[1];
    if (rows.numel() != ids.numel() * d)
        throwInternal("embedding: " + std::to_string(ids.numel()) + " ids of " + std::to_string(d) +
                      " values do not fill " + rows.shape().str());
    return d;
}

namespace {
std::string describeId(float id) {
    if (std::isnan(id)) return "NaN";
    std::ostringstream s;
    s << id;
    return s.str();
}
}  // namespace

std::string embeddingIdMessage(float id, int64_t rows) {
    return "Embedding: token id " + describeId(id) + " is outside the vocabulary 0.." +
           std::to_string(rows - 1) + "; raise vocabulary_size or check the data's ids";
}

int64_t embeddingRow(float id, int64_t rows) {
    const float r = std::nearbyint(id);
    if (!(r >= 0.f && r < static_cast<float>(rows))) throwBadInput(embeddingIdMessage(id, rows));
    return static_cast<int64_t>(r);
}

namespace {
[[noreturn]] void embeddingUnsupported(const Backend& b) {
    const Support s = b.supports(Op::Embedding, DType::F32);
    throw Error(ErrorKind::Unsupported,
                b.name() + ": " + (s.reason.empty() ? "embedding layers are not available" : s.reason));
}
}  // namespace

void Backend::embeddingForward(const Tensor&, const Tensor&, int64_t, Tensor&) { embeddingUnsupported(*this); }
void Backend::embeddingBackward(const Tensor&, const Tensor&, int64_t, Tensor&) { embeddingUnsupported(*this); }

}  // namespace neurite

namespace neurite {

std::unique_ptr<InferencePlan> Backend::makeInference(const InferenceDesc&, std::string* whyNot) {
    if (whyNot) *whyNot = name() + " compiles no inference plans; the model runs layer by layer";
    return nullptr;
}

}  // namespace neurite
