// The IDX source: MNIST-style directories (train-* and t10k-* files, raw or gzipped) or a
// single images file with its labels file beside it. Images stay u8 in memory; the distinct
// label values are the classes.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.h"
#include "data/idx_reader.h"
#include "data/sources.h"
#include "data/sources/class_labels.h"
#include "data/sources/csv_parser.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

namespace {

const char* const kFashionNames[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                     "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// "dir/train-images-idx3-ubyte" or its .gz twin, whichever exists; "" when neither does.
std::string findFile(const fs::path& dir, const std::string& name) {
    std::error_code ec;
    for (const std::string& candidate : {name, name + ".gz"})
        if (fs::is_regular_file(dir / candidate, ec)) return (dir / candidate).string();
    return {};
}

// Images and labels of one split, checked against each other.
DataSplit readPair(const std::string& imagesPath, const std::string& labelsPath,
                   Shape& sampleShape) {
    IdxArray images = readIdx(imagesPath);
    IdxArray labels = readIdx(labelsPath);
    if (images.dims.size() < 2)
        throwBadInput(imagesPath +
                      ": at byte 3: expected an images file with 2 to 4 dimensions "
                      "[count, ...], got " +
                      std::to_string(images.dims.size()) + " (is this a labels file?)");
    if (labels.dims.size() != 1)
        throwBadInput(labelsPath +
                      ": at byte 3: expected a labels file with 1 dimension [count], got " +
                      std::to_string(labels.dims.size()) + " (is this an images file?)");
    if (images.dims[0] != labels.dims[0])
        throwBadInput(imagesPath + " holds " + std::to_string(images.dims[0]) + " images but " +
                      labelsPath + " holds " + std::to_string(labels.dims[0]) +
                      " labels; they must match");
    Shape shape;
    if (images.dims.size() == 3) shape.push(1); // grey images: one channel
    for (std::size_t d = 1; d < images.dims.size(); ++d)
        shape.push(images.dims[d]);
    if (sampleShape.rank() != 0 && shape != sampleShape)
        throwBadInput(imagesPath + ": images of shape " + shape.str() +
                      " differ from the training images " + sampleShape.str());
    sampleShape = shape;

    DataSplit split;
    split.dtype = DType::U8;
    split.count = images.dims[0];
    split.bytes = std::move(images.data);
    split.labels.assign(labels.data.begin(), labels.data.end());
    return split;
}

bool looksLikeFashion(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("fashion") != std::string::npos;
}

// Keeps the samples of `split` whose label has a new index (-1: dropped), relabelled.
void keepSamples(DataSplit& split, const std::vector<int>& newIndex, int64_t sampleBytes) {
    int64_t kept = 0;
    for (int64_t i = 0; i < split.count; ++i) {
        const int to = newIndex[static_cast<std::size_t>(split.labels[std::size_t(i)])];
        if (to < 0) continue;
        if (kept != i)
            std::copy_n(split.bytes.begin() + i * sampleBytes, sampleBytes, split.bytes.begin() + kept * sampleBytes);
        split.labels[std::size_t(kept)] = to;
        ++kept;
    }
    split.count = kept;
    split.labels.resize(static_cast<std::size_t>(kept));
    split.bytes.resize(static_cast<std::size_t>(kept * sampleBytes));
}

// classes=a,b,...: those classes only (by name or label value), in that order.
// train_samples=N: the first N training samples taken class by class in turn (balanced), so a
// small labelled set is the same for every run.
void applyOptions(Dataset& ds, const SpecQuery& q) {
    const int64_t sampleBytes = ds.sampleShape.numel();
    if (auto list = q.str("classes")) {
        std::vector<int> newIndex(ds.classNames.size(), -1);
        std::vector<std::string> names;
        for (const std::string& item : splitList(*list)) {
            int found = -1;
            for (std::size_t c = 0; c < ds.classNames.size(); ++c)
                if (lowerAscii(ds.classNames[c]) == lowerAscii(item) || std::to_string(c) == item) found = int(c);
            if (found < 0) {
                std::string known;
                for (const std::string& n : ds.classNames) known += (known.empty() ? "" : ", ") + n;
                throwBadInput(q.where() + "classes: no class \"" + item + "\"; the classes are " + known +
                              " (or their indexes 0.." + std::to_string(ds.classNames.size() - 1) + ")");
            }
            if (newIndex[std::size_t(found)] >= 0)
                throwBadInput(q.where() + "classes: \"" + item + "\" is named twice");
            newIndex[std::size_t(found)] = int(names.size());
            names.push_back(ds.classNames[std::size_t(found)]);
        }
        if (names.size() < 2) throwBadInput(q.where() + "classes: name at least 2 classes");
        keepSamples(ds.train, newIndex, sampleBytes);
        keepSamples(ds.test, newIndex, sampleBytes);
        ds.classNames = names;
        ds.numClasses = static_cast<int>(names.size());
        ds.notes.push_back("classes " + *list + ": " + std::to_string(ds.train.count) + " training and " +
                           std::to_string(ds.test.count) + " test samples");
    }
    if (q.has("train_samples")) {
        const int64_t n = q.integer("train_samples", 0, int64_t(ds.numClasses) * 2, ds.train.count);
        const int64_t quota = (n + ds.numClasses - 1) / ds.numClasses;
        std::vector<int64_t> taken(static_cast<std::size_t>(ds.numClasses), 0);
        DataSplit& t = ds.train;
        int64_t kept = 0;
        std::vector<char> chosen(static_cast<std::size_t>(t.count), 0);
        for (int64_t i = 0; i < t.count && kept < n; ++i) {
            int64_t& c = taken[std::size_t(t.labels[std::size_t(i)])];
            if (c < quota) ++c, ++kept, chosen[std::size_t(i)] = 1;
        }
        int64_t at = 0;
        for (int64_t i = 0; i < t.count; ++i) {
            if (!chosen[std::size_t(i)]) continue;
            std::copy_n(t.bytes.begin() + i * sampleBytes, sampleBytes, t.bytes.begin() + at * sampleBytes);
            t.labels[std::size_t(at)] = t.labels[std::size_t(i)];
            ++at;
        }
        t.count = at;
        t.labels.resize(std::size_t(at));
        t.bytes.resize(std::size_t(at * sampleBytes));
        ds.notes.push_back("train_samples " + std::to_string(n) + ": the first " + std::to_string(at) +
                           " training samples, " + std::to_string(quota) + " a class at most");
    }
}

} // namespace

Dataset loadIdxSource(const std::string& pathAndQuery, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(pathAndQuery);
    const SpecQuery query(parts.query, where, {"classes", "train_samples"});
    const std::string& path = parts.path;
    std::error_code ec;
    Dataset ds;
    if (fs::is_directory(path, ec)) {
        const std::string trainImages = findFile(path, "train-images-idx3-ubyte");
        const std::string trainLabels = findFile(path, "train-labels-idx1-ubyte");
        if (trainImages.empty() || trainLabels.empty())
            throwBadInput(
                where + path +
                " lacks train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]; "
                "an IDX directory holds those two (and optionally t10k-images-idx3-ubyte, "
                "t10k-labels-idx1-ubyte for the test set)");
        ds.train = readPair(trainImages, trainLabels, ds.sampleShape);
        const std::string testImages = findFile(path, "t10k-images-idx3-ubyte");
        const std::string testLabels = findFile(path, "t10k-labels-idx1-ubyte");
        if (testImages.empty() != testLabels.empty())
            throwBadInput(where + path +
                          " has only one of t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte; "
                          "add the other or remove it");
        if (!testImages.empty()) ds.test = readPair(testImages, testLabels, ds.sampleShape);
    } else if (fs::is_regular_file(path, ec)) {
        std::string labels = fs::path(path).filename().string();
        const std::size_t at = labels.find("images");
        if (at == std::string::npos)
            throwBadInput(
                where + "cannot tell which labels file belongs to " + path +
                "; name it like train-images-idx3-ubyte with train-labels-idx1-ubyte beside it, "
                "or give the directory");
        labels.replace(at, 6, "labels");
        if (std::size_t idx3 = labels.find("idx3"); idx3 != std::string::npos)
            labels.replace(idx3, 4, "idx1");
        const std::string labelsPath = (fs::path(path).parent_path() / labels).string();
        if (!fs::is_regular_file(labelsPath, ec))
            throwBadInput(where + "the labels file " + labelsPath + " for " + path +
                          " does not exist");
        ds.train = readPair(path, labelsPath, ds.sampleShape);
    } else {
        throwBadInput(where + path +
                      " does not exist; give a directory holding IDX files or an images file");
    }

    // Distinct label values are the classes (as in the CSV source), over both splits.
    std::vector<double> train(ds.train.labels.begin(), ds.train.labels.end());
    std::vector<double> test(ds.test.labels.begin(), ds.test.labels.end());
    const std::vector<double> classes = distinctValues({train, test});
    if (classes.size() < 2)
        throwBadInput(where + path +
                      (classes.empty() ? std::string(" holds no labels")
                                       : ": every label is " + labelName(classes[0])) +
                      "; classification needs at least 2 classes");
    for (DataSplit* s : {&ds.train, &ds.test})
        for (int32_t& label : s->labels) label = classIndex(classes, label);
    const bool fashion = looksLikeFashion(path) && classes.back() < 10;
    for (double v : classes)
        ds.classNames.emplace_back(fashion ? kFashionNames[static_cast<int>(v)] : labelName(v));
    ds.numClasses = static_cast<int>(classes.size());
    applyOptions(ds, query);
    return ds;
}

} // namespace neurite
