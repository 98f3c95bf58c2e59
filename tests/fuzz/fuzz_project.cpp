// libFuzzer target: the project reader (engine/io) and through it the shared JSON text layer
// (io/json_text: depth limit, parse errors, numbers beyond double). Every input is refused with
// Error{BadInput} or parses into a document that writes back and parses again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "io/project.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const neurite::ProjectDocument doc = neurite::parseProject(text, "fuzz.neurite.json", nullptr);
        const std::string written = neurite::projectToJson(doc);
        neurite::parseProject(written, "rewritten.neurite.json", nullptr);
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
