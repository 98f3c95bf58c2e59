// Atomic writes for the exporters: a model file is written to a temporary file beside the target
// and renamed over it, so a failed export never leaves half a file. (Reads: core/file_read.h.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurite {

// Throws Error{Io} naming the path when it cannot be written.
void writeFileAtomic(const std::string& path, const void* data, std::size_t size);

}  // namespace neurite
