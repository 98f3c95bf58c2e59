// Export test fixtures.
#include "export_fixtures.h"

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
        if (preprocessing.rawDType == DType::U8) {
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

// Input [3,7,7] -> layer(s) -> Flatten -> Dense(classes): the layer sees an odd-sized image, so
// "same" padding is asymmetric.
std::vector<Node> imageModel(std::vector<Node> middle, const std::string& last) {
    std::vector<Node> nodes{n("input", "Input")};
    for (Node& m : middle) nodes.push_back(std::move(m));
    nodes.push_back(n("flat", "Flatten", {last}));
    nodes.push_back(n("logits", "Dense", {"flat"}, {{"units", std::string("auto")}}));
    return nodes;
}

std::vector<Node> vectorModel(std::vector<Node> middle, const std::string& last) {
    std::vector<Node> nodes{n("input", "Input"), n("fc", "Dense", {"input"}, {{"units", int64_t{8}}})};
    for (Node& m : middle) nodes.push_back(std::move(m));
    nodes.push_back(n("logits", "Dense", {last}, {{"units", std::string("auto")}}));
    return nodes;
}

}  // namespace

std::vector<ModelFixture> layerFixtures() {
    const Shape img{3, 7, 7}, vec{6};
    std::vector<ModelFixture> f;
    auto add = [&](const char* name, std::vector<Node> nodes, const Shape& s, int classes = 4) {
        f.push_back(makeFixture(name, std::move(nodes), s, classes, 1000 + f.size()));
    };
    add("Dense", vectorModel({}, "fc"), vec);
    add("Dense_nobias", {n("input", "Input"), n("logits", "Dense", {"input"}, {{"units", int64_t{3}}, {"bias", false}})}, vec, 3);
    add("Dense_regression", vectorModel({}, "fc"), vec, 0);
    add("Dense_binary", {n("input", "Input"), n("logits", "Dense", {"input"}, {{"units", int64_t{1}}})}, vec, 2);
    add("Conv2D_same", imageModel({n("c", "Conv2D", {"input"}, {{"filters", int64_t{4}}})}, "c"), img);
    add("Conv2D_same_stride2", imageModel({n("c", "Conv2D", {"input"}, {{"filters", int64_t{4}}, {"kernel_size", IntList{3, 2}}, {"strides", IntList{2, 2}}})}, "c"), img);
    add("Conv2D_valid_nobias", imageModel({n("c", "Conv2D", {"input"}, {{"filters", int64_t{2}}, {"padding", std::string("valid")}, {"bias", false}, {"strides", IntList{1, 2}}})}, "c"), img);
    add("MaxPool2D", imageModel({n("p", "MaxPool2D", {"input"})}, "p"), img);
    add("MaxPool2D_same", imageModel({n("p", "MaxPool2D", {"input"}, {{"padding", std::string("same")}, {"pool_size", IntList{3, 3}}, {"strides", IntList{2, 2}}})}, "p"), img);
    add("AvgPool2D", imageModel({n("p", "AvgPool2D", {"input"})}, "p"), img);
    add("AvgPool2D_same", imageModel({n("p", "AvgPool2D", {"input"}, {{"padding", std::string("same")}})}, "p"), img);
    add("GlobalAvgPool", {n("input", "Input"), n("g", "GlobalAvgPool", {"input"}), n("logits", "Dense", {"g"}, {{"units", std::string("auto")}})}, img);
    add("Flatten", imageModel({}, "input"), img);
    add("Reshape", imageModel({n("r", "Reshape", {"input"}, {{"shape", IntList{7, -1}}})}, "r"), img);
    add("BatchNorm_image", imageModel({n("bn", "BatchNorm", {"input"})}, "bn"), img);
    add("BatchNorm_vector", vectorModel({n("bn", "BatchNorm", {"fc"})}, "bn"), vec);
    add("Dropout", vectorModel({n("d", "Dropout", {"fc"})}, "d"), vec);
    for (const char* act : {"ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "GELU"})
        add(act, vectorModel({n("a", act, {"fc"})}, "a"), vec);
    add("Softmax", vectorModel({n("s", "Softmax", {"fc"})}, "s"), vec);
    add("Softmax_image", imageModel({n("s", "Softmax", {"input"})}, "s"), img);
    add("Add", vectorModel({n("fc2", "Dense", {"input"}, {{"units", int64_t{8}}}), n("sum", "Add", {"fc", "fc2"})}, "sum"), vec);
    add("Concat", imageModel({n("c", "Conv2D", {"input"}, {{"filters", int64_t{2}}}), n("cat", "Concat", {"input", "c"})}, "cat"), img);
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
