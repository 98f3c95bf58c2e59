// The depth scan and the parse error text shared by every JSON reader.
#include "io/json_text.h"

#include <algorithm>

#include "core/error.h"

namespace neurite::io {

namespace {

std::string lineColumn(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The parser quotes the bytes it read, which may not be text: control characters and bytes
// outside valid UTF-8 become \xNN so a message box or terminal shows them.
std::string printable(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1
                                : (c >> 5) == 0x6  ? 2
                                : (c >> 4) == 0xE  ? 3
                                : (c >> 3) == 0x1E ? 4
                                                   : 0;  // a continuation byte out of place
        bool valid = len > 0 && i + len <= s.size() && (c >= 0x20 || c == '\n') && c != 0x7F;
        for (std::size_t k = 1; valid && k < len; ++k)
            valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
        if (valid) {
            out.append(s.substr(i, len));
            i += len;
            continue;
        }
        static const char* const kHex = "0123456789abcdef";
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        ++i;
    }
    return out;
}

// nlohmann's text without its "[json.exception.parse_error.101] parse error at line 1, column
// 2: " prefix, at most a line long (it quotes the offending token, which may be huge).
std::string detailOf(const nlohmann::json::exception& e) {
    std::string detail = e.what();
    if (const std::size_t at = detail.find("] "); at != std::string::npos) detail = detail.substr(at + 2);
    const std::size_t column = detail.find("column ");
    if (const std::size_t colon = column == std::string::npos ? column : detail.find(": ", column);
        colon != std::string::npos)
        detail = detail.substr(colon + 2);
    constexpr std::size_t kMaxChars = 200;
    if (detail.size() > kMaxChars) detail = detail.substr(0, kMaxChars) + "...";
    return printable(detail);
}

}  // namespace

void checkJsonDepth(std::string_view text, const std::string& what) {
    int depth = 0;
    bool inString = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                throwBadInput(what + ": " + lineColumn(text, i) + ": JSON nested deeper than " +
                              std::to_string(kMaxJsonDepth) +
                              " levels (lists and objects inside each other); Neurite's files "
                              "need a handful, so this file is damaged or not meant for Neurite");
        } else if (c == ']' || c == '}') {
            depth = std::max(depth - 1, 0);
        }
    }
}

void throwJsonError(std::string_view text, const std::string& what,
                    const nlohmann::json::exception& e) {
    std::string where;
    if (const auto* p = dynamic_cast<const nlohmann::json::parse_error*>(&e))
        // nlohmann reports the byte just past the offending one.
        where = lineColumn(text, p->byte == 0 ? 0 : p->byte - 1) + ": ";
    std::string detail = detailOf(e);
    // A number beyond double (out_of_range.406, "number overflow parsing '1e400'").
    if (e.id == 406) detail += "; numbers must fit a double (about 1.8e308 at most)";
    throwBadInput(what + ": " + where + "invalid JSON: " + detail);
}

}  // namespace neurite::io
