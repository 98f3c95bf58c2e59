// libFuzzer target: the ONNX importer (export/onnx_read.h: the protobuf, tensors checked against
// their dimensions, external data, the graph's order and cycles; export/onnx_import.h: every
// operator's handler). Any input either imports into a graph that validates, or fails with
// Error{BadInput}; nothing else is allowed.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "export/onnx_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        neurite::ImportOptions options;
        options.dataSource = "builtin:iris";
        const neurite::ImportedModel m = neurite::importOnnx(neurite::onnximport::readOnnx(bytes, "fuzz.onnx"), options);
        if (m.project.nodes.empty()) __builtin_trap();
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
