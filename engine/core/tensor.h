// Tensor: a typed, shaped view of device memory. Copies are cheap (shared storage); data moves
// between devices only through explicit Backend copies. Row-major; images are NCHW.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/dtype.h"
#include "core/shape.h"

namespace neurite {


struct Device {
    enum class Kind { Cpu, Cuda };
    Kind kind = Kind::Cpu;
    int index = 0;

    bool isCpu() const { return kind == Kind::Cpu; }
    bool operator==(const Device&) const = default;
    std::string str() const;  // "cpu", "cuda:0"
};

// The memory side of a device, all a Tensor needs to allocate. The backend interface
// (backend/backend.h) extends it, so core stays below the backends.
class DeviceMemory {
public:
    virtual ~DeviceMemory() = default;
    virtual Device device() const = 0;
    virtual void* allocate(std::size_t bytes) = 0;  // 64-byte aligned, or throws
    virtual void deallocate(void* p) = 0;
};

class Tensor {
public:
    Tensor() = default;

    // Uninitialized storage on the backend's device. The backend must outlive the tensor.
    static Tensor empty(DeviceMemory& backend, const Shape& shape, DType dtype = DType::F32);
    // Borrows memory owned elsewhere (a host array, a slice of an arena).
    static Tensor wrap(void* data, const Shape& shape, DType dtype, Device device);

    bool defined() const { return m_data != nullptr; }
    const Shape& shape() const { return m_shape; }
    DType dtype() const { return m_dtype; }
    Device device() const { return m_device; }
    int64_t numel() const { return m_shape.numel(); }
    std::size_t bytes() const { return static_cast<std::size_t>(numel()) * dtypeSize(m_dtype); }

    void* raw() { return m_data; }
    const void* raw() const { return m_data; }
    template <class T>
    T* data() { return static_cast<T*>(m_data); }
    template <class T>
    const T* data() const { return static_cast<const T*>(m_data); }
    float* f32() { return data<float>(); }
    const float* f32() const { return data<float>(); }

    // Same storage, another shape with the same number of elements.
    Tensor reshaped(const Shape& shape) const;
    // A view of `shape` starting `offset` elements into this tensor's storage.
    Tensor slice(int64_t offset, const Shape& shape) const;

private:
    std::shared_ptr<void> m_holder;  // keeps owned storage alive; empty for wrapped memory
    void* m_data = nullptr;
    Shape m_shape;
    DType m_dtype = DType::F32;
    Device m_device;
};

}  // namespace neurite
