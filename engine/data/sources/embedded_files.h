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

// A compiled-in file's bytes by its base name (Error{Internal} when it is not compiled in).
std::string_view embeddedFile(const char* name);

} // namespace neurite
