// series:FILE.csv and the bundled series (builtin:sunspots, co2, macrodata): a CSV of timestamps
// and channels turned into windows, `lookback` steps of the input channels each, with the next
// `horizon` steps of the target channels as regression targets (forecasting), or the label at a
// window's last step as its class (sequence classification). The timestamps are checked (sorted,
// no duplicates, a regular step without gaps) and every problem names its line; gaps and missing
// values can be filled by linear interpolation, with a report. The windows stay in time order:
// data_source.cpp splits them chronologically. docs/data.md, "Time series".
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "core/file_read.h"
#include "data/series/series_time.h"
#include "data/sources.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"
#include "data/spec_query.h"

namespace neurite {

namespace {

constexpr std::size_t kListed = 8;
constexpr int64_t kMaxWindowValues = int64_t{1} << 28;  // lookback * channels * windows (1 GiB)
constexpr int64_t kMinFillLimit = 100000;  // gaps=interpolate inserts at most max(this, 10 x rows) rows

const std::vector<std::string> kSeriesOptions = {"time",    "inputs", "targets", "label",     "task",
                                                 "lookback", "horizon", "stride", "gaps",     "order",
                                                 "delimiter", "encoding"};

std::string num(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

std::size_t findColumn(const CsvTable& t, const std::string& wanted, const std::string& where, const char* role) {
    if (const std::optional<std::size_t> c = findCsvColumn(t, wanted)) return *c;
    throwBadInput(where + "no " + role + " column \"" + clipForMessage(wanted) + "\"; the columns are " + csvColumnNames(t));
}

// One row of the series: its time, its line in the file (0 for a row filled in for a gap) and
// the values of the used columns (NaN: missing).
struct Row {
    double time = 0;
    int64_t line = 0;
    std::vector<double> values;
    std::string label;
};

std::string timeText(const CsvTable& t, std::size_t timeCol, const Row& r) {
    if (timeCol == std::string::npos || r.line == 0) return num(r.time);
    return clipForMessage(t.rows[static_cast<std::size_t>(
        std::lower_bound(t.lines.begin(), t.lines.end(), r.line) - t.lines.begin())][timeCol]);
}

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < kListed; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > kListed) out += "; and " + std::to_string(items.size() - kListed) + " more";
    return out;
}

// Linear interpolation of the NaNs of column c in row order (ends: the nearest value).
int64_t interpolate(std::vector<Row>& rows, std::size_t c) {
    int64_t filled = 0;
    std::size_t prev = std::string::npos;
    for (std::size_t i = 0; i <= rows.size(); ++i) {
        if (i < rows.size() && std::isnan(rows[i].values[c])) continue;
        const std::size_t first = prev == std::string::npos ? 0 : prev + 1;
        for (std::size_t k = first; k < i; ++k) {
            double v;
            if (prev == std::string::npos) v = i < rows.size() ? rows[i].values[c] : NAN;
            else if (i == rows.size()) v = rows[prev].values[c];
            else {
                const double a = rows[prev].time, b = rows[i].time;
                const double w = b > a ? (rows[k].time - a) / (b - a) : 0.5;
                v = rows[prev].values[c] + w * (rows[i].values[c] - rows[prev].values[c]);
            }
            rows[k].values[c] = v;
            ++filled;
        }
        prev = i;
    }
    return filled;
}

}  // namespace

Dataset seriesFromText(const std::string& text, const std::string& name, const std::string& query,
                       const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecQuery q(query, where, kSeriesOptions);
    CsvOptions options;
    if (auto d = q.str("delimiter")) {
        if (*d == "tab" || *d == "\\t") options.delimiter = '\t';
        else if (d->size() == 1) options.delimiter = (*d)[0];
        else throwBadInput(where + "delimiter must be one character or tab, got \"" + *d + "\"");
    }
    options.header = 1;
    const CsvTable t = parseCsv(text, name, options);
    if (t.rows.empty()) throwBadInput(name + ": no data rows after the header line");

    // The time column: named, "none" (row order), or the first with a usual name.
    std::size_t timeCol = std::string::npos;
    const std::string timeOpt = q.str("time").value_or("");
    if (timeOpt.empty()) {
        for (std::size_t c = 0; c < t.header.size() && timeCol == std::string::npos; ++c)
            for (const char* usual : {"time", "date", "datetime", "timestamp", "year", "ds", "period", "month"})
                if (lowerAscii(t.header[c]) == usual) timeCol = c;
    } else if (timeOpt != "none") {
        timeCol = findColumn(t, timeOpt, where, "time");
    }
    const std::string task = q.choice("task", "forecast", {"forecast", "classify"});
    const bool classify = task == "classify";
    std::size_t labelCol = std::string::npos;
    if (classify) {
        if (!q.has("label")) throwBadInput(where + "task=classify needs label=COLUMN, the class of each row");
        labelCol = findColumn(t, *q.str("label"), where, "label");
    } else if (q.has("label")) {
        throwBadInput(where + "label= is for task=classify; a forecast predicts targets=");
    }

    // Input and target channels: named, or every numeric column but the time and the label.
    auto numeric = [&](std::size_t c) {
        for (const auto& row : t.rows) {
            double v = 0;
            if (!isMissingCsvValue(row[c]) && !parseCsvNumber(row[c], v)) return false;
        }
        return true;
    };
    std::vector<std::size_t> inputs, targets;
    if (auto list = q.str("inputs")) {
        for (const std::string& n : splitList(*list)) inputs.push_back(findColumn(t, n, where, "input"));
    } else {
        for (std::size_t c = 0; c < t.header.size(); ++c)
            if (c != timeCol && c != labelCol && numeric(c)) inputs.push_back(c);
    }
    if (inputs.empty())
        throwBadInput(where + "no numeric column to read; the columns are " + csvColumnNames(t) + "; give inputs=a,b");
    if (!classify) {
        if (auto list = q.str("targets")) {
            for (const std::string& n : splitList(*list)) targets.push_back(findColumn(t, n, where, "target"));
        } else {
            targets.push_back(inputs.back());
        }
        if (targets.empty()) throwBadInput(where + "targets= names no column");
    }
    std::vector<std::size_t> used = inputs;  // the columns read, each once
    for (std::size_t c : targets)
        if (std::find(used.begin(), used.end(), c) == used.end()) used.push_back(c);
    for (std::size_t c : used)
        if (c == timeCol) throwBadInput(where + "the time column \"" + t.header[c] + "\" cannot also be an input or target");

    // Rows: times, values (NaN for missing), labels.
    std::vector<Row> rows(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        Row& row = rows[r];
        row.line = t.lines[r];
        if (timeCol == std::string::npos) {
            row.time = static_cast<double>(r);
        } else {
            const std::optional<double> time = parseSeriesTime(t.rows[r][timeCol]);
            if (!time)
                throwBadInput(name + ": line " + std::to_string(row.line) + ": time \"" + clipForMessage(t.rows[r][timeCol]) +
                              "\" is neither a number nor a date (YYYY-MM-DD, YYYY-MM, YYYYMMDD, with an optional HH:MM[:SS])");
            row.time = *time;
        }
        for (std::size_t c : used) {
            const std::string& field = t.rows[r][c];
            double v = NAN;
            if (!isMissingCsvValue(field) && (!parseCsvNumber(field, v) || !std::isfinite(v) ||
                                              std::fabs(v) > std::numeric_limits<float>::max()))
                throwBadInput(name + ": line " + std::to_string(row.line) + ": column \"" + t.header[c] + "\": \"" +
                              clipForMessage(field) + "\" is not a number");
            row.values.push_back(v);
        }
        if (classify) row.label = t.rows[r][labelCol];
    }

    Dataset ds;
    // Order: strictly increasing times, or sorted on request.
    if (timeCol != std::string::npos) {
        const bool sort = q.choice("order", "fail", {"fail", "sort"}) == "sort";
        int64_t moved = 0;
        if (sort) {
            std::vector<Row> before = rows;
            std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time < b.time; });
            for (std::size_t i = 0; i < rows.size(); ++i) moved += rows[i].line != before[i].line;
        }
        for (std::size_t i = 1; i < rows.size(); ++i) {
            if (rows[i].time > rows[i - 1].time) continue;
            const std::string a = timeText(t, timeCol, rows[i - 1]), b = timeText(t, timeCol, rows[i]);
            if (rows[i].time == rows[i - 1].time)
                throwBadInput(name + ": line " + std::to_string(rows[i].line) + ": time " + b +
                              " repeats line " + std::to_string(rows[i - 1].line) + "'s; each time must appear once");
            throwBadInput(name + ": line " + std::to_string(rows[i].line) + ": time " + b + " comes before line " +
                          std::to_string(rows[i - 1].line) + "'s " + a +
                          "; the rows must be in time order (order=sort sorts them)");
        }
        if (moved > 0) ds.notes.push_back("order=sort: " + std::to_string(moved) + " rows moved into time order");
    }

    // The regular step (the median spacing) and the gaps in it.
    const bool fill = q.choice("gaps", "fail", {"fail", "interpolate"}) == "interpolate";
    std::vector<double> diffs;
    for (std::size_t i = 1; i < rows.size(); ++i) diffs.push_back(rows[i].time - rows[i - 1].time);
    double step = 1;
    if (!diffs.empty()) {
        std::vector<double> sorted = diffs;
        std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
        step = sorted[sorted.size() / 2];
    }
    std::vector<std::string> gaps;
    std::vector<Row> regular;
    int64_t inserted = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) {
            const double ratio = diffs[i - 1] / step;
            if (ratio > 1.5) {
                const auto missing = static_cast<int64_t>(std::llround(ratio)) - 1;
                gaps.push_back("line " + std::to_string(rows[i].line) + " (" + timeText(t, timeCol, rows[i]) +
                               ") follows line " + std::to_string(rows[i - 1].line) + " (" +
                               timeText(t, timeCol, rows[i - 1]) + ") after " + std::to_string(missing + 1) + " steps");
                const int64_t limit = std::max<int64_t>(kMinFillLimit, 10 * static_cast<int64_t>(rows.size()));
                if (fill && inserted + missing > limit)
                    throwBadInput(name + ": filling the gaps would insert more than " + std::to_string(limit) +
                                  " rows (the usual step is " + num(step) + "; " + gaps.back() +
                                  "); is the time column right?");
                if (fill)
                    for (int64_t k = 1; k <= missing; ++k) {
                        Row g;
                        g.time = rows[i - 1].time + (rows[i].time - rows[i - 1].time) * static_cast<double>(k) /
                                                        static_cast<double>(missing + 1);
                        g.values.assign(used.size(), NAN);
                        g.label = rows[i - 1].label;
                        regular.push_back(std::move(g));
                        ++inserted;
                    }
            }
        }
        regular.push_back(rows[i]);
    }
    // Dates are days on the time axis; numbers are their own unit.
    double asNumber = 0;
    const bool dates = timeCol != std::string::npos && !(parseCsvNumber(t.rows[0][timeCol], asNumber) &&
                                                         asNumber == parseSeriesTime(t.rows[0][timeCol]).value_or(NAN));
    const std::string stepText = num(step) + (dates ? (step == 1 ? " day" : " days") : "");
    if (!gaps.empty() && !fill)
        throwBadInput(name + ": " + std::to_string(gaps.size()) + " gaps in the time steps (the usual step is " + num(step) +
                      "): " + listed(gaps) + "; add gaps=interpolate to fill them (and missing values) linearly");
    rows = std::move(regular);

    std::vector<std::string> missing;
    for (std::size_t k = 0; k < used.size(); ++k)
        for (const Row& r : rows)
            if (std::isnan(r.values[k]) && r.line > 0)
                missing.push_back("line " + std::to_string(r.line) + " column \"" + t.header[used[k]] + "\"");
    if (!missing.empty() && !fill)
        throwBadInput(name + ": " + std::to_string(missing.size()) + " missing values: " + listed(missing) +
                      "; add gaps=interpolate to fill them linearly");
    if (fill) {
        int64_t filled = 0;
        for (std::size_t k = 0; k < used.size(); ++k) filled += interpolate(rows, k);
        if (inserted > 0 || filled > 0)
            ds.notes.push_back("gaps=interpolate: " + std::to_string(inserted) + " missing time steps inserted (" +
                               std::to_string(gaps.size()) + " gaps), " + std::to_string(filled) +
                               " values filled by linear interpolation in time" +
                               (gaps.empty() ? std::string() : ": " + listed(gaps)));
    }

    // Windows.
    const auto n = static_cast<int64_t>(rows.size());
    const int64_t lookback = q.integer("lookback", 24, 1, 1'000'000);
    const int64_t horizon = classify ? 0 : q.integer("horizon", 1, 1, 1'000'000);
    const int64_t stride = q.integer("stride", 1, 1, 1'000'000);
    if (lookback + horizon > n)
        throwBadInput(where + "lookback " + std::to_string(lookback) + (classify ? "" : " + horizon " + std::to_string(horizon)) +
                      " needs " + std::to_string(lookback + horizon) + " rows, but the series has " + std::to_string(n) +
                      "; lower lookback");
    const int64_t windows = (n - lookback - horizon) / stride + 1;
    const auto inC = static_cast<int64_t>(inputs.size()), outC = static_cast<int64_t>(targets.size());
    if (windows * lookback * inC > kMaxWindowValues)
        throwBadInput(where + std::to_string(windows) + " windows of " + std::to_string(lookback) + " x " +
                      std::to_string(inC) + " values are too many; raise stride");
    auto usedIndex = [&](std::size_t col) {
        return static_cast<std::size_t>(std::find(used.begin(), used.end(), col) - used.begin());
    };
    ds.sampleShape = Shape{lookback, inC};
    ds.seriesChannels = inC;
    ds.chronological = true;
    ds.purgeWindows = classify ? 0 : (horizon + stride - 1) / stride - 1;
    for (std::size_t c : inputs) ds.featureNames.push_back(t.header[c]);
    DataSplit& split = ds.train;
    split.count = windows;
    split.bytes.resize(static_cast<std::size_t>(windows * lookback * inC) * sizeof(float));
    float* x = reinterpret_cast<float*>(split.bytes.data());
    std::vector<std::string> labels;
    for (int64_t w = 0; w < windows; ++w) {
        const int64_t start = w * stride;
        for (int64_t s = 0; s < lookback; ++s)
            for (int64_t c = 0; c < inC; ++c)
                *x++ = static_cast<float>(rows[static_cast<std::size_t>(start + s)].values[usedIndex(inputs[static_cast<std::size_t>(c)])]);
        if (classify) {
            labels.push_back(rows[static_cast<std::size_t>(start + lookback - 1)].label);
            continue;
        }
        for (int64_t h = 0; h < horizon; ++h)
            for (int64_t c = 0; c < outC; ++c)
                split.targets.push_back(static_cast<float>(
                    rows[static_cast<std::size_t>(start + lookback + h)].values[usedIndex(targets[static_cast<std::size_t>(c)])]));
    }
    if (classify) {
        std::vector<std::string> names = labels;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        if (names.size() < 2) throwBadInput(where + "the label column holds one class; classification needs at least 2");
        for (const std::string& l : labels)
            split.labels.push_back(static_cast<int32_t>(std::lower_bound(names.begin(), names.end(), l) - names.begin()));
        ds.numClasses = static_cast<int>(names.size());
        ds.classNames = std::move(names);
    } else {
        ds.targetDim = static_cast<int>(horizon * outC);
        for (int64_t h = 0; h < horizon; ++h)
            for (std::size_t c : targets) ds.targetNames.push_back(t.header[c] + " t+" + std::to_string(h + 1));
    }
    std::string ins, outs;
    for (std::size_t c : inputs) ins += (ins.empty() ? "" : ", ") + t.header[c];
    for (std::size_t c : targets) outs += (outs.empty() ? "" : ", ") + t.header[c];
    std::ostringstream note;
    note << "series: " << n << " rows";
    if (timeCol != std::string::npos)
        note << " from " << timeText(t, timeCol, rows.front()) << " to " << timeText(t, timeCol, rows.back()) << ", step "
             << stepText;
    else
        note << " in file order";
    note << "; " << windows << " windows of " << lookback << " steps of " << ins;
    if (classify)
        note << ", each classed by \"" << t.header[labelCol] << "\" at its last step";
    else
        note << " -> the next " << horizon << " step" << (horizon > 1 ? "s" : "") << " of " << outs;
    note << " (stride " << stride << ")";
    ds.notes.push_back(note.str());
    return ds;
}

Dataset loadSeriesSource(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    if (parts.path.empty()) throwBadInput(where + "give a CSV file after series:, e.g. series:sales.csv?lookback=12");
    std::string encoding = "auto";
    {
        const SpecQuery q(parts.query, where, kSeriesOptions);
        encoding = q.choice("encoding", "auto", {"auto", "utf-8", "utf-16", "latin1"});
    }
    return seriesFromText(readCsvText(parts.path, where, encoding), parts.path, parts.query, spec);
}

}  // namespace neurite
