// Element types a tensor can hold. Compute is fp32; bf16 is storage for mixed precision;
// u8 holds raw image data; i32 holds class labels and indices.
#pragma once

#include <cstddef>

namespace neurite {

enum class DType { F32, BF16, U8, I32 };

constexpr std::size_t dtypeSize(DType t) {
    switch (t) {
    case DType::F32: return 4;
    case DType::BF16: return 2;
    case DType::U8: return 1;
    case DType::I32: return 4;
    }
    return 0;
}

const char* nameOf(DType t);

}  // namespace neurite
