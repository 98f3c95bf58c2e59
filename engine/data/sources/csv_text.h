// The bytes of a CSV file to UTF-8 text: gzip (.csv.gz, by its magic bytes) is decompressed up
// to a cap, a UTF-8 byte-order mark is dropped, UTF-16 with a byte-order mark is converted, and
// Latin-1 is converted when asked (encoding=latin1); anything else must be valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace neurite {

inline constexpr int64_t kMaxCsvText = int64_t{1} << 30;  // 1 GiB of text, compressed or not

// Appends code point cp as UTF-8 (1 to 4 bytes).
void appendUtf8(std::string& out, uint32_t cp);

// Decompresses gzip data; Error{BadInput} "<name>: at byte N: ..." for corrupt data and
// "<name>: decompresses to more than <maxBytes> bytes" past the cap.
std::string gunzip(std::string_view gz, const std::string& name, int64_t maxBytes);

// encoding: "auto" (UTF-8, or UTF-16 by its byte-order mark), "utf-8", "utf-16" or "latin1".
// Throws Error{BadInput} "<name>: line L: byte 0xE9 is not valid UTF-8; ..." naming the line.
std::string toUtf8Text(std::string bytes, const std::string& name, const std::string& encoding);

// Reads a .csv or .csv.gz file as UTF-8 text (Error{BadInput} naming the file).
std::string readCsvText(const std::string& path, const std::string& where,
                        const std::string& encoding);

} // namespace neurite
