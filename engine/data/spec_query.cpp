// Parsing of source-spec options; numbers go through from_chars so that "1e3x" is refused.
#include "data/spec_query.h"

#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/suggest.h"

namespace neurite {

namespace {

std::string formatBound(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}

} // namespace

SpecParts splitSpec(const std::string& rest) {
    const std::size_t q = rest.rfind('?');
    if (q == std::string::npos) return {rest, {}};
    return {rest.substr(0, q), rest.substr(q + 1)};
}

SpecQuery::SpecQuery(const std::string& query, std::string where,
                     std::vector<std::string> allowed)
    : m_where(std::move(where)), m_allowed(std::move(allowed)) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string::npos) amp = query.size();
        const std::string item = query.substr(pos, amp - pos);
        pos = amp + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        bool known = false;
        for (const auto& a : m_allowed) known = known || a == key;
        if (!known)
            throwBadInput(m_where + "unknown option \"" + key + "\"" + didYouMean(key, m_allowed) +
                          "; this source takes " + (m_allowed.empty() ? "none" : joined(m_allowed)));
        if (eq == std::string::npos)
            throwBadInput(m_where + "option \"" + key + "\" has no value; write " + key + "=VALUE");
        if (!m_values.emplace(key, item.substr(eq + 1)).second)
            throwBadInput(m_where + "option \"" + key + "\" is given twice");
    }
}

std::optional<std::string> SpecQuery::str(const std::string& key) const {
    auto it = m_values.find(key);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

int64_t SpecQuery::integer(const std::string& key, int64_t def, int64_t min, int64_t max) const {
    auto text = str(key);
    if (!text) return def;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
        throwBadInput(m_where + key + " must be an integer in [" + std::to_string(min) + ", " +
                      std::to_string(max) + "], got \"" + *text + "\"");
    return v;
}

double SpecQuery::number(const std::string& key, double def, double min, double max) const {
    auto text = str(key);
    if (!text) return def;
    double v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || !(v >= min && v <= max))
        throwBadInput(m_where + key + " must be a number in [" + formatBound(min) + ", " +
                      formatBound(max) + "], got \"" + *text + "\"");
    return v;
}

uint64_t SpecQuery::seed(const std::string& key, uint64_t def) const {
    auto text = str(key);
    if (!text) return def;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size())
        throwBadInput(m_where + key + " must be a non-negative integer, got \"" + *text + "\"");
    return v;
}

std::string SpecQuery::choice(const std::string& key, const std::string& def,
                              const std::vector<std::string>& choices) const {
    auto text = str(key);
    if (!text) return def;
    for (const auto& c : choices)
        if (c == *text) return c;
    throwBadInput(m_where + key + " must be one of " + joined(choices) + ", got \"" + *text +
                  "\"" + didYouMean(*text, choices));
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t comma = text.find(',', at);
        if (comma == std::string::npos) comma = text.size();
        if (comma > at) out.push_back(text.substr(at, comma - at));
        at = comma + 1;
    }
    return out;
}

} // namespace neurite
