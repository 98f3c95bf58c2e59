// Small helpers shared by the layer files: schema builders, TF-style window arithmetic, shape
// messages and summary formatting. Internal to engine/layers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "layers/registry.h"

namespace neurite::layers {

// Schema builders (the help text is what the inspector shows).
ParamSchema intParam(std::string name, int64_t def, double min, std::string help);
ParamSchema floatParam(std::string name, double def, double min, double max, std::string help);
ParamSchema boolParam(std::string name, bool def, std::string help);
ParamSchema choiceParam(std::string name, std::string def, std::vector<std::string> choices,
                        std::string help);
ParamSchema intListParam(std::string name, std::vector<int64_t> def, int listLength, double min,
                         std::string help);
// The `init` choice of weight-bearing layers and its mapping to Init.
ParamSchema initParam(std::string def);
Init initFromName(const std::string& name);

// One spatial dimension of a window op, TF style. same: out = ceil(in / stride),
// total pad = max((out - 1) * stride + k - in, 0), before = total / 2, after = the rest.
// valid: out = (in - k) / stride + 1, no padding; out <= 0 when the window does not fit.
struct Window1D {
    int64_t out = 0, padBefore = 0, padAfter = 0;
};
Window1D window1D(int64_t in, int64_t kernel, int64_t stride, bool same);

// "expects 1 input, got 2" when srcShapes.size() != count, else empty.
std::string inputCountError(std::span<const Shape> srcShapes, std::size_t count);
// "[3,3]" -> "3x3".
std::string joinDims(const std::vector<int64_t>& dims, const char* sep = "x");

// Example input ranges (LayerExample::dims): [N,C,H,W] with N in [1,2] and C in [1,cHi], H and
// W drawn independently (non-square inputs); [N,F].
std::vector<std::pair<int64_t, int64_t>> imageDims(int64_t hLo, int64_t hHi, int64_t wLo,
                                                   int64_t wHi, int64_t cHi = 3);
// [N,T,C]: N in [1,2], T in [tLo,tHi], C in [1,cHi].
std::vector<std::pair<int64_t, int64_t>> sequenceDims(int64_t tLo, int64_t tHi, int64_t cHi = 3);
std::vector<std::pair<int64_t, int64_t>> matrixDims(int64_t nLo, int64_t nHi, int64_t fLo,
                                                    int64_t fHi);

// The 2-D layers' padding: "same" | "valid" | "explicit", the last with `pads` [top, left,
// bottom, right] (an imported model's own padding, asymmetric or not).
ParamSchema paddingParam(std::string def, std::string sameValidHelp);
ParamSchema padsParam();  // applies when padding is explicit
// ", pads 1,0,1,0" for explicit padding, ", same" for same, "" for valid (summaries).
std::string paddingSummary(const LayerParams& p);

// The batch size of a concrete tensor, for PlanCache keys.
inline int64_t batchOf(const Tensor& t) {
    return t.shape()[0];
}

// Where a backward whose backend op always writes diffSrc puts it: the caller's tensor, or a
// per-batch scratch of src's shape when nothing upstream needs the gradient.
inline Tensor& diffSrcOrScratch(LayerContext& ctx, Tensor* diffSrc, PlanCache<Tensor>& scratch,
                                const Tensor& src) {
    if (diffSrc) return *diffSrc;
    return scratch.get(batchOf(src), [&] {
        return std::make_unique<Tensor>(Tensor::empty(ctx.backend, src.shape()));
    });
}

} // namespace neurite::layers
