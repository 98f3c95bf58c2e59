// Python identifiers for the pytorch export (export/torch_names.h).
#include "export/torch_names.h"

#include <cctype>

namespace neurite {

namespace {

// Python's keywords, and what model.py binds at module level or in forward().
const char* const kTaken[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "self", "torch", "nn", "F", "np", "os", "INPUT_SHAPE", "build_model",
    "pad", "max_pool", "avg_pool", "add", "embed", "rnn_output", "derived_features",
    "load_weights", "super"};

bool taken(const std::string& s) {
    for (const char* t : kTaken)
        if (s == t) return true;
    return false;
}

}  // namespace

std::string pythonName(const std::string& id, std::set<std::string>& used) {
    std::string s;
    for (char c : id) s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s.insert(0, "n_");
    if (taken(s)) s += '_';
    std::string unique = s;
    for (int k = 2; used.count(unique); ++k) unique = s + "_" + std::to_string(k);
    used.insert(unique);
    return unique;
}

std::string pythonClassName(const std::string& projectName) {
    std::string out;
    bool upper = true;
    for (char c : projectName) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                     : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        upper = false;
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) || taken(out)) out = "Model" + out;
    return out;
}

}  // namespace neurite
