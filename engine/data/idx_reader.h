// IDX files (the MNIST / Fashion-MNIST format): a big-endian header (magic 0x0000TTNN with
// element type TT and NN dimensions, then NN 32-bit sizes) followed by the raw elements.
// Raw or gzip-compressed. Only unsigned bytes (type 0x08) are supported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurite {

struct IdxArray {
    std::vector<int64_t> dims; // dims[0] = number of items
    std::vector<uint8_t> data; // product(dims) bytes, row-major
};

// Reads a whole IDX file. Throws Error{BadInput} naming the file and the byte offset for a bad
// magic number, an unsupported element type, impossible dimensions, a truncated file or
// trailing data; Error{Io} when the file cannot be opened.
IdxArray readIdx(const std::string& path);

} // namespace neurite
