// Internal to engine/data: the source readers behind loadDataset. Each fills a Dataset's
// sampleShape, numClasses, classNames, train and (when the source has one) test split;
// splitting and scaling happen afterwards in data_source.cpp.
#pragma once

#include <string>

#include "data/dataset.h"

namespace neurite {

// path: a directory with the usual four files, or one images file. spec: for messages.
Dataset loadIdxSource(const std::string& path, const std::string& spec);

// query: "samples=1500&classes=3" (may be empty). spec: for messages.
Dataset makeSpiral(const std::string& query, const std::string& spec);

} // namespace neurite
