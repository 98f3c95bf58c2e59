// Bayesian search with the Tree-structured Parzen Estimator (Bergstra et al. 2011, "Algorithms
// for Hyper-Parameter Optimization"; the univariate form Optuna and Hyperopt use by default).
// Why TPE and not a Gaussian process: the spaces here mix categorical values (optimizer type,
// batch sizes), integers and log-scaled ranges, which TPE models per parameter without a kernel
// over mixed types; it costs O(trials) per proposal instead of a GP's O(trials^3); and its
// behaviour with few observations (tens of trials, the budgets a desktop user runs) is well
// documented. What it gives up: it models each parameter on its own (no interactions).
//
// The proposal: the finished trials are split into the best n_good = clamp(ceil(0.1 n), 1, 25)
// ("good", l) and the rest ("bad", g). For each parameter, a Parzen density is fitted to each
// group (continuous and integer: truncated Gaussians at the observations in the parameter's
// space, the logarithm for log-uniform, each with a bandwidth from its neighbours clipped to
// [range / min(100, n + 1), range], plus one wide prior component; choices: counts plus one),
// 24 candidates are drawn from l and the one maximizing l(x) / g(x) is taken. Before
// `startup` trials have finished, proposals are random draws. Deterministic: the draws come from
// a generator seeded by (seed, trial number).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "experiment/search_space.h"

namespace neurite {

struct TpeObservation {
    Assignment values;
    double objective = 0;  // smaller is better (the caller negates a maximized objective)
};

inline constexpr int kTpeCandidates = 24;

// One proposal for trial `trial`. `tried` (finite spaces only) are combinations not to propose
// again; when every candidate was tried, an untried combination is drawn at random, and when
// none is left, nothing.
std::optional<Assignment> tpePropose(const std::vector<SearchParam>& space,
                                     const std::vector<TpeObservation>& observed,
                                     const std::vector<Assignment>& tried, int startup,
                                     uint64_t seed, int trial);

}  // namespace neurite
