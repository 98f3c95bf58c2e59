// stb_image behind one function: header first (stbi_info), pixels only when the size is sane.
#include "data/image_decode.h"

#include <stb_image.h>

#include <climits>
#include <cstdlib>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite {

namespace {

uint32_t le32(const std::vector<uint8_t>& b, std::size_t at) {
    return static_cast<uint32_t>(b[at]) |
           static_cast<uint32_t>(b[at + 1]) << 8 |
           static_cast<uint32_t>(b[at + 2]) << 16 |
           static_cast<uint32_t>(b[at + 3]) << 24;
}

// stb_image fills a truncated BMP or JPEG with zeros instead of failing; these checks find
// the missing bytes first. "" when the file looks whole.
std::string truncation(const std::vector<uint8_t>& b) {
    const std::string size = std::to_string(b.size());
    if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') {
        if (b.size() < 54) return "truncated BMP: " + size + " bytes, shorter than the 54-byte header";
        const auto width = static_cast<int32_t>(le32(b, 18)), height = static_cast<int32_t>(le32(b, 22));
        const uint32_t bits = le32(b, 28) & 0xffff, compression = le32(b, 30);
        const uint64_t stride = (uint64_t(std::abs(int64_t{width})) * bits + 31) / 32 * 4;
        const uint64_t need = le32(b, 10) + stride * uint64_t(std::abs(int64_t{height}));
        if ((compression == 0 || compression == 3) && need > b.size())
            return "truncated BMP: the pixels need " + std::to_string(need) + " bytes, the file has " + size;
    }
    if (b.size() >= 2 && uint8_t(b[0]) == 0xFF && uint8_t(b[1]) == 0xD8) {
        std::size_t n = b.size();
        while (n > 2 && b[n - 1] == '\0') --n;
        if (n < 4 || uint8_t(b[n - 2]) != 0xFF || uint8_t(b[n - 1]) != 0xD9)
            return "truncated JPEG: no end-of-image marker (FF D9) at the end of its " + size + " bytes";
    }
    return {};
}

}  // namespace

void DecodedImage::Free::operator()(unsigned char* p) const { stbi_image_free(p); }

DecodedImage decodeImageFile(const std::string& path, int channels) {
    const std::vector<uint8_t> bytes = readRegularFileBytes(path, kMaxImageFileBytes, "an image file");
    auto failed = [&] {
        const char* reason = stbi_failure_reason();
        return path + ": at byte 0: cannot decode the image: " + (reason ? reason : "unknown reason");
    };
    if (const std::string t = truncation(bytes); !t.empty()) throwBadInput(path + ": " + t);
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
