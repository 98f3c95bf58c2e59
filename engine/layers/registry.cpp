// The layer registry: the static table of layer types, parameter validation and printing.
#include "layers/registry.h"

#include <charconv>
#include <cmath>

#include "core/error.h"

namespace neurite {

// ---- LayerParams ------------------------------------------------------------------------------

namespace {

template <class T> const T& typed(const LayerParams& p, const std::string& name, const char* what) {
    const T* v = std::get_if<T>(&p.get(name));
    if (!v) throwInternal("layer parameter \"" + name + "\" is not " + what);
    return *v;
}

} // namespace

const ParamValue& LayerParams::get(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) throwInternal("layer parameter \"" + name + "\" is missing");
    return it->second;
}

int64_t LayerParams::i(const std::string& name) const {
    return typed<int64_t>(*this, name, "an integer");
}

double LayerParams::f(const std::string& name) const {
    if (const int64_t* v = std::get_if<int64_t>(&get(name))) return static_cast<double>(*v);
    return typed<double>(*this, name, "a number");
}

bool LayerParams::b(const std::string& name) const {
    return typed<bool>(*this, name, "a bool");
}

const std::string& LayerParams::s(const std::string& name) const {
    return typed<std::string>(*this, name, "a string");
}

const std::vector<int64_t>& LayerParams::list(const std::string& name) const {
    return typed<std::vector<int64_t>>(*this, name, "a list of integers");
}

bool LayerParams::isAuto(const std::string& name) const {
    if (!has(name)) return false;
    const std::string* v = std::get_if<std::string>(&get(name));
    return v && *v == "auto";
}

// ---- printing ---------------------------------------------------------------------------------

std::string toString(const ParamValue& v) {
    struct Printer {
        std::string operator()(int64_t x) const { return std::to_string(x); }
        std::string operator()(double x) const {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, x);
            return std::string(buf, r.ptr);
        }
        std::string operator()(bool x) const { return x ? "true" : "false"; }
        std::string operator()(const std::string& x) const { return x; }
        std::string operator()(const std::vector<int64_t>& x) const {
            std::string s = "[";
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (i) s += ',';
                s += std::to_string(x[i]);
            }
            return s + "]";
        }
    };
    return std::visit(Printer{}, v);
}

// ---- validation -------------------------------------------------------------------------------

namespace {

// The value as a user reads it in a message: strings quoted.
std::string shown(const ParamValue& v) {
    if (const std::string* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
    return toString(v);
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) s += ", ";
        s += items[i];
    }
    return s;
}

std::string expected(const ParamSchema& s) {
    switch (s.type) {
    case ParamType::Int:
        return "an integer";
    case ParamType::Float:
        return "a number";
    case ParamType::Bool:
        return "true or false";
    case ParamType::Choice:
        return "one of " + joined(s.choices);
    case ParamType::IntList:
        return "a list of integers";
    }
    return "a value";
}

// "" when x is within the schema's range, else "must be >= 1, got 0".
std::string rangeError(const ParamSchema& s, double x, const ParamValue& shownValue) {
    auto bound = [&](double b) {
        return s.type == ParamType::Float ? toString(ParamValue(b))
                                          : toString(ParamValue(static_cast<int64_t>(b)));
    };
    if (x < s.min) return "must be >= " + bound(s.min) + ", got " + toString(shownValue);
    if (s.maxExclusive && x >= s.max)
        return "must be < " + bound(s.max) + ", got " + toString(shownValue);
    if (!s.maxExclusive && x > s.max)
        return "must be <= " + bound(s.max) + ", got " + toString(shownValue);
    return {};
}

// An integral double (3.0 from a hand-edited file) counts as an integer.
bool asInt(const ParamValue& v, int64_t& out) {
    if (const int64_t* i = std::get_if<int64_t>(&v)) {
        out = *i;
        return true;
    }
    if (const double* d = std::get_if<double>(&v);
        d && std::isfinite(*d) && std::floor(*d) == *d && std::abs(*d) < 9.0e15) {
        out = static_cast<int64_t>(*d);
        return true;
    }
    return false;
}

// Converts `given` to the schema's type; returns false with `error` set when it cannot.
bool normalize(const ParamSchema& s, const ParamValue& given, ParamValue& out, std::string& error) {
    const std::string* str = std::get_if<std::string>(&given);
    bool isAuto = str && *str == "auto";
    if (isAuto && s.allowAuto()) {
        out = given;
        return true;
    }
    int64_t iv = 0;
    switch (s.type) {
    case ParamType::Int:
        if (!asInt(given, iv)) break;
        out = iv;
        error = rangeError(s, double(iv), out);
        return error.empty();
    case ParamType::Float: {
        double x = 0;
        if (const double* d = std::get_if<double>(&given))
            x = *d;
        else if (const int64_t* i = std::get_if<int64_t>(&given))
            x = double(*i);
        else
            break;
        out = x;
        if (!std::isfinite(x)) {
            error = "must be a finite number, got " + toString(out);
            return false;
        }
        error = rangeError(s, x, out);
        return error.empty();
    }
    case ParamType::Bool:
        if (!std::holds_alternative<bool>(given)) break;
        out = given;
        return true;
    case ParamType::Choice:
        if (!str) break;
        for (const std::string& c : s.choices)
            if (c == *str) {
                out = given;
                return true;
            }
        error = "must be one of " + joined(s.choices) + "; got " + shown(given);
        return false;
    case ParamType::IntList: {
        std::vector<int64_t> items;
        if (asInt(given, iv)) {
            items.assign(s.listLength > 0 ? std::size_t(s.listLength) : 1u, iv);
        } else if (const auto* l = std::get_if<std::vector<int64_t>>(&given)) {
            items = *l;
        } else {
            break;
        }
        const auto* def = std::get_if<std::vector<int64_t>>(&s.defaultValue);
        bool emptyOk = items.empty() && def && def->empty();
        if (s.listLength > 0 && int(items.size()) != s.listLength && !emptyOk) {
            error = "must have " + std::to_string(s.listLength) + " values, got " +
                    toString(ParamValue(items));
            return false;
        }
        out = items;
        for (int64_t item : items) {
            std::string e = rangeError(s, double(item), ParamValue(item));
            if (!e.empty()) {
                error = "each value " + e;
                return false;
            }
        }
        return true;
    }
    }
    if (isAuto)
        error = "\"auto\" is not allowed here; give " + expected(s);
    else
        error = "expected " + expected(s) + ", got " + shown(given);
    return false;
}

} // namespace

ParamCheck checkParams(const LayerType& type, const std::map<std::string, ParamValue>& given) {
    ParamCheck check;
    std::vector<std::string> known;
    for (const ParamSchema& s : type.params)
        known.push_back(s.name);
    for (const auto& [name, value] : given) {
        (void)value;
        bool found = false;
        for (const ParamSchema& s : type.params)
            found = found || s.name == name;
        if (!found)
            check.warnings.push_back(
                "unknown parameter \"" + name + "\" is ignored; " + type.name +
                (known.empty() ? " takes no parameters" : " takes " + joined(known)));
    }
    for (const ParamSchema& s : type.params) {
        auto it = given.find(s.name);
        if (it == given.end()) {
            check.params.set(s.name, s.defaultValue);
            continue;
        }
        ParamValue out;
        std::string error;
        if (normalize(s, it->second, out, error)) {
            check.params.set(s.name, std::move(out));
        } else {
            check.errors.push_back(s.name + ": " + error);
            check.params.set(s.name, s.defaultValue); // keeps the getters usable
        }
    }
    return check;
}

// ---- "auto" and examples ------------------------------------------------------------------------

std::string bindAutoParams(const LayerType& type, LayerParams& params, const Shape& sampleShape,
                           int outputUnits, int64_t vocabularySize) {
    for (const ParamSchema& s : type.params) {
        if (!params.isAuto(s.name)) continue;
        switch (s.autoFrom) {
        case AutoFrom::SampleShape:
            if (sampleShape.rank() == 0)
                return s.name + " is \"auto\" but the data's sample shape is unknown; load the "
                                "data or set " + s.name + ", for example [1, 28, 28]";
            params.set(s.name, std::vector<int64_t>(sampleShape.begin(), sampleShape.end()));
            break;
        case AutoFrom::OutputUnits:
            if (outputUnits <= 0)
                return s.name + " is \"auto\" but the number of outputs (classes or targets) is "
                                "unknown; load the data or set " + s.name;
            params.set(s.name, int64_t{outputUnits});
            break;
        case AutoFrom::Vocabulary:
            if (vocabularySize <= 0)
                return s.name + " is \"auto\" but the data has no vocabulary (auto takes a text "
                                "source's); use a text: source or set " + s.name;
            params.set(s.name, vocabularySize);
            break;
        case AutoFrom::None:
            throwInternal(type.name + "." + s.name + " allows \"auto\" but says nothing binds it");
        }
    }
    return {};
}

std::vector<Shape> exampleShapes(const LayerExample& example, Rng* rng) {
    auto draw = [&](std::pair<int64_t, int64_t> range) {
        if (!rng || range.second <= range.first) return range.first;
        const auto span = static_cast<uint64_t>(range.second - range.first + 1);
        return range.first + static_cast<int64_t>(rng->next() % span);
    };
    std::vector<int64_t> dims;
    for (const auto& range : example.dims) dims.push_back(draw(range));
    std::vector<Shape> shapes;
    for (int i = 0; i < example.inputs; ++i) {
        if (i > 0 && example.varying >= 0)
            dims[static_cast<std::size_t>(example.varying)] =
                draw(example.dims[static_cast<std::size_t>(example.varying)]);
        shapes.emplace_back(dims.begin(), dims.end());
    }
    return shapes;
}

std::span<const LayerCategory> layerCategories() {
    static constexpr LayerCategory kCategories[] = {
        {"Core", 0x64748b},       {"Convolution", 0x3b82f6},    {"Pooling", 0x06b6d4},
        {"Normalization", 0xa855f7}, {"Regularization", 0xf59e0b}, {"Activation", 0x22c55e},
        {"Merge", 0xec4899},      {"Recurrent", 0xef4444}};
    return kCategories;
}

// ---- the table --------------------------------------------------------------------------------

// Each layer type's describe<Name>() is defined in its layer's .cpp; table() lists them.
LayerType describeInput();
LayerType describeDense();
LayerType describeConv2D();
LayerType describeConv1D();
LayerType describeMaxPool2D();
LayerType describeAvgPool2D();
LayerType describeGlobalAvgPool();
LayerType describeMaxPool1D();
LayerType describeAvgPool1D();
LayerType describeGlobalMaxPool1D();
LayerType describeGlobalAvgPool1D();
LayerType describeEmbedding();
LayerType describeLSTM();
LayerType describeGRU();
LayerType describeFlatten();
LayerType describeReshape();
LayerType describeDropout();
LayerType describeBatchNorm();
LayerType describeLayerNorm();
std::vector<LayerType> describeActivations(); // one per row of backend/activations.h
LayerType describeSoftmax();
LayerType describeLogSoftmax();
LayerType describeAdd();
LayerType describeConcat();
LayerType describeDerivedFeatures();

namespace {

const std::vector<LayerType>& table() {
    static const std::vector<LayerType> types = [] {
        std::vector<LayerType> t = {
            describeInput(),     describeDerivedFeatures(), describeDense(), describeFlatten(), describeReshape(),
            describeConv2D(),    describeConv1D(),    describeMaxPool2D(), describeAvgPool2D(), describeGlobalAvgPool(),
            describeMaxPool1D(), describeAvgPool1D(), describeGlobalMaxPool1D(), describeGlobalAvgPool1D(),
            describeEmbedding(), describeLSTM(),      describeGRU(),
            describeBatchNorm(), describeLayerNorm(), describeDropout()};
        for (LayerType& a : describeActivations())
            t.push_back(std::move(a));
        t.push_back(describeSoftmax());
        t.push_back(describeLogSoftmax());
        t.push_back(describeAdd());
        t.push_back(describeConcat());
        return t;
    }();
    return types;
}

} // namespace

std::span<const LayerType> layerTypes() {
    return table();
}

const LayerType* findLayerType(std::string_view name) {
    for (const LayerType& t : table())
        if (t.name == name) return &t;
    return nullptr;
}

} // namespace neurite
