#!/usr/bin/env python3
"""PyTorch reference training benchmark on Fashion-MNIST.

Trains the same MLP and CNN that `neurite-cli bench` trains (Adam, lr 1e-3,
cross-entropy, fp32; on the CPU or, with --device cuda, on the GPU) and prints
one JSON line per model to stdout:

  {"model": "mlp", "framework": "pytorch", "torch_version": "1.13.0",
   "threads": 2, "batch_size": 64, "epochs": 1, "samples_per_sec": 12345.6,
   "seconds": 4.86, "test_accuracy": 0.8512, "steps": 938}

Progress messages go to stderr only, so stdout can be parsed line by line.

Method:
  * The IDX files are read with gzip + numpy, and the whole training set is
    converted once, up front, to a float32 tensor [N, 1, 28, 28] in [0, 1].
  * Before timing, 5 warm-up steps are run on the same model (they are part
    of its training, not a throwaway copy), so one-off allocation and kernel
    selection costs stay out of the measurement.
  * Each epoch draws a torch.randperm and indexes the preloaded tensor with
    it; the last, incomplete batch is kept. The timed region is the epoch
    loop (permutation, batch indexing, forward, backward, optimizer step);
    file loading, conversion, warm-up and test evaluation are not timed.
  * samples_per_sec = training samples processed in the timed epochs divided
    by the timed seconds; steps = timed optimizer steps. test_accuracy is a
    fraction in [0, 1] on the 10k test set.

With --device cuda[:N] the whole training set, the model and the permutation
live on the GPU (as in neurite's device pipeline), TF32 is off so both compute
in true fp32, and the GPU is synchronized before each timer read.

Run it with Debian's interpreter, which has python3-torch:

  /usr/bin/python3 tests/bench/torch_reference.py --model all --threads 2
"""

import argparse
import gzip
import json
import os
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print("error: PyTorch not found; install Debian's python3-torch "
          "(sudo apt-get install python3-torch)", file=sys.stderr)
    sys.exit(2)

import numpy as np

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
WARMUP_STEPS = 5
EVAL_BATCH = 1000
LOG_EVERY = 200
IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("mlp", "cnn", "lstm", "gru", "text-lstm", "text-gru", "text-cnn", "all"),
                        default="all")
    parser.add_argument("--batch-size", type=positive_int, default=64)
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--epochs", type=positive_int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="directory with the gzipped Fashion-MNIST IDX files")
    parser.add_argument("--max-steps", type=positive_int, default=None,
                        help="stop each epoch after this many steps")
    parser.add_argument("--device", default="cpu",
                        help="cpu, cuda or cuda:N (default cpu)")
    return parser.parse_args()


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_idx(path, magic):
    """Read a gzipped IDX file (big-endian header) into a uint8 numpy array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = magic & 0xFF
    header = np.frombuffer(raw, dtype=">u4", count=1 + ndim)
    if header[0] != magic:
        raise ValueError(f"{path}: bad IDX magic {header[0]:#010x}, expected {magic:#010x}")
    shape = tuple(int(d) for d in header[1:])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + ndim))
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {shape} elements, found {data.size}")
    return data.reshape(shape)


def load_split(data_dir, prefix):
    """Return (images float32 [N,1,28,28] in [0,1], labels int64 [N])."""
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"),
                      IDX_IMAGES_MAGIC)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"),
                      IDX_LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x.contiguous(), y


class RowRecurrent(nn.Module):
    """The image read row by row (28 steps of 28 pixels) by one LSTM or GRU layer of 128 units,
    its final state into Linear(128, 10): neurite-cli bench's lstm and gru models."""

    def __init__(self, cell):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        _, state = self.rnn(x.reshape(x.shape[0], 28, 28))
        h_n = state[0] if isinstance(state, tuple) else state
        return self.fc(h_n[-1])


TEXT_STEPS, TEXT_VOCABULARY = 100, 20000


class TextModel(nn.Module):
    """Embedding(20000, 64, padding_idx=0) over 100 token ids, then LSTM/GRU 128 (its final state)
    or Conv1d 128 k5 'same' + ReLU + max over time, then Linear(128, 10): neurite-cli bench's
    text-lstm, text-gru and text-cnn models."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.embedding = nn.Embedding(TEXT_VOCABULARY, 64, padding_idx=0)
        if kind == "text-cnn":
            self.conv = nn.Conv1d(64, 128, 5, padding=2)
        else:
            self.rnn = (nn.LSTM if kind == "text-lstm" else nn.GRU)(64, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, ids):
        x = self.embedding(ids)
        if self.kind == "text-cnn":
            return self.fc(torch.relu(self.conv(x.transpose(1, 2))).amax(dim=2))
        _, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state
        return self.fc(h_n[-1])


def token_data(seed):
    """Random token ids 1..19999 and random labels of 10 classes (10,000 training and 1,000 test
    samples), as neurite-cli bench's tokenData: speed does not depend on the texts."""
    g = torch.Generator().manual_seed(seed)
    def split(n):
        return (torch.randint(1, TEXT_VOCABULARY, (n, TEXT_STEPS), generator=g),
                torch.randint(0, 10, (n,), generator=g))
    return split(10000), split(1000)


def build_model(name):
    if name.startswith("text-"):
        return TextModel(name)
    if name in ("lstm", "gru"):
        return RowRecurrent(name)
    if name == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Linear(128, 10),
    )


def train_step(model, optimizer, loss_fn, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), EVAL_BATCH):
            logits = model(x[start:start + EVAL_BATCH])
            correct += (logits.argmax(dim=1) == y[start:start + EVAL_BATCH]).sum().item()
    return correct / len(x)


def run_model(name, args, train, test, device):
    torch.manual_seed(args.seed)
    model = build_model(name).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    train_x, train_y = train
    n = len(train_x)
    bs = args.batch_size

    model.train()
    warmup_idx = torch.randperm(n, device=device)[:WARMUP_STEPS * bs]
    for start in range(0, len(warmup_idx), bs):
        idx = warmup_idx[start:start + bs]
        train_step(model, optimizer, loss_fn, train_x[idx], train_y[idx])

    samples = 0
    steps = 0
    seconds = 0.0
    for epoch in range(args.epochs):
        synchronize(device)
        begin = time.perf_counter()
        perm = torch.randperm(n, device=device)
        for step, start in enumerate(range(0, n, bs)):
            if args.max_steps is not None and step >= args.max_steps:
                break
            idx = perm[start:start + bs]
            loss = train_step(model, optimizer, loss_fn, train_x[idx], train_y[idx])
            samples += len(idx)
            steps += 1
            if (step + 1) % LOG_EVERY == 0:
                log(f"{name}: epoch {epoch + 1} step {step + 1} loss {loss.item():.4f}")
        synchronize(device)
        seconds += time.perf_counter() - begin

    accuracy = evaluate(model, *test)
    log(f"{name}: {samples} samples in {seconds:.2f} s "
        f"({samples / seconds:.1f} samples/s), test accuracy {accuracy:.4f}")
    return {
        "model": name,
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": (torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"),
        "batch_size": bs,
        "epochs": args.epochs,
        "samples_per_sec": round(samples / seconds, 1),
        "seconds": round(seconds, 3),
        "test_accuracy": round(accuracy, 4),
        "steps": steps,
    }


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    try:
        device = torch.device(args.device)
    except RuntimeError as err:
        print(f"error: bad --device {args.device!r}: {err}", file=sys.stderr)
        return 2
    if device.type == "cuda":
        if not torch.cuda.is_available():
            print("error: --device cuda but PyTorch sees no usable GPU", file=sys.stderr)
            return 2
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    if args.model.startswith("text-"):
        train, test = token_data(args.seed)
    else:
        try:
            train = load_split(args.data, "train")
            test = load_split(args.data, "t10k")
        except (OSError, ValueError) as err:
            print(f"error: cannot load Fashion-MNIST from {args.data}: {err}", file=sys.stderr)
            return 2
    log(f"loaded {len(train[0])} training and {len(test[0])} test samples; "
        f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    train = (train[0].to(device), train[1].to(device))
    test = (test[0].to(device), test[1].to(device))
    models = ("mlp", "cnn") if args.model == "all" else (args.model,)
    for name in models:
        print(json.dumps(run_model(name, args, train, test, device)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
