// Central finite differences against backward: the shared gradient checker.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <sstream>

#include "core/error.h"

namespace neurite::test {

namespace {

constexpr float kSentinel = 1234.5f; // what diffSrc and grads hold before backward

// A tensor checked by differences: its host copy, its backend tensor and its analytic gradient.
struct Checked {
    std::string name;
    std::vector<float> host;
    Tensor value;
    std::vector<float> analytic;
};

std::vector<int64_t> probeIndices(std::mt19937_64& rng, int64_t numel, int probes) {
    std::vector<int64_t> all(static_cast<std::size_t>(numel));
    std::iota(all.begin(), all.end(), 0);
    if (numel <= probes) return all;
    std::shuffle(all.begin(), all.end(), rng);
    all.resize(static_cast<std::size_t>(probes));
    return all;
}

std::vector<float> inputValues(std::mt19937_64& rng, int64_t count, const GradCheckOptions& o) {
    std::vector<float> v(static_cast<std::size_t>(count));
    if (o.distinct) {
        std::vector<int64_t> order(v.size());
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = static_cast<float>((double(order[i]) - double(count) / 2) * 4 * o.step);
        return v;
    }
    std::uniform_real_distribution<double> mag(o.minAbs, 1.0);
    std::bernoulli_distribution negative(0.5);
    for (float& x : v)
        x = static_cast<float>(negative(rng) ? -mag(rng) : mag(rng));
    return v;
}

// Compares analytic and numeric derivatives; records the first failure.
void compare(GradCheckResult& r, const GradCheckOptions& o, const std::string& where, double a,
             double n) {
    double err = std::abs(a - n) / (o.atol + o.rtol * std::max(std::abs(a), std::abs(n)));
    ++r.checked;
    r.worst = std::max(r.worst, std::isfinite(err) ? err : 1e300);
    if (r.ok && !(err <= 1.0)) {
        std::ostringstream s;
        s << where << ": backward " << a << " vs finite difference " << n << " (seed " << o.seed
          << ")";
        r.ok = false;
        r.message = s.str();
    }
}

GradCheckResult failure(const std::string& message, const GradCheckOptions& o) {
    GradCheckResult r;
    r.ok = false;
    r.message = message + " (seed " + std::to_string(o.seed) + ")";
    return r;
}

} // namespace

Tensor toBackend(Backend& backend, const std::vector<float>& values, const Shape& shape) {
    NEURITE_CHECK(int64_t(values.size()) == shape.numel(), "toBackend: size mismatch");
    Tensor t = Tensor::empty(backend, shape);
    backend.copyFromHost(t, values.data());
    return t;
}

Tensor toBackendI32(Backend& backend, const std::vector<int32_t>& values, const Shape& shape) {
    NEURITE_CHECK(int64_t(values.size()) == shape.numel(), "toBackendI32: size mismatch");
    Tensor t = Tensor::empty(backend, shape, DType::I32);
    backend.copyFromHost(t, values.data());
    return t;
}

std::vector<float> toHost(Backend& backend, const Tensor& t) {
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    backend.copyToHost(v.data(), t);
    return v;
}

std::vector<float> uniform(std::mt19937_64& rng, int64_t count, double lo, double hi) {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<float> v(static_cast<std::size_t>(count));
    for (float& x : v)
        x = static_cast<float>(d(rng));
    return v;
}

GradCheckResult gradCheckLayer(Backend& backend, const std::string& typeName,
                               const std::map<std::string, ParamValue>& params,
                               const std::vector<Shape>& srcShapes, const GradCheckOptions& o) {
    const LayerType* type = findLayerType(typeName);
    if (!type) return failure("no layer type " + typeName, o);
    ParamCheck check = checkParams(*type, params);
    if (!check.errors.empty()) return failure(typeName + ": " + check.errors.front(), o);
    std::vector<Shape> symbolic;
    for (const Shape& s : srcShapes)
        symbolic.push_back(s.withBatch(Shape::kBatch));
    ShapeResult shape = type->inferShape(check.params, symbolic);
    if (!shape.ok()) return failure(typeName + ": " + shape.error, o);
    const Shape dstShape = shape.shape.withBatch(srcShapes.at(0)[0]);

    std::mt19937_64 rng(o.seed);
    std::unique_ptr<Layer> layer = type->create(check.params);
    layer->setSalt(0x5eed);

    std::vector<Checked> checked; // inputs first, then trainable parameters
    for (std::size_t i = 0; i < srcShapes.size(); ++i) {
        std::vector<float> x = inputValues(rng, srcShapes[i].numel(), o);
        if (i == 0 && o.ids > 0)
            for (float& v : x) v = static_cast<float>(std::uniform_int_distribution<int64_t>(0, o.ids - 1)(rng));
        checked.push_back(
            {"input " + std::to_string(i), x, toBackend(backend, x, srcShapes[i]), {}});
    }
    const std::size_t inputCount = checked.size();
    std::vector<Param> bound;
    for (const ParamSpec& spec : layer->paramSpecs(symbolic)) {
        Param p{spec.name, Tensor::empty(backend, spec.shape), {}};
        if (spec.trainable) {
            std::vector<float> w = uniform(rng, spec.shape.numel(), -1.0, 1.0);
            backend.copyFromHost(p.value, w.data());
            p.grad = Tensor::empty(backend, spec.shape);
            backend.fill(p.grad, kSentinel);
            checked.push_back({"parameter " + spec.name, w, p.value, {}});
        } else {
            backend.fill(p.value, spec.init == Init::Ones ? 1.f : 0.f);
        }
        bound.push_back(p);
    }
    layer->bindParams(bound);

    std::vector<float> r = uniform(rng, dstShape.numel(), -1.0, 1.0);
    Tensor rTensor = toBackend(backend, r, dstShape);
    Tensor dst = Tensor::empty(backend, dstShape);
    std::vector<const Tensor*> src;
    for (std::size_t i = 0; i < inputCount; ++i)
        src.push_back(&checked[i].value);
    LayerContext ctx{backend, o.training, o.seed, 7};

    // Analytic: one forward, one backward with diffDst = R.
    layer->forward(ctx, src, dst);
    std::vector<Tensor> diffSrc;
    for (const Shape& s : srcShapes) {
        diffSrc.push_back(Tensor::empty(backend, s));
        backend.fill(diffSrc.back(), kSentinel);
    }
    std::vector<Tensor*> diffPtrs;
    for (Tensor& d : diffSrc)
        diffPtrs.push_back(&d);
    layer->backward(ctx, src, dst, rTensor, diffPtrs);
    for (std::size_t i = 0; i < inputCount; ++i)
        checked[i].analytic = toHost(backend, diffSrc[i]);
    for (std::size_t i = inputCount, k = 0; i < checked.size(); ++i, ++k) {
        while (!bound[k].grad.defined())
            ++k;
        checked[i].analytic = toHost(backend, bound[k].grad);
    }

    auto loss = [&] {
        layer->forward(ctx, src, dst);
        std::vector<float> y = toHost(backend, dst);
        double l = 0;
        for (std::size_t j = 0; j < y.size(); ++j)
            l += double(y[j]) * r[j];
        return l;
    };
    GradCheckResult result;
    for (Checked& c : checked) {
        for (int64_t j : probeIndices(rng, int64_t(c.host.size()), o.probes)) {
            const auto at = static_cast<std::size_t>(j);
            const float orig = c.host[at];
            const float plus = static_cast<float>(orig + o.step),
                        minus = static_cast<float>(orig - o.step);
            c.host[at] = plus;
            backend.copyFromHost(c.value, c.host.data());
            double lPlus = loss();
            c.host[at] = minus;
            backend.copyFromHost(c.value, c.host.data());
            double lMinus = loss();
            c.host[at] = orig;
            backend.copyFromHost(c.value, c.host.data());
            double numeric = (lPlus - lMinus) / (double(plus) - double(minus));
            compare(result, o, typeName + " " + c.name + "[" + std::to_string(j) + "]",
                    c.analytic[at], numeric);
        }
    }
    return result;
}

GradCheckResult gradCheckLoss(Backend& backend, const Shape& shape, const LossFn& loss,
                              const GradCheckOptions& o, const std::vector<float>* initial) {
    std::mt19937_64 rng(o.seed);
    std::vector<float> x = initial ? *initial : uniform(rng, shape.numel(), -2.0, 2.0);
    Tensor xt = toBackend(backend, x, shape);
    Tensor diff = Tensor::empty(backend, shape);
    backend.fill(diff, kSentinel);
    loss(backend, xt, diff);
    std::vector<float> analytic = toHost(backend, diff);
    Tensor scratch = Tensor::empty(backend, shape);
    GradCheckResult result;
    for (int64_t j : probeIndices(rng, shape.numel(), o.probes)) {
        const auto at = static_cast<std::size_t>(j);
        const float orig = x[at];
        const float plus = static_cast<float>(orig + o.step),
                    minus = static_cast<float>(orig - o.step);
        x[at] = plus;
        backend.copyFromHost(xt, x.data());
        double lPlus = loss(backend, xt, scratch);
        x[at] = minus;
        backend.copyFromHost(xt, x.data());
        double lMinus = loss(backend, xt, scratch);
        x[at] = orig;
        backend.copyFromHost(xt, x.data());
        compare(result, o, "x[" + std::to_string(j) + "]", analytic[at],
                (lPlus - lMinus) / (double(plus) - double(minus)));
    }
    return result;
}

} // namespace neurite::test
