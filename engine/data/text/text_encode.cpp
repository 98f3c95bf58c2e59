// encodeTexts: a text source's splits from raw texts to ids, with the vocabulary fitted on the
// training split only (so validation and test words the training split never saw are
// out of vocabulary, as they will be for new texts), and notes that say what that did.
#include <algorithm>
#include <cstring>
#include <sstream>

#include "core/error.h"
#include "data/preprocess.h"

namespace neurite {

namespace {

std::string percent(int64_t part, int64_t whole) {
    std::ostringstream s;
    s.precision(3);
    s << (whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0) << "%";
    return s.str();
}

struct SplitStats {
    int64_t texts = 0, tokens = 0, kept = 0, unknown = 0, truncated = 0;
};

SplitStats encodeSplit(const TextVocabulary& v, DataSplit& split) {
    const int64_t len = v.settings.length;
    SplitStats st;
    split.dtype = DType::F32;
    split.bytes.assign(split.texts.size() * static_cast<std::size_t>(len) * sizeof(float), 0);
    float* ids = reinterpret_cast<float*>(split.bytes.data());
    for (std::size_t i = 0; i < split.texts.size(); ++i) {
        int64_t unknown = 0;
        const int64_t n = v.encode(split.texts[i], ids + i * static_cast<std::size_t>(len), &unknown);
        ++st.texts;
        st.tokens += n;
        st.kept += std::min(n, len);
        st.unknown += unknown;
        st.truncated += n > len;
    }
    split.count = static_cast<int64_t>(split.texts.size());
    return st;
}

}  // namespace

void encodeTexts(Dataset& ds) {
    if (!ds.textSource) return;
    const TextSettings asked = ds.text.settings;
    ds.text = TextVocabulary::fit(ds.train.texts, asked);
    const TextVocabulary& v = ds.text;
    ds.sampleShape = Shape{v.settings.length};
    const SplitStats train = encodeSplit(v, ds.train);
    const SplitStats val = encodeSplit(v, ds.validation);
    const SplitStats test = encodeSplit(v, ds.test);
    if (train.tokens == 0)
        throwBadInput("data source \"" + ds.source + "\": the training texts hold no " +
                      (asked.characters ? "characters" : "words") + " (only punctuation and spaces)");
    std::ostringstream n;
    n << "text: " << (asked.characters ? "characters" : "words") << (asked.lowercase ? ", lowercased" : "")
      << "; vocabulary of " << v.size() << " ids fitted on the training split (0 padding, 1 out of vocabulary, "
      << v.tokens.size() << " tokens";
    if (asked.minCount > 1) n << " seen at least " << asked.minCount << " times";
    n << ")";
    if (!v.tokens.empty()) {
        n << "; most frequent:";
        for (std::size_t k = 0; k < v.tokens.size() && k < 10; ++k) n << (k ? ", " : " ") << '"' << v.tokens[k] << '"';
    }
    ds.notes.push_back(n.str());
    std::ostringstream l;
    l << "text: " << v.settings.length << " tokens per text"
      << (asked.length == 0 ? " (auto: the 95th percentile of the training texts' lengths, at most 500)" : "")
      << ", padded with 0 in front and truncated from the start; training texts average "
      << (train.texts ? train.tokens / train.texts : 0) << " tokens, " << percent(train.truncated, train.texts)
      << " of them truncated";
    ds.notes.push_back(l.str());
    const SplitStats& held = val.texts > 0 ? val : test;
    if (held.texts > 0)
        ds.notes.push_back(std::string("text: ") + percent(held.unknown, held.kept) + " of the " +
                           (val.texts > 0 ? "validation" : "test") +
                           " split's tokens are out of vocabulary (training: " + percent(train.unknown, train.kept) + ")");
}

}  // namespace neurite
