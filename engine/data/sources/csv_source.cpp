// The CSV source: column kinds (numeric or categorical), one-hot encoding, the target column
// (class labels as numbers or strings, or regression values) and the missing-value policy.
// Numeric gaps stay NaN here under mean/median/most_frequent and are filled after the split
// with statistics of the training rows only (data_source.cpp), so no test value leaks in.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "core/error.h"
#include "core/file_read.h"
#include "data/sources.h"
#include "data/sources/class_labels.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"
#include "data/spec_query.h"

namespace neurite {

namespace {

constexpr std::size_t kMaxCategories = 1000;
const std::vector<std::string> kCsvOptions = {"target", "task",   "missing", "delimiter",
                                              "header", "ignore", "skip",    "encoding"};

// A parsed number as float32, refusing values beyond its range (1e39 would become inf).
float toFloat(double v, const std::string& name, int64_t line, const std::string& column,
              std::string_view field = {}) {
    if (std::fabs(v) > std::numeric_limits<float>::max()) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", v);
        throwBadInput(name + ": line " + std::to_string(line) + ": column \"" + column + "\": " +
                      (field.empty() ? std::string(text) : std::string(field.substr(0, 40))) +
                      " is beyond the float32 range (+-3.4e38); rescale the column (for example "
                      "to other units) or leave the value empty to mark it missing");
    }
    return static_cast<float>(v);
}

struct Column {
    bool numeric = true;
    std::vector<std::string> categories;  // categorical: sorted distinct values
    int64_t missing = 0;
};

// Index of the target column from a name or a 0-based index (negative counts from the end).
std::size_t findTarget(const CsvTable& t, const std::string& target, const std::string& where) {
    if (target.empty()) return t.header.size() - 1;
    if (const std::optional<std::size_t> c = findCsvColumn(t, target)) return *c;
    throwBadInput(where + "no target column \"" + clipForMessage(target) + "\"; the columns are " + csvColumnNames(t) +
                  " (or give a 0-based index; -1 is the last column)");
}

std::string firstLines(const std::vector<int64_t>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size() && i < 5; ++i) {
        if (i) out += ", ";
        out += std::to_string(lines[i]);
    }
    return out + (lines.size() > 5 ? ", ..." : "");
}

// Numeric unless no value is a number; a column that mixes numbers with text is an error
// naming the first text value, since a typo in a numeric column must not become a category.
Column classify(const CsvTable& t, std::size_t c, const std::string& name) {
    Column col;
    double v = 0;
    int64_t firstNumber = -1, firstText = -1;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& f = t.rows[r][c];
        if (isMissingCsvValue(f)) ++col.missing;
        else if (parseCsvNumber(f, v)) firstNumber = firstNumber < 0 ? int64_t(r) : firstNumber;
        else if (isOverflowingNumber(f)) toFloat(HUGE_VAL, name, t.lines[r], t.header[c], f);
        else firstText = firstText < 0 ? int64_t(r) : firstText;
    }
    if (firstText >= 0 && firstNumber >= 0) {
        const auto tr = static_cast<std::size_t>(firstText), nr = static_cast<std::size_t>(firstNumber);
        throwBadInput(name + ": line " + std::to_string(t.lines[tr]) + ": column \"" +
                      clipForMessage(t.header[c]) + "\": \"" + clipForMessage(t.rows[tr][c]) +
                      "\" is not a number, but the column holds numbers (line " +
                      std::to_string(t.lines[nr]) + ": \"" + clipForMessage(t.rows[nr][c]) +
                      "\"); fix the value or leave it empty to mark it missing");
    }
    col.numeric = firstText < 0;
    if (!col.numeric) {
        std::set<std::string> distinct;
        for (const auto& row : t.rows)
            if (!isMissingCsvValue(row[c])) distinct.insert(row[c]);
        col.categories.assign(distinct.begin(), distinct.end());
    }
    return col;
}

} // namespace

Dataset csvToDataset(const CsvTable& t, const std::string& name, const std::string& spec,
                     const std::string& query, const std::string& targetOverride) {
    const std::string where = "data source \"" + spec + "\": ";
    SpecQuery q(query, where, kCsvOptions);
    const std::string target = targetOverride.empty() ? q.str("target").value_or("") : targetOverride;
    const std::string task = q.choice("task", "auto", {"auto", "classification", "regression"});
    const std::string policy =
        q.choice("missing", "drop", {"drop", "mean", "median", "most_frequent"});
    if (t.header.size() < 2)
        throwBadInput(name + ": line " + std::to_string(t.lines.empty() ? 1 : t.lines[0]) +
                      ": only one column; a CSV source needs feature columns and a target column "
                      "(is the delimiter right? set delimiter=; or delimiter=tab)");
    if (t.rows.empty()) throwBadInput(name + ": no data rows after the header line");
    const std::size_t tc = findTarget(t, target, where);
    std::set<std::size_t> ignored;
    for (const auto& item : splitList(q.str("ignore").value_or(""))) {
        const std::size_t c = findTarget(t, item, where);
        if (c == tc) throwBadInput(where + "ignore names the target column \"" + item + "\"");
        ignored.insert(c);
    }

    std::vector<Column> cols(t.header.size());
    for (std::size_t c = 0; c < cols.size(); ++c) cols[c] = classify(t, c, name);
    const Column& tcol = cols[tc];
    bool integral = true;
    for (const auto& row : t.rows) {
        double v = 0;
        if (tcol.numeric && parseCsvNumber(row[tc], v)) integral = integral && v == std::floor(v);
    }
    const bool regression = task == "regression" || (task == "auto" && tcol.numeric && !integral);
    if (regression && !tcol.numeric)
        throwBadInput(where + "task=regression needs a numeric target, but column \"" +
                      t.header[tc] + "\" holds text");

    Dataset ds;
    // Feature layout: numeric columns one feature each, categorical ones one per category.
    std::vector<std::size_t> used;
    for (std::size_t c = 0; c < cols.size(); ++c) {
        if (c == tc || ignored.count(c)) continue;
        used.push_back(c);
        if (cols[c].numeric) {
            ds.featureNames.push_back(t.header[c]);
            continue;
        }
        if (cols[c].categories.size() > kMaxCategories)
            throwBadInput(where + "column \"" + t.header[c] + "\" has " +
                          std::to_string(cols[c].categories.size()) +
                          " distinct text values, too many to one-hot encode (an ID or free-text "
                          "column?); leave it out with ignore=" + t.header[c]);
        for (const auto& cat : cols[c].categories) ds.featureNames.push_back(t.header[c] + "=" + cat);
    }
    if (ds.featureNames.empty()) throwBadInput(where + "no feature columns left besides the target");

    // Classes: numeric labels in numeric order, text labels in alphabetical order.
    std::map<std::string, int32_t> classOf;
    if (!regression) {
        std::vector<std::pair<double, std::string>> values;
        std::set<std::string> seen;
        for (const auto& row : t.rows) {
            if (isMissingCsvValue(row[tc]) || !seen.insert(row[tc]).second) continue;
            double v = 0;
            values.emplace_back(tcol.numeric && parseCsvNumber(row[tc], v) ? v : 0.0, row[tc]);
        }
        std::sort(values.begin(), values.end());
        if (values.size() > kMaxClasses)
            throwBadInput(where + "target column \"" + t.header[tc] + "\" has " +
                          std::to_string(values.size()) +
                          " distinct values, too many classes; for a numeric target use "
                          "task=regression");
        if (values.size() < 2)
            throwBadInput(where + "target column \"" + t.header[tc] +
                          "\" has fewer than 2 classes; classification needs at least 2");
        for (const auto& [v, text] : values) {
            classOf.emplace(text, static_cast<int32_t>(ds.classNames.size()));
            ds.classNames.push_back(text);
        }
        ds.numClasses = static_cast<int>(ds.classNames.size());
        if (task == "auto" && tcol.numeric) noteManyClasses(ds, static_cast<int64_t>(t.rows.size()), "target column \"" + t.header[tc] + "\"");
    } else {
        ds.targetDim = 1;
    }

    // Categorical gaps take the column's most frequent category (the vocabulary is the file's).
    std::vector<std::string> modeOf(cols.size());
    if (policy != "drop")
        for (std::size_t c : used) {
            if (cols[c].numeric || cols[c].missing == 0) continue;
            std::map<std::string, int64_t> counts;
            for (const auto& row : t.rows)
                if (!isMissingCsvValue(row[c])) ++counts[row[c]];
            int64_t best = -1;
            for (const auto& [value, n] : counts)
                if (n > best) best = n, modeOf[c] = value;
            ds.notes.push_back("column \"" + t.header[c] + "\": " + std::to_string(cols[c].missing) +
                               " missing values set to its most frequent category \"" + modeOf[c] + "\"");
        }

    const std::size_t d = ds.featureNames.size();
    std::vector<float> features;
    std::vector<int64_t> dropped, noTarget;
    features.reserve(t.rows.size() * d);
    DataSplit& out = ds.train;
    out.dtype = DType::F32;
    std::vector<float> row(d);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& fields = t.rows[r];
        if (isMissingCsvValue(fields[tc])) {
            noTarget.push_back(t.lines[r]);
            continue;
        }
        std::size_t k = 0;
        bool skip = false;
        for (std::size_t c : used) {
            const bool missing = isMissingCsvValue(fields[c]);
            if (missing && policy == "drop") skip = true;
            if (cols[c].numeric) {
                double v = std::numeric_limits<double>::quiet_NaN();
                if (!missing) parseCsvNumber(fields[c], v);
                row[k++] = missing ? static_cast<float>(v) : toFloat(v, name, t.lines[r], t.header[c]);
            } else {
                const std::string& value = missing ? modeOf[c] : fields[c];
                for (const auto& cat : cols[c].categories) row[k++] = cat == value ? 1.f : 0.f;
            }
        }
        if (skip) {
            dropped.push_back(t.lines[r]);
            continue;
        }
        features.insert(features.end(), row.begin(), row.end());
        if (regression) {
            double v = 0;
            parseCsvNumber(fields[tc], v);
            out.targets.push_back(toFloat(v, name, t.lines[r], t.header[tc]));
        } else {
            out.labels.push_back(classOf.at(fields[tc]));
        }
    }
    if (!noTarget.empty())
        ds.notes.push_back("dropped " + std::to_string(noTarget.size()) +
                           " rows without a target value (lines " + firstLines(noTarget) + ")");
    if (!dropped.empty())
        ds.notes.push_back("missing=drop: dropped " + std::to_string(dropped.size()) +
                           " rows with missing values (lines " + firstLines(dropped) + ")");
    out.count = static_cast<int64_t>(features.size() / d);
    if (out.count == 0) {
        std::string empty;
        for (std::size_t c : used)
            if (cols[c].missing == static_cast<int64_t>(t.rows.size()))
                empty += (empty.empty() ? "" : ", ") + t.header[c];
        if (!empty.empty())
            throwBadInput(where + "no rows left: column(s) " + empty +
                          " are empty in every row; leave them out with ignore=" + empty);
        throwBadInput(where + "no rows left after dropping rows with missing values; choose "
                              "missing=mean, median or most_frequent");
    }
    for (std::size_t c : used)
        if (cols[c].numeric && cols[c].missing > 0 && policy != "drop") ds.imputation = policy;
    out.bytes.resize(features.size() * sizeof(float));
    std::memcpy(out.bytes.data(), features.data(), out.bytes.size());
    ds.sampleShape = Shape({static_cast<int64_t>(d)});
    return ds;
}

Dataset loadCsvSource(const std::string& rest, const std::string& spec, const std::string& target) {
    const SpecParts parts = splitSpec(rest);
    const std::string where = "data source \"" + spec + "\": ";
    if (parts.path.empty()) throwBadInput(where + "give a path after csv:, for example csv:data.csv");
    const SpecQuery q(parts.query, where, kCsvOptions);
    CsvOptions options;
    if (auto d = q.str("delimiter")) {
        if (*d == "tab" || *d == "\\t") options.delimiter = '\t';
        else if (*d == "semicolon") options.delimiter = ';';
        else if (*d == "comma") options.delimiter = ',';
        else if (*d == "space" || *d == "whitespace") options.delimiter = ' ';
        else if (d->size() == 1) options.delimiter = (*d)[0];
        else throwBadInput(where + "delimiter must be one character, tab, comma, semicolon or space, got \"" + *d + "\"");
    }
    const std::string header = q.choice("header", "auto", {"auto", "yes", "no"});
    options.header = header == "auto" ? -1 : header == "yes" ? 1 : 0;
    options.skipLines = q.integer("skip", 0, 0, int64_t{1} << 40);
    const std::string encoding = q.choice("encoding", "auto", {"auto", "utf-8", "utf-16", "latin1"});
    const std::string text = readCsvText(parts.path, where, encoding);
    return csvToDataset(parseCsv(text, parts.path, options), parts.path, spec, parts.query, target);
}

} // namespace neurite
