#!/usr/bin/python3
"""Training parity with PyTorch from imported weights (tests/engine/test_onnx_import.cpp,
trainingMatchesPyTorch).

usage: onnx_train_parity.py OUT_DIR

For an MLP and a CNN (no batch norm, no dropout) writes OUT_DIR/MODEL.onnx (the initial weights,
torch.onnx.export), the batches OUT_DIR/MODEL.x.f32 [steps, batch, sample...] and
OUT_DIR/MODEL.y.i32 [steps, batch], then trains a copy of the initial model with each optimizer
for STEPS steps of mean cross-entropy on those batches and writes every parameter after the last
step as OUT_DIR/MODEL.OPT.NAME.f32 (NAME: the state_dict key, as in the ONNX initializers).
OUT_DIR/parity.txt lists "MODEL OPT lr steps batch sample-dims param-names".
"""
import copy
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS, BATCH = 100, 16


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(12, 32), nn.Linear(32, 16), nn.Linear(16, 4)

    def forward(self, x):
        return self.fc3(torch.tanh(self.fc2(F.relu(self.fc1(x)))))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(3)
    rng = np.random.default_rng(11)
    lines = []
    for name, model, sample, classes in (("mlp", Mlp(), (12,), 4), ("cnn", Cnn(), (1, 16, 16), 5)):
        model.eval()
        torch.onnx.export(model, torch.zeros((1,) + sample), os.path.join(out, name + ".onnx"), opset_version=13,
                          input_names=["input"], dynamic_axes={"input": {0: "batch"}})
        x = rng.normal(size=(STEPS, BATCH) + sample).astype(np.float32)
        y = rng.integers(0, classes, size=(STEPS, BATCH)).astype(np.int32)
        x.astype("<f4").tofile(os.path.join(out, name + ".x.f32"))
        y.astype("<i4").tofile(os.path.join(out, name + ".y.i32"))
        for opt, lr in (("sgd", 0.05), ("adam", 0.003)):
            m = copy.deepcopy(model).train()
            o = (torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9) if opt == "sgd"
                 else torch.optim.Adam(m.parameters(), lr=lr))
            for s in range(STEPS):
                o.zero_grad()
                F.cross_entropy(m(torch.from_numpy(x[s])), torch.from_numpy(y[s]).long()).backward()
                o.step()
            names = []
            for key, value in m.state_dict().items():
                value.detach().numpy().astype("<f4").tofile(os.path.join(out, f"{name}.{opt}.{key}.f32"))
                names.append(key)
            dims = ",".join(str(d) for d in sample)
            lines.append(f"{name} {opt} {lr} {STEPS} {BATCH} {dims} {','.join(names)}\n")
    with open(os.path.join(out, "parity.txt"), "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
