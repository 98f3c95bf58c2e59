#!/usr/bin/python3
"""PyTorch models exported to ONNX for the importer's tests (tests/export/test_onnx_import.cpp).

usage: onnx_import_models.py OUT_DIR

For each model writes OUT_DIR/NAME.onnx (torch.onnx.export), NAME.input.f32 and NAME.output.f32
(raw little-endian float32: a random input and PyTorch's output for it) and a line of
OUT_DIR/manifest.txt: "NAME opset input-dims output-dims"; then malformed and unsupported files
with the words their refusal must contain (OUT_DIR/hostile.txt). The architectures are the patterns
PyTorch's exporter writes: Gemm, Conv with BatchNorm (folded by the exporter or not), residual
Add, grouped and depthwise convolutions, ReLU6 as Clip, global pooling with Flatten or
x.view(x.size(0), -1) (Shape/Gather/Unsqueeze/Concat/Reshape), ceil_mode pooling, GELU in its
erf and tanh forms, SiLU and LayerNormalization; two are exported with BatchNormalization kept;
LSTM and GRU (one- and two-way, stacked, last step, final state, every step, after an embedding).
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(20, 32), nn.Linear(32, 16), nn.Linear(16, 5)

    def forward(self, x):
        return self.fc3(torch.tanh(self.fc2(F.relu(self.fc1(x)))))


class CnnBn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu6(self.bn2(self.conv2(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.bn = nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8)
        self.layer1, self.layer2 = BasicBlock(8, 8, 1), BasicBlock(8, 16, 2)
        self.fc = nn.Linear(16, 7)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.stem(x))), 3, 2, 1)
        x = self.layer2(self.layer1(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(x.view(x.size(0), -1))


class InvertedResidual(nn.Module):
    def __init__(self, c, expand):
        super().__init__()
        h = c * expand
        self.expand = nn.Sequential(nn.Conv2d(c, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU6())
        self.depthwise = nn.Sequential(nn.Conv2d(h, h, 3, 1, 1, groups=h, bias=False), nn.BatchNorm2d(h), nn.ReLU6())
        self.project = nn.Sequential(nn.Conv2d(h, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.project(self.depthwise(self.expand(x)))


class MobileNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU6())
        self.block = InvertedResidual(8, 3)
        self.grouped = nn.Conv2d(8, 12, 3, padding=(1, 2), dilation=(1, 2), groups=4)
        self.head = nn.Linear(12, 5)

    def forward(self, x):
        x = F.relu6(self.grouped(self.block(self.stem(x))))
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Pools(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 2)

    def forward(self, x):
        a = F.max_pool2d(x, 3, 2, 1, ceil_mode=True)
        b = F.avg_pool2d(a, 3, 2, ceil_mode=True, count_include_pad=False)
        c = F.avg_pool2d(self.conv(b), 2, 1, padding=1, count_include_pad=False)
        return torch.flatten(c, 1)


class GeluMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(12, 24), nn.Linear(24, 24), nn.Linear(24, 3)
        self.norm = nn.LayerNorm(24)

    def forward(self, x):
        x = F.gelu(self.fc1(x))
        x = F.gelu(self.fc2(x), approximate="tanh")
        return self.fc3(F.silu(self.norm(x)))


class FashionNet(nn.Module):
    """Fashion-MNIST-shaped [1,28,28], so the CLI's test imports it with the bundled data and
    fine-tunes it."""

    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu6(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.pw(self.dw(x))), 2)
        return self.fc(x.view(x.size(0), -1))


class EmbedNet(nn.Module):
    """Token ids [N, T] through an embedding (Gather on the table), flattened into a classifier."""

    def __init__(self):
        super().__init__()
        self.embed, self.fc = nn.Embedding(30, 6), nn.Linear(6 * 7, 4)

    def forward(self, ids):
        return self.fc(torch.flatten(torch.tanh(self.embed(ids)), 1))


class NormMlp(nn.Module):
    """LayerNorm at opset 13, which the exporter decomposes (ReduceMean, Sub, Pow, ...); one without
    its affine part."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(10, 16), nn.Linear(16, 3)
        self.norm1, self.norm2 = nn.LayerNorm(16), nn.LayerNorm(16, eps=1e-3, elementwise_affine=False)
        with torch.no_grad():
            self.norm1.weight.uniform_(0.5, 1.5)
            self.norm1.bias.uniform_(-0.5, 0.5)

    def forward(self, x):
        return self.fc2(self.norm2(F.gelu(self.norm1(self.fc1(x)))))


class LogSoftmaxMlp(nn.Module):
    """An MLP ending in log_softmax, as a model trained with NLLLoss does."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(6, 10), nn.Linear(10, 4)

    def forward(self, x):
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


class LstmLast(nn.Module):
    """Batch-first LSTM whose last step feeds a classifier: y[:, -1, :] (Slice at opset 9, Gather
    at 13) after the exporter's Transpose/LSTM/Squeeze/Transpose."""

    def __init__(self, gru=False):
        super().__init__()
        self.rnn = (nn.GRU if gru else nn.LSTM)(5, 8, batch_first=True)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1, :])


class GruFinal(nn.Module):
    """The final state h_n[-1] of a GRU (its Y_h output) into a classifier."""

    def __init__(self):
        super().__init__()
        self.rnn, self.fc = nn.GRU(5, 6, batch_first=True), nn.Linear(6, 2)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.fc(h[-1])


class StackedBiLstm(nn.Module):
    """Two bidirectional LSTM layers (the exporter's Transpose+Reshape between them, the initial
    state sliced per layer), mean and max over time."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(4, 5, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(20, 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(torch.cat([y.mean(1), y.amax(1)], 1))


class BiGruSteps(nn.Module):
    """A bidirectional GRU's every step through a per-step Linear: output [N, T, 2]."""

    def __init__(self):
        super().__init__()
        self.rnn, self.fc = nn.GRU(3, 4, batch_first=True, bidirectional=True), nn.Linear(8, 2)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(torch.tanh(y))


class TextLstm(nn.Module):
    """Token ids through an embedding and an LSTM's last step."""

    def __init__(self):
        super().__init__()
        self.embed, self.rnn, self.fc = nn.Embedding(40, 6), nn.LSTM(6, 7, batch_first=True), nn.Linear(7, 4)

    def forward(self, ids):
        y, _ = self.rnn(self.embed(ids))
        return self.fc(y[:, -1])


def export(model, name, shape, out, opset, rng, keep_bn=False, vocabulary=0, dynamic=True):
    torch.manual_seed(0)
    model.eval()
    with torch.no_grad():  # batch norm statistics that are not the identity
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
    if vocabulary:  # token ids: int64 for PyTorch, whole numbers in float32 for Neurite
        ids = torch.from_numpy(rng.integers(0, vocabulary, size=shape).astype(np.int64))
        with torch.no_grad():
            y = model(ids)
        x = ids
    else:
        x = torch.from_numpy(rng.uniform(-2, 2, size=shape).astype(np.float32))
        with torch.no_grad():
            y = model(x)
    path = os.path.join(out, name + ".onnx")
    # PRESERVE keeps BatchNormalization nodes (eval mode, so inference statistics); by default
    # the exporter folds them into the convolutions
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}} if dynamic else None, training=mode)
    x.numpy().astype("<f4").tofile(os.path.join(out, name + ".input.f32"))
    y.numpy().astype("<f4").tofile(os.path.join(out, name + ".output.f32"))
    dims = lambda t: ",".join(str(d) for d in t.shape)
    return f"{name} {opset} {dims(x)} {dims(y)}\n"


def folded_constants(out, rng):
    """Weights an exporter reshapes with Transpose, Slice and Expand of constants (folded at
    import): y = x @ W.T[:, ::2] + expand(b); the expected output is numpy's."""
    from onnx import TensorProto, helper, numpy_helper
    w = rng.uniform(-1, 1, (8, 5)).astype(np.float32)
    b = rng.uniform(-1, 1, (1, 1)).astype(np.float32)
    x = rng.uniform(-2, 2, (3, 5)).astype(np.float32)
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)
    nodes = [helper.make_node("Transpose", ["w"], ["wt"], perm=[1, 0], name="transpose_w"),
             helper.make_node("Slice", ["wt", "starts", "ends", "axes", "steps"], ["ws"], name="every_other"),
             helper.make_node("Expand", ["b", "bshape"], ["bb"], name="expand_b"),
             helper.make_node("MatMul", ["x", "ws"], ["xw"], name="fc"),
             helper.make_node("Add", ["xw", "bb"], ["y"], name="bias")]
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"), i64("starts", [0]), i64("ends", [8]),
             i64("axes", [1]), i64("steps", [2]), i64("bshape", [1, 4])]
    g = helper.make_graph(nodes, "folded", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 5])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])], initializer=inits)
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(out, "folded_constants.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    y = x @ w.T[:, ::2] + np.broadcast_to(b, (1, 4))
    x.astype("<f4").tofile(os.path.join(out, "folded_constants.input.f32"))
    y.astype("<f4").tofile(os.path.join(out, "folded_constants.output.f32"))
    return "folded_constants 13 3,5 3,4\n"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1)
    rng = np.random.default_rng(7)
    cases = [(Mlp(), "mlp", (4, 20), 13), (CnnBn(), "cnn_bn", (2, 3, 16, 16), 13),
             (ResNetLike(), "resnet_like", (2, 3, 20, 20), 13), (MobileNetLike(), "mobilenet_like", (2, 3, 18, 18), 13),
             (Pools(), "pools", (2, 2, 11, 10), 11), (GeluMlp(), "gelu_mlp", (5, 12), 17),
             (Mlp(), "mlp_opset9", (3, 20), 9), (NormMlp(), "layernorm_opset13", (4, 10), 13)]
    lines = [export(m, name, shape, out, opset, rng) for m, name, shape, opset in cases]
    lines.append(export(CnnBn(), "cnn_bn_kept", (2, 3, 16, 16), out, 13, rng, keep_bn=True))
    lines.append(export(ResNetLike(), "resnet_bn_kept", (2, 3, 20, 20), out, 13, rng, keep_bn=True))
    lines.append(export(FashionNet(), "fashion_net", (2, 1, 28, 28), out, 13, rng, keep_bn=True))
    lines.append(export(EmbedNet(), "embedding", (3, 7), out, 13, rng, vocabulary=30))
    for model, name, shape, opset in [(LstmLast(), "lstm_last_opset9", (3, 6, 5), 9),
                                      (LstmLast(), "lstm_last", (3, 6, 5), 13),
                                      (LstmLast(gru=True), "gru_last", (3, 6, 5), 13),
                                      (GruFinal(), "gru_final_state", (2, 4, 5), 13),
                                      (StackedBiLstm(), "stacked_bilstm", (3, 5, 4), 13),
                                      (BiGruSteps(), "bigru_steps", (2, 4, 3), 17)]:
        lines.append(export(model, name, shape, out, opset, rng))
    lines.append(export(StackedBiLstm(), "stacked_bilstm_fixed_batch", (3, 5, 4), out, 11, rng, dynamic=False))
    lines.append(export(LogSoftmaxMlp(), "log_softmax_mlp", (5, 6), out, 11, rng))
    lines.append(folded_constants(out, rng))
    lines.append(export(TextLstm(), "text_lstm", (3, 9), out, 13, rng, vocabulary=40))
    with open(os.path.join(out, "manifest.txt"), "w") as f:
        f.writelines(lines)
    hostile(out)



def hostile(out):
    """Malformed and unsupported files, each with the words its refusal must contain (hostile.txt:
    "FILE|words;words")."""
    from onnx import TensorProto, helper
    rows = []

    def save(name, model, words):
        with open(os.path.join(out, name), "wb") as f:
            f.write(model if isinstance(model, bytes) else model.SerializeToString())
        rows.append(f"{name}|{words}\n")

    def model(nodes, inputs, outputs, inits=(), opset=13):
        g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
        return m

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])
    relu = helper.make_node("Relu", ["x"], ["y"], name="relu1")
    good = open(os.path.join(out, "mlp.onnx"), "rb").read()
    save("empty.onnx", b"", "not an ONNX model")
    save("garbage.onnx", bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8)), "not an ONNX model")
    save("truncated.onnx", good[: len(good) // 2], "not an ONNX model")
    save("project.onnx", b'{"format": "neurite-project"}', "not an ONNX model")
    cyc = model([helper.make_node("Relu", ["x", "b"], ["a"], name="first"), helper.make_node("Relu", ["a"], ["b"], name="second")],
                [x], [helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 4])])
    save("cycle.onnx", cyc, "cycle;first")
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], np.zeros(16, np.float32).tobytes(), raw=True)
    w.raw_data = w.raw_data[:12]
    save("size_mismatch.onnx", model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [x], [y], [w]),
         "initializer w;12 bytes")
    ext = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], np.zeros(16, np.float32).tobytes(), raw=True)
    ext.ClearField("raw_data")
    ext.data_location = TensorProto.EXTERNAL
    e = ext.external_data.add()
    e.key, e.value = "location", "/etc/passwd"
    save("external.onnx", model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [x], [y], [ext]),
         "external file")
    huge = helper.make_tensor("w", TensorProto.FLOAT, [1], [0.0])
    huge.ClearField("dims")
    huge.dims.extend([1 << 40, 1 << 40])
    save("absurd_tensor.onnx", model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [x], [y], [huge]),
         "initializer w;2^31")
    xin = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1000000000, 1000000000])
    save("absurd_input.onnx", model([helper.make_node("Relu", ["x"], ["y"], name="r")], [xin], [y]), "absurdly large")
    unsupported = model([helper.make_node("Relu", ["x"], ["a"], name="fine"),
                         helper.make_node("Hardmax", ["a"], ["b"], name="hard1"),
                         helper.make_node("Foo", ["b"], ["c"], name="custom1", domain="com.example"),
                         helper.make_node("Relu", ["c"], ["y"], name="after")], [x], [y])
    unsupported.opset_import.append(helper.make_opsetid("com.example", 1))
    save("unsupported.onnx", unsupported, "cannot import 2 of its 4 nodes;Hardmax node 'hard1' (opset 13);Foo node 'custom1'")
    save("opset20.onnx", model([relu], [x], [y], opset=20), "opset 20")
    x2 = helper.make_tensor_value_info("x2", TensorProto.FLOAT, ["N", 4])
    save("two_inputs.onnx", model([helper.make_node("Add", ["x", "x2"], ["y"], name="add")], [x, x2], [y]), "2 inputs")
    xs = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "features"])
    w3 = helper.make_tensor("w", TensorProto.FLOAT, [3, 4], np.arange(12, dtype=np.float32).tolist())
    save("symbolic_input.onnx", model([helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)], [xs],
                                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])], [w3]),
         "leaves open;--input-shape")
    save("dangling.onnx", model([helper.make_node("Relu", ["nowhere"], ["y"], name="r")], [x], [y]), "nowhere;r (Relu)")
    with open(os.path.join(out, "hostile.txt"), "w") as f:
        f.writelines(rows)


if __name__ == "__main__":
    main()
