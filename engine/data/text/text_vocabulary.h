// Text to token ids (docs/data.md, "Text"): the tokenizer, the vocabulary fitted on the training
// split only, and the fixed length every text is padded or truncated to. A text source's samples
// are these ids, as whole numbers in f32 ([length] per text), which an Embedding layer reads; the
// vocabulary travels with the model (native model file, Predictor's callers) so that predict
// and Try it take raw text.
//
// Tokens: UTF-8 is decoded to code points (an invalid byte reads as U+FFFD; the sources refuse
// such files first, naming the line). Lowercasing covers ASCII, Latin-1, Latin Extended-A, Greek
// and Cyrillic; other scripts are kept as written.
//   words (the default): a word is a run of letters and digits, an apostrophe (' or U+2019)
//     inside a word included ("don't" is one word). Everything else separates words and is
//     dropped: ASCII punctuation and symbols, whitespace and control characters, Latin-1's
//     punctuation and symbols (U+0080-U+00BF, U+00D7, U+00F7), general punctuation
//     (U+2000-U+206F), the symbol blocks U+20A0-U+2BFF (currency, letterlike, arrows,
//     mathematical operators, shapes, dingbats), CJK symbols and punctuation (U+3000-U+303F), the
//     fullwidth ASCII punctuation (U+FF01-U+FF0F, U+FF1A-U+FF20, U+FF3B-U+FF40, U+FF5B-U+FF65)
//     and emoji (U+1F000-U+1FAFF). Any other code point is a letter.
//   characters: every code point is a token; runs of whitespace and control characters become one
//     space, and the text is trimmed.
// Ids: 0 is padding, 1 is out of vocabulary (a token not kept), then the kept tokens from 2,
// most frequent first (ties: the first seen in training order first). A text longer than the
// length loses its start, a shorter one is padded with 0 in front: either way its last token is
// the last position, which is what a recurrent layer's final state reads (Keras's
// pad_sequences defaults).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace neurite {

inline constexpr int64_t kTextPaddingId = 0;
inline constexpr int64_t kTextUnknownId = 1;
inline constexpr int64_t kTextMaxLength = 100000;

struct TextSettings {
    bool characters = false;  // level=char: one token per character; else words
    bool lowercase = true;
    int64_t maxVocabulary = 20000;  // ids kept, padding and out-of-vocabulary included (>= 3)
    int64_t minCount = 1;           // tokens seen fewer times in training are out of vocabulary
    int64_t length = 0;             // tokens per text; 0 = auto (fitted, see TextVocabulary::fit)
};

// The first byte of `text` that is not part of valid UTF-8 (overlong forms, surrogates and code
// points past U+10FFFF included), or npos.
std::size_t invalidUtf8At(std::string_view text);

std::vector<std::string> tokenize(std::string_view text, bool characters, bool lowercase);

class TextVocabulary {
public:
    TextSettings settings;            // length resolved (> 0) once fitted
    std::vector<std::string> tokens;  // tokens[k] has id k + 2

    bool fitted() const { return settings.length > 0; }
    int64_t size() const { return static_cast<int64_t>(tokens.size()) + 2; }
    // Fits on the training texts: the vocabulary, and for length 0 the 95th percentile of their
    // token counts (at least 1, at most 500).
    static TextVocabulary fit(const std::vector<std::string>& texts, const TextSettings& settings);
    // A vocabulary read back (a model file): settings with their length, and the tokens in id
    // order. Throws Error{BadInput} for a duplicate or empty token or a bad setting.
    static TextVocabulary restore(const TextSettings& settings, std::vector<std::string> tokens);

    // settings.length ids of one text, as whole numbers in f32. Returns the number of its tokens
    // (before padding or truncation); `unknown` (if given) gets how many were out of vocabulary.
    int64_t encode(std::string_view text, float* ids, int64_t* unknown = nullptr) const;
    int64_t id(const std::string& token) const;  // kTextUnknownId when not kept
    // "<pad>", "<unk>" or the token.
    std::string tokenOf(int64_t id) const;

private:
    void index();
    std::unordered_map<std::string, int64_t> m_ids;
};

}  // namespace neurite
