// Templates built in code from the same makeNode() the engine's tests use, so a renamed
// parameter breaks the template test, not a user's first click.
#include "template_library.h"

#include <QObject>

#include "graph_edits.h"

namespace neurite {

namespace {

using P = std::map<std::string, ParamValue>;

constexpr const char* kSpiral = "synthetic:spiral?samples=1500&classes=3&noise=0.1&seed=7";
constexpr const char* kFashion = "builtin:fashion-mnist";
constexpr const char* kFortunes = "builtin:fortunes";  // Debian's fortunes package, five topics
constexpr const char* kSunspots = "builtin:sunspots";  // bundled yearly series, 22-year windows
constexpr const char* kCo2 = "builtin:co2";            // bundled weekly series, 104-week windows

// A chain of nodes: each takes the previous one as input unless it names its own inputs.
class Chain {
public:
    Chain& add(std::string id, std::string op, P params = {}, std::vector<std::string> inputs = {}) {
        if (inputs.empty() && !m_nodes.empty()) inputs = {m_nodes.back().id};
        m_nodes.push_back(makeNode(std::move(id), std::move(op), std::move(inputs), std::move(params)));
        return *this;
    }
    Chain& conv(std::string id, int64_t filters, int64_t kernel = 3, std::string padding = "same") {
        return add(std::move(id), "Conv2D",
                   {{"filters", filters}, {"kernel_size", std::vector<int64_t>{kernel, kernel}},
                    {"padding", std::move(padding)}});
    }
    std::vector<Node> nodes() const { return m_nodes; }

private:
    std::vector<Node> m_nodes;
};

ProjectTemplate make(QString name, QString description, const char* source, Chain chain,
                     int epochs, double lr, LossKind loss = LossKind::CrossEntropy) {
    ProjectTemplate t{std::move(name), std::move(description), {}};
    ProjectDocument& d = t.document;
    d.name = t.name.toStdString();
    d.description = t.description.toStdString();
    d.data.source = source;
    d.data.validationSplit = 0.1;
    d.training.epochs = epochs;
    d.training.optimizer.lr = static_cast<float>(lr);
    d.training.loss.kind = loss;
    const GraphState laid = edits::laidOut({chain.nodes(), {}, {}});
    d.nodes = laid.nodes;
    d.output = d.nodes.back().id;
    return t;
}

}  // namespace

std::vector<ProjectTemplate> projectTemplates() {
    std::vector<ProjectTemplate> out;
    out.push_back(make(QObject::tr("Logistic regression"),
                       QObject::tr("One Dense layer from the features to the classes: the linear "
                                   "baseline every model should beat."),
                       kSpiral, Chain().add("input", "Input").add("logits", "Dense", {{"units", "auto"}}),
                       40, 0.05));
    out.push_back(make(QObject::tr("MLP"),
                       QObject::tr("Two hidden Dense layers with ReLU: a strong model for tabular "
                                   "and small image data."),
                       kSpiral,
                       Chain()
                           .add("input", "Input")
                           .add("fc1", "Dense", {{"units", int64_t(64)}})
                           .add("relu1", "ReLU")
                           .add("fc2", "Dense", {{"units", int64_t(64)}})
                           .add("relu2", "ReLU")
                           .add("logits", "Dense", {{"units", "auto"}}),
                       40, 0.01));
    out.push_back(make(QObject::tr("LeNet-5"),
                       QObject::tr("LeCun's classic CNN: two 5x5 convolutions with average "
                                   "pooling, then 120 and 84 units (ReLU instead of tanh)."),
                       kFashion,
                       Chain()
                           .add("input", "Input")
                           .conv("conv1", 6, 5, "same")
                           .add("relu1", "ReLU")
                           .add("pool1", "AvgPool2D")
                           .conv("conv2", 16, 5, "valid")
                           .add("relu2", "ReLU")
                           .add("pool2", "AvgPool2D")
                           .add("flatten", "Flatten")
                           .add("fc1", "Dense", {{"units", int64_t(120)}})
                           .add("relu3", "ReLU")
                           .add("fc2", "Dense", {{"units", int64_t(84)}})
                           .add("relu4", "ReLU")
                           .add("logits", "Dense", {{"units", "auto"}}),
                       5, 0.001));
    out.push_back(make(QObject::tr("Small VGG"),
                       QObject::tr("Two VGG blocks (two 3x3 convolutions, then max pooling) and a "
                                   "dense head with dropout."),
                       kFashion,
                       Chain()
                           .add("input", "Input")
                           .conv("conv1a", 32)
                           .add("relu1a", "ReLU")
                           .conv("conv1b", 32)
                           .add("relu1b", "ReLU")
                           .add("pool1", "MaxPool2D")
                           .conv("conv2a", 64)
                           .add("relu2a", "ReLU")
                           .conv("conv2b", 64)
                           .add("relu2b", "ReLU")
                           .add("pool2", "MaxPool2D")
                           .add("flatten", "Flatten")
                           .add("fc1", "Dense", {{"units", int64_t(128)}})
                           .add("relu3", "ReLU")
                           .add("dropout", "Dropout", {{"rate", 0.5}})
                           .add("logits", "Dense", {{"units", "auto"}}),
                       5, 0.001));
    out.push_back(make(QObject::tr("Residual block network"),
                       QObject::tr("A convolutional stem and one residual block (two convolutions "
                                   "with batch norm, added to the block's input), then global "
                                   "average pooling."),
                       kFashion,
                       Chain()
                           .add("input", "Input")
                           .conv("stem", 32)
                           .add("stem_bn", "BatchNorm")
                           .add("stem_relu", "ReLU")
                           .conv("res_conv1", 32)
                           .add("res_bn1", "BatchNorm")
                           .add("res_relu1", "ReLU")
                           .conv("res_conv2", 32)
                           .add("res_bn2", "BatchNorm")
                           .add("add", "Add", {}, {"stem_relu", "res_bn2"})
                           .add("relu", "ReLU")
                           .add("pool", "GlobalAvgPool")
                           .add("logits", "Dense", {{"units", "auto"}}),
                       5, 0.001));
    out.push_back(make(QObject::tr("Convolutional autoencoder"),
                       QObject::tr("A convolutional encoder down to a 32-value code and a decoder "
                                   "back to a 28x28 image; its output has the input's shape."),
                       kFashion,
                       Chain()
                           .add("input", "Input")
                           .conv("enc_conv1", 16)
                           .add("enc_relu1", "ReLU")
                           .add("enc_pool1", "MaxPool2D")
                           .conv("enc_conv2", 8)
                           .add("enc_relu2", "ReLU")
                           .add("enc_pool2", "MaxPool2D")
                           .add("flatten", "Flatten")
                           .add("code", "Dense", {{"units", int64_t(32)}})
                           .add("dec_fc", "Dense", {{"units", int64_t(784)}})
                           .add("dec_relu", "ReLU")
                           .add("dec_reshape", "Reshape", {{"shape", std::vector<int64_t>{1, 28, 28}}})
                           .conv("dec_conv", 1)
                           .add("reconstruction", "Sigmoid"),
                       5, 0.001, LossKind::Mse));
    out.back().document.data.reconstruct = true;  // the targets are the input images
    out.push_back(make(QObject::tr("Binary classifier"),
                       QObject::tr("An MLP with one output logit trained with binary cross "
                                   "entropy, for two-class problems."),
                       "synthetic:spiral?samples=1000&classes=2&noise=0.1&seed=3",
                       Chain()
                           .add("input", "Input")
                           .add("fc1", "Dense", {{"units", int64_t(32)}})
                           .add("relu1", "ReLU")
                           .add("fc2", "Dense", {{"units", int64_t(32)}})
                           .add("relu2", "ReLU")
                           .add("logit", "Dense", {{"units", int64_t(1)}}),
                       40, 0.01, LossKind::BinaryCrossEntropy));
    out.push_back(make(QObject::tr("Text classifier (LSTM)"),
                       QObject::tr("Each word id becomes a learned vector; an LSTM reads them in "
                                   "order and its final state picks the class."),
                       kFortunes,
                       Chain()
                           .add("input", "Input")
                           .add("embedding", "Embedding", {{"dimension", int64_t(64)}})
                           .add("lstm", "LSTM", {{"units", int64_t(64)}})
                           .add("logits", "Dense", {{"units", "auto"}}),
                       10, 0.003));
    out.push_back(make(QObject::tr("Bidirectional GRU for text"),
                       QObject::tr("Word vectors read by a GRU in both directions, the two final "
                                   "states side by side, then dropout and the classes."),
                       kFortunes,
                       Chain()
                           .add("input", "Input")
                           .add("embedding", "Embedding", {{"dimension", int64_t(64)}})
                           .add("gru", "GRU", {{"units", int64_t(64)}, {"bidirectional", true}})
                           .add("dropout", "Dropout", {{"rate", 0.3}})
                           .add("logits", "Dense", {{"units", "auto"}}),
                       10, 0.003));
    out.push_back(make(QObject::tr("1-D CNN for text"),
                       QObject::tr("Word vectors, 128 filters over windows of 5 words, the "
                                   "strongest match of each filter anywhere in the text, then the "
                                   "classes."),
                       kFortunes,
                       Chain()
                           .add("input", "Input")
                           .add("embedding", "Embedding", {{"dimension", int64_t(64)}})
                           .add("conv", "Conv1D", {{"filters", int64_t(128)}, {"kernel_size", int64_t(5)}})
                           .add("relu", "ReLU")
                           .add("pool", "GlobalMaxPool1D")
                           .add("dropout", "Dropout", {{"rate", 0.3}})
                           .add("logits", "Dense", {{"units", "auto"}}),
                       10, 0.003));
    out.push_back(make(QObject::tr("LSTM forecaster"),
                       QObject::tr("The next step of a time series from a window of past steps: an "
                                   "LSTM reads the window in order, a Dense layer gives the forecast."),
                       kSunspots,
                       Chain()
                           .add("input", "Input")
                           .add("lstm", "LSTM", {{"units", int64_t(32)}})
                           .add("forecast", "Dense", {{"units", "auto"}}),
                       100, 0.003, LossKind::Mse));
    out.back().document.data.testSplit = 0.15;
    out.push_back(make(QObject::tr("1-D CNN for sensor windows"),
                       QObject::tr("Filters sliding along a window of sensor readings (all channels at "
                                   "once), pooled over time, then the output: fast on long windows."),
                       kCo2,
                       Chain()
                           .add("input", "Input")
                           .add("conv1", "Conv1D", {{"filters", int64_t(32)}, {"kernel_size", int64_t(5)}})
                           .add("relu1", "ReLU")
                           .add("pool", "MaxPool1D")
                           .add("conv2", "Conv1D", {{"filters", int64_t(32)}, {"kernel_size", int64_t(5)}})
                           .add("relu2", "ReLU")
                           .add("global", "GlobalAvgPool1D")
                           .add("forecast", "Dense", {{"units", "auto"}}),
                       30, 0.003, LossKind::Mse));
    out.back().document.data.testSplit = 0.15;
    return out;
}

}  // namespace neurite
