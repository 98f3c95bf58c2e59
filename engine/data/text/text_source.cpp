// text:PATH: labelled texts from a CSV/TSV file (a text column and a label column), from a tree
// of one folder per class of .txt files (DIR/train and DIR/test when both exist give the test
// split), or from fortune files (format=fortune: one file per class, entries separated by lines
// holding a single %, as Debian's fortunes package ships them). The texts stay raw here;
// encodeTexts (after the split) fits the vocabulary on the training split and turns every split
// into ids. docs/data.md, "Text", describes the options.
#include <algorithm>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/file_read.h"
#include "data/sources.h"
#include "data/sources/class_labels.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kListed = 10;
const std::vector<std::string> kTextOptions = {"text",      "label",    "format",    "classes",  "level",
                                               "lowercase", "vocabulary", "min_count", "length", "delimiter",
                                               "encoding"};

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < kListed; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > kListed) out += " and " + std::to_string(items.size() - kListed) + " more";
    return out;
}

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// A column by name, 0-based index, or (wanted empty) the first whose name is one of `usual`.
std::size_t findColumn(const CsvTable& t, const std::string& wanted, std::initializer_list<const char*> usual,
                       const char* role, const std::string& where) {
    if (wanted.empty()) {
        for (const char* u : usual)
            for (std::size_t c = 0; c < t.header.size(); ++c)
                if (lowerAscii(t.header[c]) == u) return c;
        std::string tried;
        for (const char* u : usual) tried += (tried.empty() ? "" : ", ") + std::string(u);
        throwBadInput(where + "no " + role + " column named " + tried + "; the columns are " + csvColumnNames(t) +
                      "; give " + role + "=COLUMN (a name or a 0-based index)");
    }
    if (const std::optional<std::size_t> c = findCsvColumn(t, wanted)) return *c;
    throwBadInput(where + "no " + role + " column \"" + clipForMessage(wanted) + "\"; the columns are " + csvColumnNames(t));
}

// Labels as class names: numbers in numeric order when every label is a number, else sorted text.
void setClasses(Dataset& ds, const std::vector<std::string>& labels, const std::string& where) {
    bool numeric = true;
    std::vector<double> values;
    for (const std::string& l : labels) {
        double v = 0;
        if (!parseCsvNumber(l, v)) {
            numeric = false;
            break;
        }
        values.push_back(v);
    }
    std::vector<std::string> names;
    if (numeric) {
        const std::vector<double> classes = distinctValues({values});
        for (double v : classes) names.push_back(labelName(v));
        for (double v : values) ds.train.labels.push_back(classIndex(classes, v));
    } else {
        names = labels;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        for (const std::string& l : labels)
            ds.train.labels.push_back(static_cast<int32_t>(std::lower_bound(names.begin(), names.end(), l) - names.begin()));
    }
    if (names.size() < 2)
        throwBadInput(where + "the labels hold " + std::to_string(names.size()) +
                      " class; text classification needs at least 2");
    if (names.size() > kMaxClasses)
        throwBadInput(where + std::to_string(names.size()) + " distinct labels, more than " +
                      std::to_string(kMaxClasses) + " classes; is the label column the right one?");
    ds.numClasses = static_cast<int>(names.size());
    ds.classNames = std::move(names);
}

void readTable(Dataset& ds, const std::string& path, const SpecQuery& q, const std::string& where) {
    CsvOptions options;
    if (auto d = q.str("delimiter")) {
        if (*d == "tab" || *d == "\\t") options.delimiter = '\t';
        else if (d->size() == 1) options.delimiter = (*d)[0];
        else throwBadInput(where + "delimiter must be one character or tab, got \"" + *d + "\"");
    } else if (path.size() >= 4 && lowerAscii(path.substr(path.size() - 4)) == ".tsv") {
        options.delimiter = '\t';
    }
    options.header = 1;  // a text table needs column names to find its columns
    const std::string text = readCsvText(path, where, q.choice("encoding", "auto", {"auto", "utf-8", "utf-16", "latin1"}));
    const CsvTable t = parseCsv(text, path, options);
    const std::size_t textCol = findColumn(t, q.str("text").value_or(""),
                                           {"text", "sentence", "review", "document", "message", "content"}, "text", where);
    const std::size_t labelCol = findColumn(t, q.str("label").value_or(""),
                                            {"label", "class", "category", "target", "sentiment", "y"}, "label", where);
    if (textCol == labelCol)
        throwBadInput(where + "the text and label columns are the same column, \"" + t.header[textCol] + "\"");
    std::vector<std::string> labels, emptyText, emptyLabel;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& body = t.rows[r][textCol];
        std::string label = t.rows[r][labelCol];
        label.erase(0, label.find_first_not_of(" \t"));
        label.erase(label.find_last_not_of(" \t\r") + 1);
        const std::string line = std::to_string(t.lines[r]);
        if (blank(body)) {
            emptyText.push_back(line);
            continue;
        }
        if (label.empty()) {
            emptyLabel.push_back(line);
            continue;
        }
        ds.train.texts.push_back(body);
        labels.push_back(label);
    }
    if (!emptyText.empty())
        ds.notes.push_back(std::to_string(emptyText.size()) + " rows with an empty text were left out (lines " +
                           listed(emptyText) + ")");
    if (!emptyLabel.empty())
        ds.notes.push_back(std::to_string(emptyLabel.size()) + " rows without a label were left out (lines " +
                           listed(emptyLabel) + ")");
    if (labels.size() < 2)
        throwBadInput(where + path + " has " + std::to_string(labels.size()) +
                      " rows with a text and a label; training needs at least 2");
    setClasses(ds, labels, where);
}

bool isHidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.empty() || name[0] == '.' || name == "__MACOSX";
}

std::vector<fs::path> entries(const fs::path& dir, bool directories) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (!isHidden(e.path()) && (directories ? e.is_directory(ec) : e.is_regular_file(ec))) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// One file's text, checked to be UTF-8 (the message names the file and line).
std::string readText(const fs::path& file, const std::string& where, const std::string& encoding) {
    return readCsvText(file.string(), where, encoding);
}

// Folder tree: DIR/<class>/*.txt.
void readFolder(const fs::path& dir, const std::vector<std::string>& classes, DataSplit& split,
                const std::string& where, const std::string& encoding, std::vector<std::string>& empty) {
    for (std::size_t c = 0; c < classes.size(); ++c) {
        for (const fs::path& f : entries(dir / classes[c], false)) {
            if (lowerAscii(f.extension().string()) != ".txt") continue;
            std::string body = readText(f, where, encoding);
            if (blank(body)) {
                empty.push_back(f.string());
                continue;
            }
            split.texts.push_back(std::move(body));
            split.labels.push_back(static_cast<int32_t>(c));
            ++split.count;
        }
    }
}

// Fortune files: entries separated by a line holding only "%"; backspace overstrikes (x^H_ for
// underlining) are reduced to the character.
std::vector<std::string> fortunes(const std::string& text) {
    std::vector<std::string> out;
    std::string entry;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + at, end - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "%") {
            if (!blank(entry)) out.push_back(entry);
            entry.clear();
        } else {
            for (char ch : line) {
                if (ch == '\b') {
                    if (!entry.empty() && entry.back() != '\n') entry.pop_back();
                    continue;
                }
                entry += ch;
            }
            entry += '\n';
        }
        at = end + 1;
    }
    if (!blank(entry)) out.push_back(entry);
    return out;
}

void readFortunes(Dataset& ds, const fs::path& dir, const SpecQuery& q, const std::string& where) {
    std::vector<std::string> classes = splitList(q.str("classes").value_or(""));
    if (classes.empty())
        for (const fs::path& f : entries(dir, false))
            if (f.extension().empty()) classes.push_back(f.filename().string());
    const std::string encoding = q.choice("encoding", "auto", {"auto", "utf-8", "utf-16", "latin1"});
    for (std::size_t c = 0; c < classes.size(); ++c) {
        const fs::path file = dir / classes[c];
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            throwBadInput(where + "no fortune file \"" + classes[c] + "\" in " + dir.string());
        const std::vector<std::string> items = fortunes(readText(file, where, encoding));
        if (items.empty()) throwBadInput(where + file.string() + " holds no entries");
        for (const std::string& e : items) {
            ds.train.texts.push_back(e);
            ds.train.labels.push_back(static_cast<int32_t>(c));
        }
    }
    if (classes.size() < 2)
        throwBadInput(where + "found " + std::to_string(classes.size()) +
                      " fortune files; give at least 2 as classes=a,b");
    ds.numClasses = static_cast<int>(classes.size());
    ds.classNames = classes;
}

TextSettings settingsOf(const SpecQuery& q) {
    TextSettings s;
    s.characters = q.choice("level", "word", {"word", "char"}) == "char";
    s.lowercase = q.choice("lowercase", "yes", {"yes", "no"}) == "yes";
    s.maxVocabulary = q.integer("vocabulary", 20000, 3, 10'000'000);
    s.minCount = q.integer("min_count", 1, 1, 1'000'000'000);
    const std::string length = q.str("length").value_or("auto");
    s.length = length == "auto" ? 0 : q.integer("length", 0, 1, kTextMaxLength);
    return s;
}

}  // namespace

Dataset loadTextSource(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    const SpecQuery q(parts.query, where, kTextOptions);
    if (parts.path.empty())
        throwBadInput(where + "give a path after text:, a CSV/TSV file or a folder of class folders");
    Dataset ds;
    ds.textSource = true;
    ds.text.settings = settingsOf(q);
    ds.sampleShape = Shape{0};
    std::error_code ec;
    const std::string format = q.choice("format", "auto", {"auto", "table", "folders", "fortune"});
    const bool directory = fs::is_directory(parts.path, ec);
    if (!fs::exists(parts.path, ec)) throwBadInput(where + parts.path + " does not exist");
    if (format == "fortune" || (format == "folders" || (format == "auto" && directory))) {
        if (!directory) throwBadInput(where + parts.path + " is not a folder");
        if (format == "fortune") {
            readFortunes(ds, parts.path, q, where);
        } else {
            fs::path trainDir = parts.path, testDir;
            if (fs::is_directory(trainDir / "train", ec) && fs::is_directory(trainDir / "test", ec)) {
                testDir = trainDir / "test";
                trainDir = trainDir / "train";
            }
            std::vector<std::string> classes = splitList(q.str("classes").value_or(""));
            if (classes.empty())
                for (const fs::path& d : entries(trainDir, true)) classes.push_back(d.filename().string());
            const std::string encoding = q.choice("encoding", "auto", {"auto", "utf-8", "utf-16", "latin1"});
            std::vector<std::string> empty;
            readFolder(trainDir, classes, ds.train, where, encoding, empty);
            if (!testDir.empty()) readFolder(testDir, classes, ds.test, where, encoding, empty);
            if (!empty.empty())
                ds.notes.push_back(std::to_string(empty.size()) + " empty text files were left out: " + listed(empty));
            if (classes.size() < 2)
                throwBadInput(where + trainDir.string() + " has " + std::to_string(classes.size()) +
                              " class folders; put each class's .txt files in its own sub-folder (at least 2)");
            ds.numClasses = static_cast<int>(classes.size());
            ds.classNames = classes;
        }
        ds.train.count = static_cast<int64_t>(ds.train.texts.size());
        ds.test.count = static_cast<int64_t>(ds.test.texts.size());
    } else {
        if (q.has("classes")) throwBadInput(where + "classes= applies to folders and fortune files, not to a table");
        readTable(ds, parts.path, q, where);
        ds.train.count = static_cast<int64_t>(ds.train.texts.size());
    }
    if (ds.train.count < 2)
        throwBadInput(where + "found " + std::to_string(ds.train.count) + " texts; training needs at least 2");
    return ds;
}

}  // namespace neurite
