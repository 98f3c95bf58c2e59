// stb_image behind one function: header first (stbi_info), pixels only when the size is sane.
#include "data/image_decode.h"

#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <string_view>
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

// stb_image fills a truncated BMP or JPEG with zeros instead of failing, and believes a PNG
// chunk's declared length; these checks find the missing bytes first. "" when the file looks whole.
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
    if (b.size() >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
        // Every chunk must hold the bytes its length declares: Debian's stb_image grows its
        // buffer to an IDAT's declared length before reading it (1 GiB for a 102-byte file).
        std::size_t pos = 8;
        while (pos + 8 <= b.size()) {
            const uint64_t length = uint64_t{b[pos]} << 24 | uint64_t{b[pos + 1]} << 16 |
                                    uint64_t{b[pos + 2]} << 8 | b[pos + 3];
            const std::string type(reinterpret_cast<const char*>(b.data() + pos + 4), 4);
            if (length + 12 > b.size() - pos)
                return "truncated PNG: the chunk at byte " + std::to_string(pos) + " declares " +
                       std::to_string(length) + " bytes, the file has " + std::to_string(b.size() - pos - 8) +
                       " after its header";
            if (type == "IEND") break;
            pos += 12 + static_cast<std::size_t>(length);
        }
    }
    if (b.size() >= 2 && uint8_t(b[0]) == 0xFF && uint8_t(b[1]) == 0xD8) {
        std::size_t n = b.size();
        while (n > 2 && b[n - 1] == '\0') --n;
        if (n < 4 || uint8_t(b[n - 2]) != 0xFF || uint8_t(b[n - 1]) != 0xD9)
            return "truncated JPEG: no end-of-image marker (FF D9) at the end of its " + size + " bytes";
    }
    return {};
}

bool startsWith(const std::vector<uint8_t>& b, std::string_view magic) {
    return b.size() >= magic.size() && std::equal(magic.begin(), magic.end(), b.begin(),
                                                  [](char m, uint8_t c) { return uint8_t(m) == c; });
}

bool endsWithTga(const std::string& path) {
    if (path.size() < 4) return false;
    std::string ext = path.substr(path.size() - 4);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".tga";
}

// Only the formats Neurite reads go to stb_image, told apart by their first bytes (TGA, which
// has none, by its .tga name): stb would otherwise try every loader it has on any file, and a
// random file can pass for a TGA or a PSD. "" when the format is one of ours.
std::string unknownFormat(const std::vector<uint8_t>& b, const std::string& path) {
    if (startsWith(b, "\x89PNG\r\n\x1a\n") || startsWith(b, "\xFF\xD8\xFF") || startsWith(b, "BM") ||
        startsWith(b, "GIF87a") || startsWith(b, "GIF89a") || startsWith(b, "P5") || startsWith(b, "P6") ||
        endsWithTga(path))
        return {};
    return "not a PNG, JPEG, BMP, GIF, PGM/PPM or TGA image (by its first bytes)";
}

// The Huffman tables of a JPEG (DHT segments) may hold at most 256 codes each. Debian's
// stb_image does not check that sum and writes past its table when it is larger (fixed in later
// stb releases), so the segments are walked here first, skipping bytes between segments as stb
// does. "" when every table is within bounds or the file is not a JPEG.
std::string badHuffmanTable(const std::vector<uint8_t>& b) {
    if (!startsWith(b, "\xFF\xD8")) return {};
    const std::size_t n = b.size();
    std::size_t pos = 2;
    while (pos + 4 <= n) {
        if (b[pos] != 0xFF) {  // stb scans past padding to the next marker: so does this walk
            ++pos;
            continue;
        }
        const uint8_t marker = b[pos + 1];
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD9) return {};
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        const std::size_t length = std::size_t{b[pos + 2]} << 8 | b[pos + 3];
        if (length < 2) return {};
        if (marker == 0xC4) {
            // A segment may claim more bytes than the file has: stb reads zeros past the end,
            // so the counts are summed the same way.
            const std::size_t end = pos + 2 + length;
            std::size_t p = pos + 4;
            while (p < end && p < n) {
                std::size_t codes = 0;
                for (std::size_t i = 1; i <= 16; ++i)
                    if (p + i < n) codes += b[p + i];
                if (codes > 256)
                    return "corrupt JPEG: a Huffman table (DHT) at byte " + std::to_string(p) + " declares " +
                           std::to_string(codes) + " codes (at most 256)";
                p += 17 + codes;
            }
        }
        if (pos + 2 + length > n) return {};
        pos += 2 + length;
        if (marker == 0xDA) {
            // The entropy-coded scan, read as stb reads it: FF 00 is a data byte, a run of FF is
            // fill, FF D0..D7 restarts; anything else after FF starts the next marker.
            while (pos < n) {
                if (b[pos] != 0xFF) {
                    ++pos;
                    continue;
                }
                std::size_t q = pos + 1;
                while (q < n && b[q] == 0xFF) ++q;
                if (q >= n) return {};
                if (b[q] == 0x00 || (b[q] >= 0xD0 && b[q] <= 0xD7)) {
                    pos = q + 1;
                    continue;
                }
                pos = q - 1;  // the FF right before the marker byte
                break;
            }
        }
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
    for (const std::string& problem : {unknownFormat(bytes, path), badHuffmanTable(bytes)})
        if (!problem.empty()) throwBadInput(path + ": at byte 0: cannot decode the image: " + problem);
    DecodedImage img;
    int inFile = 0;
    // kMaxImageFileBytes keeps the size within stb's int.
    const int size = static_cast<int>(bytes.size());
    if (!stbi_info_from_memory(bytes.data(), size, &img.width, &img.height, &inFile))
        throwBadInput(failed());
    if (img.width <= 0 || img.height <= 0)  // stb reads a BMP 113 pixels wide and 0 high
        throwBadInput(path + ": at byte 0: cannot decode the image: it is " + std::to_string(img.width) + "x" +
                      std::to_string(img.height) + " pixels");
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
