// Probing a project's data: loadDataset, then its facts and description.
#include "train/data_probe.h"

#include "data/data_source.h"

namespace neurite {

ProbedData probeData(const DataConfig& data, uint64_t seed) {
    const Dataset ds = loadDataset(data, seed);
    return ProbedData{dataInfo(ds), dataFacts(ds), describeData(ds, data.reconstruct)};
}

}  // namespace neurite
