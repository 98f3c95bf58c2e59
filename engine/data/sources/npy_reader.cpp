// The .npy parser: the header dict is read by a small scanner that accepts exactly the three
// keys NumPy writes, so garbage is refused with the byte offset where it starts.
#include "data/sources/npy_reader.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "data/sources.h"

namespace neurite {

namespace {

constexpr int64_t kMaxElements = int64_t{1} << 34;

struct HeaderScanner {
    const std::string& name;
    std::string_view text;
    int64_t base;  // file offset of text[0]
    std::size_t pos = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throwBadInput(name + ": at byte " + std::to_string(base + static_cast<int64_t>(pos)) +
                      ": " + what);
    }
    void skipSpace() {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    }
    void expect(char c) {
        skipSpace();
        if (pos >= text.size() || text[pos] != c)
            fail(std::string("malformed .npy header: expected '") + c + "'");
        ++pos;
    }
    bool accept(char c) {
        skipSpace();
        if (pos < text.size() && text[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }
    std::string quoted() {
        skipSpace();
        if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
            fail("malformed .npy header: expected a quoted string");
        const char q = text[pos++];
        const std::size_t end = text.find(q, pos);
        if (end == std::string_view::npos) fail("malformed .npy header: unterminated string");
        std::string s(text.substr(pos, end - pos));
        pos = end + 1;
        return s;
    }
    int64_t integer() {
        skipSpace();
        int64_t v = 0;
        const std::size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            if (v > (std::numeric_limits<int64_t>::max() - 9) / 10) fail("dimension too large");
            v = v * 10 + (text[pos++] - '0');
        }
        if (pos == start) fail("malformed .npy header: expected a dimension");
        if (accept('L')) {}  // Python 2 longs
        return v;
    }
};

} // namespace

int64_t NpyArray::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

double NpyArray::at(int64_t i) const {
    uint8_t b[8];
    std::memcpy(b, data.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(itemSize),
                static_cast<std::size_t>(itemSize));
    if (bigEndian != (std::endian::native == std::endian::big))
        for (int k = 0; k < itemSize / 2; ++k) std::swap(b[k], b[itemSize - 1 - k]);
    switch (kind) {
    case 'f':
        if (itemSize == 4) {
            float f = 0;
            std::memcpy(&f, b, 4);
            return f;
        } else {
            double d = 0;
            std::memcpy(&d, b, 8);
            return d;
        }
    case 'b':
    case 'u': {
        uint64_t v = 0;
        std::memcpy(&v, b, static_cast<std::size_t>(itemSize));  // little-endian host assumed
        return static_cast<double>(v);
    }
    default: {
        int64_t v = 0;
        std::memcpy(&v, b, static_cast<std::size_t>(itemSize));
        const int shift = 64 - 8 * itemSize;
        return static_cast<double>((v << shift) >> shift);  // sign-extend
    }
    }
}

namespace {

// Fortran (column-major) element order to C (row-major): C element i, with multi-index
// (i0, ..., ik) counted last-fastest, sits at sum(i_j * stride_j), stride_0 = 1,
// stride_j = stride_{j-1} * shape_{j-1} in the Fortran data.
std::vector<uint8_t> toCOrder(const std::vector<uint8_t>& f, const std::vector<int64_t>& shape, int itemSize) {
    const std::size_t rank = shape.size(), item = static_cast<std::size_t>(itemSize);
    std::vector<int64_t> stride(rank, 1), index(rank, 0);
    for (std::size_t j = 1; j < rank; ++j) stride[j] = stride[j - 1] * shape[j - 1];
    std::vector<uint8_t> c(f.size());
    int64_t at = 0;  // Fortran offset of the current C index, in elements
    for (std::size_t i = 0; i * item < c.size(); ++i) {
        std::memcpy(c.data() + i * item, f.data() + static_cast<std::size_t>(at) * item, item);
        for (std::size_t j = rank; j-- > 0;) {  // increment the multi-index, last axis fastest
            at += stride[j];
            if (++index[j] < shape[j]) break;
            at -= stride[j] * shape[j];
            index[j] = 0;
        }
    }
    return c;
}

} // namespace

NpyArray parseNpy(std::span<const uint8_t> bytes, const std::string& name) {
    auto fail = [&](int64_t at, const std::string& what) {
        throwBadInput(name + ": at byte " + std::to_string(at) + ": " + what);
    };
    static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.size() < 10) fail(0, "file too short for a .npy header (" + std::to_string(bytes.size()) + " bytes)");
    if (std::memcmp(bytes.data(), "PK\x03\x04", 4) == 0)
        fail(0, "a .npz (zip) archive, not a .npy array; extract its arrays first (unzip it, or in "
                "Python: d = numpy.load(FILE); numpy.save(\"X.npy\", d[\"X\"]) for each) and give the .npy files");
    if (std::memcmp(bytes.data(), kMagic, 6) != 0) fail(0, "bad magic; not a .npy file (expected \\x93NUMPY)");
    const uint8_t major = bytes[6];
    if (major < 1 || major > 3)
        fail(6, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(bytes[7]));
    std::size_t headerLen = 0, start = 0;
    if (major == 1) {
        headerLen = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8;
        start = 10;
    } else {
        if (bytes.size() < 12) fail(8, "truncated header length");
        headerLen = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8 |
                    static_cast<std::size_t>(bytes[10]) << 16 | static_cast<std::size_t>(bytes[11]) << 24;
        start = 12;
    }
    if (headerLen > bytes.size() - start)
        fail(8, "header length " + std::to_string(headerLen) + " runs past the end of the file (" +
                    std::to_string(bytes.size()) + " bytes)");
    const std::string_view header(reinterpret_cast<const char*>(bytes.data() + start), headerLen);
    HeaderScanner s{name, header, static_cast<int64_t>(start)};
    NpyArray a;
    std::string descr;
    bool fortran = false, haveDescr = false, haveShape = false, haveOrder = false;
    s.expect('{');
    while (!s.accept('}')) {
        const std::string key = s.quoted();
        s.expect(':');
        if (key == "descr") {
            descr = s.quoted();
            haveDescr = true;
        } else if (key == "fortran_order") {
            s.skipSpace();
            if (header.substr(s.pos, 4) == "True") fortran = true, s.pos += 4;
            else if (header.substr(s.pos, 5) == "False") s.pos += 5;
            else s.fail("fortran_order must be True or False");
            haveOrder = true;
        } else if (key == "shape") {
            s.expect('(');
            while (!s.accept(')')) {
                a.shape.push_back(s.integer());
                if (a.shape.size() > 8) s.fail("more than 8 dimensions");
                if (!s.accept(',')) {
                    s.expect(')');
                    break;
                }
            }
            haveShape = true;
        } else {
            s.fail("unexpected key '" + key + "' in the .npy header");
        }
        if (!s.accept(',')) {
            s.expect('}');
            break;
        }
    }
    if (!haveDescr || !haveShape || !haveOrder)
        fail(static_cast<int64_t>(start), "the .npy header lacks 'descr', 'fortran_order' or 'shape'");
    if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '>' && descr[0] != '|' && descr[0] != '='))
        fail(static_cast<int64_t>(start), "unsupported dtype '" + descr + "'");
    a.bigEndian = descr[0] == '>';
    a.kind = descr[1];
    const std::string size = descr.substr(2);
    a.itemSize = size == "1" ? 1 : size == "2" ? 2 : size == "4" ? 4 : size == "8" ? 8 : 0;
    const bool ok = (a.kind == 'f' && (a.itemSize == 4 || a.itemSize == 8)) ||
                    ((a.kind == 'i' || a.kind == 'u') && a.itemSize > 0) ||
                    (a.kind == 'b' && a.itemSize == 1);
    if (!ok)
        fail(static_cast<int64_t>(start), "unsupported dtype '" + descr +
                                              "'; use float32/64, (u)int8/16/32/64 or bool");
    int64_t n = 1;
    for (int64_t d : a.shape) {
        if (d != 0 && n > kMaxElements / d)
            fail(static_cast<int64_t>(start), "shape too large; the header is corrupt");
        n *= d;
    }
    const std::size_t dataStart = start + headerLen;
    const auto expected = static_cast<uint64_t>(n) * static_cast<uint64_t>(a.itemSize);
    const uint64_t have = bytes.size() - dataStart;
    if (have != expected)
        fail(static_cast<int64_t>(dataStart + std::min<uint64_t>(have, expected)),
             "the shape needs " + std::to_string(expected) + " bytes of data, the file has " +
                 std::to_string(have) + (have < expected ? " (truncated)" : " (trailing data)"));
    a.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(dataStart), bytes.end());
    if (fortran && a.shape.size() > 1) a.data = toCOrder(a.data, a.shape, a.itemSize);
    return a;
}

NpyArray readNpy(const std::string& path, const std::string& where) {
    std::string bytes;
    loadTextFile(path, where, bytes);
    return parseNpy(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), path);
}

} // namespace neurite
