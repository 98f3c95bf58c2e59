// Argument parsing for neurite-cli commands.
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "cli.h"
#include "core/error.h"

namespace neurite::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& flags,
           const std::vector<std::string>& valued) {
    auto known = [](const std::vector<std::string>& list, const std::string& n) {
        for (const auto& s : list)
            if (s == n) return true;
        return false;
    };
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        const auto eq = name.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (known(flags, name)) {
            if (inlineValue) throwBadInput("option --" + name + " takes no value");
            m_flags[name] = true;
        } else if (known(valued, name)) {
            if (!inlineValue) {
                if (i + 1 >= argc) throwBadInput("option --" + name + " needs a value");
                value = argv[++i];
            }
            m_values[name] = value;
        } else {
            throwBadInput("unknown option --" + name + " (see --help)");
        }
    }
}

std::optional<std::string> Args::str(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::optional<long long> Args::integer(const std::string& name, long long min, long long max) const {
    auto s = str(name);
    if (!s) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s->c_str(), &end, 10);
    if (s->empty() || *end != '\0' || errno == ERANGE)
        throwBadInput("--" + name + " expects an integer, got '" + *s + "'");
    if (v < min || v > max)
        throwBadInput("--" + name + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max) + ", got " + *s);
    return v;
}

std::optional<double> Args::number(const std::string& name, double min, double max) const {
    auto s = str(name);
    if (!s) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(s->c_str(), &end);
    if (s->empty() || *end != '\0' || !(v == v))
        throwBadInput("--" + name + " expects a number, got '" + *s + "'");
    if (v < min || v > max) {
        char range[96];
        std::snprintf(range, sizeof range, "between %g and %g", min, max);
        throwBadInput("--" + name + " must be " + range + ", got " + *s);
    }
    return v;
}

int64_t positiveId(const std::string& text, const char* what) {
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v <= 0)
        throwBadInput(std::string("expected ") + what + " (a positive integer), got '" + text + "'");
    return v;
}

}  // namespace neurite::cli
