// Reading and writing the safetensors layout. The reader trusts nothing: every length and offset
// is checked against the file size before it is used, so a truncated or corrupt file gives a
// message instead of a crash.
#include "io/safetensors.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/json_text.h"

namespace neurite {

namespace {

using Json = nlohmann::ordered_json;

// A header larger than this is not a model header but garbage read as a length.
constexpr uint64_t kMaxHeader = 100ull << 20;

[[noreturn]] void bad(const std::string& what, const std::string& message) {
    throwBadInput(what + ": " + message);
}

int64_t product(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

}  // namespace

int safeTensorDTypeSize(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
    if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
    if (dtype == "U8" || dtype == "I8" || dtype == "BOOL") return 1;
    return 0;
}

const SafeTensor* SafeTensorsFile::find(const std::string& name) const {
    for (const SafeTensor& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

std::vector<uint8_t> encodeSafeTensors(const SafeTensorsFile& file) {
    Json header = Json::object();
    if (!file.metadata.empty()) {
        Json meta = Json::object();
        for (const auto& [k, v] : file.metadata) meta[k] = v;
        header["__metadata__"] = meta;
    }
    uint64_t offset = 0;
    for (const SafeTensor& t : file.tensors) {
        NEURITE_CHECK(static_cast<int64_t>(t.bytes.size()) ==
                          product(t.shape) * safeTensorDTypeSize(t.dtype),
                      "tensor " + t.name + " has the wrong number of bytes");
        header[t.name] = {{"dtype", t.dtype},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string text = io::dumpJson(header);
    text.append((8 - text.size() % 8) % 8, ' ');
    const uint64_t n = text.size();
    std::vector<uint8_t> out(8 + n + offset);
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = uint8_t(n >> (8 * i));
    std::memcpy(out.data() + 8, text.data(), n);
    uint8_t* at = out.data() + 8 + n;
    for (const SafeTensor& t : file.tensors) {
        if (!t.bytes.empty()) std::memcpy(at, t.bytes.data(), t.bytes.size());
        at += t.bytes.size();
    }
    return out;
}

SafeTensorsFile decodeSafeTensors(const std::vector<uint8_t>& bytes, const std::string& what) {
    if (bytes.size() < 8)
        bad(what, "file of " + std::to_string(bytes.size()) +
                      " bytes is too short for a safetensors header (8-byte length); the file is "
                      "truncated or not a model file");
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[static_cast<std::size_t>(i)]) << (8 * i);
    const uint64_t available = bytes.size() - 8;
    if (n > kMaxHeader || n > available)
        bad(what, "at byte 0: header length " + std::to_string(n) + " exceeds the " +
                      std::to_string(available) +
                      " bytes that follow; the file is truncated or not a safetensors file");
    const std::string text(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
    const Json header = io::parseJson<Json>(text, what + ": at byte 8: the header is not a JSON object");
    if (!header.is_object())
        bad(what, "at byte 8: the " + std::to_string(n) +
                      "-byte header is not a JSON object; the file is corrupt");

    SafeTensorsFile file;
    const uint64_t dataSize = available - n;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        if (key == "__metadata__") {
            if (!v.is_object()) bad(what, "header: __metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    bad(what, "header: __metadata__." + m.key() + " is not a string");
                file.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "header: tensor \"" + key + "\": ";
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") ||
            !v.contains("data_offsets"))
            bad(what, where + "needs dtype, shape and data_offsets");
        SafeTensor t;
        t.name = key;
        if (!v["dtype"].is_string() || safeTensorDTypeSize(v["dtype"].get<std::string>()) == 0)
            bad(what, where + "unknown dtype " + io::dumpJson(v["dtype"]));
        t.dtype = v["dtype"].get<std::string>();
        const Json& shape = v["shape"];
        const Json& offs = v["data_offsets"];
        if (!shape.is_array() || shape.size() > 8)
            bad(what, where + "shape must be a list of at most 8 sizes");
        for (const Json& d : shape) {
            if (!d.is_number_unsigned() || d.get<uint64_t>() > (1ull << 40))
                bad(what, where + "shape " + io::dumpJson(shape) + " has an invalid size");
            t.shape.push_back(d.get<int64_t>());
        }
        if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() ||
            !offs[1].is_number_unsigned())
            bad(what, where + "data_offsets must be [begin, end]");
        const uint64_t b = offs[0].get<uint64_t>(), e = offs[1].get<uint64_t>();
        if (b > e || e > dataSize)
            bad(what, where + "data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                          "] lie outside the " + std::to_string(dataSize) +
                          " data bytes; the file is truncated or corrupt");
        // Sizes are checked in long double terms first, so a huge shape cannot overflow.
        const long double expect = static_cast<long double>(product(t.shape)) *
                                   safeTensorDTypeSize(t.dtype);
        if (expect != static_cast<long double>(e - b))
            bad(what, where + "holds " + std::to_string(e - b) + " bytes but dtype " + t.dtype +
                          " and shape " + io::dumpJson(shape) + " need " +
                          std::to_string(static_cast<uint64_t>(expect)));
        const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(8 + n + b);
        t.bytes.assign(first, first + static_cast<std::ptrdiff_t>(e - b));
        ranges.emplace_back(b, e);
        file.tensors.push_back(std::move(t));
    }
    std::sort(ranges.begin(), ranges.end());
    uint64_t end = 0;
    for (const auto& [b, e] : ranges) {
        if (b != end)
            bad(what, "header: tensor data " + std::string(b < end ? "overlaps" : "has a gap") +
                          " at data byte " + std::to_string(std::min(b, end)) +
                          "; the file is corrupt");
        end = e;
    }
    if (end != dataSize)
        bad(what, std::to_string(dataSize - end) +
                      " bytes follow the last tensor; the file is corrupt");
    return file;
}

}  // namespace neurite
