// libFuzzer target: the native model reader (*.nmodel: the safetensors header and offsets, the
// JSON metadata, the embedded project, the model rebuilt from it and the weights checked against
// it). A model that loads must predict: one all-zero sample goes through the Predictor, and the
// output must have the model's width.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "devices/device_registry.h"
#include "core/error.h"
#include "export/native_model.h"
#include "export/predictor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        neurite::NativeModel m = neurite::decodeNativeModel(bytes, "fuzz.nmodel", neurite::backendFor("cpu"));
        if (!m.model) __builtin_trap();
        neurite::Predictor predictor(*m.model, m.preprocessing, 1);
        const std::vector<float> zeros(static_cast<std::size_t>(m.sampleShape().numel()), 0.0f);
        const std::vector<float> out = predictor.outputs(zeros.data(), 1);
        if (static_cast<int64_t>(out.size()) != predictor.units()) __builtin_trap();
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput && e.kind() != neurite::ErrorKind::Unsupported)
            __builtin_trap();
    }
    return 0;
}
