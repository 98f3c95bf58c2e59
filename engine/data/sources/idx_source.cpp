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

} // namespace

Dataset loadIdxSource(const std::string& path, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
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
    return ds;
}

} // namespace neurite
