// Describing a loaded Dataset: counts, points and pictures, all from the host copy.
#include "data/data_description.h"

#include <algorithm>

namespace neurite {

namespace {

float rawValue(const DataSplit& split, int64_t at) { return split.value(static_cast<std::size_t>(at)); }

// The first training samples as pictures, scaled from the raw values (u8 as is, f32 by their own
// range), so the user sees what the file holds.
void addPreviews(const Dataset& d, DataDescription& out) {
    const Shape& sh = d.sampleShape;
    if (!isImageShape(sh) || d.train.count == 0) return;
    const int64_t per = sh.numel();
    const int64_t n = std::min(kDescribedPreviews, d.train.count);
    std::vector<float> v(static_cast<std::size_t>(per));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t k = 0; k < per; ++k) v[static_cast<std::size_t>(k)] = rawValue(d.train, i * per + k);
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        out.previews.push_back(sampleImage(v.data(), sh, *lo, *hi));
        out.previewLabels.push_back(d.train.labels.empty() ? -1 : d.train.labels[static_cast<std::size_t>(i)]);
    }
}

}  // namespace

bool isImageShape(const Shape& shape) {
    return shape.rank() == 3 && (shape[0] == 1 || shape[0] == 3);
}

SampleImage sampleImage(const float* values, const Shape& shape, float lo, float hi) {
    SampleImage img;
    img.channels = static_cast<int>(shape[0]);
    img.height = static_cast<int>(shape[1]);
    img.width = static_cast<int>(shape[2]);
    const float range = std::max(hi - lo, 1e-12f);
    img.pixels.resize(static_cast<std::size_t>(shape.numel()));
    for (std::size_t i = 0; i < img.pixels.size(); ++i)
        img.pixels[i] = static_cast<uint8_t>(std::clamp(static_cast<int>(255.f * (values[i] - lo) / range), 0, 255));
    return img;
}

namespace {

void describeText(const Dataset& data, DataDescription& p) {
    p.vocabularySize = data.text.size();
    for (std::size_t k = 0; k < data.text.tokens.size() && k < kDescribedTokens; ++k)
        p.topTokens.push_back(data.text.tokens[k]);
    const DataSplit& held = data.validation.count > 0 ? data.validation : data.test;
    if (held.count > 0) {
        p.unknownSplit = &held == &data.validation ? "validation" : "test";
        int64_t kept = 0, unknown = 0;
        const auto n = static_cast<std::size_t>(held.count * data.sampleShape.numel());
        for (std::size_t i = 0; i < n; ++i) {
            const float id = held.f32()[i];
            kept += id != static_cast<float>(kTextPaddingId);
            unknown += id == static_cast<float>(kTextUnknownId);
        }
        p.unknownShare = kept > 0 ? static_cast<double>(unknown) / static_cast<double>(kept) : 0.0;
    }
    for (std::size_t i = 0; i < data.train.texts.size() && i < kDescribedTexts; ++i) {
        p.sampleTexts.push_back(data.train.texts[i]);
        p.sampleTextLabels.push_back(i < data.train.labels.size() ? data.train.labels[i] : -1);
    }
}

}  // namespace

DataDescription describeData(const Dataset& data, bool reconstruct) {
    DataDescription p;
    p.source = data.source;
    p.sampleShape = data.sampleShape;
    p.classNames = data.classNames;
    p.trainCount = data.train.count;
    p.validationCount = data.validation.count;
    p.testCount = data.test.count;
    const DataSplit& train = data.train;
    p.twoDimensional = data.sampleShape.rank() == 1 && data.sampleShape[0] == 2 && data.numClasses > 0 &&
                       train.dtype == DType::F32 &&
                       train.labels.size() == static_cast<std::size_t>(train.count);
    if (p.twoDimensional) {
        const float* f = train.f32();
        const int64_t stride = std::max<int64_t>(1, train.count / kMaxDescribedPoints);
        for (int64_t i = 0; i < train.count; i += stride) {
            p.pointX.push_back(f[2 * i]);
            p.pointY.push_back(f[2 * i + 1]);
            p.pointLabel.push_back(train.labels[static_cast<std::size_t>(i)]);
        }
    }
    if (data.numClasses > 0) {
        p.classCounts.assign(static_cast<std::size_t>(data.numClasses), 0);
        for (int32_t l : train.labels)
            if (l >= 0 && l < data.numClasses) ++p.classCounts[static_cast<std::size_t>(l)];
    }
    addPreviews(data, p);
    p.reconstructs = reconstruct && isImageShape(data.sampleShape);
    p.forecasts = data.chronological && data.numClasses == 0 && data.targetDim > 0 && !reconstruct;
    if (data.numClasses == 0) p.targetNames = data.targetNames;
    p.notes = data.notes;
    if (p.forecasts) {
        auto firstColumn = [&](const DataSplit& s, std::vector<double>& out) {
            const auto columns = static_cast<std::size_t>(data.targetDim);
            for (std::size_t i = 0; i < static_cast<std::size_t>(std::min(s.count, kDescribedSeries)); ++i)
                out.push_back(s.targets[i * columns]);
        };
        firstColumn(data.train, p.seriesTrain);
        firstColumn(data.validation, p.seriesValidation);
        firstColumn(data.test, p.seriesTest);
        const int64_t purge = data.purgeWindows;
        p.seriesValidationStart = data.train.count + (data.validation.count > 0 || data.test.count > 0 ? purge : 0);
        p.seriesTestStart = data.validation.count > 0 ? p.seriesValidationStart + data.validation.count + purge
                                                      : p.seriesValidationStart;
    }
    if (data.text.fitted()) describeText(data, p);
    return p;
}

}  // namespace neurite
