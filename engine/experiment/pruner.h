// Early termination of weak trials, from the objective's value after each epoch of each training
// (docs/project-format.md, "Experiments"). Thread-safe: trials running at once report to one.
//   median   (the median stopping rule, Golovin et al. 2017, "Google Vizier"): from epoch
//            `warmup_epochs` on, a training stops when its value is worse than the median of the
//            values other trials reported at the same epoch, once `min_trials` of them have.
//   halving  (asynchronous successive halving, Li et al. 2020, "ASHA", as Optuna implements it):
//            rungs at epochs min_epochs * reduction_factor^k; at a rung a training goes on only
//            if its value is among the best 1/reduction_factor of every value recorded at that
//            rung so far (while fewer than reduction_factor are there, only if it is the best).
// Values are compared per training slot (repeat and fold), so fold 2 meets other trials' fold 2.
#pragma once

#include <map>
#include <mutex>
#include <vector>

namespace neurite {

struct PrunerConfig {
    enum class Kind { None, Median, Halving };
    Kind kind = Kind::None;
    int warmupEpochs = 1;     // median: the first epoch that can stop a training
    int minTrials = 4;        // median: other trials' values needed at that epoch
    int minEpochs = 1;        // halving: the first rung
    int reductionFactor = 3;  // halving
};

class Pruner {
public:
    Pruner(PrunerConfig config, bool maximize) : m_config(config), m_maximize(maximize) {}
    // Records trial `trial`'s value at `epoch` of training `slot`; true when that training should
    // stop. A finite value only; NaN or infinity (a diverged training) always stops.
    bool report(int trial, int slot, int epoch, double value);
    // A resumed experiment's finished trials, so their values count as before the interruption.
    void restore(int trial, int slot, const std::vector<double>& curve);

private:
    bool better(double a, double b) const { return m_maximize ? a > b : a < b; }
    bool medianStops(int trial, int slot, int epoch, double value) const;
    bool halvingStops(int slot, int epoch, double value) const;

    PrunerConfig m_config;
    bool m_maximize;
    std::mutex m_mutex;
    // (slot, epoch) -> trial -> value
    std::map<std::pair<int, int>, std::map<int, double>> m_values;
};

}  // namespace neurite
