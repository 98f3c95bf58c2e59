// DataDescription: what a loaded data set looks like to a person, from the Dataset alone: split
// sizes, classes with their training counts, the training points of a 2-D classification set
// (what a decision map is drawn over) and the first image samples as 8-bit pictures. The GUI's
// Training tab shows it before and during a run; it only converts it for display.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.h"
#include "data/dataset.h"

namespace neurite {

// One sample as a picture: pixels [channels, height, width], 0..255, channels 1 (grey) or 3.
struct SampleImage {
    int channels = 0, height = 0, width = 0;
    std::vector<uint8_t> pixels;
};

// Image-shaped samples: [C,H,W] with 1 or 3 channels.
bool isImageShape(const Shape& shape);

// `values` holds one sample of `shape` (an image shape); lo..hi maps to 0..255, clamped (a range
// below 1e-12 counts as 1e-12, so a flat sample is black).
SampleImage sampleImage(const float* values, const Shape& shape, float lo, float hi);

// The training points of a 2-D classification set, at most this many, evenly strided.
inline constexpr int64_t kMaxDescribedPoints = 5000;
// Image data sets: the first training samples described as pictures.
inline constexpr int64_t kDescribedPreviews = 24;

struct DataDescription {
    std::string source;  // the spec it came from
    Shape sampleShape;
    std::vector<std::string> classNames;  // empty for regression (and reconstruction)
    int64_t trainCount = 0, validationCount = 0, testCount = 0;
    std::vector<int64_t> classCounts;  // training split, per class
    // Two f32 features and class labels: a decision map can be drawn over the plane.
    bool twoDimensional = false;
    std::vector<double> pointX, pointY;  // raw features of (up to kMaxDescribedPoints) training samples
    std::vector<int> pointLabel;
    // An image autoencoder (data.reconstruct on image samples): reconstructions can be shown.
    bool reconstructs = false;
    // A time-series forecast (series: windows with regression targets): forecasts can be drawn.
    bool forecasts = false;
    std::vector<std::string> targetNames;  // regression: the target columns' names, when known
    // A forecast's series as its windows give it: the first target column of each split's
    // windows in time order (at most kDescribedSeries points each), and the window number (from
    // 0) where the validation and test windows start (windows dropped at the boundaries between).
    std::vector<double> seriesTrain, seriesValidation, seriesTest;
    int64_t seriesValidationStart = 0, seriesTestStart = 0;
    std::vector<std::string> notes;  // what loading did (Dataset::notes)
    std::vector<SampleImage> previews;  // image data: the first training samples, each by its own range
    std::vector<int> previewLabels;     // their classes (-1: none)
    // Text sources: the fitted vocabulary (ids, padding and unknown included), its most frequent
    // tokens, the share of out-of-vocabulary tokens among the validation split's (else the test
    // split's) kept tokens, and the first training texts with their classes.
    int64_t vocabularySize = 0;
    std::vector<std::string> topTokens;
    double unknownShare = 0;
    std::string unknownSplit;  // "validation" or "test"; empty: no held-out texts
    std::vector<std::string> sampleTexts;
    std::vector<int> sampleTextLabels;
};

inline constexpr int64_t kDescribedSeries = 20000;

// Text data sets: how many of the most frequent tokens and of the first training texts are described.
inline constexpr std::size_t kDescribedTokens = 30;
inline constexpr std::size_t kDescribedTexts = 12;

// `reconstruct`: the project's data.reconstruct (the Dataset no longer says it).
DataDescription describeData(const Dataset& data, bool reconstruct);

}  // namespace neurite
