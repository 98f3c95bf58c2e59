// libFuzzer target: the text decoding (UTF-8/UTF-16/Latin-1, gzip with a cap), the CSV
// tokenizer (detected, space-run and preamble-skipping) and the table-to-Dataset conversion
// (column kinds, one-hot, labels, missing values). Any input must end in a Dataset or
// Error{BadInput}.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "data/sources.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto badInputOnly = [](auto&& f) {
        try {
            f();
        } catch (const neurite::Error& e) {
            if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
        }
    };
    for (const char* encoding : {"auto", "latin1"})
        badInputOnly([&] { neurite::toUtf8Text(std::string(text), "fuzz.csv", encoding); });
    badInputOnly([&] { neurite::gunzip(text, "fuzz.csv.gz", int64_t{1} << 20); });
    badInputOnly([&] { neurite::parseCsv(text, "fuzz.csv", {' ', -1, 2}); });
    try {
        const neurite::CsvTable table = neurite::parseCsv(text, "fuzz.csv");
        for (const char* query : {"", "missing=mean", "target=0&task=regression"})
            try {
                neurite::csvToDataset(table, "fuzz.csv", "csv:fuzz.csv", query, "");
            } catch (const neurite::Error& e) {
                if (e.kind() != neurite::ErrorKind::BadInput) throw;
            }
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
