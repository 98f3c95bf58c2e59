// The tokenizer and vocabulary of text sources (text_vocabulary.h has the rules).
#include "data/text/text_vocabulary.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.h"
#include "data/sources/csv_text.h"

namespace neurite {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at text[at]; advances `at`. Invalid bytes give U+FFFD, one byte each.
char32_t decode(std::string_view text, std::size_t& at, bool* valid = nullptr) {
    const auto b0 = static_cast<unsigned char>(text[at]);
    auto fail = [&] {
        ++at;
        if (valid) *valid = false;
        return kReplacement;
    };
    if (valid) *valid = true;
    if (b0 < 0x80) {
        ++at;
        return b0;
    }
    int extra = 0;
    char32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0) { extra = 1; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { extra = 2; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { extra = 3; cp = b0 & 0x07; min = 0x10000; }
    else return fail();
    if (at + static_cast<std::size_t>(extra) >= text.size()) return fail();
    for (int k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(text[at + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) return fail();
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail();
    at += static_cast<std::size_t>(extra) + 1;
    return cp;
}

char32_t lower(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0xC0) return c;
    if (c <= 0xDE) return c == 0xD7 ? c : c + 32;  // Latin-1 (x sign kept)
    if (c >= 0x100 && c <= 0x17F) {  // Latin Extended-A: pairs, upper case first
        if (c == 0x130) return 'i';
        if (c == 0x178) return 0xFF;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
        if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;  // Greek
    if (c >= 0x410 && c <= 0x42F) return c + 32;               // Cyrillic
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

bool isSpace(char32_t c) {
    return c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool isWordChar(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c <= 0xBF || c == 0xD7 || c == 0xF7) return false;
    if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation
    if (c >= 0x20A0 && c <= 0x2BFF) return false;  // currency, letterlike, arrows, maths, shapes, dingbats
    if (c >= 0x3000 && c <= 0x303F) return false;  // CJK symbols and punctuation
    if (c >= 0x1F000 && c <= 0x1FAFF) return false;  // emoji and pictographs
    if ((c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
        (c >= 0xFF5B && c <= 0xFF65))
        return false;
    return c != 0xFEFF && c != kReplacement;
}

bool isApostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

}  // namespace

std::size_t invalidUtf8At(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t here = at;
        bool valid = true;
        decode(text, at, &valid);
        if (!valid) return here;
    }
    return std::string_view::npos;
}

std::vector<std::string> tokenize(std::string_view text, bool characters, bool lowercase) {
    std::vector<char32_t> cps;
    cps.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const char32_t c = decode(text, at);
        cps.push_back(lowercase ? lower(c) : c);
    }
    std::vector<std::string> out;
    if (characters) {
        bool pendingSpace = false;
        for (char32_t c : cps) {
            if (isSpace(c)) {
                pendingSpace = !out.empty();
                continue;
            }
            if (pendingSpace) out.emplace_back(" ");
            pendingSpace = false;
            out.emplace_back();
            appendUtf8(out.back(), static_cast<uint32_t>(c));
        }
        return out;
    }
    std::string word;
    for (std::size_t k = 0; k < cps.size(); ++k) {
        const char32_t c = cps[k];
        const bool inner = isApostrophe(c) && !word.empty() && k + 1 < cps.size() && isWordChar(cps[k + 1]);
        if (isWordChar(c) || inner) {
            appendUtf8(word, static_cast<uint32_t>(c == 0x2019 ? char32_t('\'') : c));
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

TextVocabulary TextVocabulary::fit(const std::vector<std::string>& texts, const TextSettings& settings) {
    TextVocabulary v;
    v.settings = settings;
    struct Seen {
        int64_t count = 0, first = 0;
    };
    std::unordered_map<std::string, Seen> seen;
    std::vector<int64_t> lengths;
    lengths.reserve(texts.size());
    int64_t order = 0;
    for (const std::string& t : texts) {
        const std::vector<std::string> tokens = tokenize(t, settings.characters, settings.lowercase);
        lengths.push_back(static_cast<int64_t>(tokens.size()));
        for (const std::string& tok : tokens) {
            auto [it, added] = seen.try_emplace(tok);
            if (added) it->second.first = order++;
            ++it->second.count;
        }
    }
    std::vector<std::pair<const std::string*, Seen>> ranked;
    for (const auto& [tok, s] : seen)
        if (s.count >= settings.minCount) ranked.emplace_back(&tok, s);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second.count != b.second.count ? a.second.count > b.second.count : a.second.first < b.second.first;
    });
    const auto keep = static_cast<std::size_t>(std::max<int64_t>(settings.maxVocabulary - 2, 0));
    if (ranked.size() > keep) ranked.resize(keep);
    for (const auto& r : ranked) v.tokens.push_back(*r.first);
    if (v.settings.length <= 0) {
        std::sort(lengths.begin(), lengths.end());
        int64_t p95 = 1;
        if (!lengths.empty()) {
            const auto at = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(lengths.size())) - 1);
            p95 = lengths[std::min(at, lengths.size() - 1)];
        }
        v.settings.length = std::clamp<int64_t>(p95, 1, 500);
    }
    v.index();
    return v;
}

TextVocabulary TextVocabulary::restore(const TextSettings& settings, std::vector<std::string> tokens) {
    if (settings.length < 1 || settings.length > kTextMaxLength)
        throwBadInput("text: length must be 1.." + std::to_string(kTextMaxLength) + ", got " +
                      std::to_string(settings.length));
    TextVocabulary v;
    v.settings = settings;
    v.tokens = std::move(tokens);
    std::unordered_set<std::string_view> unique;
    for (const std::string& t : v.tokens) {
        if (t.empty()) throwBadInput("text vocabulary: an empty token");
        if (!unique.insert(t).second) throwBadInput("text vocabulary: the token \"" + t + "\" appears twice");
    }
    v.index();
    return v;
}

void TextVocabulary::index() {
    m_ids.clear();
    m_ids.reserve(tokens.size());
    for (std::size_t k = 0; k < tokens.size(); ++k) m_ids.emplace(tokens[k], static_cast<int64_t>(k) + 2);
}

int64_t TextVocabulary::id(const std::string& token) const {
    const auto it = m_ids.find(token);
    return it == m_ids.end() ? kTextUnknownId : it->second;
}

std::string TextVocabulary::tokenOf(int64_t id) const {
    if (id == kTextPaddingId) return "<pad>";
    if (id < 2 || id >= size()) return "<unk>";
    return tokens[static_cast<std::size_t>(id - 2)];
}

int64_t TextVocabulary::encode(std::string_view text, float* ids, int64_t* unknown) const {
    NEURITE_CHECK(fitted(), "text vocabulary used before it was fitted");
    const std::vector<std::string> toks = tokenize(text, settings.characters, settings.lowercase);
    const auto n = static_cast<int64_t>(toks.size()), len = settings.length;
    const int64_t kept = std::min(n, len), skip = n - kept, pad = len - kept;
    std::fill(ids, ids + pad, static_cast<float>(kTextPaddingId));
    int64_t oov = 0;
    for (int64_t k = 0; k < kept; ++k) {
        const int64_t v = id(toks[static_cast<std::size_t>(skip + k)]);
        oov += v == kTextUnknownId;
        ids[pad + k] = static_cast<float>(v);
    }
    if (unknown) *unknown = oov;
    return n;
}

}  // namespace neurite
