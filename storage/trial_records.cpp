#include "trial_records.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "io/json_text.h"

namespace neurite {

using nlohmann::json;

Assignment storedValues(const ExperimentDefinition& def, const std::string& valuesJson) {
    const json j = io::parseJson(valuesJson, "trial values");
    Assignment a;
    for (const SearchParam& p : def.space)
        a.push_back(j.is_object() && j.contains(p.path) ? j.at(p.path) : json(nullptr));
    return a;
}

std::vector<TrialResult> storedResults(const ExperimentDefinition& def,
                                       const std::vector<storage::TrialRecord>& stored) {
    std::vector<TrialResult> out;
    for (const storage::TrialRecord& t : stored) {
        TrialResult r;
        r.number = t.number;
        r.values = storedValues(def, t.valuesJson);
        r.status = t.status;
        r.objective = t.objective;
        r.objectiveStd = t.objectiveStd;
        r.message = t.message;
        r.seconds = t.seconds.value_or(0);
        r.parameters = static_cast<int64_t>(t.parameters.value_or(0));
        r.flopsPerSample = t.flops.value_or(0);
        const std::string what = "trial " + std::to_string(t.number);
        const json each = io::parseJson(t.trainingsJson, what + " trainings");
        if (each.is_array())
            for (const json& v : each)
                r.trainingObjectives.push_back(v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt);
        const json curves = io::parseJson(t.curvesJson, what + " curves");
        if (curves.is_array())
            for (const json& c : curves) {
                std::vector<double> curve;
                if (c.is_array())
                    for (const json& v : c) curve.push_back(v.is_number() ? v.get<double>() : std::nan(""));
                r.curves.push_back(std::move(curve));
            }
        out.push_back(std::move(r));
    }
    return out;
}

storage::TrialRecord trialRecordOf(const ExperimentDefinition& def, const TrialResult& r) {
    storage::TrialRecord t;
    t.number = r.number;
    t.valuesJson = io::dumpJson(valuesToJson(def, r.values));
    t.status = r.status;
    t.objective = r.objective;
    t.objectiveStd = r.objectiveStd;
    json each = json::array();
    for (const auto& v : r.trainingObjectives) each.push_back(v ? json(*v) : json(nullptr));
    t.trainingsJson = io::dumpJson(each);
    json curves = json::array();
    for (const auto& curve : r.curves) {
        json c = json::array();
        for (double v : curve) c.push_back(std::isfinite(v) ? json(v) : json(nullptr));
        curves.push_back(c);
    }
    t.curvesJson = io::dumpJson(curves);
    t.message = r.message;
    t.seconds = r.seconds;
    if (r.parameters > 0) t.parameters = static_cast<double>(r.parameters);
    if (r.flopsPerSample > 0) t.flops = r.flopsPerSample;
    return t;
}

}  // namespace neurite
