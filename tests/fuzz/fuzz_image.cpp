// libFuzzer target: the image decoder shared by the images: data source and predict (stb_image
// behind Neurite's checks: file size, the pixel cap read from the header before decoding,
// truncated BMP and JPEG). Every decoded image must have the size its header claimed, within
// the cap, and its pixels are all read, so a short buffer shows up as an ASan report.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "data/image_decode.h"

// In the fuzzing builds stb_image itself is compiled here, instrumented, so libFuzzer sees its
// branches and ASan its reads; the program's definitions take the place of Debian's libstb.
#ifdef NEURITE_FUZZ_INSTRUMENT_STB
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/neurite-fuzz-image-" + std::to_string(getpid());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    for (int channels : {1, 3}) {
        try {
            const neurite::DecodedImage img = neurite::decodeImageFile(path, channels);
            if (img.width <= 0 || img.height <= 0 || img.channels != channels || !img.pixels)
                __builtin_trap();
            if (int64_t{img.width} * img.height > neurite::kMaxImagePixels) __builtin_trap();
            unsigned sum = 0;
            const int64_t n = int64_t{img.width} * img.height * channels;
            for (int64_t i = 0; i < n; ++i) sum += img.pixels.get()[i];
            volatile unsigned sink = sum;
            (void)sink;
        } catch (const neurite::Error& e) {
            if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
        }
    }
    return 0;
}
