#include "data/point_edits.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"

namespace neurite {

void applyPointEdits(Dataset& ds, const PointEdits& edits) {
    if (edits.empty()) return;
    if (ds.sampleShape.numel() != 2 || ds.numClasses <= 0)
        throwBadInput("data.points: points are added or removed on data with two features and class labels, but \"" +
                      ds.source + "\" has " +
                      (ds.numClasses <= 0 ? std::string("regression targets") : "samples of shape " + ds.sampleShape.str()));
    for (std::size_t i = 0; i < edits.add.size(); ++i)
        if (edits.add[i].label < 0 || edits.add[i].label >= ds.numClasses)
            throwBadInput("data.points.add[" + std::to_string(i) + "]: class " + std::to_string(edits.add[i].label) +
                          " is not one of the data's " + std::to_string(ds.numClasses) + " classes (0 to " +
                          std::to_string(ds.numClasses - 1) + ")");
    DataSplit& train = ds.train;
    const auto n = static_cast<std::size_t>(train.count);
    // Removals: the first training point at each coordinate (the stored values are floats, and
    // the file holds them exactly).
    std::vector<bool> gone(n, false);
    std::size_t removed = 0, unmatched = 0;
    for (const PointEdit& r : edits.remove) {
        const auto x = static_cast<float>(r.x), y = static_cast<float>(r.y);
        bool found = false;
        for (std::size_t i = 0; i < n && !found; ++i)
            if (!gone[i] && train.value(2 * i) == x && train.value(2 * i + 1) == y) {
                gone[i] = true;
                found = true;
            }
        found ? ++removed : ++unmatched;
    }
    DataSplit out;
    out.dtype = DType::F32;
    out.count = static_cast<int64_t>(n - removed + edits.add.size());
    std::vector<float> values;
    values.reserve(static_cast<std::size_t>(out.count) * 2);
    out.labels.reserve(static_cast<std::size_t>(out.count));
    for (std::size_t i = 0; i < n; ++i) {
        if (gone[i]) continue;
        values.push_back(train.value(2 * i));
        values.push_back(train.value(2 * i + 1));
        out.labels.push_back(i < train.labels.size() ? train.labels[i] : 0);
    }
    for (const PointEdit& a : edits.add) {
        values.push_back(static_cast<float>(a.x));
        values.push_back(static_cast<float>(a.y));
        out.labels.push_back(a.label);
    }
    if (out.count < 1)
        throwBadInput("data.points: removing " + std::to_string(removed) + " points leaves no training data");
    out.bytes.resize(values.size() * sizeof(float));
    if (!values.empty()) std::memcpy(out.bytes.data(), values.data(), out.bytes.size());
    train = std::move(out);
    std::string note = "points edited by hand: " + std::to_string(edits.add.size()) + " added to and " +
                       std::to_string(removed) + " removed from the training split";
    if (unmatched > 0)
        note += "; " + std::to_string(unmatched) + " removed point(s) are not in the training data (it changed since)";
    ds.notes.push_back(note);
}

}  // namespace neurite
