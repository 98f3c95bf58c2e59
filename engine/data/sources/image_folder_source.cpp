// images:DIR: one sub-folder per class (sorted names = class indices; images in nested folders
// count for their top-level class; hidden entries, __MACOSX and folders without images are
// skipped), PNG/JPEG/BMP/GIF/TGA/PNM decoded by stb_image (Debian's libstb), resized with
// stb_image_resize to size x size, kept as uint8 [C, size, size]. DIR/train and DIR/test, when
// both exist, give the source's test split. Every unreadable file is reported in one pass.
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

constexpr std::size_t kListed = 10;  // problems named in one message; the rest are counted

bool isImage(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pgm", ".ppm"})
        if (ext == e) return true;
    return false;
}

// Hidden files and folders, macOS archive debris and Windows thumbnails are not data.
bool isHidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.empty() || name[0] == '.' || name == "__MACOSX" || name == "Thumbs.db" ||
           name == "desktop.ini";
}

// Image files anywhere under dir (nested sub-folders count for dir's class), sorted.
std::vector<fs::path> imagesUnder(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        if (isHidden(it->path())) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && isImage(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Visible sub-folders of dir, sorted by name.
std::vector<std::string> subFolders(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec) && !isHidden(entry.path()))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Decodes one image to size x size planar CHW bytes appended to `out`; returns the problem
// ("" on success).
std::string decode(const fs::path& file, int size, int channels, std::vector<uint8_t>& out) {
    DecodedImage img;
    try {
        img = decodeImageFile(file.string(), channels);  // refuses image bombs before decoding
    } catch (const Error& e) {
        // The caller names the file; keep only what is wrong with it.
        std::string what = e.what();
        for (const std::string& prefix : {file.string() + ": ", std::string("at byte 0: ")})
            if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
        return what;
    }
    const int w = img.width, h = img.height;
    const auto plane = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
    const auto ch = static_cast<std::size_t>(channels);
    std::vector<unsigned char> resized(plane * ch);
    if (!stbir_resize_uint8(img.pixels.get(), w, h, 0, resized.data(), size, size, 0, channels))
        return "cannot resize the " + std::to_string(w) + "x" + std::to_string(h) + " image";
    // Interleaved HWC from stb to the planar CHW the layers expect.
    const std::size_t base = out.size();
    out.resize(base + plane * ch);
    for (std::size_t p = 0; p < plane; ++p)
        for (std::size_t c = 0; c < ch; ++c) out[base + c * plane + p] = resized[p * ch + c];
    return {};
}

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < kListed; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > kListed) out += "; and " + std::to_string(items.size() - kListed) + " more";
    return out;
}

// Reads every image of every class folder; unreadable files are collected in `problems`.
void readFolder(const fs::path& dir, const std::vector<std::string>& classes, int size,
                int channels, DataSplit& split, std::vector<std::string>& problems) {
    for (std::size_t c = 0; c < classes.size(); ++c) {
        for (const fs::path& file : imagesUnder(dir / classes[c])) {
            const std::string problem = decode(file, size, channels, split.bytes);
            if (!problem.empty()) {
                problems.push_back(file.string() + ": " + problem);
                continue;
            }
            split.labels.push_back(static_cast<int32_t>(c));
            ++split.count;
        }
    }
}

} // namespace

Dataset loadImageFolderSource(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    const SpecQuery q(parts.query, where, {"size", "color", "on_error"});
    const int size = static_cast<int>(q.integer("size", 32, 1, 1024));
    const int channels = q.choice("color", "rgb", {"gray", "rgb"}) == "gray" ? 1 : 3;
    const bool skipBad = q.choice("on_error", "fail", {"fail", "skip"}) == "skip";
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
    Dataset ds;
    std::vector<std::string> classes;
    for (const std::string& name : subFolders(trainDir)) {
        if (!imagesUnder(trainDir / name).empty()) classes.push_back(name);
        else ds.notes.push_back("folder \"" + name + "\" holds no images; it is not a class");
    }
    if (classes.size() < 2)
        throwBadInput(where + trainDir.string() + " has " + std::to_string(classes.size()) +
                      " class folders with images (.png, .jpg, .bmp, .gif, .tga, .pgm, .ppm); "
                      "put each class's images in its own sub-folder (at least 2)");
    ds.sampleShape = Shape({channels, size, size});
    ds.numClasses = static_cast<int>(classes.size());
    ds.classNames = classes;
    ds.train.dtype = ds.test.dtype = DType::U8;
    std::vector<std::string> problems;
    readFolder(trainDir, classes, size, channels, ds.train, problems);
    if (!testDir.empty()) {
        readFolder(testDir, classes, size, channels, ds.test, problems);
        for (const std::string& name : subFolders(testDir))
            if (std::find(classes.begin(), classes.end(), name) == classes.end())
                ds.notes.push_back("test folder \"" + name + "\" is not a training class; its " +
                                   std::to_string(imagesUnder(testDir / name).size()) +
                                   " images are not used");
    }
    if (!problems.empty() && !skipBad)
        throwBadInput(where + std::to_string(problems.size()) +
                      " image files cannot be used (add on_error=skip to leave them out): " +
                      listed(problems));
    if (!problems.empty())
        ds.notes.push_back("on_error=skip: skipped " + std::to_string(problems.size()) +
                           " image files: " + listed(problems));
    if (ds.train.count < 2)
        throwBadInput(where + trainDir.string() + " has " + std::to_string(ds.train.count) +
                      " readable images; training needs at least 2");
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
