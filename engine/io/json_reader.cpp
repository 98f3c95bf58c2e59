// Typed, path-reporting reads of JSON values for the project file.
#include "io/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/file_read.h"
#include "core/suggest.h"
#include "io/json_text.h"

namespace neurite::io {

void fail(const ReadContext& ctx, const std::string& path, const std::string& what) {
    throwBadInput(ctx.fileName + ": " + path + ": " + what);
}

void warn(const ReadContext& ctx, const std::string& path, const std::string& what) {
    if (ctx.warnings) ctx.warnings->push_back(ctx.fileName + ": " + path + ": " + what);
}

std::string describe(const Json& v) {
    switch (v.type()) {
    case Json::value_t::object:
        return "an object";
    case Json::value_t::array:
        return "a list";
    case Json::value_t::null:
        return "null";
    default:
        break;
    }
    return clipForMessage(io::dumpJson(v));
}

std::string formatNumber(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (std::nearbyint(v) == v && std::fabs(v) < 1e15)
        return std::to_string(static_cast<int64_t>(v));
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

double floatToJson(float v) {
    if (!std::isfinite(v)) return static_cast<double>(v);
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    double out = 0;
    std::from_chars(buf, res.ptr, out);
    return out;
}

bool Range::contains(double v) const {
    if (std::isnan(v)) return false;
    if (minOpen ? v <= min : v < min) return false;
    if (maxOpen ? v >= max : v > max) return false;
    return true;
}

std::string Range::text() const {
    const bool hasMin = std::isfinite(min), hasMax = std::isfinite(max);
    if (hasMin && hasMax)
        return std::string("must be in ") + (minOpen ? "(" : "[") + formatNumber(min) + ", " +
               formatNumber(max) + (maxOpen ? ")" : "]");
    if (hasMin) return std::string("must be ") + (minOpen ? "> " : ">= ") + formatNumber(min);
    if (hasMax) return std::string("must be ") + (maxOpen ? "< " : "<= ") + formatNumber(max);
    return "must be a finite number";
}

Range atLeast(double min) {
    return Range{min, std::numeric_limits<double>::infinity()};
}
Range above(double min) {
    Range r = atLeast(min);
    r.minOpen = true;
    return r;
}
Range between(double min, double max, bool maxOpen) {
    Range r{min, max};
    r.maxOpen = maxOpen;
    return r;
}

bool asInt64(const Json& v, int64_t& out) {
    if (v.is_number_unsigned()) {
        auto u = v.get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        out = static_cast<int64_t>(u);
        return true;
    }
    if (v.is_number_integer()) {
        out = v.get<int64_t>();
        return true;
    }
    return false;
}

ObjectReader::ObjectReader(const Json& value, std::string path, const ReadContext& ctx,
                           std::initializer_list<const char*> knownKeys)
    : m_value(value), m_path(std::move(path)), m_ctx(ctx),
      m_known(knownKeys.begin(), knownKeys.end()) {
    if (!m_value.is_object())
        io::fail(m_ctx, m_path, "expected an object, got " + describe(m_value));
}

const Json* ObjectReader::find(std::string_view key) const {
    NEURITE_CHECK(std::find(m_known.begin(), m_known.end(), key) != m_known.end(),
                  "undeclared project key " + std::string(key));
    auto it = m_value.find(std::string(key));
    return it == m_value.end() ? nullptr : &*it;
}

void ObjectReader::fail(std::string_view key, const std::string& what) const {
    io::fail(m_ctx, pathOf(key), what);
}

bool ObjectReader::readInt64(std::string_view key, int64_t& out, Range range) const {
    const Json* v = find(key);
    if (!v) return false;
    int64_t value = 0;
    if (!asInt64(*v, value)) fail(key, "expected an integer, got " + describe(*v));
    if (!range.contains(static_cast<double>(value)))
        fail(key, range.text() + ", got " + std::to_string(value));
    out = value;
    return true;
}

bool ObjectReader::readInt(std::string_view key, int& out, Range range) const {
    int64_t value = 0;
    if (!readInt64(key, value, range)) return false;
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
        fail(key, "too large, got " + std::to_string(value));
    out = static_cast<int>(value);
    return true;
}

bool ObjectReader::readUint64(std::string_view key, uint64_t& out) const {
    const Json* v = find(key);
    if (!v) return false;
    if (v->is_number_unsigned()) {
        out = v->get<uint64_t>();
        return true;
    }
    if (v->is_number_integer()) fail(key, "must be >= 0, got " + describe(*v));
    fail(key, "expected a non-negative integer, got " + describe(*v));
}

bool ObjectReader::readDouble(std::string_view key, double& out, Range range) const {
    const Json* v = find(key);
    if (!v) return false;
    if (!v->is_number()) fail(key, "expected a number, got " + describe(*v));
    double value = v->get<double>();
    if (!range.contains(value)) fail(key, range.text() + ", got " + describe(*v));
    out = value;
    return true;
}

bool ObjectReader::readFloat(std::string_view key, float& out, Range range) const {
    double value = 0;
    if (!readDouble(key, value, range)) return false;
    if (std::fabs(value) > std::numeric_limits<float>::max())
        fail(key, "too large for a 32-bit float, got " + formatNumber(value));
    out = static_cast<float>(value);
    return true;
}

bool ObjectReader::readBool(std::string_view key, bool& out) const {
    const Json* v = find(key);
    if (!v) return false;
    if (!v->is_boolean()) fail(key, "expected true or false, got " + describe(*v));
    out = v->get<bool>();
    return true;
}

bool ObjectReader::readString(std::string_view key, std::string& out) const {
    const Json* v = find(key);
    if (!v) return false;
    if (!v->is_string()) fail(key, "expected a string, got " + describe(*v));
    out = v->get<std::string>();
    return true;
}

bool ObjectReader::readChoice(std::string_view key, std::string& out,
                              std::span<const std::string> choices, std::string_view what) const {
    std::string value;
    if (!readString(key, value)) return false;
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
        std::string list;
        for (const std::string& c : choices)
            list += (list.empty() ? "" : ", ") + c;
        fail(key, "unknown " + std::string(what) + " \"" + value + "\"; expected one of: " + list +
                      didYouMean(value, choices));
    }
    out = value;
    return true;
}

void ObjectReader::finish() const {
    for (auto it = m_value.begin(); it != m_value.end(); ++it) {
        if (std::find(m_known.begin(), m_known.end(), it.key()) != m_known.end()) continue;
        warn(m_ctx, pathOf(it.key()), "unknown key" + didYouMean(it.key(), m_known));
    }
}

} // namespace neurite::io
