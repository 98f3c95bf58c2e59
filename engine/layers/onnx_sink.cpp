// Formula emission for the elementwise activations and the operator listing of any emitter.
#include "layers/onnx_sink.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error.h"
#include "layers/registry.h"

namespace neurite {

namespace {

// A recursive-descent reader of "Op[attr](arg, ...)" over x and numbers, emitting as it reads.
class FormulaEmitter {
public:
    FormulaEmitter(OnnxSink& sink, const OnnxLayer& layer, const std::string& formula)
        : m_sink(sink), m_layer(layer), m_text(formula) {}

    void run() {
        const std::string out = expr(true);
        skipSpace();
        if (m_at != m_text.size()) fail("unexpected text after the formula");
        if (out != m_layer.output) {  // the formula is x alone: an Identity keeps the naming
            m_sink.node("Identity", {out}, m_layer.output, m_layer.id);
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throwInternal("ONNX formula \"" + m_text + "\" of " + m_layer.id + ": " + what + " at " +
                      std::to_string(m_at));
    }
    void skipSpace() {
        while (m_at < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_at])))
            ++m_at;
    }
    bool take(char c) {
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    std::string word() {
        skipSpace();
        const std::size_t start = m_at;
        while (m_at < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_at])) || m_text[m_at] == '_'))
            ++m_at;
        return m_text.substr(start, m_at - start);
    }

    // The value name of one expression; `outermost` writes the layer's output.
    std::string expr(bool outermost) {
        skipSpace();
        if (m_at < m_text.size() &&
            (std::isdigit(static_cast<unsigned char>(m_text[m_at])) || m_text[m_at] == '-' ||
             m_text[m_at] == '.')) {
            double v = 0;
            const auto r = std::from_chars(m_text.data() + m_at, m_text.data() + m_text.size(), v);
            if (r.ec != std::errc()) fail("bad number");
            m_at = static_cast<std::size_t>(r.ptr - m_text.data());
            return m_sink.scalar(m_layer.id + ".c" + std::to_string(m_constants++),
                                 static_cast<float>(v));
        }
        const std::string op = word();
        if (op.empty()) fail("expected x, a number or an operator");
        if (op == "x") return m_layer.inputs.at(0);
        std::vector<OnnxAttr> attrs;
        if (take('[')) {
            do {
                const std::string name = word();
                if (name.empty()) fail("expected an attribute name");
                attrs.push_back({name, static_cast<float>(m_layer.params.f(name))});
            } while (take(','));
            if (!take(']')) fail("expected ]");
        }
        if (!take('(')) fail("expected ( after " + op);
        std::vector<std::string> args;
        do args.push_back(expr(false));
        while (take(','));
        if (!take(')')) fail("expected )");
        std::string lower = op;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const std::string out = outermost ? m_layer.output : m_sink.unique(m_layer.id + "_" + lower);
        m_sink.node(op, args, out, outermost ? m_layer.id : out, std::move(attrs));
        return out;
    }

    OnnxSink& m_sink;
    const OnnxLayer& m_layer;
    std::string m_text;
    std::size_t m_at = 0;
    int m_constants = 0;
};

// Records operator types; values are named but not stored.
class RecordingSink : public OnnxSink {
public:
    std::string unique(const std::string& wanted) override { return wanted + "#" + std::to_string(m_n++); }
    std::string floats(const std::string& name, const std::vector<int64_t>&,
                       std::span<const float>) override {
        return unique(name);
    }
    std::string int64s(const std::string& name, const std::vector<int64_t>&,
                       std::span<const int64_t>) override {
        return unique(name);
    }
    std::string weight(std::size_t k) override { return unique("weight" + std::to_string(k)); }
    void node(const std::string& op, const std::vector<std::string>&, const std::string&,
              const std::string&, std::vector<OnnxAttr>) override {
        if (std::find(ops.begin(), ops.end(), op) == ops.end()) ops.push_back(op);
    }
    std::vector<std::string> ops;

private:
    int m_n = 0;
};

}  // namespace

void emitOnnxFormula(OnnxSink& sink, const OnnxLayer& layer, const std::string& formula) {
    FormulaEmitter(sink, layer, formula).run();
}

std::vector<std::string> onnxOperatorsOf(const LayerType& type) {
    if (!type.onnx || type.examples.empty()) return {};
    const LayerExample& example = type.examples.front();
    const ParamCheck check = checkParams(type, example.params);
    if (!check.errors.empty()) throwInternal(type.name + ": example " + example.name + ": " + check.errors[0]);
    const std::vector<Shape> shapes = exampleShapes(example, nullptr);
    const ShapeResult out = type.inferShape(check.params, shapes);
    if (!out.ok()) throwInternal(type.name + ": example " + example.name + ": " + out.error);
    std::vector<std::vector<int64_t>> weightDims;
    for (const ParamSpec& spec : type.create(check.params)->paramSpecs(shapes))
        weightDims.emplace_back(spec.shape.begin(), spec.shape.end());
    OnnxLayer layer{"layer", check.params, {}, shapes, out.shape, "output", weightDims};
    for (std::size_t i = 0; i < shapes.size(); ++i) layer.inputs.push_back("input" + std::to_string(i));
    RecordingSink sink;
    type.onnx(sink, layer);
    return sink.ops;
}

}  // namespace neurite
