// ScoresFile: neurite-cli train --scores FILE.csv. Writability is checked when the command starts,
// so an unwritable path fails before any training; the rows (label,predicted,p_<class>...) are
// written once the run is over. An existing file is only replaced then, and a file this created
// is removed again when the run fails before writing it.
#pragma once

#include <fstream>
#include <string>

#include "metrics/class_scores.h"

namespace neurite::cli {

class ScoresFile {
public:
    // Throws Error{Io} naming the path when it cannot be created or written.
    explicit ScoresFile(std::string path);
    ~ScoresFile();
    ScoresFile(const ScoresFile&) = delete;
    ScoresFile& operator=(const ScoresFile&) = delete;
    // One row per sample: true and predicted class names, then every class's probability (9
    // significant digits, enough to give back the float). Throws Error{Io} on a write failure.
    void write(const ClassScores& scores);
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    bool m_created = false, m_written = false;
};

}  // namespace neurite::cli
