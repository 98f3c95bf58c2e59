// Building the ONNX ModelProto: graph input with a dynamic batch, the preprocessing nodes, one
// emitter per layer in topological order, the outputs, then the checker and strict shape
// inference, whose inferred output shapes must agree with Neurite's own.
#include "export/onnx_export.h"
#include "export/native_model.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "core/error.h"
#include "core/file_write.h"
#include "export/onnx_builder.h"
#include "export/quantize.h"

namespace neurite {

using onnxexport::LayerToEmit;
using onnxexport::OnnxBuilder;

namespace onnxexport {

std::string OnnxBuilder::unique(const std::string& wanted) {
    std::string name = wanted.empty() ? "v" : wanted;
    for (int k = 2; m_used.count(name); ++k) name = wanted + "_" + std::to_string(k);
    m_used.insert(name);
    return name;
}

std::string OnnxBuilder::floats(const std::string& name, const std::vector<int64_t>& dims,
                                std::span<const float> values) {
    onnx::TensorProto* t = m_graph.add_initializer();
    t->set_name(unique(name));
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(values.data(), values.size_bytes());  // little-endian, as ONNX requires
    return t->name();
}

std::string OnnxBuilder::int64s(const std::string& name, const std::vector<int64_t>& dims,
                                std::span<const int64_t> values) {
    onnx::TensorProto* t = m_graph.add_initializer();
    t->set_name(unique(name));
    t->set_data_type(onnx::TensorProto::INT64);
    for (int64_t d : dims) t->add_dims(d);
    for (int64_t v : values) t->add_int64_data(v);
    return t->name();
}

std::string OnnxBuilder::bytes(const std::string& name, int dataType,
                               const std::vector<int64_t>& dims, std::span<const uint8_t> values) {
    onnx::TensorProto* t = m_graph.add_initializer();
    t->set_name(unique(name));
    t->set_data_type(dataType);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(values.data(), values.size());
    return t->name();
}

onnx::NodeProto& OnnxBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                                   const std::string& output, const std::string& name) {
    onnx::NodeProto* n = m_graph.add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string& in : inputs) n->add_input(in);
    n->add_output(output);
    return *n;
}

void OnnxBuilder::attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}

void OnnxBuilder::attr(onnx::NodeProto& n, const std::string& name, float v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
}

void OnnxBuilder::attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
}

void OnnxBuilder::attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
}

}  // namespace onnxexport

bool hasOnnxMapping(std::string_view layerType) {
    const LayerType* type = findLayerType(layerType);
    return type && (type->onnx || type->dataInput);
}

namespace {

// A float tensor type [N, dims...] with the batch as the symbol "N".
void setType(onnx::ValueInfoProto& v, const std::string& name, const Shape& sample) {
    v.set_name(name);
    onnx::TypeProto_Tensor* t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    onnx::TensorShapeProto* s = t->mutable_shape();
    s->add_dim()->set_dim_param("N");
    for (int64_t d : sample) s->add_dim()->set_dim_value(d);
}

Shape dropBatch(const Shape& s) { return Shape(s.begin() + 1, s.end()); }

// Raw input -> the features the model was trained on, as gatherRows computes them:
// (raw * scale - mean) * invStd. Returns the value name of the features.
std::string emitPreprocessing(OnnxBuilder& b, const Preprocessing& pre, const Shape& sample,
                              const std::string& input) {
    std::string x = input;
    if (pre.scale != 1.f) {
        const std::string out = b.unique("scaled");
        b.node("Mul", {x, b.scalar("preprocessing.scale", pre.scale)}, out, "preprocess_scale");
        x = out;
    }
    if (pre.standardized()) {
        const std::vector<int64_t> dims(sample.begin(), sample.end());
        const std::string centered = b.unique("centered"), standardized = b.unique("standardized");
        b.node("Sub", {x, b.floats("preprocessing.mean", dims, pre.mean)}, centered,
               "preprocess_center");
        b.node("Mul", {centered, b.floats("preprocessing.inv_std", dims, pre.invStd)}, standardized,
               "preprocess_standardize");
        x = standardized;
    }
    return x;
}

// A regression model's outputs back in the target's units, y = z * std + mean, as a Mul and an
// Add after the last layer rather than folded into its weights: the last layer need not be a
// Dense (an activation, BatchNorm, Add or Reshape can end the graph), the weights stay those of
// the native file and the run (and the int8 per-channel weight scales those of the trained
// layer), and the two nodes compute in float what Predictor computes. Writes `output`.
// `sample`: the output's shape without the batch, holding one entry of mean and std per value.
void emitTargetScaling(OnnxBuilder& b, const TargetScaling& t, const Shape& sample,
                       const std::string& z, const std::string& output) {
    const std::vector<int64_t> dims(sample.begin(), sample.end());
    const std::string scaled = b.unique("values_times_std");
    b.node("Mul", {z, b.floats("target_scaling.std", dims, t.stddev)}, scaled, "target_unscale");
    b.node("Add", {scaled, b.floats("target_scaling.mean", dims, t.mean)}, output,
           "target_uncenter");
}

// value -> QuantizeLinear(uint8) -> DequantizeLinear with the calibrated scale and zero point.
std::string emitActivationQdq(OnnxBuilder& b, const std::string& id, const std::string& value,
                              const ActivationQuant& a) {
    const std::string scale = b.scalar(id + ".output_scale", a.scale);
    const uint8_t zp = static_cast<uint8_t>(a.zeroPoint);
    const std::string zero = b.bytes(id + ".output_zero_point", onnx::TensorProto::UINT8, {}, {&zp, 1});
    const std::string q = b.unique(id + "_quantized"), dq = b.unique(id + "_dequantized");
    b.node("QuantizeLinear", {value, scale, zero}, q, id + "_quantize");
    b.node("DequantizeLinear", {q, scale, zero}, dq, id + "_dequantize");
    return dq;
}

void addMetadata(onnx::ModelProto& m, const std::string& key, const std::string& value) {
    onnx::StringStringEntryProto* e = m.add_metadata_props();
    e->set_key(key);
    e->set_value(value);
}

std::string joinedNames(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : "\n") + n;
    return s;
}

// Runs the checker and strict shape inference; checks the inferred output shapes.
void verify(onnx::ModelProto& model, const std::vector<std::pair<std::string, Shape>>& outputs) {
    try {
        onnx::checker::check_model(model);
        onnx::ShapeInferenceOptions options(/*check_type=*/true, /*strict=*/1, /*data_prop=*/true);
        onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
        throwInternal(std::string("the exported ONNX graph fails the ONNX checker: ") + e.what());
    }
    for (const auto& [name, sample] : outputs)
        for (const onnx::ValueInfoProto& v : model.graph().output()) {
            if (v.name() != name) continue;
            const auto& dims = v.type().tensor_type().shape();
            bool same = dims.dim_size() == sample.rank() + 1 && dims.dim(0).dim_param() == "N";
            for (int i = 0; same && i < sample.rank(); ++i)
                same = dims.dim(i + 1).dim_value() == sample[i];
            if (!same)
                throwInternal("ONNX shape inference disagrees with Neurite on output " + name);
        }
}

}  // namespace

OnnxExport buildOnnx(const ExportSource& src, const Int8Plan* int8) {
    const ResolvedGraph g = resolveExported(src);
    onnx::ModelProto model;
    model.set_ir_version(7);  // the IR of opset 13, so older runtimes read it
    model.set_producer_name("Neurite");
    model.set_producer_version(NEURITE_VERSION);
    model.set_model_version(1);
    model.set_doc_string(src.project.name.empty() ? "Neurite model" : src.project.name);
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    addMetadata(model, "neurite.task", src.classNames.empty() ? "regression" : "classification");
    addMetadata(model, "neurite.class_names", joinedNames(src.classNames));
    if (src.preprocessing.text.fitted()) {
        addMetadata(model, "neurite.input",
                    "token ids as whole numbers in float, one row of neurite.text's length per text: "
                    "tokenize as neurite.text says (docs/data.md, Text), 0 pads in front");
        addMetadata(model, "neurite.text", textVocabularyJson(src.preprocessing.text));
    } else {
        addMetadata(model, "neurite.input", "raw values; preprocessing is part of the graph");
    }
    if (src.classNames.empty() && src.preprocessing.target.active())
        addMetadata(model, "neurite.target_scaling",
                    "the model was trained on standardized targets; \"values\" are mapped back "
                    "to the target's units in the graph (Mul by std, Add mean)");
    if (int8)
        addMetadata(model, "neurite.quantization",
                    "int8 QDQ: Dense/Conv2D weights int8 symmetric per output channel; their "
                    "inputs uint8 per tensor, min/max calibrated on " +
                        std::to_string(int8->calibrationSamples) + " training samples");

    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name(src.project.name.empty() ? "neurite" : src.project.name);
    OnnxBuilder b(graph);
    const bool classifier = !src.classNames.empty();
    const std::string outName = classifier ? "logits" : "values";
    for (const char* reserved : {"input", "logits", "values", "probabilities"}) b.reserve(reserved);
    const TargetScaling& target = src.preprocessing.target;
    const bool unscale = !classifier && target.active();
    if (unscale && target.columns() != src.model.outputShape().numelFrom(1))
        throwInternal("export: target scaling for " + std::to_string(target.columns()) +
                      " outputs, but the model has " + src.model.outputShape().str());
    // What the last layer writes: the standardized values when they are mapped back afterwards.
    const std::string lastName = unscale ? b.unique("values_standardized") : outName;

    const Shape sample = sampleShapeOf(src.model);
    setType(*graph.add_input(), "input", sample);

    // Weights in ParamInfo order are grouped per node, in each layer's paramSpecs order.
    const std::vector<float> snap = src.model.snapshot();
    const int64_t buffersAt = src.model.values().numel();
    std::map<std::string, std::vector<const ParamInfo*>> paramsOf;
    for (const ParamInfo& p : src.model.params()) paramsOf[p.node].push_back(&p);

    std::vector<std::string> valueOf(src.project.nodes.size());
    for (int i : g.order) {
        const auto idx = static_cast<std::size_t>(i);
        const Node& node = src.project.nodes[idx];
        const LayerType* type = findLayerType(node.op);
        if (!type || (!type->onnx && !type->dataInput))
            throw Error(ErrorKind::Unsupported,
                        node.id + ": layer type " + node.op + " has no ONNX mapping yet");
        const bool isOutput = i == g.output;
        if (i == g.input) {
            valueOf[idx] = emitPreprocessing(b, src.preprocessing, sample, "input");
            if (isOutput) b.node("Identity", {valueOf[idx]}, lastName, node.id);
            else if (int8 && int8->activations.count(i))
                valueOf[idx] = emitActivationQdq(b, node.id, valueOf[idx], int8->activations.at(i));
            continue;
        }
        LayerToEmit l{node.id, g.params[idx], {}, {}, g.shapes[idx],
                      isOutput ? lastName : b.unique(node.id), {}, {}, {}};
        if (int8 && int8->weightScales.count(i)) l.weightScales = int8->weightScales.at(i);
        for (int p : g.inputs[idx]) {
            l.inputs.push_back(valueOf[static_cast<std::size_t>(p)]);
            l.inputShapes.push_back(g.shapes[static_cast<std::size_t>(p)]);
        }
        for (const ParamInfo* p : paramsOf[node.id]) {
            const float* at = snap.data() + p->offset + (p->trainable ? 0 : buffersAt);
            l.weights.emplace_back(p->name, std::vector<float>(at, at + p->shape.numel()));
            l.weightDims.emplace_back(p->shape.begin(), p->shape.end());
        }
        onnxexport::emitLayer(b, l, *type);
        valueOf[idx] = l.output;
        if (int8 && !isOutput && int8->activations.count(i))
            valueOf[idx] = emitActivationQdq(b, node.id, l.output, int8->activations.at(i));
    }

    if (unscale) emitTargetScaling(b, target, dropBatch(src.model.outputShape()), lastName, outName);
    const Shape outSample = dropBatch(src.model.outputShape());
    std::vector<std::pair<std::string, Shape>> outputs{{outName, outSample}};
    if (classifier) {
        // Probabilities as Neurite reports them: softmax, or [1 - p, p] for one sigmoid unit.
        const int64_t units = outSample.numel();
        if (units == 1) {
            const std::string p = b.unique("p_positive"), q = b.unique("p_negative");
            b.node("Sigmoid", {outName}, p, "probability_positive");
            b.node("Sub", {b.scalar("one", 1.f), p}, q, "probability_negative");
            auto& c = b.node("Concat", {q, p}, "probabilities", "probabilities");
            OnnxBuilder::attr(c, "axis", int64_t{1});
            outputs.emplace_back("probabilities", Shape{2});
        } else {
            auto& s = b.node("Softmax", {outName}, "probabilities", "probabilities");
            OnnxBuilder::attr(s, "axis", int64_t{1});
            outputs.emplace_back("probabilities", outSample);
        }
    }
    OnnxExport result;
    for (const auto& [name, shape] : outputs) {
        setType(*graph.add_output(), name, shape);
        result.outputs.push_back(name);
    }
    verify(model, outputs);
    result.checked = true;
    result.nodes = graph.node_size();
    result.bytes.resize(model.ByteSizeLong());
    if (!model.SerializeToArray(result.bytes.data(), static_cast<int>(result.bytes.size())))
        throwInternal("could not serialize the ONNX model");
    return result;
}

OnnxExport exportOnnx(const ExportSource& source, const std::string& path, const Int8Plan* int8) {
    OnnxExport r = buildOnnx(source, int8);
    writeFileAtomic(path, r.bytes.data(), r.bytes.size());
    return r;
}

}  // namespace neurite
