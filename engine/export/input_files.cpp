// Readers for raw prediction inputs. Everything read from a file is checked before it is used.
#include "export/input_files.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/error.h"
#include "core/file_read.h"
#include "data/idx_reader.h"
#include "data/image_decode.h"

namespace neurite {

namespace {

// Inputs are read whole; a file this large is not a batch of samples to predict.
constexpr int64_t kMaxInputBytes = int64_t{8} << 30;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool endsWith(const std::string& s, const char* ext) {
    const std::size_t n = std::strlen(ext);
    return s.size() >= n && s.compare(s.size() - n, n, ext) == 0;
}

std::string expectedShape(const Shape& sample) {
    return "the model expects samples of shape " + sample.str() + " (" +
           std::to_string(sample.numel()) + " values each)";
}

// Items of `itemDims` (per-sample dimensions of an array) fit the model when they hold the same
// number of values: [28,28] feeds [1,28,28].
void checkItems(const std::string& path, const std::vector<int64_t>& itemDims, const Shape& sample) {
    int64_t n = 1;
    for (int64_t d : itemDims) n *= d;
    if (n != sample.numel())
        throwBadInput(path + ": items of shape " + Shape(itemDims.begin(), itemDims.end()).str() +
                      " do not fit; " + expectedShape(sample));
}

}  // namespace

RawInputs readImage(const std::string& path, const Shape& sample) {
    if (sample.rank() != 3 || (sample[0] != 1 && sample[0] != 3 && sample[0] != 4))
        throwBadInput(path + ": this model does not take images; " + expectedShape(sample) +
                      " (give a CSV, IDX or NPY file)");
    const int want = static_cast<int>(sample[0]);
    const DecodedImage img = decodeImageFile(path, want);
    const int w = img.width, h = img.height;
    if (h != sample[1] || w != sample[2])
        throwBadInput(path + ": the image is " + std::to_string(w) + "x" + std::to_string(h) +
                      " pixels, the model expects " + std::to_string(sample[2]) + "x" +
                      std::to_string(sample[1]) + " (input shape " + sample.str() + ")");
    // stb gives interleaved HWC; the model takes CHW.
    RawInputs r;
    r.count = 1;
    r.values.resize(static_cast<std::size_t>(sample.numel()));
    const int64_t plane = static_cast<int64_t>(w) * h;
    for (int64_t c = 0; c < want; ++c)
        for (int64_t i = 0; i < plane; ++i)
            r.values[static_cast<std::size_t>(c * plane + i)] = img.pixels.get()[i * want + c];
    return r;
}

RawInputs parseCsvRows(std::string_view text, const std::string& what, const Shape& sample) {
    RawInputs r;
    const auto perRow = static_cast<std::size_t>(sample.numel());
    std::size_t lineNo = 0, pos = 0;
    bool headerAllowed = true;
    std::vector<float> row;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        row.clear();
        bool numeric = true;
        std::size_t cell = 0;
        while (cell <= line.size()) {
            std::size_t comma = line.find(',', cell);
            if (comma == std::string_view::npos) comma = line.size();
            std::string_view v = line.substr(cell, comma - cell);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
            while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
            if (!v.empty() && v.front() == '+') v.remove_prefix(1);
            float x = 0;
            auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
            if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) numeric = false;
            row.push_back(x);
            cell = comma + 1;
        }
        if (!numeric) {
            if (headerAllowed) {  // a header line names the columns
                headerAllowed = false;
                continue;
            }
            throwBadInput(what + ": line " + std::to_string(lineNo) +
                          ": expected numbers separated by commas, got \"" +
                          std::string(line.substr(0, 60)) + "\"");
        }
        headerAllowed = false;
        if (row.size() != perRow)
            throwBadInput(what + ": line " + std::to_string(lineNo) + " has " +
                          std::to_string(row.size()) + " values; " + expectedShape(sample));
        r.values.insert(r.values.end(), row.begin(), row.end());
        ++r.count;
    }
    if (r.count == 0) throwBadInput(what + ": no rows of numbers; " + expectedShape(sample));
    return r;
}

RawInputs readIdxInputs(const std::string& path, const Shape& sample) {
    const IdxArray a = readIdx(path);
    checkItems(path, std::vector<int64_t>(a.dims.begin() + 1, a.dims.end()), sample);
    RawInputs r;
    r.count = a.dims[0];
    r.values.assign(a.data.begin(), a.data.end());
    return r;
}

namespace {

// The value of `key` in a NPY header dict ("{'descr': '<f4', 'fortran_order': False, ...}").
std::string npyField(const std::string& header, const std::string& key) {
    const std::size_t at = header.find("'" + key + "'");
    if (at == std::string::npos) return {};
    std::size_t v = header.find(':', at);
    if (v == std::string::npos) return {};
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    const char open = v < header.size() ? header[v] : '\0';
    const char close = open == '(' ? ')' : open == '\'' ? '\'' : ',';
    const std::size_t end = header.find(close, v + 1);
    if (end == std::string::npos) return {};
    return header.substr(v, end - v + (close == ',' ? 0 : 1));
}

}  // namespace

RawInputs readNpy(const std::string& path, const Shape& sample) {
    const std::vector<uint8_t> b = readRegularFileBytes(path, kMaxInputBytes, "an input file");
    if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0)
        throwBadInput(path + ": not a NPY file (it does not start with \\x93NUMPY)");
    const int major = b[6];
    const std::size_t lenBytes = major == 1 ? 2 : 4;
    if (major < 1 || major > 3 || b.size() < 8 + lenBytes)
        throwBadInput(path + ": unsupported NPY version " + std::to_string(major));
    std::size_t headerLen = 0;
    for (std::size_t i = 0; i < lenBytes; ++i) headerLen |= std::size_t(b[8 + i]) << (8 * i);
    const std::size_t dataAt = 8 + lenBytes + headerLen;
    if (dataAt > b.size()) throwBadInput(path + ": NPY header runs past the end of the file");
    const std::string header(b.begin() + static_cast<std::ptrdiff_t>(8 + lenBytes),
                             b.begin() + static_cast<std::ptrdiff_t>(dataAt));
    const std::string descr = npyField(header, "descr");
    if (npyField(header, "fortran_order") == "True")
        throwBadInput(path + ": NPY arrays in Fortran order are not supported; save with C order");
    std::vector<int64_t> dims;
    const std::string shape = npyField(header, "shape");
    for (std::size_t i = 1; i + 1 < shape.size();) {
        while (i < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
        if (i + 1 >= shape.size()) break;
        int64_t d = 0;
        auto [ptr, ec] = std::from_chars(shape.data() + i, shape.data() + shape.size() - 1, d);
        if (ec != std::errc() || d < 0) throwBadInput(path + ": bad NPY shape " + shape);
        dims.push_back(d);
        i = static_cast<std::size_t>(ptr - shape.data());
    }
    int size = 0;
    if (descr == "'<f4'" || descr == "'<i4'") size = 4;
    else if (descr == "'<f8'" || descr == "'<i8'") size = 8;
    else if (descr == "'|u1'") size = 1;
    else
        throwBadInput(path + ": NPY dtype " + descr + " is not supported (use float32, float64, "
                             "uint8, int32 or int64)");
    // One array of exactly the sample shape is one sample; otherwise dim 0 counts samples.
    const bool single = Shape(dims.begin(), dims.end()) == sample;
    if (dims.empty()) throwBadInput(path + ": a scalar is not a sample; " + expectedShape(sample));
    if (!single) checkItems(path, std::vector<int64_t>(dims.begin() + 1, dims.end()), sample);
    RawInputs r;
    r.count = single ? 1 : dims[0];
    const std::size_t n = static_cast<std::size_t>(r.count * sample.numel());
    if (b.size() - dataAt != n * static_cast<std::size_t>(size))
        throwBadInput(path + ": holds " + std::to_string(b.size() - dataAt) + " data bytes, shape " +
                      shape + " needs " + std::to_string(n * static_cast<std::size_t>(size)) +
                      " (the file is truncated)");
    r.values.resize(n);
    const uint8_t* d = b.data() + dataAt;
    for (std::size_t i = 0; i < n; ++i) {
        if (descr == "'<f4'") { float v; std::memcpy(&v, d + 4 * i, 4); r.values[i] = v; }
        else if (descr == "'<f8'") { double v; std::memcpy(&v, d + 8 * i, 8); r.values[i] = static_cast<float>(v); }
        else if (descr == "'<i4'") { int32_t v; std::memcpy(&v, d + 4 * i, 4); r.values[i] = static_cast<float>(v); }
        else if (descr == "'<i8'") { int64_t v; std::memcpy(&v, d + 8 * i, 8); r.values[i] = static_cast<float>(v); }
        else r.values[i] = d[i];
    }
    return r;
}

RawInputs readRawInputs(const std::string& path, const Shape& sample) {
    const std::string p = lower(path);
    if (endsWith(p, ".png") || endsWith(p, ".jpg") || endsWith(p, ".jpeg") || endsWith(p, ".bmp"))
        return readImage(path, sample);
    if (endsWith(p, ".npy")) return readNpy(path, sample);
    if (endsWith(p, ".csv") || endsWith(p, ".txt")) {
        const std::vector<uint8_t> b = readRegularFileBytes(path, kMaxInputBytes, "an input file");
        return parseCsvRows(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()),
                            path, sample);
    }
    if (p.find("idx") != std::string::npos || endsWith(p, ".ubyte") || endsWith(p, ".gz"))
        return readIdxInputs(path, sample);
    throwBadInput(path + ": unknown input type; give an image (.png, .jpg), rows of numbers (.csv), "
                         "a NPY array (.npy) or an IDX file");
}

RawInputs encodeTextInputs(const std::vector<std::string>& texts, const TextVocabulary& vocabulary,
                           const std::string& what) {
    NEURITE_CHECK(vocabulary.fitted(), "encodeTextInputs without a vocabulary");
    const int64_t len = vocabulary.settings.length;
    RawInputs r;
    r.count = static_cast<int64_t>(texts.size());
    r.values.resize(texts.size() * static_cast<std::size_t>(len));
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (const std::size_t bad = invalidUtf8At(texts[i]); bad != std::string::npos)
            throwBadInput(what + (texts.size() > 1 ? ": text " + std::to_string(i + 1) : std::string()) +
                          ": byte " + std::to_string(bad) + " is not valid UTF-8");
        vocabulary.encode(texts[i], r.values.data() + i * static_cast<std::size_t>(len));
    }
    return r;
}

RawInputs readTextLines(const std::string& path, const TextVocabulary& vocabulary, std::vector<int64_t>* lines) {
    const std::vector<uint8_t> b = readRegularFileBytes(path, kMaxInputBytes, "an input file");
    std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::string> texts;
    int64_t line = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view row = text.substr(at, end - at);
        ++line;
        at = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (const std::size_t bad = invalidUtf8At(row); bad != std::string::npos)
            throwBadInput(path + ": line " + std::to_string(line) + ": byte " + std::to_string(bad + 1) +
                          " of the line is not valid UTF-8; save the file as UTF-8");
        if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
        texts.emplace_back(row);
        if (lines) lines->push_back(line);
    }
    if (texts.empty()) throwBadInput(path + ": no text; give one text per line");
    return encodeTextInputs(texts, vocabulary, path);
}

}  // namespace neurite
