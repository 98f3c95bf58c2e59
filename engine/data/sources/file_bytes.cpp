// Whole-file reads for the text and binary sources, with the missing-file message users see.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "data/sources.h"

namespace neurite {

void loadTextFile(const std::string& path, const std::string& where, std::string& out,
                  int64_t maxBytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throwBadInput(where + path + " does not exist");
    if (fs::is_directory(path, ec)) throwBadInput(where + path + " is a directory, expected a file");
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error(ErrorKind::Io, "cannot read " + path + ": " + ec.message());
    if (static_cast<int64_t>(size) > maxBytes)
        throwBadInput(where + path + " is " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(maxBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(in.gcount()) != size)
        throw Error(ErrorKind::Io, "cannot read " + path + ": short read");
}

} // namespace neurite
