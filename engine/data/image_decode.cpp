// stb_image behind one function: header first (stbi_info), pixels only when the size is sane.
#include "data/image_decode.h"

#include <stb_image.h>

#include <climits>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite {

void DecodedImage::Free::operator()(unsigned char* p) const { stbi_image_free(p); }

DecodedImage decodeImageFile(const std::string& path, int channels) {
    const std::vector<uint8_t> bytes = readRegularFileBytes(path, kMaxImageFileBytes, "an image file");
    auto failed = [&] {
        const char* reason = stbi_failure_reason();
        return path + ": at byte 0: cannot decode the image: " + (reason ? reason : "unknown reason");
    };
    DecodedImage img;
    int inFile = 0;
    // kMaxImageFileBytes keeps the size within stb's int.
    const int size = static_cast<int>(bytes.size());
    if (!stbi_info_from_memory(bytes.data(), size, &img.width, &img.height, &inFile))
        throwBadInput(failed());
    const int64_t pixels = int64_t{img.width} * img.height;
    if (pixels > kMaxImagePixels)
        throwBadInput(path + ": the image is " + std::to_string(img.width) + "x" +
                      std::to_string(img.height) + " pixels (" + std::to_string(pixels / 1000000) +
                      " megapixels), more than Neurite decodes (at most " +
                      std::to_string(kMaxImagePixels / 1000000) + "); scale it down first");
    int w = 0, h = 0;
    img.pixels.reset(stbi_load_from_memory(bytes.data(), size, &w, &h, &inFile, channels));
    if (!img.pixels) throwBadInput(failed());
    if (w != img.width || h != img.height)
        throwBadInput(path + ": at byte 0: cannot decode the image: its header and data disagree");
    img.channels = channels;
    return img;
}

}  // namespace neurite
