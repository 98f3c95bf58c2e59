// libFuzzer target: the time-series reader (timestamps, order and gap checks, interpolation,
// windows) and the text tokenizer and vocabulary on the same bytes. Any input must end in a
// Dataset or Error{BadInput}; tokenizing never fails, and every id it gives is in range.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "data/series/series_time.h"
#include "data/sources.h"
#include "data/text/text_vocabulary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (const char* query : {"lookback=2", "lookback=3&horizon=2&gaps=interpolate&order=sort",
                              "time=none&lookback=1&stride=2", "task=classify&label=-1&lookback=2&gaps=interpolate"}) {
        try {
            const neurite::Dataset ds = neurite::seriesFromText(text, "fuzz.csv", query, "series:fuzz.csv");
            if (ds.train.count < 1) __builtin_trap();
        } catch (const neurite::Error& e) {
            if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
        }
    }
    (void)neurite::parseSeriesTime(text);
    (void)neurite::invalidUtf8At(text);
    for (bool characters : {false, true}) {
        neurite::TextSettings s;
        s.characters = characters;
        s.maxVocabulary = 50;
        s.length = 8;
        const std::vector<std::string> lines{text, text.substr(0, text.size() / 2)};
        const neurite::TextVocabulary v = neurite::TextVocabulary::fit(lines, s);
        float ids[8];
        v.encode(text, ids);
        for (float id : ids)
            if (id < 0 || id >= static_cast<float>(v.size())) __builtin_trap();
    }
    return 0;
}
