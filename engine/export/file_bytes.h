// Whole-file reads and atomic writes for the exporters: a model file is written to a temporary
// file beside the target and renamed over it, so a failed export never leaves half a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurite {

// Throws Error{BadInput} "cannot open PATH: reason" when the file cannot be read.
std::vector<uint8_t> readFileBytes(const std::string& path);
// Throws Error{Io} naming the path when it cannot be written.
void writeFileAtomic(const std::string& path, const void* data, std::size_t size);

}  // namespace neurite
