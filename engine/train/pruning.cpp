#include "train/pruning.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "backend/activations.h"
#include "core/error.h"
#include "graph/model.h"

namespace neurite {

namespace {

const ParamInfo* findParam(const Model& model, const std::string& node, const char* name) {
    for (const ParamInfo& p : model.params())
        if (p.node == node && p.name == name) return &p;
    return nullptr;
}

// f(0) = 0: a zero unit stays zero through it.
bool keepsZero(const Model& model, int node) {
    const std::string& op = model.nodeOp(node);
    if (op == "Dropout") return true;
    for (const ActivationInfo& a : kActivations) {
        if (op != a.name) continue;
        const LayerParams& p = model.graph().params[static_cast<std::size_t>(node)];
        const float alpha = a.hasAlpha() ? static_cast<float>(p.f("alpha")) : 0.f;
        return activationValue<float>(a.kind, 0.f, alpha) == 0.f;
    }
    return false;
}

Shape sampleOf(const Model& model, int node) {
    const Shape& s = model.graph().shapes[static_cast<std::size_t>(node)];
    return Shape(s.begin() + 1, s.end());
}

// Follows a unit's output from `node` (its channel on sample axis `axis`, or flattened between
// `outer` and `inner` positions) to the layers with weights that read it. False with the reason
// when something on the way would see the removal.
struct UnitWalk {
    const Model& model;
    std::vector<std::vector<int>> consumers;
    PruneTarget& target;
    std::string why;

    bool fail(int node, const std::string& what) {
        why = model.nodeId(node) + " (" + model.nodeOp(node) + ") " + what;
        return false;
    }

    bool follow(int node, int axis, bool flat, int64_t outer, int64_t inner) {
        const ResolvedGraph& g = model.graph();
        if (node == g.output) return fail(node, "is the model's output");
        for (int c : consumers[static_cast<std::size_t>(node)]) {
            const std::string& op = model.nodeOp(c);
            const Shape in = sampleOf(model, node);
            if (g.inputs[static_cast<std::size_t>(c)].size() != 1)
                return fail(c, "combines it with another input");
            if (op == "Dense") {
                if (!flat && axis != in.rank() - 1) return fail(c, "reads it along another axis");
                target.readers.push_back({c, flat ? outer : 1, flat ? inner : 1});
            } else if (op == "Conv2D") {
                if (flat || axis != 0 || in.rank() != 3) return fail(c, "reads it in another layout");
                if (g.params[static_cast<std::size_t>(c)].i("groups") != 1)
                    return fail(c, "is a grouped convolution");
                target.readers.push_back({c, 1, 1});
            } else if (keepsZero(model, c)) {
                if (!follow(c, axis, flat, outer, inner)) return false;
            } else if (op == "BatchNorm" && !flat && axis == 0) {
                const ParamInfo* gamma = findParam(model, model.nodeId(c), "gamma");
                const ParamInfo* beta = findParam(model, model.nodeId(c), "beta");
                if (!gamma || !beta || gamma->shape.numel() != target.rows)
                    return fail(c, "normalizes along another axis");
                target.companions.push_back(gamma->offset);
                target.companions.push_back(beta->offset);
                target.normNodes.push_back(c);
                if (!follow(c, axis, flat, outer, inner)) return false;
            } else if ((op == "MaxPool2D" || op == "AvgPool2D") && !flat && axis == 0) {
                if (!follow(c, 0, false, 1, 1)) return false;
            } else if (op == "GlobalAvgPool" && !flat && axis == 0) {
                if (!follow(c, 0, false, 1, 1)) return false;
            } else if (op == "Flatten" && !flat) {
                int64_t before = 1, after = 1;
                for (int d = 0; d < in.rank(); ++d)
                    (d < axis ? before : after) *= d == axis ? 1 : in[d];
                if (!follow(c, 0, true, before, after)) return false;
            } else {
                return fail(c, "does not keep a removed unit at zero");
            }
        }
        return true;
    }
};

int64_t zerosIn(const float* w, int64_t n) {
    int64_t z = 0;
    for (int64_t i = 0; i < n; ++i) z += w[i] == 0.f;
    return z;
}

bool rowIsZero(const float* row, int64_t n) { return zerosIn(row, n) == n; }

// The `count` entries of smallest score (ties: lower index first).
std::vector<int64_t> smallest(const std::vector<float>& score, int64_t count) {
    std::vector<int64_t> idx(score.size());
    std::iota(idx.begin(), idx.end(), int64_t{0});
    count = std::clamp<int64_t>(count, 0, static_cast<int64_t>(idx.size()));
    const auto less = [&](int64_t a, int64_t b) {
        const float sa = score[static_cast<std::size_t>(a)], sb = score[static_cast<std::size_t>(b)];
        return sa != sb ? sa < sb : a < b;
    };
    std::nth_element(idx.begin(), idx.begin() + count, idx.end(), less);
    idx.resize(static_cast<std::size_t>(count));
    return idx;
}

float rowNorm(const float* row, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += static_cast<double>(row[i]) * row[i];
    return static_cast<float>(std::sqrt(s));
}

}  // namespace

std::vector<PruneTarget> pruneTargets(const Model& model) {
    const ResolvedGraph& g = model.graph();
    std::vector<std::vector<int>> consumers(g.inputs.size());
    for (std::size_t c = 0; c < g.inputs.size(); ++c)
        for (int p : g.inputs[c]) consumers[static_cast<std::size_t>(p)].push_back(static_cast<int>(c));
    std::vector<PruneTarget> out;
    for (int i = 0; i < static_cast<int>(g.inputs.size()); ++i) {
        const std::string& op = model.nodeOp(i);
        if (op != "Dense" && op != "Conv2D") continue;
        const ParamInfo* w = findParam(model, model.nodeId(i), "weight");
        if (!w) continue;
        PruneTarget t;
        t.node = i;
        t.id = model.nodeId(i);
        t.trainable = w->lrScale != 0.f;
        t.weightOffset = w->offset;
        t.rows = w->shape[0];
        t.rowSize = w->shape.numel() / t.rows;
        if (const ParamInfo* b = findParam(model, t.id, "bias")) t.biasOffset = b->offset;
        UnitWalk walk{model, consumers, t, {}};
        const int axis = op == "Conv2D" ? 0 : sampleOf(model, i).rank() - 1;
        t.removable = walk.follow(i, axis, false, 1, 1);
        if (!t.removable) {
            t.whyNot = walk.why;
            t.companions.clear();
            t.normNodes.clear();
            t.readers.clear();
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<LayerSparsity> sparsityOf(const Model& model, const std::vector<float>& weights) {
    std::vector<LayerSparsity> out;
    for (const PruneTarget& t : pruneTargets(model)) {
        LayerSparsity s;
        s.node = t.id;
        s.weights = t.rows * t.rowSize;
        s.units = t.rows;
        const float* w = weights.data() + t.weightOffset;
        s.zeros = zerosIn(w, s.weights);
        for (int64_t r = 0; r < t.rows; ++r) s.unitsPruned += rowIsZero(w + r * t.rowSize, t.rowSize);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<LayerSparsity> sparsityOf(Model& model) {
    std::vector<float> values(static_cast<std::size_t>(model.values().numel()));
    model.backend().copyToHost(values.data(), model.values());
    return sparsityOf(model, values);
}

double scheduledSparsity(const PruningConfig& cfg, int64_t stepsTaken) {
    if (stepsTaken < cfg.beginStep) return -1;
    if (stepsTaken >= cfg.endStep) return cfg.finalSparsity;
    const int64_t freq = std::max<int64_t>(cfg.frequency, 1);
    const int64_t at = cfg.beginStep + (stepsTaken - cfg.beginStep) / freq * freq;
    const double done = static_cast<double>(at - cfg.beginStep) /
                        static_cast<double>(cfg.endStep - cfg.beginStep);
    return cfg.finalSparsity + (static_cast<double>(cfg.initialSparsity) - cfg.finalSparsity) *
                                   std::pow(1.0 - done, static_cast<double>(cfg.power));
}

std::vector<PruneTarget> checkPruning(const Model& model, const PruningConfig& cfg) {
    std::vector<PruneTarget> all = pruneTargets(model), chosen;
    const bool structured = cfg.structure == PruneStructure::Structured;
    for (const std::string& id : cfg.layers) {
        const auto it = std::find_if(all.begin(), all.end(), [&](const PruneTarget& t) { return t.id == id; });
        if (it == all.end()) {
            int node = -1;
            for (int i = 0; i < static_cast<int>(model.graph().inputs.size()); ++i)
                if (model.nodeId(i) == id) node = i;
            throwBadInput("training.pruning.layers: " +
                          (node < 0 ? "there is no layer \"" + id + "\""
                                    : id + " is a " + model.nodeOp(node) +
                                          "; only Dense and Conv2D layers have weights to prune"));
        }
        if (!it->trainable)
            throwBadInput("training.pruning.layers: " + id + " is frozen (trainable: false); a frozen layer keeps its weights");
        if (structured && !it->removable)
            throwBadInput("training.pruning.layers: the units of " + id + " cannot be removed: " + it->whyNot +
                          "; prune it unstructured, or leave it out of the list");
        if (std::none_of(chosen.begin(), chosen.end(), [&](const PruneTarget& t) { return t.id == id; }))
            chosen.push_back(*it);
    }
    if (cfg.layers.empty()) {
        std::string reasons;
        for (const PruneTarget& t : all) {
            if (!t.trainable) continue;
            if (structured && !t.removable) {
                reasons += (reasons.empty() ? "" : "; ") + t.id + ": " + t.whyNot;
                continue;
            }
            chosen.push_back(t);
        }
        if (chosen.empty())
            throwBadInput(structured && !reasons.empty()
                              ? "training.pruning: structured pruning found no layer whose units can be removed (" +
                                    reasons + "); use \"structure\": \"unstructured\""
                              : "training.pruning: the model has no trainable Dense or Conv2D layer to prune");
    }
    return chosen;
}

Pruner::Pruner(Model& model, const PruningConfig& cfg)
    : m_model(model), m_cfg(cfg), m_targets(checkPruning(model, cfg)) {}

void Pruner::beforeStep(int64_t stepsTaken) {
    const double target = scheduledSparsity(m_cfg, stepsTaken);
    if (target < 0 || target == m_applied) return;
    update(target);
    m_applied = target;
}

void Pruner::afterStep() {
    if (m_active) m_model.backend().multiply(m_model.values(), m_mask, m_model.values());
}

void Pruner::update(double sparsity) {
    Backend& be = m_model.backend();
    Tensor& values = m_model.values();
    const auto n = static_cast<std::size_t>(values.numel());
    m_host.resize(n);
    be.copyToHost(m_host.data(), values);
    m_hostMask.assign(n, 1.f);
    const float* w = m_host.data();
    const auto cut = [&](int64_t offset) { m_hostMask[static_cast<std::size_t>(offset)] = 0.f; };

    if (m_cfg.structure == PruneStructure::Unstructured) {
        // Per layer, or all layers ranked together: the smallest |w|, and at least the zeros
        // already there (a resumed or branched run's mask).
        const bool global = m_cfg.scope == PruneScope::Global;
        std::vector<float> score;
        std::vector<int64_t> where;
        int64_t zeros = 0;
        const auto flush = [&] {
            const auto want = static_cast<int64_t>(std::llround(sparsity * static_cast<double>(score.size())));
            for (int64_t k : smallest(score, std::max(want, zeros))) cut(where[static_cast<std::size_t>(k)]);
            score.clear();
            where.clear();
            zeros = 0;
        };
        for (const PruneTarget& t : m_targets) {
            const int64_t count = t.rows * t.rowSize;
            for (int64_t i = 0; i < count; ++i) {
                score.push_back(std::fabs(w[t.weightOffset + i]));
                where.push_back(t.weightOffset + i);
            }
            zeros += zerosIn(w + t.weightOffset, count);
            if (!global) flush();
        }
        if (global) flush();
    } else {
        // Whole rows by their L2 norm (global: by their root mean square, so that layers of
        // different fan-in compare), each layer keeping at least one.
        struct Row {
            float score;
            std::size_t target;
            int64_t row;
        };
        std::vector<std::vector<char>> pruned(m_targets.size());
        std::vector<Row> rows;
        int64_t zeroRows = 0, total = 0;
        for (std::size_t k = 0; k < m_targets.size(); ++k) {
            const PruneTarget& t = m_targets[k];
            pruned[k].assign(static_cast<std::size_t>(t.rows), 0);
            std::vector<float> score;
            int64_t zr = 0;
            for (int64_t r = 0; r < t.rows; ++r) {
                const float* row = w + t.weightOffset + r * t.rowSize;
                zr += rowIsZero(row, t.rowSize);
                float s = rowNorm(row, t.rowSize);
                if (m_cfg.scope == PruneScope::Global) s /= std::sqrt(static_cast<float>(t.rowSize));
                score.push_back(s);
                rows.push_back({s, k, r});
            }
            if (m_cfg.scope == PruneScope::Layer) {
                int64_t want = static_cast<int64_t>(std::llround(sparsity * static_cast<double>(t.rows)));
                want = std::min(std::max(want, zr), t.rows - 1);
                for (int64_t r : smallest(score, want)) pruned[k][static_cast<std::size_t>(r)] = 1;
            }
            zeroRows += zr;
            total += t.rows;
        }
        if (m_cfg.scope == PruneScope::Global) {
            std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
                return a.score != b.score ? a.score < b.score
                                          : (a.target != b.target ? a.target < b.target : a.row < b.row);
            });
            const int64_t want = std::max<int64_t>(std::llround(sparsity * static_cast<double>(total)), zeroRows);
            std::vector<int64_t> left(m_targets.size());
            for (std::size_t k = 0; k < m_targets.size(); ++k) left[k] = m_targets[k].rows;
            int64_t done = 0;
            for (const Row& r : rows) {
                if (done >= want) break;
                if (left[r.target] <= 1) continue;
                pruned[r.target][static_cast<std::size_t>(r.row)] = 1;
                --left[r.target];
                ++done;
            }
        }
        for (std::size_t k = 0; k < m_targets.size(); ++k) {
            const PruneTarget& t = m_targets[k];
            for (int64_t r = 0; r < t.rows; ++r) {
                if (!pruned[k][static_cast<std::size_t>(r)]) continue;
                for (int64_t i = 0; i < t.rowSize; ++i) cut(t.weightOffset + r * t.rowSize + i);
                if (t.biasOffset >= 0) cut(t.biasOffset + r);
                for (int64_t c : t.companions) cut(c + r);
            }
        }
    }
    if (!m_mask.defined()) m_mask = Tensor::empty(be, values.shape());
    be.copyFromHost(m_mask, m_hostMask.data());
    m_active = true;
    afterStep();
}

}  // namespace neurite
