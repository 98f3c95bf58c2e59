// Regular-file checks and whole-file reads through one non-blocking descriptor.
#include "core/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace neurite {

namespace {

std::string sizeText(int64_t bytes) {
    char text[32];
    if (bytes >= (int64_t{1} << 30)) std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1 << 30));
    else std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / double(kMiB));
    return text;
}

// An open descriptor that is closed on every path.
class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }
    int release() {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

void checkStat(const std::string& path, const struct stat& st, int64_t maxBytes,
               std::string_view kind) {
    if (S_ISDIR(st.st_mode)) throwBadInput("cannot open " + path + ": it is a directory");
    if (!S_ISREG(st.st_mode))
        throwBadInput("cannot open " + path +
                      ": it is not a regular file (a device, pipe or socket); give a file");
    if (static_cast<int64_t>(st.st_size) > maxBytes)
        throwBadInput(path + " is " + sizeText(static_cast<int64_t>(st.st_size)) + ", more than " +
                      std::string(kind) + " can be (at most " + sizeText(maxBytes) + ")");
}

// Opens without blocking (a FIFO with no writer would block in open), then checks what it is.
int openChecked(const std::string& path, int64_t maxBytes, std::string_view kind, int64_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == EISDIR) throwBadInput("cannot open " + path + ": it is a directory");
        throwBadInput("cannot open " + path + ": " + std::strerror(err));
    }
    Fd guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(errno));
    checkStat(path, st, maxBytes, kind);
    size = static_cast<int64_t>(st.st_size);
    // Reads of a regular file never block; clear the flag anyway for ordinary semantics.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return guard.release();
}

template <class Buffer>
Buffer readAll(const std::string& path, int64_t maxBytes, std::string_view kind) {
    int64_t size = 0;
    Fd fd(openChecked(path, maxBytes, kind, size));
    Buffer out(static_cast<std::size_t>(size), 0);
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(errno));
        if (n == 0) break;  // the file shrank while we read it
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

}  // namespace

int64_t checkRegularFile(const std::string& path, int64_t maxBytes, std::string_view kind) {
    // stat, not open: closing a descriptor drops every POSIX lock this process holds on the
    // file, and SQLite's locks on a run database another connection of ours has open are such.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throwBadInput("cannot open " + path + ": " + std::strerror(errno));
    checkStat(path, st, maxBytes, kind);
    return static_cast<int64_t>(st.st_size);
}

std::string readRegularFile(const std::string& path, int64_t maxBytes, std::string_view kind) {
    return readAll<std::string>(path, maxBytes, kind);
}

std::vector<uint8_t> readRegularFileBytes(const std::string& path, int64_t maxBytes,
                                          std::string_view kind) {
    return readAll<std::vector<uint8_t>>(path, maxBytes, kind);
}

std::string clipForMessage(std::string_view value, std::size_t maxChars) {
    if (value.size() <= maxChars) return std::string(value);
    // Cut before a UTF-8 continuation byte, so the message stays valid text.
    std::size_t cut = maxChars;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    return std::string(value.substr(0, cut)) + "...";
}

}  // namespace neurite
