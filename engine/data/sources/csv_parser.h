// CSV text -> a table of string fields: RFC 4180 quoting ("a,b", "say ""hi""", newlines inside
// quotes), delimiter detection among , ; TAB | and whitespace runs, header detection (text
// names, or year-like numbers such as 1990), CRLF and a UTF-8 BOM.
// Knows nothing of types; csv_source.cpp decides what the columns mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace neurite {

struct CsvOptions {
    char delimiter = 0;  // 0: detect; ' ': runs of spaces and tabs (space-aligned files)
    int header = -1;     // -1: detect, 0: no header row, 1: the first row is a header
    int64_t skipLines = 0;  // preamble lines before the first row (line numbers stay the file's)
};

struct CsvTable {
    char delimiter = ',';
    bool hasHeader = false;
    std::vector<std::string> header;             // column names ("column 1"... without a header)
    std::vector<std::vector<std::string>> rows;  // every row has header.size() fields
    std::vector<int64_t> lines;                  // 1-based line where each row starts
};

// Throws Error{BadInput} "<name>: line L: ..." for an unterminated quote, text after a closing
// quote, a row with a different number of fields than the first, and "<name>: empty file" for
// a file without rows. Blank lines are skipped.
CsvTable parseCsv(std::string_view text, const std::string& name, const CsvOptions& options = {});

// The column `wanted` names: a header name, else a 0-based index (negative counts from the
// end); nullopt when it is neither.
std::optional<std::size_t> findCsvColumn(const CsvTable& table, const std::string& wanted);
// The header's names for messages: "a", "b", "c" (each clipped).
std::string csvColumnNames(const CsvTable& table);
// ASCII letters lowercased (column names, file extensions).
std::string lowerAscii(std::string s);

// True for text that strtod reads completely ("1", "-2.5e3", " 3 "), false for "", "abc", "1x".
bool parseCsvNumber(std::string_view text, double& out);

// True for "1e400", "-1e999", "inf": numbers that no float or double holds.
bool isOverflowingNumber(std::string_view text);

// "", "NA", "N/A", "NaN", "nan", "null", "?" (trimmed): the spellings of a missing value.
bool isMissingCsvValue(std::string_view text);

} // namespace neurite
