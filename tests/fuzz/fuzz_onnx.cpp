// libFuzzer target: the ONNX importer (export/onnx_read.h: the protobuf, tensors checked against
// their dimensions, external data, the graph's order and cycles; export/onnx_import.h: every
// operator's handler) and, on a file that imports, the reference interpreter Compare with
// original runs it through (export/onnx_run.h), on one sample of zeros. Any input either imports
// into a graph that validates, or fails with Error{BadInput}; nothing else is allowed.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "export/onnx_import.h"
#include "export/onnx_run.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        neurite::ImportOptions options;
        options.dataSource = "builtin:iris";
        const neurite::onnximport::OnnxGraph g = neurite::onnximport::readOnnx(bytes, "fuzz.onnx");
        const neurite::ImportedModel m = neurite::importOnnx(g, options);
        if (m.project.nodes.empty()) __builtin_trap();
        if (m.sampleShape.numel() <= 4096) {
            std::vector<int64_t> dims{1};
            for (int64_t d : m.sampleShape) dims.push_back(d);
            neurite::runOnnx(g, dims, std::vector<float>(static_cast<std::size_t>(m.sampleShape.numel()), 0.f));
        }
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
