// Decoding one image file (PNG, JPEG, BMP, GIF, ...) for the images: data source and predict.
// The one thing to know: the size is read from the header before any pixel is decoded, so an
// image bomb (a few hundred KB of PNG declaring 20000x20000 pixels) is refused without the
// gigabytes its pixels would take; a BMP or JPEG cut short (which stb_image would fill with
// zeros) is refused too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace neurite {

// 50 megapixels: a 8660x5773 photo; more than any training image needs.
inline constexpr int64_t kMaxImagePixels = 50'000'000;

struct DecodedImage {
    struct Free {
        void operator()(unsigned char* p) const;
    };
    int width = 0, height = 0;
    int channels = 0;                              // as asked for (1 gray, 3 RGB, 4 RGBA)
    std::unique_ptr<unsigned char, Free> pixels;   // (height, width, channels) interleaved
};

// Reads a regular file of at most kMaxImageFileBytes and decodes it to `channels` channels.
// Throws Error{BadInput} "PATH: at byte 0: cannot decode the image: REASON" or
// "PATH: the image is 20000x20000 pixels (400 megapixels), more than ... (at most 50)".
DecodedImage decodeImageFile(const std::string& path, int channels);

}  // namespace neurite
