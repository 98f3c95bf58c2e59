// CSV output of per-sample scores (RFC 4180 quoting for class names with commas or quotes).
#include "scores_csv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace neurite::cli {

namespace {

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

ScoresFile::ScoresFile(std::string path) : m_path(std::move(path)) {
    std::error_code ec;
    m_created = !std::filesystem::exists(m_path, ec);
    // Append mode checks that the file can be written without touching what it holds.
    std::ofstream probe(m_path, std::ios::out | std::ios::app);
    if (!probe)
        throw Error(ErrorKind::Io,
                    "cannot write --scores file '" + m_path + "': " + std::strerror(errno));
}

ScoresFile::~ScoresFile() {
    std::error_code ec;
    if (m_created && !m_written) std::filesystem::remove(m_path, ec);
}

void ScoresFile::write(const ClassScores& scores) {
    std::ofstream out(m_path, std::ios::out | std::ios::trunc);
    if (!out)
        throw Error(ErrorKind::Io,
                    "cannot write --scores file '" + m_path + "': " + std::strerror(errno));
    const auto& names = scores.classNames;
    out << "label,predicted";
    for (const std::string& n : names)
        out << ',' << csvField("p_" + n);
    out << '\n';
    const std::vector<int32_t> predicted = scores.predictions();
    char buf[32];
    for (int64_t i = 0; i < scores.count(); ++i) {
        out << csvField(names[static_cast<std::size_t>(scores.labels[static_cast<std::size_t>(i)])])
            << ','
            << csvField(names[static_cast<std::size_t>(predicted[static_cast<std::size_t>(i)])]);
        const float* row = scores.row(i);
        for (int c = 0; c < scores.numClasses(); ++c) {
            std::snprintf(buf, sizeof buf, ",%.9g", static_cast<double>(row[c]));
            out << buf;
        }
        out << '\n';
    }
    out.close();
    m_written = true;
    if (out.fail()) throw Error(ErrorKind::Io, "writing --scores file '" + m_path + "' failed");
}

}  // namespace neurite::cli
