// Internal to engine/data: the source readers behind loadDataset. Each fills a Dataset's
// sampleShape, numClasses, classNames, train and (when the source has one) test split;
// splitting and scaling happen afterwards in data_source.cpp.
// `rest` is the spec after "scheme:", `spec` the whole spec for messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace neurite {

struct CsvTable;

// path: a directory with the usual four files, or one images file. spec: for messages.
Dataset loadIdxSource(const std::string& path, const std::string& spec);

// query: "samples=1500&classes=3" (may be empty). spec: for messages.
Dataset makeSpiral(const std::string& query, const std::string& spec);

// name: circles | moons | xor | blobs; query as for the spiral.
Dataset makeSynthetic(const std::string& name, const std::string& query, const std::string& spec);

// csv:PATH?target=..&task=..&missing=..&delimiter=..&header=..&ignore=..&skip=..&encoding=..; target (from the
// project or --target) overrides the query's.
Dataset loadCsvSource(const std::string& rest, const std::string& spec, const std::string& target);
// A parsed table to a Dataset; `name` (the file) prefixes line-numbered errors.
Dataset csvToDataset(const CsvTable& table, const std::string& name, const std::string& spec,
                     const std::string& query, const std::string& target);

// builtin:iris | wine | breast-cancer | digits, embedded in the binary.
Dataset loadBuiltinTable(const std::string& name, const std::string& spec);
bool isBuiltinTable(const std::string& name);

// npy:X.npy?labels=y.npy or npy:DIR holding X.npy and y.npy.
Dataset loadNpySource(const std::string& rest, const std::string& spec);

// cifar10:DIR with data_batch_1..5.bin and test_batch.bin (the binary version).
Dataset loadCifar10Source(const std::string& rest, const std::string& spec);

// images:DIR?size=N&color=gray|rgb&on_error=fail|skip: one sub-folder per class (or DIR/train
// and DIR/test).
Dataset loadImageFolderSource(const std::string& rest, const std::string& spec);

// text:PATH?text=COL&label=COL&format=auto|table|folders|fortune&classes=a,b&level=word|char
// &lowercase=yes|no&vocabulary=N&min_count=N&length=auto|N&delimiter=C&encoding=..: raw texts
// and labels (data/text/text_source.cpp); encodeTexts turns them into ids after the split.
Dataset loadTextSource(const std::string& rest, const std::string& spec);

// series:PATH?time=COL|none&inputs=a,b&targets=c&task=forecast|classify&label=COL&lookback=N
// &horizon=N&stride=N&gaps=fail|interpolate&order=fail|sort&delimiter=C&encoding=..: windows of a
// time series in time order (data/series/series_source.cpp); seriesFromText reads CSV text
// (`name` in messages), which the bundled series use.
Dataset loadSeriesSource(const std::string& rest, const std::string& spec);
Dataset seriesFromText(const std::string& text, const std::string& name, const std::string& query,
                       const std::string& spec);

// Reads a whole file into `out`. Missing file: Error{BadInput} "<where><path> does not exist";
// a device, pipe or socket, or a file over maxBytes: Error{BadInput}; unreadable: Error{Io}.
void loadTextFile(const std::string& path, const std::string& where, std::string& out,
                  int64_t maxBytes = int64_t{1} << 32);

} // namespace neurite
