// An experiment's parameter space (issue 19) and the order its trials are drawn in: a grid of
// every combination (optionally shuffled), or seeded random draws, without replacement where the
// space is finite. Pure and seeded (core/random.h), so an experiment resumed after kill -9 draws
// the same trials in the same order and skips the ones already recorded. The experiment file's
// reader fills SearchParam from `*.experiment.json`; values are JSON, set at `path` in the project.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace neurite {

struct SearchParam {
    enum class Kind { Choice, Uniform, LogUniform, Integer };
    std::string path;  // where in the project the value goes: "training.optimizer.lr"
    Kind kind = Kind::Choice;
    std::vector<nlohmann::json> values;  // Choice: the values, each once
    double low = 0, high = 0;            // Uniform and LogUniform [low, high); Integer [low, high]

    bool finite() const { return kind == Kind::Choice || kind == Kind::Integer; }
    // How many values a finite parameter has.
    uint64_t count() const;
};

// One value per parameter, in the specs' order.
using Assignment = std::vector<nlohmann::json>;

// Throws Error{BadInput} naming the parameter's path: an empty or repeated choice, low >= high
// (low > high for Integer), a log-uniform range that is not positive, a non-finite bound.
void checkSpace(const std::vector<SearchParam>& space);

// The largest grid drawn (a grid past it is refused, naming its size).
inline constexpr uint64_t kMaxGridTrials = 100000;

// Every combination of a finite space, the first parameter varying slowest; `shuffled` puts them
// in a random order fixed by `seed`. Throws Error{BadInput} for a continuous parameter (a grid
// needs values) or a grid past kMaxGridTrials.
std::vector<Assignment> gridTrials(const std::vector<SearchParam>& space, bool shuffled, uint64_t seed);

// `count` draws fixed by `seed`: from a finite space without replacement (so at most its size,
// every combination at most once); with a continuous parameter, independent draws (uniform,
// log-uniform, and integers uniform over their range).
std::vector<Assignment> randomTrials(const std::vector<SearchParam>& space, int count, uint64_t seed);

}  // namespace neurite
