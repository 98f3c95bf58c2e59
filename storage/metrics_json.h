// JSON form of an EvaluationReport: neurite-cli's events and the run store's evaluations (read
// back by the GUI's runs view). An undefined metric is null, with the reason in
// "<name>_undefined"; curves and per-class tables only when asked for (and there: a report read
// back without them, see run_records.h, writes none).
#pragma once

#include <nlohmann/json.hpp>

#include "metrics/evaluation.h"
#include "recorder.h"

namespace neurite::storage {

nlohmann::json metricsJson(const EvaluationReport& report, bool curves);

// The serializer a Recorder stores evaluations with: metricsJson as text.
Recorder::ReportJson reportJson();

}  // namespace neurite::storage
