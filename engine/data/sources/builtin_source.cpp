// The bundled tabular sets (resources/data, scikit-learn's copies of the UCI files, compiled
// in): iris, wine and breast-cancer as feature vectors, digits as 1x8x8 images with values 0..16.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "data/sources.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"
#include "data/sources/embedded_files.h"

namespace neurite {

namespace {

struct BuiltinTable {
    const char* name;
    const char* file;
    std::vector<std::string> features;
};

const std::vector<BuiltinTable>& tables() {
    static const std::vector<BuiltinTable> kTables = {
        {"iris", "iris.csv",
         {"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}},
        {"wine", "wine_data.csv",
         {"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
          "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
          "od280/od315_of_diluted_wines", "proline"}},
        {"breast-cancer", "breast_cancer.csv",
         {"mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness",
          "mean compactness", "mean concavity", "mean concave points", "mean symmetry",
          "mean fractal dimension", "radius error", "texture error", "perimeter error",
          "area error", "smoothness error", "compactness error", "concavity error",
          "concave points error", "symmetry error", "fractal dimension error", "worst radius",
          "worst texture", "worst perimeter", "worst area", "worst smoothness",
          "worst compactness", "worst concavity", "worst concave points", "worst symmetry",
          "worst fractal dimension"}},
        {"digits", "digits.csv.gz", {}},
    };
    return kTables;
}

std::string_view embedded(const char* file) { return embeddedFile(file); }

} // namespace

std::string_view embeddedFile(const char* file) {
    for (const EmbeddedFile* f = kEmbeddedFiles; f->name; ++f)
        if (std::strcmp(f->name, file) == 0)
            return {reinterpret_cast<const char*>(f->data), f->size};
    throwInternal(std::string("bundled data file ") + file + " is not compiled in");
}

bool isBuiltinTable(const std::string& name) {
    for (const auto& t : tables())
        if (name == t.name) return true;
    return false;
}

Dataset loadBuiltinTable(const std::string& name, const std::string& spec) {
    const BuiltinTable* table = nullptr;
    for (const auto& t : tables())
        if (name == t.name) table = &t;
    NEURITE_CHECK(table, "unknown builtin table " + name);
    std::string text(embedded(table->file));
    if (table->features.empty()) text = gunzip(text, table->file, kMaxCsvText);

    // scikit-learn's first line: samples, features, class names.
    std::vector<std::string> classNames;
    if (!table->features.empty()) {
        const std::size_t eol = text.find('\n');
        const CsvTable meta = parseCsv(std::string_view(text).substr(0, eol), table->file, {',', 0});
        classNames.assign(meta.rows[0].begin() + 2, meta.rows[0].end());
        text.erase(0, eol + 1);
    }
    const CsvTable csv = parseCsv(text, table->file, {',', 0});
    const std::size_t d = csv.header.size() - 1;
    Dataset ds;
    ds.featureNames = table->features;
    if (classNames.empty())
        for (int c = 0; c < 10; ++c) classNames.push_back(std::to_string(c));
    ds.classNames = classNames;
    ds.numClasses = static_cast<int>(classNames.size());
    ds.sampleShape = table->features.empty() ? Shape({1, 8, 8}) : Shape({static_cast<int64_t>(d)});
    DataSplit& train = ds.train;
    train.dtype = DType::F32;
    train.count = static_cast<int64_t>(csv.rows.size());
    train.bytes.resize(csv.rows.size() * d * sizeof(float));
    float* dst = reinterpret_cast<float*>(train.bytes.data());
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
        double v = 0;
        for (std::size_t c = 0; c <= d; ++c) {
            if (!parseCsvNumber(csv.rows[r][c], v))
                throwInternal(spec + ": bundled " + table->file + " line " +
                              std::to_string(csv.lines[r]) + " is not numeric");
            if (c < d) dst[r * d + c] = static_cast<float>(v);
            else train.labels.push_back(static_cast<int32_t>(v));
        }
        NEURITE_CHECK(train.labels.back() >= 0 && train.labels.back() < ds.numClasses,
                      "bundled label out of range");
    }
    return ds;
}

} // namespace neurite
