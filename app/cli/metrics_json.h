// JSON form of an EvaluationReport for neurite-cli's events. An undefined metric is null, with the
// reason in "<name>_undefined"; curves and per-class tables only when asked for.
#pragma once

#include <nlohmann/json.hpp>

#include "metrics/evaluation.h"

namespace neurite::cli {

nlohmann::json metricsJson(const EvaluationReport& report, bool curves);

}  // namespace neurite::cli
