// images:DIR: one sub-folder per class (sorted names = class indices), PNG/JPEG/BMP/GIF/TGA
// decoded by stb_image (Debian's libstb), resized with stb_image_resize to size x size, kept as
// uint8 [C, size, size]. DIR/train and DIR/test, when both exist, give the source's test split.
#if NEURITE_HAVE_STB
#include <stb_image_resize.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.h"
#include "data/image_decode.h"
#include "data/sources.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

#if NEURITE_HAVE_STB

namespace {

bool isImage(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pgm", ".ppm"})
        if (ext == e) return true;
    return false;
}

std::vector<std::string> classFolders(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void readFolder(const fs::path& dir, const std::vector<std::string>& classes, int size,
                int channels, const std::string& where, DataSplit& split) {
    const auto imageBytes = static_cast<std::size_t>(size * size * channels);
    std::vector<unsigned char> resized(imageBytes);
    std::error_code ec;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        const fs::path classDir = dir / classes[c];
        if (!fs::is_directory(classDir, ec))
            throwBadInput(where + classDir.string() + " is missing; the training folder has class \"" +
                          classes[c] + "\"");
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(classDir, ec))
            if (entry.is_regular_file(ec) && isImage(entry.path())) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const DecodedImage img = decodeImageFile(file.string(), channels);
            const int w = img.width, h = img.height;
            if (!stbir_resize_uint8(img.pixels.get(), w, h, 0, resized.data(), size, size, 0, channels))
                throwBadInput(file.string() + ": cannot resize the " + std::to_string(w) + "x" +
                              std::to_string(h) + " image");
            // Interleaved HWC from stb to the planar CHW the layers expect.
            const std::size_t base = split.bytes.size();
            split.bytes.resize(base + imageBytes);
            const auto plane = static_cast<std::size_t>(size * size);
            for (std::size_t p = 0; p < plane; ++p)
                for (std::size_t ch = 0; ch < static_cast<std::size_t>(channels); ++ch)
                    split.bytes[base + ch * plane + p] = resized[p * static_cast<std::size_t>(channels) + ch];
            split.labels.push_back(static_cast<int32_t>(c));
            ++split.count;
        }
    }
}

} // namespace

Dataset loadImageFolderSource(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    const SpecQuery q(parts.query, where, {"size", "color"});
    const int size = static_cast<int>(q.integer("size", 32, 1, 1024));
    const int channels = q.choice("color", "rgb", {"gray", "rgb"}) == "gray" ? 1 : 3;
    std::error_code ec;
    if (parts.path.empty() || !fs::is_directory(parts.path, ec))
        throwBadInput(where + (parts.path.empty() ? std::string("give a directory after images:")
                                                  : parts.path + " is not a directory") +
                      "; expected one sub-folder of images per class");
    fs::path trainDir = parts.path, testDir;
    if (fs::is_directory(trainDir / "train", ec) && fs::is_directory(trainDir / "test", ec)) {
        testDir = trainDir / "test";
        trainDir = trainDir / "train";
    }
    const std::vector<std::string> classes = classFolders(trainDir);
    if (classes.size() < 2)
        throwBadInput(where + trainDir.string() + " has " + std::to_string(classes.size()) +
                      " class folders; put each class's images in its own sub-folder (at least 2)");
    Dataset ds;
    ds.sampleShape = Shape({channels, size, size});
    ds.numClasses = static_cast<int>(classes.size());
    ds.classNames = classes;
    ds.train.dtype = ds.test.dtype = DType::U8;
    readFolder(trainDir, classes, size, channels, where, ds.train);
    if (ds.train.count == 0)
        throwBadInput(where + trainDir.string() + " holds no images (.png, .jpg, .bmp, .gif, .tga)");
    if (!testDir.empty()) readFolder(testDir, classes, size, channels, where, ds.test);
    return ds;
}

#else

Dataset loadImageFolderSource(const std::string&, const std::string& spec) {
    throw Error(ErrorKind::Unsupported,
                "data source \"" + spec + "\": this build has no image decoder; install "
                "libstb-dev (sudo apt-get install libstb-dev) and rebuild Neurite");
}

#endif

} // namespace neurite
