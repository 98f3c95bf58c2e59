#include "export/node_outputs.h"

#include "export/predictor.h"

namespace neurite {

std::map<int, NodeOutput> nodeOutputs(Model& model, const Preprocessing& preprocessing, const float* raw,
                                      int64_t count, const std::function<bool(const Shape&)>& want) {
    std::map<int, NodeOutput> outputs;
    Backend& be = model.backend();
    model.setForwardHook([&](int node, Tensor& out) {
        if (node < 0 || out.shape().rank() < 1 || out.shape()[0] != count || !want(out.shape())) return;
        NodeOutput& o = outputs[node];
        o.shape = out.shape();
        o.values.resize(static_cast<std::size_t>(out.numel()));
        be.copyToHost(o.values.data(), out);
    });
    struct Unhook {
        Model& m;
        ~Unhook() { m.setForwardHook({}); }
    } unhook{model};
    Predictor predictor(model, preprocessing, count);
    predictor.outputs(raw, count);
    return outputs;
}

std::vector<float> parameterOf(const Model& model, const std::vector<float>& snapshot, const std::string& node,
                               const std::string& name) {
    for (const ParamInfo& p : model.params())
        if (p.node == node && p.name == name && p.trainable) {
            const auto first = snapshot.begin() + p.offset;
            return std::vector<float>(first, first + p.shape.numel());
        }
    return {};
}

}  // namespace neurite
