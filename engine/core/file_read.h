// Reading a file whose path the user gave (project, model, image, IDX, CSV, NPY, run database).
// The one thing to know: only regular files are read, up to a size cap that fits the format, so
// /dev/zero, /dev/urandom, a FIFO or a directory is refused at once instead of read without end
// or waited on forever, and a 3 GiB file where a project belongs is refused before it is read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neurite {

// Size caps per format, far above any real file of that kind.
inline constexpr int64_t kMiB = int64_t{1} << 20;
inline constexpr int64_t kMaxProjectBytes = 64 * kMiB;
inline constexpr int64_t kMaxImageFileBytes = 256 * kMiB;
inline constexpr int64_t kMaxModelBytes = int64_t{16} << 30;

// Checks that `path` names a regular file of at most `maxBytes` and returns its size. `kind`
// names the format in the size message ("a project file"). Throws Error{BadInput}:
// "cannot open PATH: No such file or directory", "cannot open PATH: it is a directory",
// "cannot open PATH: it is not a regular file (a device, pipe or socket)",
// "PATH is 3.0 GiB, more than a project file can be (at most 64 MiB)". Only stats the path (it
// never opens it, so it drops none of this process's locks on the file; see the .cpp).
int64_t checkRegularFile(const std::string& path, int64_t maxBytes, std::string_view kind);

// The whole file, after the same checks; the checks and the read use one descriptor (opened
// without blocking), so a file swapped for a FIFO in between cannot hang the read.
std::string readRegularFile(const std::string& path, int64_t maxBytes, std::string_view kind);
std::vector<uint8_t> readRegularFileBytes(const std::string& path, int64_t maxBytes,
                                          std::string_view kind);

// A value quoted in an error message: at most `maxChars` bytes, "..." after a cut, so that a
// 20 MB CSV field does not become a 20 MB error line.
std::string clipForMessage(std::string_view value, std::size_t maxChars = 60);

}  // namespace neurite
