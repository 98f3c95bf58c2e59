// JSON reading helpers for the project file: typed, range-checked reads that report the JSON
// path of a bad value, and unknown-key warnings with spelling suggestions. Internal to engine/io.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace neurite::io {

using Json = nlohmann::ordered_json;

// Where a document comes from and where its warnings go.
struct ReadContext {
    std::string fileName;
    std::vector<std::string>* warnings = nullptr;
};

[[noreturn]] void fail(const ReadContext& ctx, const std::string& path, const std::string& what);
void warn(const ReadContext& ctx, const std::string& path, const std::string& what);

// A value for "got ..." in messages: "x" quoted, numbers as written, "an object", "a list".
std::string describe(const Json& v);
// Shortest text that reads back as the same double ("0.001", "1e-08").
std::string formatNumber(double v);
// The double nearest to the float's shortest decimal text, so that 1e-3f is written as 0.001
// (not 0.0010000000474974513) and still reads back as 1e-3f.
double floatToJson(float v);

// An allowed numeric interval; open ends exclude the bound.
struct Range {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool minOpen = false, maxOpen = false;

    bool contains(double v) const;
    std::string text() const; // "must be >= 1", "must be in [0, 1)"
};
Range atLeast(double min);
Range above(double min);
Range between(double min, double max, bool maxOpen = false);

// Reads one JSON object. Every key it may hold is declared up front, so that finish() can
// warn about the others (typos get a suggestion). Reads return false when the key is absent.
class ObjectReader {
public:
    ObjectReader(const Json& value, std::string path, const ReadContext& ctx,
                 std::initializer_list<const char*> knownKeys);

    const std::string& path() const { return m_path; }
    std::string pathOf(std::string_view key) const { return m_path + "." + std::string(key); }
    const ReadContext& context() const { return m_ctx; }
    const Json* find(std::string_view key) const;
    [[noreturn]] void fail(std::string_view key, const std::string& what) const;

    bool readInt(std::string_view key, int& out, Range range) const;
    bool readInt64(std::string_view key, int64_t& out, Range range) const;
    bool readUint64(std::string_view key, uint64_t& out) const;
    bool readFloat(std::string_view key, float& out, Range range) const;
    bool readDouble(std::string_view key, double& out, Range range) const;
    bool readBool(std::string_view key, bool& out) const;
    bool readString(std::string_view key, std::string& out) const;
    // One of `choices`; the error lists them and suggests the closest.
    bool readChoice(std::string_view key, std::string& out, std::span<const std::string> choices,
                    std::string_view what) const;

    // Warns about every key not declared in the constructor.
    void finish() const;

private:
    const Json& m_value;
    std::string m_path;
    const ReadContext& m_ctx;
    std::vector<std::string> m_known;
};

// Integer check shared with the node reader: a JSON integer that fits int64_t.
bool asInt64(const Json& v, int64_t& out);

} // namespace neurite::io
