// ScoresFile: neurite-cli train --scores FILE.csv. The file is opened when the command starts, so
// an unwritable path fails before any training; the rows (label,predicted,p_<class>...) are
// written once the run is over.
#pragma once

#include <fstream>
#include <string>

#include "metrics/class_scores.h"

namespace neurite::cli {

class ScoresFile {
public:
    // Throws Error{Io} naming the path when it cannot be created.
    explicit ScoresFile(std::string path);
    // One row per sample: true and predicted class names, then every class's probability (9
    // significant digits, enough to give back the float). Throws Error{Io} on a write failure.
    void write(const ClassScores& scores);
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::ofstream m_out;
};

}  // namespace neurite::cli
