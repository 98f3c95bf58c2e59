// libFuzzer target: the CSV tokenizer and the table-to-Dataset conversion (column kinds,
// one-hot, labels, missing values). Any input must end in a Dataset or Error{BadInput}.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "data/sources.h"
#include "data/sources/csv_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
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
