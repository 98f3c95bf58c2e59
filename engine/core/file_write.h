// Writing a file the user keeps (a project, an exported model): the one atomic writer. The bytes
// go to PATH.tmp beside the target, are flushed to the disk (fsync), and the temporary file is
// renamed over the target, so a failed or interrupted write (a full disk, a crash, a power cut)
// leaves the old file as it was and never half a file. (Reads: core/file_read.h.)
#pragma once

#include <cstddef>
#include <string>

namespace neurite {

// Throws Error{Io} naming the path when it cannot be written; the temporary file is removed.
void writeFileAtomic(const std::string& path, const void* data, std::size_t size);

}  // namespace neurite
