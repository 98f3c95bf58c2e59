// Whole-file reads for the text and binary sources, with the missing-file message users see; the
// regular-file and size checks are core/file_read's, shared with every other reader.
#include <filesystem>

#include "core/error.h"
#include "core/file_read.h"
#include "data/sources.h"

namespace neurite {

void loadTextFile(const std::string& path, const std::string& where, std::string& out,
                  int64_t maxBytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throwBadInput(where + path + " does not exist");
    if (fs::is_directory(path, ec)) throwBadInput(where + path + " is a directory, expected a file");
    try {
        out = readRegularFile(path, maxBytes, "a data file");
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) throw;
        throwBadInput(where + e.what());
    }
}

} // namespace neurite
