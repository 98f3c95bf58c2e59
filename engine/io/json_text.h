// JSON text in and out, for every reader and writer in Neurite (project files, native model
// metadata, the JSON a run store keeps, the CLI's events). The one thing to know: parse and dump
// only through these. Parsing refuses nesting deeper than kMaxJsonDepth before nlohmann builds a
// value (its values copy, compare and dump recursively, so a 100,000-deep list would overflow
// the stack), and turns every nlohmann parse exception (syntax, ill-formed UTF-8, a number
// beyond double such as 1e400) into Error{BadInput} with line and column. Dumping replaces
// invalid UTF-8 (a Latin-1 class name from a CSV file) with U+FFFD instead of throwing.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace neurite::io {

// Deeper than any file Neurite writes (a project is 5 levels deep) by a wide margin.
inline constexpr int kMaxJsonDepth = 100;

// Throws Error{BadInput} "WHAT: line L, column C: JSON nested deeper than 100 levels ..." when
// brackets outside strings nest deeper than kMaxJsonDepth. Linear, allocates nothing.
void checkJsonDepth(std::string_view text, const std::string& what);

// "WHAT: line L, column C: invalid JSON: DETAIL" for an exception nlohmann threw while parsing.
[[noreturn]] void throwJsonError(std::string_view text, const std::string& what,
                                 const nlohmann::json::exception& e);

// Parses `text`; `what` names it in errors ("runs.db: run 3 settings"). J is nlohmann::json or
// nlohmann::ordered_json. Throws Error{BadInput}.
template <class J = nlohmann::json>
J parseJson(std::string_view text, const std::string& what) {
    checkJsonDepth(text, what);
    try {
        return J::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throwJsonError(text, what, e);
    }
}

// Compact (indent -1) or indented text; never throws on invalid UTF-8 in strings.
template <class J>
std::string dumpJson(const J& value, int indent = -1) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace neurite::io
