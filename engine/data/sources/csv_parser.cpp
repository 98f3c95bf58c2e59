// The CSV tokenizer. One pass over the text; every error names the line where the row starts.
#include "data/sources/csv_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string delimiterName(char d) {
    if (d == '\t') return "'\\t'";
    if (d == ' ') return "spaces";
    std::string out(3, '\'');
    out[1] = d;
    return out;
}

// Per candidate, how often it appears outside quotes on each of the first lines. The delimiter
// is the candidate that appears the same non-zero number of times on most lines. Runs of
// spaces and tabs between fields (the fifth candidate, ' ') win only when no other candidate
// is consistent on at least half the lines.
char detectDelimiter(std::string_view text) {
    constexpr std::array<char, 5> kCandidates = {',', ';', '\t', '|', ' '};
    std::array<std::vector<int>, 5> counts;
    std::array<int, 5> current{};
    bool quoted = false, inGap = false, anyField = false;
    int lines = 0;
    for (std::size_t i = 0; i < text.size() && lines < 50; ++i) {
        const char c = text[i];
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') {
            if (c == '\r') continue;
            for (std::size_t k = 0; k < 5; ++k) counts[k].push_back(current[k]);
            current = {};
            inGap = anyField = false;
            ++lines;
            continue;
        }
        for (std::size_t k = 0; k < 4; ++k)
            if (c == kCandidates[k]) ++current[k];
        if (isBlank(c)) {
            inGap = anyField;
        } else {
            if (inGap) ++current[4];  // a gap between two fields, not leading or trailing blanks
            inGap = false;
            anyField = true;
        }
    }
    for (std::size_t k = 0; k < 5; ++k) counts[k].push_back(current[k]);
    char best = ',';
    double bestScore = 0;
    for (std::size_t k = 0; k < 5; ++k) {
        std::map<int, int> histogram;
        for (int v : counts[k])
            if (v > 0) ++histogram[v];
        int mode = 0, modeCount = 0;
        for (auto [v, n] : histogram)
            if (n > modeCount) mode = v, modeCount = n;
        // Consistency first (share of lines with the modal count), then the count itself.
        const double score = mode == 0 ? 0
                                       : static_cast<double>(modeCount) * 1000.0 /
                                                 static_cast<double>(counts[k].size()) +
                                             std::min(mode, 999);
        if (kCandidates[k] == ' ' && bestScore >= 500) continue;
        if (score > bestScore) best = kCandidates[k], bestScore = score;
    }
    return best;
}

struct Tokenizer {
    std::string_view text;
    const std::string& name;
    char delim;
    std::size_t pos = 0;
    int64_t line = 1;

    // ' ' stands for any run of spaces and tabs.
    bool isDelim(char c) const { return delim == ' ' ? isBlank(c) : c == delim; }
    void skipBlanks() {
        while (pos < text.size() && isBlank(text[pos])) ++pos;
    }

    [[noreturn]] void fail(int64_t at, const std::string& what) const {
        throwBadInput(name + ": line " + std::to_string(at) + ": " + what);
    }

    // Reads one record into fields; returns false at the end of the text. Blank lines yield
    // an empty record.
    bool next(std::vector<std::string>& fields, int64_t& startLine) {
        fields.clear();
        if (pos >= text.size()) return false;
        startLine = line;
        std::string field;
        bool any = false;
        if (delim == ' ') skipBlanks();
        while (true) {
            if (pos < text.size() && text[pos] == '"' && trim(field).empty()) {
                field.clear();
                ++pos;
                while (true) {
                    if (pos >= text.size())
                        fail(startLine, "a quoted field is not closed before the end of the file");
                    const char c = text[pos++];
                    if (c == '"') {
                        if (pos < text.size() && text[pos] == '"') {
                            field += '"';
                            ++pos;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                }
                while (pos < text.size() && (text[pos] == '\r' || (delim != ' ' && isBlank(text[pos]))))
                    ++pos;
                if (pos < text.size() && !isDelim(text[pos]) && text[pos] != '\n')
                    fail(line, std::string("unexpected text after a closing quote: '") +
                                   text[pos] + "'; quote the whole field and double inner quotes");
                any = true;
            }
            while (pos < text.size() && !isDelim(text[pos]) && text[pos] != '\n')
                field += text[pos++];
            if (!field.empty() && field.back() == '\r') field.pop_back();
            if (pos < text.size() && isDelim(text[pos])) {
                fields.push_back(std::string(trim(field)));
                field.clear();
                any = true;
                ++pos;
                if (delim != ' ') continue;
                skipBlanks();  // a run of blanks is one delimiter; blanks before the line end are none
                if (pos < text.size() && text[pos] == '\r') ++pos;
                if (pos < text.size() && text[pos] != '\n') continue;
                any = false;
            }
            // End of line or text.
            if (any || !trim(field).empty()) fields.push_back(std::string(trim(field)));
            if (pos < text.size()) {
                ++pos;
                ++line;
            }
            return true;
        }
    }
};

bool isYear(std::string_view f) {
    double v = 0;
    return f.size() == 4 && parseCsvNumber(f, v) && v >= 1000 && v <= 2999 && v == std::floor(v);
}

// A header row: no field of the first row is missing, and either
// - every field is text and in some column the first row differs in kind (text over numbers)
//   or never recurs below it, or
// - the fields are text or years (1990, 2000, ...; wide tables of yearly values) with the
//   years increasing, and some year column below holds values that are not years.
bool detectHeader(const std::vector<std::vector<std::string>>& rows) {
    if (rows.size() < 2) return false;
    double number = 0;
    const std::size_t sample = std::min<std::size_t>(rows.size(), 51);
    double lastYear = 0;
    bool allText = true, yearsValid = true, yearColumnOfValues = false;
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
        const std::string& f = rows[0][c];
        if (isMissingCsvValue(f)) return false;
        if (!parseCsvNumber(f, number)) continue;
        allText = false;
        yearsValid = yearsValid && isYear(f) && number > lastYear;
        lastYear = number;
        for (std::size_t r = 1; r < sample; ++r)
            if (!isMissingCsvValue(rows[r][c]) && !isYear(rows[r][c])) yearColumnOfValues = true;
    }
    if (!allText) return yearsValid && yearColumnOfValues;
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
        std::size_t numeric = 0, seen = 0;
        for (std::size_t r = 1; r < sample; ++r) {
            if (rows[r][c] == rows[0][c]) seen = 1 << 30;
            else if (parseCsvNumber(rows[r][c], number)) ++numeric;
        }
        if (numeric > 0 || seen == 0) return true;
    }
    return false;
}

} // namespace

bool parseCsvNumber(std::string_view text, double& out) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc::result_out_of_range && end == text.data() + text.size()) {
        out = std::strtod(std::string(text).c_str(), nullptr);  // underflow reads as 0
        return std::isfinite(out);
    }
    return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

bool isOverflowingNumber(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return end == text.data() + text.size() && !text.empty() &&
           (ec == std::errc::result_out_of_range || (ec == std::errc() && std::isinf(v)));
}

bool isMissingCsvValue(std::string_view text) {
    text = trim(text);
    static constexpr std::string_view kMissing[] = {"",    "NA",   "N/A", "NaN", "nan",
                                                     "null", "NULL", "?",   "na",  "n/a"};
    return std::find(std::begin(kMissing), std::end(kMissing), text) != std::end(kMissing);
}

CsvTable parseCsv(std::string_view text, const std::string& name, const CsvOptions& options) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    int64_t skipped = 0;
    for (; skipped < options.skipLines && !text.empty(); ++skipped) {
        const std::size_t eol = text.find('\n');
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    }
    CsvTable table;
    table.delimiter = options.delimiter ? options.delimiter : detectDelimiter(text);
    Tokenizer tok{text, name, table.delimiter};
    tok.line = skipped + 1;
    std::vector<std::string> fields;
    int64_t line = 0;
    std::size_t width = 0;
    int64_t firstLine = 0;
    while (tok.next(fields, line)) {
        if (fields.empty()) continue;
        if (table.rows.empty()) {
            width = fields.size();
            firstLine = line;
        } else if (fields.size() != width) {
            throwBadInput(name + ": line " + std::to_string(line) + ": " +
                          std::to_string(fields.size()) + " fields, but line " +
                          std::to_string(firstLine) + " has " + std::to_string(width) +
                          " (delimiter " + delimiterName(table.delimiter) +
                          "); every row needs the same number of fields");
        }
        table.rows.push_back(fields);
        table.lines.push_back(line);
    }
    if (table.rows.empty()) throwBadInput(name + ": empty file; expected CSV rows");
    table.hasHeader = options.header < 0 ? detectHeader(table.rows) : options.header == 1;
    if (table.hasHeader) {
        table.header = std::move(table.rows.front());
        table.rows.erase(table.rows.begin());
        table.lines.erase(table.lines.begin());
        for (std::size_t c = 0; c < table.header.size(); ++c)
            if (table.header[c].empty()) table.header[c] = "column " + std::to_string(c + 1);
    } else {
        for (std::size_t c = 0; c < width; ++c)
            table.header.push_back("column " + std::to_string(c + 1));
    }
    return table;
}

std::optional<std::size_t> findCsvColumn(const CsvTable& table, const std::string& wanted) {
    for (std::size_t c = 0; c < table.header.size(); ++c)
        if (table.header[c] == wanted) return c;
    int64_t index = 0;
    auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), index);
    const auto width = static_cast<int64_t>(table.header.size());
    if (ec == std::errc() && end == wanted.data() + wanted.size() && index >= -width && index < width)
        return static_cast<std::size_t>(index < 0 ? index + width : index);
    return std::nullopt;
}

std::string csvColumnNames(const CsvTable& table) {
    std::string names;
    for (const auto& h : table.header) names += (names.empty() ? "\"" : ", \"") + clipForMessage(h) + "\"";
    return names;
}

std::string lowerAscii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace neurite
