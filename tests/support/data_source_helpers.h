// Helpers shared by the data-source suites (test_data_sources, test_data_files): small files
// written by the test, a loader by spec, and the BadInput message of a failing call.
#pragma once

#include <QString>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/data_source.h"

namespace neurite::test {

inline void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

inline QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) return QString("wrong kind ") + nameOf(e.kind()) + ": " + e.what();
        return QString::fromStdString(e.what());
    }
    return "no error";
}

inline Dataset load(const std::string& spec, const std::string& target = "") {
    DataConfig cfg;
    cfg.source = spec;
    cfg.target = target;
    return loadSource(cfg);
}

inline std::vector<float> row(const Dataset& ds, int64_t r) {
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    const float* p = ds.train.f32() + static_cast<std::size_t>(r) * d;
    return {p, p + d};
}

// A .npy file: version 1.0 header padded to 64 bytes as NumPy writes it.
inline std::string npy(const std::string& descr, const std::string& shape, const std::string& data) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    return out + dict + data;
}

template <class T> std::string raw(const std::vector<T>& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

}  // namespace neurite::test
