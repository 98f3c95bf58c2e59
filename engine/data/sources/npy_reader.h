// NumPy .npy files (format versions 1.0 to 3.0): the magic "\x93NUMPY", a little-endian header
// length, a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, D)},
// then the raw elements (Fortran order is reordered to C order on load). Bool, signed and
// unsigned integers and floats of the usual
// sizes, either byte order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace neurite {

struct NpyArray {
    std::vector<int64_t> shape;
    char kind = 'f';            // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemSize = 4;           // bytes per element
    bool bigEndian = false;
    std::vector<uint8_t> data;  // numel * itemSize bytes as stored

    int64_t numel() const;
    double at(int64_t i) const;  // element i converted to double
};

// Parses a whole .npy file held in memory. Throws Error{BadInput} "<name>: at byte N: ..." for a
// wrong magic, an unsupported version or dtype, a malformed header dict, and a
// data size that does not match the shape (checked before anything is allocated).
NpyArray parseNpy(std::span<const uint8_t> bytes, const std::string& name);

// Reads and parses a file (Error{BadInput} when it does not exist).
NpyArray readNpy(const std::string& path, const std::string& where);

} // namespace neurite
