// POSIX calls rather than streams: only a file descriptor can be fsync-ed before the rename.
#include "core/file_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace neurite {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& tmp, const std::string& reason) {
    std::remove(tmp.c_str());
    throw Error(ErrorKind::Io, "cannot write " + path + ": " + reason);
}

}  // namespace

void writeFileAtomic(const std::string& path, const void* data, std::size_t size) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(errno));
    const auto* p = static_cast<const char*>(data);
    std::size_t left = size;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string reason = std::strerror(n < 0 ? errno : ENOSPC);
            ::close(fd);
            fail(path, tmp, reason);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        fail(path, tmp, reason);
    }
    if (::close(fd) != 0) fail(path, tmp, std::strerror(errno));
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail(path, tmp, ec.message());
    // The rename itself reaches the disk with the directory (best effort: not every file
    // system lets a directory be opened and synced).
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace neurite
