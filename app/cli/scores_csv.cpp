// CSV output of per-sample scores (RFC 4180 quoting for class names with commas or quotes).
#include "scores_csv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

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
    m_out.open(m_path, std::ios::out | std::ios::trunc);
    if (!m_out)
        throw Error(ErrorKind::Io,
                    "cannot write --scores file '" + m_path + "': " + std::strerror(errno));
}

void ScoresFile::write(const ClassScores& scores) {
    const auto& names = scores.classNames;
    m_out << "label,predicted";
    for (const std::string& n : names)
        m_out << ',' << csvField("p_" + n);
    m_out << '\n';
    const std::vector<int32_t> predicted = scores.predictions();
    char buf[32];
    for (int64_t i = 0; i < scores.count(); ++i) {
        m_out << csvField(
                     names[static_cast<std::size_t>(scores.labels[static_cast<std::size_t>(i)])])
              << ','
              << csvField(names[static_cast<std::size_t>(predicted[static_cast<std::size_t>(i)])]);
        const float* row = scores.row(i);
        for (int c = 0; c < scores.numClasses(); ++c) {
            std::snprintf(buf, sizeof buf, ",%.9g", static_cast<double>(row[c]));
            m_out << buf;
        }
        m_out << '\n';
    }
    m_out.close();
    if (m_out.fail()) throw Error(ErrorKind::Io, "writing --scores file '" + m_path + "' failed");
}

}  // namespace neurite::cli
