// Files compiled into the engine (resources/data, by cmake/embed_files.cmake at build time).
#pragma once

#include <cstddef>
#include <string_view>

namespace neurite {

struct EmbeddedFile {
    const char* name;           // the file's base name, "iris.csv"
    const unsigned char* data;
    std::size_t size;
};

// Ends with an entry whose name is nullptr.
extern const EmbeddedFile kEmbeddedFiles[];

} // namespace neurite
