// Tensor construction and views.
#include "core/tensor.h"

#include "core/error.h"

namespace neurite {

const char* nameOf(DType t) {
    switch (t) {
    case DType::F32: return "fp32";
    case DType::BF16: return "bf16";
    case DType::U8: return "u8";
    case DType::I32: return "i32";
    }
    return "?";
}

std::string Device::str() const {
    return kind == Kind::Cpu ? std::string("cpu") : "cuda:" + std::to_string(index);
}

Tensor Tensor::empty(DeviceMemory& backend, const Shape& shape, DType dtype) {
    NEURITE_CHECK(!shape.hasSymbolicBatch(), "cannot allocate a tensor with a symbolic batch");
    Tensor t;
    t.m_shape = shape;
    t.m_dtype = dtype;
    t.m_device = backend.device();
    std::size_t bytes = t.bytes();
    void* p = backend.allocate(bytes == 0 ? 1 : bytes);
    DeviceMemory* owner = &backend;
    t.m_holder = std::shared_ptr<void>(p, [owner](void* q) { owner->deallocate(q); });
    t.m_data = p;
    return t;
}

Tensor Tensor::wrap(void* data, const Shape& shape, DType dtype, Device device) {
    Tensor t;
    t.m_data = data;
    t.m_shape = shape;
    t.m_dtype = dtype;
    t.m_device = device;
    return t;
}

Tensor Tensor::reshaped(const Shape& shape) const {
    NEURITE_CHECK(shape.numel() == numel(), "reshape " + m_shape.str() + " -> " + shape.str());
    Tensor t = *this;
    t.m_shape = shape;
    return t;
}

Tensor Tensor::slice(int64_t offset, const Shape& shape) const {
    NEURITE_CHECK(offset >= 0 && offset + shape.numel() <= numel(), "slice out of range");
    Tensor t = *this;
    t.m_data = static_cast<char*>(m_data) + static_cast<std::size_t>(offset) * dtypeSize(m_dtype);
    t.m_shape = shape;
    return t;
}

}  // namespace neurite
