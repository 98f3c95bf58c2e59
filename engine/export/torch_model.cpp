// model.py of the pytorch export: the resolved graph written as a torch.nn.Module from the
// layers' emitters (layers/torch_sink.h), and the model's parameters under their state_dict keys.
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "core/error.h"
#include "export/torch_export.h"
#include "export/torch_names.h"
#include "layers/registry.h"

namespace neurite {

namespace {

const char* const kHelpers = R"PY(

# ---- helpers the forward pass calls (Neurite's semantics where torch has no single module) ----


def pad(x, pads):
    """Zero padding of an image [N, C, H, W] by (top, left, bottom, right), as Neurite pads."""
    return F.pad(x, (pads[1], pads[3], pads[0], pads[2]))


def max_pool(x, kernel, stride, pads):
    """Max over windows of [N, C, H, W]; padded cells never win (they hold -inf)."""
    if any(pads):
        x = F.pad(x, (pads[1], pads[3], pads[0], pads[2]), value=float("-inf"))
    return F.max_pool2d(x, kernel, stride)


def avg_pool(x, kernel, stride, pads):
    """Mean over windows of [N, C, H, W], padded cells not counted (count_include_pad=False
    with uneven padding too)."""
    if not any(pads):
        return F.avg_pool2d(x, kernel, stride)
    p = (pads[1], pads[3], pads[0], pads[2])
    total = F.avg_pool2d(F.pad(x, p), kernel, stride, divisor_override=1)
    count = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), p), kernel, stride, divisor_override=1)
    return total / count


def add(*inputs):
    """The sum of the inputs, left to right."""
    total = inputs[0]
    for x in inputs[1:]:
        total = total + x
    return total


def embed(table, ids, padding_index=None):
    """Rows of the embedding table named by the ids (floats holding whole numbers); the padding
    id reads zeros whatever its row holds."""
    ids = ids.round().long()
    rows = table(ids)
    if padding_index is not None:
        rows = rows * (ids != padding_index).unsqueeze(-1).to(rows.dtype)
    return rows


def rnn_output(rnn, x, sequences, merge):
    """An LSTM or GRU over x [N, T, C]: every step's state [N, T, O] (sequences) or the final
    state [N, O]; two directions are concatenated or summed (merge)."""
    out, state = rnn(x)
    final = state[0] if isinstance(state, tuple) else state  # LSTM: (h, c)
    hidden = rnn.hidden_size
    if sequences:
        if rnn.bidirectional and merge == "sum":
            return out[..., :hidden] + out[..., hidden:]
        return out
    if rnn.bidirectional:
        if merge == "sum":
            return final[0] + final[1]
        return torch.cat([final[0], final[1]], dim=1)
    return final[0]


def derived_features(xy, names):
    """Playground's features of 2-D points [N, 2]: x, y, x_squared, y_squared, xy, sin_x, sin_y."""
    x, y = xy[:, 0], xy[:, 1]
    made = {"x": lambda: x, "y": lambda: y, "x_squared": lambda: x * x, "y_squared": lambda: y * y,
            "xy": lambda: x * y, "sin_x": lambda: torch.sin(x), "sin_y": lambda: torch.sin(y)}
    return torch.stack([made[name]() for name in names], dim=1)


def load_weights(model, folder):
    """Loads weights/ (one .npy per state_dict entry, as Neurite wrote them) into the model."""
    state = {}
    for key, value in model.state_dict().items():
        path = os.path.join(folder, key + ".npy")
        if os.path.exists(path):
            array = np.load(path)
            if tuple(array.shape) != tuple(value.shape):
                raise ValueError(f"{path}: shape {tuple(array.shape)}, the model wants {tuple(value.shape)}")
            state[key] = torch.from_numpy(array)
        elif not key.endswith("num_batches_tracked"):
            raise ValueError(f"{folder}: no {key}.npy")
    model.load_state_dict(state, strict=False)
    return model
)PY";

std::string shapeComment(const Shape& s) {
    std::string out = "[N";
    for (int i = 1; i < s.rank(); ++i) out.append(", ").append(std::to_string(s[i]));
    return out + "]";
}

// Replaces {m}, {all} and {0}, {1}... in an emitter's expression.
std::string expand(const std::string& pattern, const std::string& module,
                   const std::vector<std::string>& inputs) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '{') {
            out += pattern[i];
            continue;
        }
        const std::size_t close = pattern.find('}', i);
        if (close == std::string::npos) throwInternal("torch emitter: unclosed { in " + pattern);
        const std::string key = pattern.substr(i + 1, close - i - 1);
        if (key == "m") {
            out += module;
        } else if (key == "all") {
            for (std::size_t k = 0; k < inputs.size(); ++k) out.append(k ? ", " : "").append(inputs[k]);
        } else {
            const auto k = static_cast<std::size_t>(std::stoul(key));
            if (k >= inputs.size()) throwInternal("torch emitter: input {" + key + "} of " + pattern);
            out += inputs[k];
        }
        i = close;
    }
    return out;
}

struct Emitted {
    std::vector<std::string> names;   // per node: its Python name (attribute and local)
    std::vector<TorchCode> code;      // per node (empty for the input)
    std::vector<char> needed;         // per node: the output depends on it
};

Emitted emitAll(const ResolvedGraph& g, const ExportSource& source) {
    const std::vector<Node>& nodes = source.project.nodes;
    Emitted e;
    e.names.resize(nodes.size());
    e.code.resize(nodes.size());
    e.needed.assign(nodes.size(), 0);
    std::set<std::string> used;
    for (std::size_t i = 0; i < nodes.size(); ++i) e.names[i] = pythonName(nodes[i].id, used);
    std::vector<int> stack{g.output};
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        if (e.needed[static_cast<std::size_t>(n)]) continue;
        e.needed[static_cast<std::size_t>(n)] = 1;
        for (int p : g.inputs[static_cast<std::size_t>(n)]) stack.push_back(p);
    }
    for (int i : g.order) {
        const auto u = static_cast<std::size_t>(i);
        const LayerType* type = findLayerType(nodes[u].op);
        if (!type) throwInternal("export: unknown layer type " + nodes[u].op);
        if (type->dataInput) continue;
        if (!type->torch)
            throwBadInput(nodes[u].id + ": the PyTorch export has no form for " + nodes[u].op + " layers");
        std::vector<Shape> in;
        for (int p : g.inputs[u]) in.push_back(g.shapes[static_cast<std::size_t>(p)]);
        e.code[u] = type->torch(TorchLayer{g.params[u], in, g.shapes[u]});
    }
    return e;
}

}  // namespace

std::string torchModelSource(const ExportSource& source) {
    const ResolvedGraph g = resolveExported(source);
    const Emitted e = emitAll(g, source);
    const std::vector<Node>& nodes = source.project.nodes;
    const std::string cls = pythonClassName(source.project.name);
    const auto input = static_cast<std::size_t>(g.input);
    std::ostringstream py;
    py << "\"\"\"" << (source.project.name.empty() ? std::string("The model") : source.project.name)
       << ": the network designed in Neurite, as a torch.nn.Module.\n\n"
       << "Layer names are the project's node ids; each line of forward() notes its output shape,\n"
       << "N being the batch. The input is the features after data.py's scaling.\n\"\"\"\n"
       << "import os\n\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n"
       << "INPUT_SHAPE = " << pyTuple(std::vector<int64_t>(g.shapes[input].begin() + 1, g.shapes[input].end()))
       << "  # one sample, without the batch\n\n\n"
       << "class " << cls << "(nn.Module):\n    def __init__(self):\n        super().__init__()\n";
    int modules = 0;
    for (int i : g.order) {
        const auto u = static_cast<std::size_t>(i);
        if (e.code[u].module.empty()) continue;
        py << "        self." << e.names[u] << " = " << e.code[u].module << "\n";
        ++modules;
    }
    if (modules == 0) py << "        pass\n";
    py << "\n    def forward(self, " << e.names[input] << "):  # " << shapeComment(g.shapes[input]) << "\n";
    for (int i : g.order) {
        const auto u = static_cast<std::size_t>(i);
        if (u == input || !e.needed[u]) continue;
        std::vector<std::string> in;
        for (int p : g.inputs[u]) in.push_back(e.names[static_cast<std::size_t>(p)]);
        const std::string line = "        " + e.names[u] + " = " +
                                 expand(e.code[u].forward, "self." + e.names[u], in);
        py << line << std::string(line.size() < 60 ? 60 - line.size() : 1, ' ') << "# "
           << shapeComment(g.shapes[u]) << (nodes[u].id != e.names[u] ? " (node \"" + nodes[u].id + "\")" : "")
           << "\n";
    }
    py << "        return " << e.names[static_cast<std::size_t>(g.output)] << "\n\n\n"
       << "def build_model():\n    return " << cls << "()\n" << kHelpers;
    return py.str();
}

std::vector<TorchTensor> torchStateDict(const ExportSource& source) {
    const ResolvedGraph g = resolveExported(source);
    const Emitted e = emitAll(g, source);
    const std::vector<Node>& nodes = source.project.nodes;
    const std::vector<float> all = source.model.snapshot();
    const int64_t valuesCount = source.model.values().numel();
    std::vector<TorchTensor> out;
    std::set<std::string> mapped;
    for (std::size_t u = 0; u < nodes.size(); ++u) {
        for (const TorchWeight& w : e.code[u].weights) {
            const auto it = std::find_if(source.model.params().begin(), source.model.params().end(),
                                         [&](const ParamInfo& p) { return p.node == nodes[u].id && p.name == w.from; });
            if (it == source.model.params().end())
                throwInternal("torch export: " + nodes[u].id + " has no parameter " + w.from);
            const int64_t rows = it->shape[0] / w.parts;
            const int64_t per = it->shape.numelFrom(1) * rows;
            const int64_t base = (it->trainable ? 0 : valuesCount) + it->offset + w.part * per;
            TorchTensor t{e.names[u] + "." + w.to, {rows}, {}, e.names[u], it->trainable, it->decay, it->lrScale,
                          it->node, it->name, w.part, w.parts};
            for (int d = 1; d < it->shape.rank(); ++d) t.shape.push_back(it->shape[d]);
            t.values.assign(all.begin() + base, all.begin() + base + per);
            out.push_back(std::move(t));
            mapped.insert(it->node + "/" + it->name);
        }
    }
    for (const ParamInfo& p : source.model.params())
        if (!mapped.count(p.node + "/" + p.name))
            throwInternal("torch export: parameter " + p.name + " of " + p.node + " has no place in torch's state_dict");
    return out;
}

}  // namespace neurite
