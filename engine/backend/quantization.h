// The arithmetic of ONNX's QuantizeLinear and DequantizeLinear (opset 13), one definition for
// everything that rounds to 8 bits: the int8 export and its simulated model (export/quantize.h),
// the native int8 file, and the CPU's int8 inference plan (whose vectorized rounding is tested
// against quantizeU8 value by value). Header-only, standard library only.
#pragma once

#include <cmath>
#include <cstdint>

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

}  // namespace neurite
