// The ONNX importer's elementwise chains: a run of Relu, Div, Erf, Add, Mul, Tanh, Pow, ... over
// one tensor x (and scalar constants) is kept as an expression f(x) until a consumer needs a
// tensor. Then it becomes one activation layer: directly when it is a single operator Neurite
// has (Relu, LeakyRelu, Clip(0, 6), ...), else by evaluating f against each activation of
// backend/activations.h on a grid of points, which recognizes GELU in its Erf and tanh forms and
// x * Sigmoid(x) whatever order the exporter wrote them in.
#include <cmath>
#include <limits>

#include "backend/activations.h"
#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

double evalExpr(const Expr& e, double x) {
    switch (e.kind) {
    case Expr::Kind::X: return x;
    case Expr::Kind::Const: return e.c;
    case Expr::Kind::Unary: {
        const double v = evalExpr(*e.a, x);
        if (e.fn == "Relu") return v > 0 ? v : 0;
        if (e.fn == "Sigmoid") return 1 / (1 + std::exp(-v));
        if (e.fn == "Tanh") return std::tanh(v);
        if (e.fn == "Erf") return std::erf(v);
        if (e.fn == "Sqrt") return std::sqrt(v);
        if (e.fn == "Exp") return std::exp(v);
        if (e.fn == "Neg") return -v;
        if (e.fn == "Abs") return std::fabs(v);
        if (e.fn == "Reciprocal") return 1 / v;
        if (e.fn == "LeakyRelu") return v > 0 ? v : e.alpha * v;
        if (e.fn == "Elu") return v > 0 ? v : e.alpha * std::expm1(v);
        if (e.fn == "Clip") return v < e.alpha ? e.alpha : (v > e.beta ? e.beta : v);
        return std::numeric_limits<double>::quiet_NaN();
    }
    case Expr::Kind::Binary: {
        const double p = evalExpr(*e.a, x), q = evalExpr(*e.b, x);
        if (e.fn == "Add") return p + q;
        if (e.fn == "Sub") return p - q;
        if (e.fn == "Mul") return p * q;
        if (e.fn == "Div") return p / q;
        if (e.fn == "Pow") return std::pow(p, q);
        return std::numeric_limits<double>::quiet_NaN();
    }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

namespace {

// f equals g on the grid, to float rounding
template <class G> bool sameFunction(const Expr& f, G&& g) {
    for (int k = -800; k <= 800; ++k) {
        const double x = k / 100.0;
        const double a = evalExpr(f, x), b = g(x);
        if (!(std::fabs(a - b) <= 1e-6 * (1 + std::fabs(b)))) return false;
    }
    return true;
}

}  // namespace

Value Converter::materialize(const Value& v) {
    if (v.kind != Value::Kind::Expr) return v;
    if (auto it = m_materialized.find(v.expr.get()); it != m_materialized.end()) return it->second;
    const Value out = materializeNew(v);
    m_materialized[v.expr.get()] = out;
    return out;
}

Value Converter::materializeNew(const Value& v) {
    const Expr& e = *v.expr;
    std::string op;
    std::map<std::string, ParamValue> params;
    const bool single = e.kind == Expr::Kind::Unary && e.a->kind == Expr::Kind::X;
    if (single && e.fn == "Relu") op = "ReLU";
    else if (single && e.fn == "Sigmoid") op = "Sigmoid";
    else if (single && e.fn == "Tanh") op = "Tanh";
    else if (single && e.fn == "LeakyRelu" && e.alpha >= 0) op = "LeakyReLU", params["alpha"] = e.alpha;
    else if (single && e.fn == "Elu" && e.alpha >= 0) op = "ELU", params["alpha"] = e.alpha;
    if (op.empty() && sameFunction(e, [](double x) { return x; })) {
        Value out = tensorValue(v.node, v.shape, v.hiddenOnes);
        report.folded.push_back(std::to_string(v.exprOps.size()) + " nodes computing the identity (" +
                                v.exprOps.front() + " ...) -> an alias of " + v.node);
        return out;
    }
    if (op.empty())
        for (const ActivationInfo& a : kActivations) {
            const double alpha = a.hasAlpha() ? a.defaultAlpha : 0.0;
            if (sameFunction(e, [&](double x) { return activationValue<double>(a.kind, x, alpha); })) {
                op = a.name;
                if (a.hasAlpha()) params["alpha"] = alpha;
                break;
            }
        }
    if (op.empty()) {
        std::string ops;
        for (const std::string& s : v.exprOps) ops += (ops.empty() ? "" : ", ") + s;
        throw Refuse{"the elementwise computation " + ops + " over one tensor is no activation Neurite has "
                     "(ReLU, ReLU6, LeakyReLU, ELU, Sigmoid, Tanh, GELU, GELUTanh, SiLU)"};
    }
    // an unnamed node ("Mul #2") names nothing: the activation's own name does
    std::string name = v.lastName.find(" #") == std::string::npos ? idFromName(v.lastName) : std::string();
    if (name.empty()) name = op;
    Value base = tensorValue(v.node, m_shapes.at(v.node));
    Value out = addNode(name, op, {base}, params);
    out.shape = v.shape;
    out.hiddenOnes = v.hiddenOnes;
    if (v.exprOps.size() == 1) {
        report.mapped.push_back(v.exprOps.front() + " -> " + op + " " + out.node);
    } else {
        std::string ops;
        for (const std::string& s : v.exprOps) ops += (ops.empty() ? "" : ", ") + s;
        report.folded.push_back(ops + " -> " + op + " " + out.node);
    }
    return out;
}

}  // namespace neurite::onnximport
