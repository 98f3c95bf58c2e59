// CIFAR-10, binary version: data_batch_1..5.bin (training) and test_batch.bin, each a run of
// 3073-byte records (one label byte 0..9, then 1024 red, 1024 green, 1024 blue bytes).
// Images stay uint8 [3, 32, 32].
#include <filesystem>
#include <cstring>

#include "core/error.h"
#include "data/sources.h"
#include "data/spec_query.h"

namespace neurite {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kImageBytes = 3 * 32 * 32;
constexpr int64_t kRecord = 1 + kImageBytes;

void appendBatch(const std::string& path, const std::string& where, DataSplit& split) {
    std::string bytes;
    loadTextFile(path, where, bytes, int64_t{1} << 31);
    const auto size = static_cast<int64_t>(bytes.size());
    if (size == 0) throwBadInput(path + ": at byte 0: empty file; expected 3073-byte records");
    if (size % kRecord != 0)
        throwBadInput(path + ": at byte " + std::to_string(size - size % kRecord) +
                      ": truncated or garbled: the size " + std::to_string(size) +
                      " is not a multiple of the 3073-byte record (1 label + 3072 pixels)");
    const int64_t n = size / kRecord;
    const std::size_t base = split.bytes.size();
    split.bytes.resize(base + static_cast<std::size_t>(n * kImageBytes));
    for (int64_t i = 0; i < n; ++i) {
        const auto label = static_cast<uint8_t>(bytes[static_cast<std::size_t>(i * kRecord)]);
        if (label > 9)
            throwBadInput(path + ": at byte " + std::to_string(i * kRecord) + ": label " +
                          std::to_string(label) + " is not a CIFAR-10 class (0..9); is this "
                          "the binary version of CIFAR-10 (not CIFAR-100 or the Python pickles)?");
        split.labels.push_back(label);
        std::memcpy(split.bytes.data() + base + static_cast<std::size_t>(i * kImageBytes),
                    bytes.data() + i * kRecord + 1, kImageBytes);
    }
    split.count += n;
}

} // namespace

Dataset loadCifar10Source(const std::string& rest, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    const SpecParts parts = splitSpec(rest);
    SpecQuery(parts.query, where, {});
    std::error_code ec;
    if (parts.path.empty() || !fs::is_directory(parts.path, ec))
        throwBadInput(where + (parts.path.empty() ? std::string("give a directory after cifar10:")
                                                  : parts.path + " is not a directory") +
                      "; expected the binary version's folder (cifar-10-batches-bin) with "
                      "data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
    Dataset ds;
    ds.sampleShape = Shape({3, 32, 32});
    ds.train.dtype = ds.test.dtype = DType::U8;
    int found = 0;
    for (int b = 1; b <= 5; ++b) {
        const fs::path p = fs::path(parts.path) / ("data_batch_" + std::to_string(b) + ".bin");
        if (!fs::exists(p, ec)) continue;
        appendBatch(p.string(), where, ds.train);
        ++found;
    }
    if (found == 0)
        throwBadInput(where + parts.path + " holds no data_batch_N.bin files; expected the binary "
                              "version of CIFAR-10 (cifar-10-binary.tar.gz, unpacked)");
    const fs::path test = fs::path(parts.path) / "test_batch.bin";
    if (fs::exists(test, ec)) appendBatch(test.string(), where, ds.test);
    ds.numClasses = 10;
    ds.classNames = {"airplane", "automobile", "bird", "cat", "deer",
                     "dog",      "frog",       "horse", "ship", "truck"};
    return ds;
}

} // namespace neurite
