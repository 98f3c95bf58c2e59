// Parameter importance of an experiment's finished trials: how much of the objective's variance
// each parameter explains on its own. The method is the first-order term of a functional ANOVA
// (the quantity fANOVA reports for single parameters, Hutter et al. 2014), estimated without a
// surrogate model: the trials are grouped by the parameter's value (choices and integers with few
// values by value; continuous ranges in up to 5 bins of equal counts, on the logarithm for
// log-uniform), and the importance is the between-group variance over the total variance (the
// correlation ratio eta^2), each normalized so that the parameters sum to 1. Interactions are not
// attributed (a parameter that matters only together with another shows little), and with few
// trials the figures are rough: `trials` says how many they rest on.
#pragma once

#include <string>
#include <vector>

#include "experiment/search_space.h"

namespace neurite {

struct ParamImportance {
    std::string path;
    double importance = 0;  // share of the explained variance, 0..1, the parameters sum to 1
    double eta2 = 0;        // between-group variance / total variance, 0..1
};

// values[i] is trial i's assignment, objectives[i] its objective (finished trials only).
// Fewer than 3 trials or no variance: every importance is 0.
std::vector<ParamImportance> parameterImportance(const std::vector<SearchParam>& space,
                                                 const std::vector<Assignment>& values,
                                                 const std::vector<double>& objectives);

}  // namespace neurite
