// The arithmetic of ONNX's QuantizeLinear and DequantizeLinear (opset 13), one definition for
// everything that rounds to 8 bits: the int8 export and its simulated model (export/quantize.h),
// the native int8 file, and the CPU's int8 inference plan (whose vectorized rounding is tested
// against quantizeU8 value by value). Header-only, standard library only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace neurite {

// round(x / scale) + zeroPoint before saturation, x / scale in float32. std::nearbyint rounds in
// the current mode, round-to-nearest-even unless someone changed it, which nobody in Neurite does.
inline float quantizedUnclamped(float x, float scale, int32_t zeroPoint) {
    return std::nearbyint(x / scale) + static_cast<float>(zeroPoint);
}

// QuantizeLinear: saturate(round(x / scale) + zeroPoint), rounding half to even, saturating to
// [0, 255] (uint8) or [-128, 127] (int8); NaN saturates low, as it cannot be represented.
inline uint8_t quantizeU8(float x, float scale, int32_t zeroPoint) {
    const float q = quantizedUnclamped(x, scale, zeroPoint);
    if (!(q >= 0.f)) return 0;
    return q >= 255.f ? uint8_t{255} : static_cast<uint8_t>(q);
}
inline int8_t quantizeI8(float x, float scale, int32_t zeroPoint = 0) {
    const float q = quantizedUnclamped(x, scale, zeroPoint);
    if (!(q >= -128.f)) return -128;
    return q >= 127.f ? int8_t{127} : static_cast<int8_t>(q);
}

// DequantizeLinear: (q - zeroPoint) * scale, in float32.
inline float dequantize(int32_t q, float scale, int32_t zeroPoint) {
    return static_cast<float>(q - zeroPoint) * scale;
}

// Per-tensor uint8 quantization of an activation: the calibrated range widened to contain 0 (so
// zero, ReLU's floor and padding, is exact), scale = (max - min) / 255, zeroPoint =
// round(-min / scale). A constant-zero tensor gets scale 1, zero point 0.
struct ActivationQuant {
    float min = 0, max = 0;  // calibrated range
    float scale = 1;
    int32_t zeroPoint = 0;
};
inline ActivationQuant activationQuantFor(float min, float max) {
    ActivationQuant a;
    a.min = min;
    a.max = max;
    const float lo = std::min(min, 0.f), hi = std::max(max, 0.f);
    if (!(hi - lo > 0.f) || !std::isfinite(hi - lo)) return a;  // scale 1, zero point 0
    a.scale = (hi - lo) / 255.f;
    a.zeroPoint = static_cast<int32_t>(std::clamp(std::nearbyint(-lo / a.scale), 0.f, 255.f));
    return a;
}

// Symmetric int8 per output channel: scale[c] = max|w[c, ...]| / 127 over the channel's
// `w.size() / channels` values (so the int8 values lie in [-127, 127]); 1 for an all-zero channel.
inline std::vector<float> channelScales(std::span<const float> w, int64_t channels) {
    std::vector<float> scales(static_cast<std::size_t>(channels > 0 ? channels : 0), 1.f);
    if (channels <= 0) return scales;
    const std::size_t per = w.size() / static_cast<std::size_t>(channels);
    for (std::size_t c = 0; c < scales.size(); ++c) {
        float m = 0.f;
        for (std::size_t k = 0; k < per; ++k) m = std::max(m, std::fabs(w[c * per + k]));
        if (m > 0.f) scales[c] = m / 127.f;
    }
    return scales;
}

// A value's round trip through uint8 (activations) or symmetric int8 (weights).
inline float fakeQuantU8(float x, float scale, int32_t zeroPoint) {
    return dequantize(quantizeU8(x, scale, zeroPoint), scale, zeroPoint);
}
inline float fakeQuantI8(float x, float scale) { return dequantize(quantizeI8(x, scale), scale, 0); }

}  // namespace neurite
