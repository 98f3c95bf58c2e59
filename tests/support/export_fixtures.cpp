// Export test fixtures.
#include "export_fixtures.h"

#include <cctype>
#include <cstdio>
#include <fstream>

#include "devices/device_registry.h"
#include "core/error.h"
#include "core/random.h"
#include "test_env.h"

namespace neurite::test {

std::vector<float> ModelFixture::randomInputs(int64_t count, uint64_t seed) const {
    Rng rng(seed);
    const int64_t n = sampleShape().numel();
    std::vector<float> v(static_cast<std::size_t>(count * n));
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (ids > 0) {
            v[i] = static_cast<float>(rng.next() % static_cast<uint64_t>(ids));
        } else if (preprocessing.rawDType == DType::U8) {
            v[i] = static_cast<float>(rng.next() % 256);
        } else {
            const std::size_t f = i % static_cast<std::size_t>(n);
            const double center = preprocessing.standardized() ? preprocessing.mean[f] : 0.0;
            v[i] = static_cast<float>(center + 2.0 * rng.normal());
        }
    }
    return v;
}

ModelFixture makeFixture(const std::string& name, std::vector<Node> nodes, const Shape& sample,
                         int classes, uint64_t seed, bool standardize, bool randomWeights) {
    ModelFixture f;
    f.name = name;
    f.project.name = name;
    f.project.data.source = "synthetic:spiral";  // any valid source: the project must parse
    f.project.nodes = std::move(nodes);
    DataInfo info{sample, classes > 0 ? classes : 3};
    ResolvedGraph g = resolveGraph(f.project.nodes, "", info);
    if (!g.ok()) throwInternal("fixture " + name + ": " + g.firstError());
    f.model = std::make_unique<Model>(backendFor("cpu"), f.project.nodes, g, seed);
    for (int c = 0; c < classes; ++c) f.classNames.push_back("class " + std::to_string(c));

    // Random weights everywhere (initial BatchNorm statistics would make it the identity).
    Rng rng(seed * 7919 + 1);
    std::vector<float> snap = f.model->snapshot();
    if (randomWeights)
        for (float& v : snap) v = static_cast<float>(rng.uniform() - 0.5);
    const int64_t buffersAt = f.model->values().numel();
    for (const ParamInfo& p : f.model->params())
        if (p.name == "running_var")
            for (int64_t i = 0; i < p.shape.numel(); ++i)
                snap[static_cast<std::size_t>(buffersAt + p.offset + i)] =
                    static_cast<float>(0.5 + rng.uniform());
    f.model->restore(snap);

    const auto values = static_cast<std::size_t>(sample.numel());
    if (standardize) {
        f.preprocessing.scale = 0.5f;
        for (std::size_t i = 0; i < values; ++i) {
            f.preprocessing.mean.push_back(static_cast<float>(rng.uniform() - 0.5));
            f.preprocessing.invStd.push_back(static_cast<float>(0.5 + rng.uniform()));
        }
        // Regression: outputs mapped back from standardized targets, per output unit.
        if (classes == 0)
            for (int64_t u = 0; u < f.model->outputShape().numelFrom(1); ++u) {
                f.preprocessing.target.mean.push_back(static_cast<float>(20 * (rng.uniform() - 0.5)));
                f.preprocessing.target.stddev.push_back(static_cast<float>(0.5 + 2.5 * rng.uniform()));
            }
    }
    return f;
}

namespace {

Node n(std::string id, std::string op, std::vector<std::string> in = {},
       std::map<std::string, ParamValue> p = {}) {
    return makeNode(std::move(id), std::move(op), std::move(in), std::move(p));
}

using IntList = std::vector<int64_t>;

std::vector<Node> vectorModel(std::vector<Node> middle, const std::string& last) {
    std::vector<Node> nodes{n("input", "Input"), n("fc", "Dense", {"input"}, {{"units", int64_t{8}}})};
    for (Node& m : middle) nodes.push_back(std::move(m));
    nodes.push_back(n("logits", "Dense", {last}, {{"units", std::string("auto")}}));
    return nodes;
}

// The layer of `example` fed from an Input of its first input's sample shape; further inputs
// come through a Dense (rank 2) or a 1x1 Conv2D (rank 4) giving their own channel count. Then
// Flatten where the output has more than [N,F], and a Dense head with "auto" units.
std::vector<Node> exampleModel(const LayerType& type, const std::vector<Shape>& shapes,
                               const LayerExample& example) {
    const Shape& first = shapes[0];
    std::vector<Node> nodes{n("input", "Input", {}, {{"shape", IntList(first.begin() + 1, first.end())}})};
    std::vector<std::string> inputs{"input"};
    for (std::size_t i = 1; i < shapes.size(); ++i) {
        const std::string id = "branch" + std::to_string(i);
        const int64_t channels = shapes[i][1];
        if (shapes[i].rank() == 2)
            nodes.push_back(n(id, "Dense", {"input"}, {{"units", channels}}));
        else
            nodes.push_back(n(id, "Conv2D", {"input"}, {{"filters", channels}, {"kernel_size", int64_t{1}}}));
        inputs.push_back(id);
    }
    nodes.push_back(n("layer", type.name, inputs, example.params));
    const ParamCheck check = checkParams(type, example.params);
    const ShapeResult out = type.inferShape(check.params, shapes);
    if (!out.ok()) throwInternal("fixture " + type.name + " " + example.name + ": " + out.error);
    std::string last = "layer";
    if (out.shape.rank() > 2) {
        nodes.push_back(n("flat", "Flatten", {last}));
        last = "flat";
    }
    nodes.push_back(n("logits", "Dense", {last}, {{"units", std::string("auto")}}));
    return nodes;
}

std::string fileSafe(const std::string& s) {
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

}  // namespace

std::vector<ModelFixture> layerFixtures() {
    std::vector<ModelFixture> f;
    for (const LayerType& type : layerTypes()) {
        for (const LayerExample& example : type.examples) {
            Rng rng(7717 + f.size());  // the same shapes on every run
            std::vector<Shape> shapes = exampleShapes(example, &rng);
            const Shape sample(shapes[0].begin() + 1, shapes[0].end());
            // token ids stay whole numbers: no standardization in front of them
            ModelFixture m = makeFixture(type.name + "__" + fileSafe(example.name),
                                         exampleModel(type, shapes, example), sample, 4, 1000 + f.size(),
                                         /*standardize=*/example.ids == 0);
            m.layerType = type.name;
            m.ids = example.ids;
            f.push_back(std::move(m));
        }
    }
    // Whole-model cases: what the exporter adds around the layers.
    const Shape vec{6};
    auto add = [&](const char* name, const char* layerType, std::vector<Node> nodes, int classes) {
        f.push_back(makeFixture(name, std::move(nodes), vec, classes, 1000 + f.size()));
        f.back().layerType = layerType;
    };
    // Fixed shapes for the GUI's tests: six features in ("1,2,3,4,5,6"), and a 3x7x7 image
    // (odd-sized, so "same" padding is asymmetric).
    add("mlp", "Dense", vectorModel({}, "fc"), 4);
    add("mlp_dropout", "Dropout", vectorModel({n("d", "Dropout", {"fc"})}, "d"), 4);
    f.push_back(makeFixture("cnn", {n("input", "Input"), n("c", "Conv2D", {"input"}, {{"filters", int64_t{4}}}),
                                    n("flat", "Flatten", {"c"}), n("logits", "Dense", {"flat"}, {{"units", std::string("auto")}})},
                            Shape{3, 7, 7}, 4, 1000 + f.size()));
    f.back().layerType = "Conv2D";
    add("Dense_regression", "Dense", vectorModel({}, "fc"), 0);
    add("Dense_binary", "Dense", {n("input", "Input"), n("logits", "Dense", {"input"}, {{"units", int64_t{1}}})}, 2);
    add("BatchNorm_after_Dense", "BatchNorm", vectorModel({n("bn", "BatchNorm", {"fc"})}, "bn"), 4);
    return f;
}

std::vector<ModelFixture> exampleFixtures() {
    std::vector<ModelFixture> out;
    for (const char* file : {"spiral", "fashion_mlp", "fashion_cnn"}) {
        ProjectDocument doc =
            loadProject(sourceDir() + "/resources/examples/" + file + ".neurite.json", nullptr);
        const bool spiral = std::string(file) == "spiral";
        ModelFixture f = makeFixture(file, doc.nodes, spiral ? Shape{2} : Shape{1, 28, 28},
                                     spiral ? 3 : 10, 42, spiral, /*randomWeights=*/false);
        f.project = doc;
        if (!spiral) {  // as Fashion-MNIST's "auto" scaling: pixels / 255
            f.preprocessing.scale = 1.f / 255.f;
            f.preprocessing.rawDType = DType::U8;
        }
        out.push_back(std::move(f));
    }
    return out;
}

void writeNpy(const std::string& path, const std::vector<int64_t>& shape,
              const std::vector<float>& values) {
    std::string dims;
    for (int64_t d : shape) dims += std::to_string(d) + ",";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    header.append(63 - (10 + header.size()) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    out.put(static_cast<char>(len & 0xff));
    out.put(static_cast<char>(len >> 8));
    out << header;
    out.write(reinterpret_cast<const char*>(values.data()),
              static_cast<std::streamsize>(values.size() * sizeof(float)));
}

}  // namespace neurite::test
