#include "export/compaction.h"

#include <map>

#include "core/error.h"
#include "train/pruning.h"

namespace neurite {

namespace {

bool allZero(const float* p, int64_t n) {
    for (int64_t i = 0; i < n; ++i)
        if (p[i] != 0.f) return false;
    return true;
}

// The kept indices along each axis of a tensor of `shape` (an empty list keeps the whole axis),
// gathered in order.
std::vector<float> gather(const float* src, const Shape& shape,
                          const std::vector<std::vector<int64_t>>& keep) {
    const int rank = shape.rank();
    std::vector<std::vector<int64_t>> axes(static_cast<std::size_t>(rank));
    for (int d = 0; d < rank; ++d) {
        auto& a = axes[static_cast<std::size_t>(d)];
        if (static_cast<std::size_t>(d) < keep.size() && !keep[static_cast<std::size_t>(d)].empty())
            a = keep[static_cast<std::size_t>(d)];
        else
            for (int64_t i = 0; i < shape[d]; ++i) a.push_back(i);
    }
    std::vector<int64_t> stride(static_cast<std::size_t>(rank), 1);
    for (int d = rank - 2; d >= 0; --d)
        stride[static_cast<std::size_t>(d)] = stride[static_cast<std::size_t>(d + 1)] * shape[d + 1];
    int64_t total = 1;
    for (const auto& a : axes) total *= static_cast<int64_t>(a.size());
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(total));
    std::vector<std::size_t> at(static_cast<std::size_t>(rank), 0);
    for (int64_t k = 0; k < total; ++k) {
        int64_t offset = 0;
        for (int d = 0; d < rank; ++d)
            offset += axes[static_cast<std::size_t>(d)][at[static_cast<std::size_t>(d)]] * stride[static_cast<std::size_t>(d)];
        out.push_back(src[offset]);
        for (int d = rank - 1; d >= 0; --d) {
            if (++at[static_cast<std::size_t>(d)] < axes[static_cast<std::size_t>(d)].size()) break;
            at[static_cast<std::size_t>(d)] = 0;
        }
    }
    return out;
}

}  // namespace

std::optional<CompactedModel> compactModel(const ExportSource& source) {
    Model& model = source.model;
    // First only the weights of the layers whose units could go: most models have no zero unit,
    // and a large one should not be copied whole to find that out.
    const std::vector<PruneTarget> targets = pruneTargets(model);
    bool any = false;
    std::vector<float> rows;
    for (const PruneTarget& t : targets) {
        if (!t.removable || any) continue;
        rows.resize(static_cast<std::size_t>(t.rows * t.rowSize));
        model.backend().copyToHost(rows.data(), model.values().slice(t.weightOffset, Shape{t.rows * t.rowSize}));
        for (int64_t r = 0; r < t.rows && !any; ++r) any = allZero(rows.data() + r * t.rowSize, t.rowSize);
    }
    if (!any) return std::nullopt;
    std::vector<float> weights = model.snapshot();
    const int64_t nv = model.values().numel();

    // Per node: the kept indices of its units (pruned layers and their BatchNorms, axis 0) and of
    // its weight's input axis (readers, axis 1).
    std::map<std::string, std::vector<int64_t>> rowsOf, colsOf;
    std::map<std::string, int64_t> unitsOf;
    std::vector<CompactedModel::Removed> removed;
    for (const PruneTarget& t : targets) {
        if (!t.removable) continue;
        std::vector<int64_t> kept;
        for (int64_t r = 0; r < t.rows; ++r) {
            bool zero = allZero(weights.data() + t.weightOffset + r * t.rowSize, t.rowSize);
            if (t.biasOffset >= 0) zero = zero && weights[static_cast<std::size_t>(t.biasOffset + r)] == 0.f;
            for (int64_t c : t.companions) zero = zero && weights[static_cast<std::size_t>(c + r)] == 0.f;
            if (!zero) kept.push_back(r);
        }
        if (kept.empty()) kept.push_back(0);  // a layer keeps one unit (it outputs zeros)
        if (static_cast<int64_t>(kept.size()) == t.rows) continue;
        removed.push_back({t.id, t.rows, static_cast<int64_t>(kept.size())});
        unitsOf[t.id] = static_cast<int64_t>(kept.size());
        rowsOf[t.id] = kept;
        for (int n : t.normNodes) rowsOf[model.nodeId(n)] = kept;
        for (const UnitReader& r : t.readers) {
            std::vector<int64_t> cols;
            for (int64_t o = 0; o < r.outer; ++o)
                for (int64_t c : kept)
                    for (int64_t i = 0; i < r.inner; ++i) cols.push_back((o * t.rows + c) * r.inner + i);
            colsOf[model.nodeId(r.node)] = std::move(cols);
        }
    }
    if (removed.empty()) return std::nullopt;

    CompactedModel out;
    out.project = source.project;
    for (Node& n : out.project.nodes) {
        const auto it = unitsOf.find(n.id);
        if (it != unitsOf.end()) n.params[n.op == "Conv2D" ? "filters" : "units"] = it->second;
    }
    DataInfo info;
    info.sampleShape = sampleShapeOf(model);
    info.outputUnits = static_cast<int>(model.outputShape().numelFrom(1));
    if (source.preprocessing.text.fitted()) info.vocabularySize = source.preprocessing.text.size();
    const ResolvedGraph g = resolveGraph(out.project.nodes, out.project.output, info);
    if (!g.ok()) throwInternal("compaction: the compacted graph has errors: " + g.firstError());
    out.model = std::make_unique<Model>(model.backend(), out.project.nodes, g, 0);
    out.removed = std::move(removed);

    std::map<std::pair<std::string, std::string>, const ParamInfo*> old;
    for (const ParamInfo& p : model.params()) old[{p.node, p.name}] = &p;
    const int64_t newNv = out.model->values().numel();
    std::vector<float> packed(static_cast<std::size_t>(newNv + out.model->buffers().numel()));
    for (const ParamInfo& p : out.model->params()) {
        const ParamInfo* o = old.at({p.node, p.name});
        std::vector<std::vector<int64_t>> keep(2);
        if (auto r = rowsOf.find(p.node); r != rowsOf.end()) keep[0] = r->second;
        if (auto c = colsOf.find(p.node); c != colsOf.end() && p.name == "weight") keep[1] = c->second;
        const float* src = weights.data() + (o->trainable ? 0 : nv) + o->offset;
        const std::vector<float> v = gather(src, o->shape, keep);
        if (static_cast<int64_t>(v.size()) != p.shape.numel())
            throwInternal("compaction: " + p.node + "." + p.name + " has " + std::to_string(v.size()) +
                          " values for shape " + p.shape.str());
        std::copy(v.begin(), v.end(), packed.begin() + (p.trainable ? 0 : newNv) + p.offset);
    }
    out.model->restore(packed);
    return out;
}

}  // namespace neurite
