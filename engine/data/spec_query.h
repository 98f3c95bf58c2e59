// SpecQuery: the "key=value&key=value" options after '?' in a source spec, read with typed,
// range-checked getters. Every key must be declared, so a typo is an error that names it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace neurite {

// "csv:/data/x.csv?target=y" -> {"/data/x.csv", "target=y"}. The query starts at the last '?'.
struct SpecParts {
    std::string path;
    std::string query;
};
SpecParts splitSpec(const std::string& rest);

// A comma-separated option value as its items, empty items dropped: "a,b,,c" -> {a, b, c}.
std::vector<std::string> splitList(const std::string& text);

class SpecQuery {
public:
    // where: the message prefix ("data source \"csv:...\": "). Throws Error{BadInput} for a key
    // not in `allowed` (with a suggestion), a key without '=' or a key given twice.
    SpecQuery(const std::string& query, std::string where, std::vector<std::string> allowed);

    bool has(const std::string& key) const { return m_values.count(key) != 0; }
    std::optional<std::string> str(const std::string& key) const;
    int64_t integer(const std::string& key, int64_t def, int64_t min, int64_t max) const;
    double number(const std::string& key, double def, double min, double max) const;
    uint64_t seed(const std::string& key, uint64_t def) const;
    std::string choice(const std::string& key, const std::string& def,
                       const std::vector<std::string>& choices) const;
    const std::string& where() const { return m_where; }

private:
    std::string m_where;
    std::vector<std::string> m_allowed;
    std::map<std::string, std::string> m_values;
};

} // namespace neurite
