// Reading IDX files through zlib, which passes uncompressed files through unchanged, so one
// code path serves raw and .gz files.
#include "data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite {

namespace {

constexpr uint8_t kTypeU8 = 0x08;
constexpr int64_t kMaxBytes = int64_t{1} << 36; // 64 GiB: anything larger is a corrupt header
// Real IDX data compresses 2-10x (MNIST images 4.8x, labels 2x); gzip itself reaches ~1000x on
// constant data. A header declaring more than this ratio of the compressed size (and more than
// kMinBombCheck) is a decompression bomb or a corrupt header, refused before it is inflated.
constexpr int64_t kMaxGzipRatio = 200;
constexpr int64_t kMinBombCheck = int64_t{1} << 20;

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void bad(const std::string& path, int64_t offset, const std::string& what) {
    throwBadInput(path + ": at byte " + std::to_string(offset) + ": " + what);
}

// Reads up to n bytes; returns how many were read (fewer only at the end of the data).
int64_t readSome(gzFile file, const std::string& path, int64_t offset, uint8_t* dst, int64_t n) {
    int64_t done = 0;
    while (done < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<int64_t>(n - done, 1 << 20));
        const int got = gzread(file, dst + done, chunk);
        if (got < 0) {
            int code = 0;
            const char* msg = gzerror(file, &code);
            bad(path, offset + done,
                std::string("corrupt compressed data: ") + (msg ? msg : "unknown zlib error"));
        }
        if (got == 0) break;
        done += got;
    }
    return done;
}

std::string typeName(uint8_t type) {
    switch (type) {
    case 0x09:
        return "int8";
    case 0x0B:
        return "int16";
    case 0x0C:
        return "int32";
    case 0x0D:
        return "float32";
    case 0x0E:
        return "float64";
    default:
        return "unknown";
    }
}

} // namespace

IdxArray readIdx(const std::string& path) {
    const int64_t fileBytes = checkRegularFile(path, kMaxBytes, "an IDX file");
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file) throw Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
    gzbuffer(file.get(), 1 << 18);

    uint8_t magic[4];
    if (readSome(file.get(), path, 0, magic, 4) != 4)
        bad(path, 0, "file too short for an IDX header (4-byte magic number expected)");
    if (magic[0] != 0 || magic[1] != 0 || magic[2] == 0 || magic[3] == 0 || magic[3] > 4) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%02X%02X%02X%02X", magic[0], magic[1], magic[2],
                      magic[3]);
        bad(path, 0,
            std::string("bad magic number ") + hex +
                "; not an IDX file (expected 0x00000801 for labels, 0x00000803 for images)");
    }
    if (magic[2] != kTypeU8) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", magic[2]);
        bad(path, 2,
            std::string("unsupported element type ") + hex + " (" + typeName(magic[2]) +
                "); only unsigned bytes (0x08) are supported");
    }

    IdxArray out;
    const int rank = magic[3];
    int64_t total = 1;
    for (int d = 0; d < rank; ++d) {
        uint8_t b[4];
        const int64_t at = 4 + 4 * d;
        if (readSome(file.get(), path, at, b, 4) != 4)
            bad(path, at,
                "truncated header: dimension " + std::to_string(d) + " of " + std::to_string(rank) +
                    " missing");
        const int64_t size =
            (int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | b[3];
        if (size == 0)
            bad(path, at, "dimension " + std::to_string(d) + " is 0; the file holds no data");
        // Checked before multiplying: two 32-bit dimensions can overflow int64.
        if (size > kMaxBytes / total)
            bad(path, at, "dimensions too large (over 64 GiB of data); the header is corrupt");
        total *= size;
        out.dims.push_back(size);
    }

    const int64_t header = 4 + 4 * int64_t{rank};
    const std::string expectText =
        std::to_string(header) + "-byte header + " + std::to_string(total) + " bytes of data";
    if (gzdirect(file.get())) {
        if (fileBytes != header + total)
            bad(path, std::min(fileBytes, header + total),
                "file size " + std::to_string(fileBytes) + " does not match its header: expected " +
                    expectText +
                    (fileBytes < header + total ? " (the file is truncated)" : " (trailing data)"));
    } else if (total > std::max(kMinBombCheck, fileBytes * kMaxGzipRatio))
        bad(path, 4, "the header declares " + std::to_string(total) + " bytes of data, more than " +
                         std::to_string(kMaxGzipRatio) + " times the " + std::to_string(fileBytes) +
                         "-byte compressed file; real IDX data compresses 2-10x, so the file is "
                         "corrupt or a decompression bomb");
    // Compressed files cannot be checked against their size up front, so the data grows with
    // what actually decompresses (a hostile header declaring gigabytes allocates no more than
    // the file really holds, one chunk at a time).
    constexpr int64_t kChunk = int64_t{1} << 24;
    out.data.reserve(static_cast<std::size_t>(std::min(total, kChunk)));
    int64_t got = 0;
    while (got < total) {
        const int64_t want = std::min(kChunk, total - got);
        out.data.resize(static_cast<std::size_t>(got + want));
        const int64_t n = readSome(file.get(), path, header + got, out.data.data() + got, want);
        got += n;
        if (n < want) break;
    }
    if (got != total)
        bad(path, header + got,
            "truncated: expected " + expectText + ", the data ends after " + std::to_string(got) +
                " bytes");
    uint8_t extra;
    if (readSome(file.get(), path, header + total, &extra, 1) != 0)
        bad(path, header + total, "trailing data after the " + expectText);
    return out;
}

} // namespace neurite
