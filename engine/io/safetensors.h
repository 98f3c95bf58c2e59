// The safetensors layout (huggingface/safetensors): an 8-byte little-endian header length N, N
// bytes of JSON {"__metadata__": {string: string}, "name": {"dtype", "shape", "data_offsets"}},
// then the raw little-endian tensor data, offsets relative to its start. Neurite's native model
// file is this layout, so Python's safetensors (or numpy) reads its weights.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurite {

struct SafeTensor {
    std::string name;
    std::string dtype = "F32";    // safetensors dtype names: F32, U8, I32, ...
    std::vector<int64_t> shape;   // empty = scalar
    std::vector<uint8_t> bytes;   // row-major, little-endian
};

struct SafeTensorsFile {
    std::map<std::string, std::string> metadata;  // the __metadata__ entry
    std::vector<SafeTensor> tensors;              // in file order

    const SafeTensor* find(const std::string& name) const;
};

// The whole file as bytes: tensors in the given order, contiguous, header padded with spaces to
// a multiple of 8 bytes so the data is aligned.
std::vector<uint8_t> encodeSafeTensors(const SafeTensorsFile& file);

// Parses a whole file. `what` names it in messages. Throws Error{BadInput} for anything that is
// not a well-formed safetensors file: too short, a header length past the end, a header that is
// not a JSON object, a tensor entry without dtype/shape/data_offsets, offsets out of range or
// overlapping, a size that does not match dtype x shape, or bytes after the last tensor.
SafeTensorsFile decodeSafeTensors(const std::vector<uint8_t>& bytes, const std::string& what);

// Bytes per element of a safetensors dtype name, 0 when unknown.
int safeTensorDTypeSize(const std::string& dtype);

}  // namespace neurite
