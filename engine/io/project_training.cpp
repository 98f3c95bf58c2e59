// The project file's "training" section: reading with validation, and writing back. Each
// sub-section is a table of fields, so that reading, range checks, "not used by" warnings and
// writing all follow from one declaration.
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "core/error.h"
#include "io/project_sections.h"

namespace neurite::io {

namespace {

constexpr LossKind kLossKinds[] = {LossKind::CrossEntropy, LossKind::BinaryCrossEntropy,
                                   LossKind::Focal, LossKind::Mse, LossKind::Huber};
constexpr OptimizerKind kOptimizerKinds[] = {OptimizerKind::Sgd, OptimizerKind::Adam,
                                             OptimizerKind::AdamW, OptimizerKind::Rmsprop};
constexpr ScheduleKind kScheduleKinds[] = {ScheduleKind::Constant, ScheduleKind::Step,
                                           ScheduleKind::Exponential, ScheduleKind::Cosine,
                                           ScheduleKind::Plateau};
constexpr Precision kPrecisions[] = {Precision::Fp32, Precision::Bf16};

template <class E> std::vector<std::string> namesOf(std::span<const E> kinds) {
    std::vector<std::string> names;
    for (E k : kinds)
        names.emplace_back(nameOf(k));
    return names;
}

template <class E>
E readKind(const ObjectReader& r, std::span<const E> kinds, E fallback, std::string_view what) {
    std::vector<std::string> names = namesOf(kinds);
    std::string name = nameOf(fallback);
    r.readChoice("type", name, names, what);
    for (E k : kinds)
        if (name == nameOf(k)) return k;
    return fallback;
}

constexpr unsigned bit(auto kind) {
    return 1u << static_cast<unsigned>(kind);
}
constexpr unsigned kAll = ~0u;

// One numeric or boolean setting of a sub-section, and the kinds (loss, optimizer, schedule)
// that use it.
template <class Config> struct Field {
    const char* key;
    std::variant<float Config::*, int Config::*, bool Config::*> member;
    Range range;
    unsigned usedBy = kAll;
};

template <class Config>
void readFields(const ObjectReader& r, std::span<const Field<Config>> fields, Config& cfg) {
    for (const Field<Config>& f : fields) {
        std::visit(
            [&](auto member) {
                using T = std::remove_cvref_t<decltype(cfg.*member)>;
                if constexpr (std::is_same_v<T, float>)
                    r.readFloat(f.key, cfg.*member, f.range);
                else if constexpr (std::is_same_v<T, int>)
                    r.readInt(f.key, cfg.*member, f.range);
                else
                    r.readBool(f.key, cfg.*member);
            },
            f.member);
    }
}

// Warns about settings the chosen kind ignores ("momentum" with adam).
template <class Config, class E>
void warnUnused(const ObjectReader& r, std::span<const Field<Config>> fields, E kind,
                std::span<const E> kinds) {
    for (const Field<Config>& f : fields) {
        if (!r.find(f.key) || (f.usedBy & bit(kind))) continue;
        std::string users;
        for (E k : kinds)
            if (f.usedBy & bit(k)) users += std::string(users.empty() ? "" : ", ") + nameOf(k);
        warn(r.context(), r.pathOf(f.key),
             std::string("not used by ") + nameOf(kind) + " (only by " + users +
                 "); it is ignored");
    }
}

// Writes the fields the kind uses, and any other that differs from its default (round trip).
template <class Config, class E>
void writeFields(Json& out, std::span<const Field<Config>> fields, const Config& cfg, E kind) {
    static const Config kDefaults{};
    for (const Field<Config>& f : fields) {
        std::visit(
            [&](auto member) {
                if (!(f.usedBy & bit(kind)) && cfg.*member == kDefaults.*member) return;
                using T = std::remove_cvref_t<decltype(cfg.*member)>;
                if constexpr (std::is_same_v<T, float>)
                    out[f.key] = floatToJson(cfg.*member);
                else
                    out[f.key] = cfg.*member;
            },
            f.member);
    }
}

using L = LossConfig;
const Field<L> kLossFields[] = {
    {"label_smoothing", &L::labelSmoothing, between(0, 1, true), bit(LossKind::CrossEntropy)},
    {"pos_weight", &L::posWeight, above(0), bit(LossKind::BinaryCrossEntropy)},
    {"gamma", &L::gamma, atLeast(0), bit(LossKind::Focal)},
    {"alpha", &L::alpha, between(0, 1), bit(LossKind::Focal)},
    {"delta", &L::delta, above(0), bit(LossKind::Huber)},
};

using O = OptimizerConfig;
constexpr unsigned kAdams = bit(OptimizerKind::Adam) | bit(OptimizerKind::AdamW);
const Field<O> kOptimizerFields[] = {
    {"lr", &O::lr, above(0)},
    {"momentum", &O::momentum, between(0, 1, true),
     bit(OptimizerKind::Sgd) | bit(OptimizerKind::Rmsprop)},
    {"nesterov", &O::nesterov, {}, bit(OptimizerKind::Sgd)},
    {"beta1", &O::beta1, between(0, 1, true), kAdams},
    {"beta2", &O::beta2, between(0, 1, true), kAdams},
    {"epsilon", &O::epsilon, above(0), kAdams | bit(OptimizerKind::Rmsprop)},
    {"alpha", &O::alpha, between(0, 1, true), bit(OptimizerKind::Rmsprop)},
    {"weight_decay", &O::weightDecay, atLeast(0)},
};

using S = ScheduleConfig;
const Field<S> kScheduleFields[] = {
    {"step_size", &S::stepSize, atLeast(1), bit(ScheduleKind::Step)},
    {"gamma", &S::gamma, Range{0, 1, true, false},
     bit(ScheduleKind::Step) | bit(ScheduleKind::Exponential)},
    {"warmup_epochs", &S::warmupEpochs, atLeast(0), bit(ScheduleKind::Cosine)},
    {"min_lr", &S::minLr, atLeast(0), bit(ScheduleKind::Cosine) | bit(ScheduleKind::Plateau)},
    {"factor", &S::factor, Range{0, 1, true, true}, bit(ScheduleKind::Plateau)},
    {"patience", &S::patience, atLeast(0), bit(ScheduleKind::Plateau)},
    {"threshold", &S::threshold, atLeast(0), bit(ScheduleKind::Plateau)},
};

using ES = EarlyStoppingConfig;
const Field<ES> kEarlyStoppingFields[] = {
    {"enabled", &ES::enabled, {}},
    {"patience", &ES::patience, atLeast(0)},
    {"min_delta", &ES::minDelta, atLeast(0)},
    {"restore_best", &ES::restoreBest, {}},
};

LossConfig readLoss(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(
        value, path, ctx,
        {"type", "label_smoothing", "class_weights", "pos_weight", "gamma", "alpha", "delta"});
    LossConfig loss;
    loss.kind = readKind<LossKind>(r, kLossKinds, loss.kind, "loss");
    readFields<L>(r, kLossFields, loss);
    warnUnused<L, LossKind>(r, kLossFields, loss.kind, kLossKinds);
    if (const Json* w = r.find("class_weights")) {
        if (!w->is_array())
            r.fail("class_weights", "expected a list of numbers, got " + describe(*w));
        for (std::size_t k = 0; k < w->size(); ++k) {
            const Json& v = (*w)[k];
            if (!v.is_number() || v.get<double>() < 0)
                fail(ctx, r.pathOf("class_weights") + "[" + std::to_string(k) + "]",
                     "expected a number >= 0, got " + describe(v));
            loss.classWeights.push_back(v.get<float>());
        }
        if (loss.kind != LossKind::CrossEntropy && loss.kind != LossKind::Focal)
            warn(ctx, r.pathOf("class_weights"),
                 std::string("not used by ") + nameOf(loss.kind) +
                     " (only by cross_entropy, focal); it is ignored");
    }
    r.finish();
    return loss;
}

OptimizerConfig readOptimizer(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx,
                   {"type", "lr", "momentum", "nesterov", "beta1", "beta2", "epsilon", "alpha",
                    "weight_decay"});
    OptimizerConfig opt;
    opt.kind = readKind<OptimizerKind>(r, kOptimizerKinds, opt.kind, "optimizer");
    readFields<O>(r, kOptimizerFields, opt);
    warnUnused<O, OptimizerKind>(r, kOptimizerFields, opt.kind, kOptimizerKinds);
    if (opt.kind == OptimizerKind::Sgd && opt.nesterov && opt.momentum <= 0)
        r.fail("nesterov", "Nesterov momentum needs \"momentum\" > 0 (for example 0.9)");
    r.finish();
    return opt;
}

ScheduleConfig readSchedule(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx,
                   {"type", "step_size", "gamma", "warmup_epochs", "min_lr", "factor", "patience",
                    "threshold"});
    ScheduleConfig s;
    s.kind = readKind<ScheduleKind>(r, kScheduleKinds, s.kind, "schedule");
    readFields<S>(r, kScheduleFields, s);
    warnUnused<S, ScheduleKind>(r, kScheduleFields, s.kind, kScheduleKinds);
    r.finish();
    return s;
}

EarlyStoppingConfig readEarlyStopping(const Json& value, const std::string& path,
                                      const ReadContext& ctx) {
    ObjectReader r(value, path, ctx,
                   {"enabled", "monitor", "patience", "min_delta", "restore_best"});
    EarlyStoppingConfig es;
    readFields<ES>(r, kEarlyStoppingFields, es);
    static const std::string kMonitors[] = {"val_loss", "val_accuracy", "train_loss"};
    r.readChoice("monitor", es.monitor, kMonitors, "metric to monitor");
    r.finish();
    return es;
}

PruningConfig readPruning(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx,
                   {"enabled", "structure", "scope", "initial_sparsity", "final_sparsity",
                    "begin_step", "end_step", "frequency", "power", "layers"});
    PruningConfig p;
    p.enabled = true;  // an object without "enabled" asks for pruning
    r.readBool("enabled", p.enabled);
    static const std::string kStructures[] = {"unstructured", "structured"};
    static const std::string kScopes[] = {"layer", "global"};
    std::string structure = nameOf(p.structure), scope = nameOf(p.scope);
    r.readChoice("structure", structure, kStructures, "pruning structure");
    r.readChoice("scope", scope, kScopes, "pruning scope");
    p.structure = structure == "structured" ? PruneStructure::Structured : PruneStructure::Unstructured;
    p.scope = scope == "global" ? PruneScope::Global : PruneScope::Layer;
    r.readFloat("initial_sparsity", p.initialSparsity, between(0, 1, true));
    r.readFloat("final_sparsity", p.finalSparsity, between(0, 1, true));
    r.readInt64("begin_step", p.beginStep, atLeast(0));
    p.endStep = p.beginStep;
    r.readInt64("end_step", p.endStep, atLeast(0));
    r.readInt64("frequency", p.frequency, atLeast(1));
    r.readFloat("power", p.power, between(0.1, 10));
    if (p.endStep < p.beginStep)
        r.fail("end_step", "the schedule ends (step " + std::to_string(p.endStep) +
                               ") before it begins (begin_step " + std::to_string(p.beginStep) +
                               "); end_step must be >= begin_step");
    if (p.initialSparsity > p.finalSparsity)
        r.fail("initial_sparsity", "initial_sparsity (" + formatNumber(p.initialSparsity) +
                                       ") is above final_sparsity (" + formatNumber(p.finalSparsity) +
                                       "); pruning only removes weights, so the sparsity can only grow");
    if (const Json* v = r.find("layers")) {
        if (!v->is_array()) r.fail("layers", "expected a list of node ids, got " + describe(*v));
        for (std::size_t k = 0; k < v->size(); ++k) {
            if (!(*v)[k].is_string())
                fail(ctx, r.pathOf("layers") + "[" + std::to_string(k) + "]",
                     "expected a node id, got " + describe((*v)[k]));
            p.layers.push_back((*v)[k].get<std::string>());
        }
    }
    r.finish();
    return p;
}

Json writePruning(const PruningConfig& p) {
    Json out = Json::object();
    out["enabled"] = p.enabled;
    out["structure"] = nameOf(p.structure);
    out["scope"] = nameOf(p.scope);
    out["initial_sparsity"] = floatToJson(p.initialSparsity);
    out["final_sparsity"] = floatToJson(p.finalSparsity);
    out["begin_step"] = p.beginStep;
    out["end_step"] = p.endStep;
    out["frequency"] = p.frequency;
    out["power"] = floatToJson(p.power);
    if (!p.layers.empty()) out["layers"] = p.layers;
    return out;
}

void readDevice(const ObjectReader& r, std::string& device) {
    if (!r.readString("device", device)) return;
    if (device == "auto" || device == "cpu" || device == "cuda") return;
    if (device.rfind("cuda:", 0) == 0 && device.size() > 5 && device.size() < 8 &&
        device.find_first_not_of("0123456789", 5) == std::string::npos)
        return;
    r.fail("device",
           "unknown device \"" + device + "\"; expected auto, cpu, cuda or cuda:N (N = GPU index)");
}

} // namespace

TrainConfig readTraining(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx,
                   {"epochs", "batch_size", "seed", "device", "threads", "precision", "loss",
                    "optimizer", "schedule", "regularization", "clip_norm", "early_stopping",
                    "max_steps", "pretrained_lr_scale", "pruning", "quantization_aware",
                    "distillation"});
    TrainConfig t;
    r.readInt("epochs", t.epochs, between(1, 1000000));
    r.readInt("batch_size", t.batchSize, between(1, 1 << 20));
    r.readUint64("seed", t.seed);
    readDevice(r, t.device);
    r.readInt("threads", t.threads, between(0, 4096));
    std::vector<std::string> precisions = namesOf<Precision>(kPrecisions);
    std::string precision = nameOf(t.precision);
    r.readChoice("precision", precision, precisions, "precision");
    t.precision = precision == "bf16" ? Precision::Bf16 : Precision::Fp32;
    if (const Json* v = r.find("loss")) t.loss = readLoss(*v, r.pathOf("loss"), ctx);
    if (const Json* v = r.find("optimizer"))
        t.optimizer = readOptimizer(*v, r.pathOf("optimizer"), ctx);
    if (const Json* v = r.find("schedule"))
        t.schedule = readSchedule(*v, r.pathOf("schedule"), ctx);
    if (const Json* v = r.find("regularization")) {
        ObjectReader reg(*v, r.pathOf("regularization"), ctx, {"l1", "l2"});
        reg.readFloat("l1", t.l1, atLeast(0));
        reg.readFloat("l2", t.l2, atLeast(0));
        reg.finish();
    }
    r.readFloat("clip_norm", t.clipNorm, atLeast(0));
    r.readFloat("pretrained_lr_scale", t.pretrainedLrScale, between(0, 1));
    if (const Json* v = r.find("early_stopping"))
        t.earlyStopping = readEarlyStopping(*v, r.pathOf("early_stopping"), ctx);
    r.readInt64("max_steps", t.maxSteps, atLeast(0));
    if (const Json* v = r.find("pruning")) t.pruning = readPruning(*v, r.pathOf("pruning"), ctx);
    if (const Json* v = r.find("distillation")) {
        ObjectReader d(*v, r.pathOf("distillation"), ctx, {"teacher", "alpha", "temperature"});
        if (!d.readString("teacher", t.distillation.teacher) || t.distillation.teacher.empty())
            d.fail("teacher", "distillation needs a teacher: \"run:ID\" (a stored run) or a .nmodel file");
        d.readFloat("alpha", t.distillation.alpha, between(0, 1));
        d.readFloat("temperature", t.distillation.temperature, between(0.05, 100));
        d.finish();
    }
    if (const Json* v = r.find("quantization_aware")) {
        ObjectReader q(*v, r.pathOf("quantization_aware"), ctx, {"enabled", "begin_step", "range_momentum"});
        t.quantAware.enabled = true;  // an object without "enabled" asks for it
        q.readBool("enabled", t.quantAware.enabled);
        q.readInt64("begin_step", t.quantAware.beginStep, atLeast(0));
        q.readFloat("range_momentum", t.quantAware.rangeMomentum, between(0, 1, true));
        q.finish();
    }
    r.finish();
    return t;
}

Json writeTraining(const TrainConfig& t) {
    Json out = Json::object();
    out["epochs"] = t.epochs;
    out["batch_size"] = t.batchSize;
    out["seed"] = t.seed;
    out["device"] = t.device;
    out["threads"] = t.threads;
    out["precision"] = nameOf(t.precision);

    Json loss = {{"type", nameOf(t.loss.kind)}};
    writeFields<L>(loss, kLossFields, t.loss, t.loss.kind);
    if (!t.loss.classWeights.empty()) {
        Json weights = Json::array();
        for (float w : t.loss.classWeights)
            weights.push_back(floatToJson(w));
        loss["class_weights"] = weights;
    }
    out["loss"] = loss;

    Json opt = {{"type", nameOf(t.optimizer.kind)}};
    writeFields<O>(opt, kOptimizerFields, t.optimizer, t.optimizer.kind);
    out["optimizer"] = opt;

    Json schedule = {{"type", nameOf(t.schedule.kind)}};
    writeFields<S>(schedule, kScheduleFields, t.schedule, t.schedule.kind);
    out["schedule"] = schedule;

    out["regularization"] = {{"l1", floatToJson(t.l1)}, {"l2", floatToJson(t.l2)}};
    out["clip_norm"] = floatToJson(t.clipNorm);
    if (t.pretrainedLrScale != 1.f) out["pretrained_lr_scale"] = floatToJson(t.pretrainedLrScale);

    Json es = Json::object();
    es["enabled"] = t.earlyStopping.enabled;
    es["monitor"] = t.earlyStopping.monitor;
    es["patience"] = t.earlyStopping.patience;
    es["min_delta"] = floatToJson(t.earlyStopping.minDelta);
    es["restore_best"] = t.earlyStopping.restoreBest;
    out["early_stopping"] = es;
    if (t.maxSteps != 0) out["max_steps"] = t.maxSteps;
    if (!(t.pruning == PruningConfig{})) out["pruning"] = writePruning(t.pruning);
    if (t.distillation.enabled())
        out["distillation"] = {{"teacher", t.distillation.teacher},
                               {"alpha", floatToJson(t.distillation.alpha)},
                               {"temperature", floatToJson(t.distillation.temperature)}};
    if (!(t.quantAware == QuantAwareConfig{}))
        out["quantization_aware"] = {{"enabled", t.quantAware.enabled},
                                     {"begin_step", t.quantAware.beginStep},
                                     {"range_momentum", floatToJson(t.quantAware.rangeMomentum)}};
    return out;
}

} // namespace neurite::io
