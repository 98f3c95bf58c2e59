// Decompression and character encodings for CSV text.
#include "data/sources/csv_text.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "data/sources.h"

namespace neurite {

namespace {

int64_t lineAt(std::string_view text, std::size_t at) {
    return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
}

std::string fromUtf16(std::string_view b, bool bigEndian, const std::string& name) {
    if (b.size() % 2) throwBadInput(name + ": at byte " + std::to_string(b.size() - 1) + ": UTF-16 text with an odd number of bytes (truncated)");
    std::string out;
    out.reserve(b.size() / 2);
    auto unit = [&](std::size_t i) {
        const auto hi = static_cast<uint8_t>(b[bigEndian ? i : i + 1]), lo = static_cast<uint8_t>(b[bigEndian ? i + 1 : i]);
        return static_cast<uint32_t>(hi << 8 | lo);
    };
    for (std::size_t i = 0; i < b.size(); i += 2) {
        uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < b.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            throwBadInput(name + ": at byte " + std::to_string(i) + ": unpaired UTF-16 surrogate; the file is not valid UTF-16");
        }
        appendUtf8(out, cp);
    }
    return out;
}

// Length of the valid UTF-8 sequence at text[i], 0 when it is not one.
std::size_t utf8Length(std::string_view t, std::size_t i) {
    const auto c = static_cast<uint8_t>(t[i]);
    if (c < 0x80) return 1;
    const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > t.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<uint8_t>(t[i + k]) & 0xC0) != 0x80) return 0;
    const auto c1 = static_cast<uint8_t>(t[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
        return 0;  // overlong, surrogate or beyond U+10FFFF
    return n;
}

} // namespace

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string gunzip(std::string_view gz, const std::string& name, int64_t maxBytes) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throwInternal("inflateInit2 failed");
    std::string out;
    char buf[1 << 16];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        const auto at = std::to_string(gz.size() - z.avail_in);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            const std::string why = rc == Z_BUF_ERROR ? "the compressed data ends early (truncated)"
                                                      : std::string("corrupt compressed data: ") + (z.msg ? z.msg : "zlib error");
            inflateEnd(&z);
            throwBadInput(name + ": at byte " + at + ": " + why);
        }
        out.append(buf, sizeof buf - z.avail_out);
        if (static_cast<int64_t>(out.size()) > maxBytes) {
            inflateEnd(&z);
            throwBadInput(name + ": decompresses to more than " + std::to_string(maxBytes) +
                          " bytes; split the file or decompress it and read a smaller part");
        }
    }
    inflateEnd(&z);
    return out;
}

std::string toUtf8Text(std::string bytes, const std::string& name, const std::string& encoding) {
    const std::string_view b(bytes);
    const bool le16 = b.size() >= 2 && b[0] == '\xFF' && b[1] == '\xFE';
    const bool be16 = b.size() >= 2 && b[0] == '\xFE' && b[1] == '\xFF';
    if (encoding == "utf-16" && !le16 && !be16)
        throwBadInput(name + ": at byte 0: encoding=utf-16 needs a byte-order mark (FF FE or FE FF)");
    if ((encoding == "auto" || encoding == "utf-16") && (le16 || be16)) return fromUtf16(b.substr(2), be16, name);
    if (encoding == "latin1") {
        std::string out;
        out.reserve(bytes.size());
        for (char c : bytes) appendUtf8(out, static_cast<uint8_t>(c));
        return out;
    }
    if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") bytes.erase(0, 3);
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = utf8Length(bytes, i);
        if (n == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<uint8_t>(bytes[i]));
            throwBadInput(name + ": line " + std::to_string(lineAt(bytes, i)) + ": byte " + hex +
                          " is not valid UTF-8; if the file is Latin-1 (ISO-8859-1), add "
                          "encoding=latin1, or save it as UTF-8");
        }
        i += n;
    }
    return bytes;
}

std::string readCsvText(const std::string& path, const std::string& where, const std::string& encoding) {
    std::string bytes;
    loadTextFile(path, where, bytes, kMaxCsvText);
    if (bytes.size() >= 2 && bytes[0] == '\x1F' && bytes[1] == '\x8B') bytes = gunzip(bytes, path, kMaxCsvText);
    return toUtf8Text(std::move(bytes), path, encoding);
}

} // namespace neurite
