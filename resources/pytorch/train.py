"""Trains the exported model with the Neurite project's settings (config.json), on one process or
many, and writes what happens as JSON Lines in the format of `neurite-cli train --json`.

  python3 train.py                          one process: the first GPU, else the CPU
  torchrun --standalone --nproc_per_node=4 train.py    DistributedDataParallel on this machine
  torchrun --nnodes=2 --node_rank=R --nproc_per_node=8 --rdzv_backend=c10d \\
           --rdzv_endpoint=HOST:29500 train.py            the same on several machines

Written by Neurite's pytorch export; the same file for every project. What it reproduces of a
Neurite run: the initial weights (weights/), the splits (data/), the scaling fitted on the
training split, the order of the training samples in every epoch (Neurite's xoshiro256**
generator), the loss, optimizer, learning-rate schedule, explicit l1/l2, gradient clipping,
early stopping, frozen layers and per-layer learning rates. --batch-size is the global batch: each
of the W processes takes its share of every batch, so one process and many take the same steps.
Dropout masks and augmentation draws are PyTorch's, not Neurite's.
"""
import argparse
import datetime
import json
import math
import os
import socket
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

import data as datamod
import model as modelmod

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1


# ---- Neurite's random generator (engine/core/random.h), for the same sample order ----------

class NeuriteRng:
    """xoshiro256** seeded by splitmix64, with Neurite's unbiased below(n) and Fisher-Yates."""

    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s = self.s
        result = (self.rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return result

    def below(self, n):
        limit = ((1 << 64) - n) % n
        x = self.next()
        while x < limit:
            x = self.next()
        return x % n

    def shuffle(self, items):
        for i in range(len(items), 1, -1):
            j = self.below(i)
            items[i - 1], items[j] = items[j], items[i - 1]
        return items


def epoch_order(seed, epoch, count):
    """The training samples' order in epoch `epoch` (0-based), as Neurite's trainer draws it."""
    return NeuriteRng((seed * 0x100000001B3 + epoch + 1) & MASK).shuffle(list(range(count)))


# ---- settings -------------------------------------------------------------------------------

def parse_args(config):
    t = config["training"]
    p = argparse.ArgumentParser(description="Train the exported Neurite model with PyTorch.")
    p.add_argument("--epochs", type=int, default=t["epochs"])
    p.add_argument("--batch-size", type=int, default=t["batch_size"], help="the global batch")
    p.add_argument("--lr", type=float, default=t["optimizer"]["lr"])
    p.add_argument("--seed", type=int, default=t["seed"])
    p.add_argument("--device", default="auto", help="auto, cpu, cuda")
    p.add_argument("--max-steps", type=int, default=0, help="stop each epoch after this many steps")
    p.add_argument("--out", default=None, help="run folder (default runs/<time>)")
    p.add_argument("--resume", nargs="?", const="runs/latest", default=None,
                   help="continue from FOLDER/checkpoint.pt (default runs/latest)")
    p.add_argument("--no-weights", action="store_true", help="start from torch's initializers, not weights/")
    p.add_argument("--data", default=os.path.join(HERE, "data"), help="folder with the splits")
    p.add_argument("--json", action="store_true", help="also print the events on stdout")
    p.add_argument("--threads", type=int, default=0, help="CPU threads per process (0: torch's choice)")
    args = p.parse_args()
    for name in ("epochs", "batch_size", "max_steps"):
        if getattr(args, name) < (1 if name != "max_steps" else 0):
            p.error(f"--{name.replace('_', '-')} must be positive")
    return args


class Distributed:
    """The process's place among torchrun's processes (one process when not under torchrun)."""

    def __init__(self, requested):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = torch.cuda.is_available() and requested in ("auto", "cuda")
        if requested == "cuda" and not torch.cuda.is_available():
            raise SystemExit("error: --device cuda, but PyTorch sees no GPU")
        self.device = torch.device(f"cuda:{self.local_rank % max(torch.cuda.device_count(), 1)}" if cuda else "cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        self.backend = "nccl" if cuda else "gloo"
        if self.world > 1:
            dist.init_process_group(self.backend, timeout=datetime.timedelta(minutes=30))

    @property
    def main(self):
        return self.rank == 0

    def sum(self, values):
        """The sums over every process of a list of floats (one all-reduce)."""
        if self.world == 1:
            return values
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return t.tolist()

    def barrier(self):
        if self.world > 1:
            dist.barrier()

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


# ---- losses, in Neurite's definitions (sums over a batch's samples, divided by the caller) ----

class Loss:
    def __init__(self, cfg, data, outputs, device):
        self.kind = cfg["type"]
        self.cfg = cfg
        weights = cfg.get("class_weights") or []
        self.class_weights = (torch.tensor(weights, dtype=torch.float32, device=device) if weights
                              else data.class_weights if self.kind == "cross_entropy" else None)
        self.binary = data.classification and outputs == 1
        self.pos_weight = cfg.get("pos_weight", 1.0)
        if self.kind == "binary_cross_entropy" and data.class_weights is not None and len(data.class_weights) == 2 \
                and float(data.class_weights[0]) > 0:
            self.pos_weight = float(data.class_weights[1] / data.class_weights[0])

    def divisor(self, y, outputs):
        """What Neurite divides a batch's loss terms by: the batch size, the sum of the labels'
        class weights, or the number of output values."""
        if self.kind == "cross_entropy" and self.class_weights is not None:
            return self.class_weights[y].sum()
        if self.kind in ("cross_entropy", "focal"):
            return float(len(y))
        return float(len(y) * outputs)

    def terms(self, logits, y):
        """(sum of the batch's loss terms, the divisor that makes it Neurite's mean)."""
        k = self.kind
        if k == "cross_entropy":
            per = F.cross_entropy(logits, y, weight=self.class_weights, reduction="none",
                                  label_smoothing=self.cfg.get("label_smoothing", 0.0))
            div = self.class_weights[y].sum() if self.class_weights is not None else float(len(y))
            return per.sum(), div
        if k == "focal":
            logp = F.log_softmax(logits, dim=1).gather(1, y[:, None])[:, 0]
            per = -self.cfg["alpha"] * (1 - logp.exp()) ** self.cfg["gamma"] * logp
            return per.sum(), float(len(y))
        if k == "binary_cross_entropy":
            t = y.to(logits.dtype).reshape(logits.shape)
            pw = torch.tensor(self.pos_weight, dtype=logits.dtype, device=logits.device)
            per = F.binary_cross_entropy_with_logits(logits, t, pos_weight=pw, reduction="none")
            return per.sum(), float(per.numel())
        t = y.reshape(logits.shape)
        if k == "mse":
            per = (logits - t) ** 2
        elif k == "huber":
            per = F.huber_loss(logits, t, delta=self.cfg.get("delta", 1.0), reduction="none")
        else:
            raise SystemExit(f"error: config.json: unknown loss {k}")
        return per.sum(), float(per.numel())

    def correct(self, logits, y):
        """The number of right predictions, as a tensor (no wait for the GPU)."""
        if self.binary:
            return ((logits.reshape(-1) > 0).long() == y.reshape(-1)).sum()
        return (logits.argmax(dim=1) == y).sum()


def learning_rate(s, base, epoch, step, epochs, steps_per_epoch, plateau_lr):
    """Neurite's schedules (engine/train/schedule.cpp): per epoch, cosine per step after a warm-up."""
    kind = s["type"]
    if kind == "step":
        return base * s["gamma"] ** (epoch // max(s["step_size"], 1))
    if kind == "exponential":
        return base * s["gamma"] ** epoch
    if kind == "cosine":
        at = epoch * steps_per_epoch + step
        warmup = s["warmup_epochs"] * steps_per_epoch
        if at < warmup:
            return base * (at + 1) / warmup
        total = epochs * steps_per_epoch - warmup
        t = min((at - warmup) / total, 1.0) if total > 0 else 1.0
        return s["min_lr"] + (base - s["min_lr"]) * 0.5 * (1 + math.cos(math.pi * t))
    if kind == "plateau":
        return plateau_lr
    return base


def make_optimizer(cfg, groups, lr):
    o = cfg["optimizer"]
    kind, decay = o["type"], o["weight_decay"]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=o["momentum"], nesterov=o["nesterov"], weight_decay=decay)
    if kind in ("adam", "adamw"):
        make = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
        return make(groups, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"], weight_decay=decay)
    if kind == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=o["alpha"], eps=o["epsilon"], weight_decay=decay,
                                   momentum=o["momentum"])
    raise SystemExit(f"error: config.json: unknown optimizer {kind}")


# ---- evaluation and metrics, as neurite-cli train --json reports them -------------------------

@torch.no_grad()
def evaluate(net, data, loss, split, loss_unit, with_matrix=False):
    net.eval()
    n = data.count[split]
    total, div, correct = 0.0, 0.0, 0
    logits_all, y_all = [], []
    for start in range(0, n, 1024):
        idx = torch.arange(start, min(start + 1024, n), device=data.x[split].device)
        x, y = data.batch(split, idx)
        z = net(x).float()
        s, d = loss.terms(z, y)
        total += float(s)
        div += float(d)
        if data.classification:
            correct += int(loss.correct(z, y))
        logits_all.append(z.cpu())
        y_all.append(y.cpu())
    z, y = torch.cat(logits_all), torch.cat(y_all)
    metrics = {"count": n, "split": split, "seconds": 0.0}
    value = total / max(div, 1e-30) * loss_unit
    if data.classification:
        metrics.update(classification_metrics(z, y, loss.binary, with_matrix, data))
        return value, correct / n, metrics
    if data.target_mean is not None:
        z = z * data.target_std.cpu() + data.target_mean.cpu()
        y = y * data.target_std.cpu() + data.target_mean.cpu()
    err = (z.reshape(y.shape) - y).double()
    mse = float((err ** 2).mean())
    var = float(((y.double() - y.double().mean(dim=0)) ** 2).mean())
    metrics.update({"mse": mse, "rmse": math.sqrt(mse), "mae": float(err.abs().mean()),
                    "r2": 1 - mse / var if var > 0 else 0.0})
    return value, None, metrics


def classification_metrics(z, y, binary, with_matrix, data):
    if binary:
        p1 = torch.sigmoid(z.reshape(-1).double())
        probs = torch.stack([1 - p1, p1], dim=1)
    else:
        probs = torch.softmax(z.double(), dim=1)
    k = probs.shape[1]
    pred = probs.argmax(dim=1)
    y = y.reshape(-1)
    matrix = torch.zeros(k, k, dtype=torch.int64)
    matrix.index_put_((y, pred), torch.ones_like(y), accumulate=True)
    support, predicted, hits = matrix.sum(1).double(), matrix.sum(0).double(), matrix.diag().double()
    recall = torch.where(support > 0, hits / support.clamp(min=1), torch.zeros_like(hits))
    precision = torch.where(predicted > 0, hits / predicted.clamp(min=1), torch.zeros_like(hits))
    f1 = torch.where(precision + recall > 0, 2 * precision * recall / (precision + recall).clamp(min=1e-300),
                     torch.zeros_like(hits))
    present = support > 0
    n = max(len(y), 1)
    weights = support / n
    chance = float((support * predicted).sum()) / n / n
    accuracy = float(hits.sum()) / n
    cov_yp = float(hits.sum()) * n - float((support * predicted).sum())
    cov_yy = n * n - float((support ** 2).sum())
    cov_pp = n * n - float((predicted ** 2).sum())
    out = {"accuracy": accuracy,
           "balanced_accuracy": float(recall[present].mean()) if bool(present.any()) else 0.0,
           "precision_macro": float(precision.mean()), "recall_macro": float(recall.mean()),
           "f1_macro": float(f1.mean()),
           "precision_weighted": float((precision * weights).sum()), "recall_weighted": float((recall * weights).sum()),
           "f1_weighted": float((f1 * weights).sum()),
           "precision_micro": accuracy, "recall_micro": accuracy, "f1_micro": accuracy,
           "kappa": (accuracy - chance) / (1 - chance) if chance < 1 else 0.0,
           "mcc": cov_yp / math.sqrt(cov_yy * cov_pp) if cov_yy > 0 and cov_pp > 0 else 0.0,
           "log_loss": float(-probs.gather(1, y[:, None]).clamp(min=1e-15).log().mean())}
    if with_matrix:
        counts = matrix.tolist()
        names = [str(c) for c in data_class_names(data, k)]
        out["per_class"] = [{"class": names[c], "support": int(support[c]), "predicted": int(predicted[c]),
                             "precision": float(precision[c]), "recall": float(recall[c]), "f1": float(f1[c])}
                            for c in range(k)]
        out["confusion_matrix"] = {"classes": names, "counts": counts,
                                   "normalized": [[c / max(sum(row), 1) for c in row] for row in counts]}
    return out


def data_class_names(data, k):
    names = getattr(data, "class_names", None) or []
    return names if len(names) == k else list(range(k))


# ---- the run ----------------------------------------------------------------------------------

def save_weights(module, folder):
    os.makedirs(folder, exist_ok=True)
    for key, value in module.state_dict().items():
        if key.endswith("num_batches_tracked"):
            continue
        np.save(os.path.join(folder, key + ".npy"), value.detach().cpu().float().numpy())


class Events:
    """The run's events: events.jsonl in the run folder (and stdout with --json); progress lines
    on stderr otherwise."""

    def __init__(self, path, echo, resumed_after, epochs):
        kept = []
        if resumed_after and os.path.exists(path):  # a resumed run: the epochs before the checkpoint
            with open(path, encoding="utf-8") as f:
                for line in f:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("event") == "epoch" and event.get("epoch", 0) <= resumed_after:
                        event["epochs"] = epochs  # the resumed run's total
                        kept.append(json.dumps(event, sort_keys=True) + "\n")
        self.file = open(path, "w", encoding="utf-8")
        self.file.writelines(kept)
        self.file.flush()
        self.echo = echo

    def write(self, event):
        line = json.dumps(event, sort_keys=True)
        self.file.write(line + "\n")
        self.file.flush()
        if self.echo:
            print(line, flush=True)
        elif event["event"] == "epoch":
            acc = f"  acc {event['train_accuracy']:.4f}" if "train_accuracy" in event else ""
            val = f"  val_loss {event['val_loss']:.4f}" if "val_loss" in event else ""
            val += f"  val_acc {event['val_accuracy']:.4f}" if "val_accuracy" in event else ""
            print(f"epoch {event['epoch']}/{event['epochs']}  loss {event['train_loss']:.4f}{acc}{val}"
                  f"  lr {event['lr']:.3g}  {event['samples_per_sec']:.0f} samples/s", file=sys.stderr, flush=True)


def main():
    config = datamod.load_config()
    args = parse_args(config)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    place = Distributed(args.device)
    device = place.device
    t = config["training"]
    data = datamod.Data(config, device, args.data)
    data.class_names = config.get("class_names") or []
    if place.main:
        for note in data.notes:  # the scaling fitted here against Neurite's own fit
            print(note, file=sys.stderr)
    net = modelmod.build_model().to(device)
    if not args.no_weights:
        modelmod.load_weights(net, os.path.join(HERE, "weights"))
        net.to(device)
    frozen = set(config.get("frozen", []))
    for key, p in net.named_parameters():
        p.requires_grad_(key not in frozen)
    outputs = int(config["outputs"])
    if place.world > 1 and device.type == "cuda":
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    module = net
    frozen_modules = [getattr(module, m) for m in config.get("frozen_modules", [])]  # after the conversion
    if place.world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            net, device_ids=[device.index] if device.type == "cuda" else None)
    loss = Loss(t["loss"], data, outputs, device)
    scales = config.get("lr_scale", {})
    groups = {}
    for key, p in module.named_parameters():
        if p.requires_grad:
            groups.setdefault(float(scales.get(key, 1.0)), []).append(p)
    param_groups = [{"params": ps, "scale": s} for s, ps in groups.items()]
    optimizer = make_optimizer(t, param_groups, args.lr)
    wanted = set(config.get("regularized", []))
    regularized = [p for key, p in module.named_parameters() if key in wanted and p.requires_grad]
    trainable = [p for g in param_groups for p in g["params"]]
    loss_unit = float((data.target_std.double() ** 2).mean()) if data.target_std is not None else 1.0
    out, state = open_run(args, module, optimizer, place)
    events = Events(os.path.join(out, "events.jsonl"), args.json, state["epoch"], args.epochs) if place.main else None
    n, batch = data.count["train"], args.batch_size
    steps_per_epoch = (n + batch - 1) // batch
    if args.max_steps:
        steps_per_epoch = min(steps_per_epoch, args.max_steps)
    es = t["early_stopping"]
    monitor = es["monitor"] if "validation" in data.count or es["monitor"] == "train_loss" else "train_loss"
    autocast = t.get("precision") == "bf16"
    started, samples_seen, status = time.perf_counter(), 0, "completed"
    for epoch in range(state["epoch"], args.epochs):
        net.train()
        for m in frozen_modules:
            m.eval()  # a frozen layer's BatchNorm keeps its running statistics
        torch.manual_seed(args.seed * 1000003 + epoch * 7919 + place.rank)  # dropout, mixup
        generator = torch.Generator(device=device)
        generator.manual_seed(args.seed * 1000003 + epoch * 7919 + place.rank)  # augmentation
        order = torch.tensor(epoch_order(args.seed, epoch, n), dtype=torch.long, device=device)
        begin = time.perf_counter()
        sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss terms, divisor, correct
        lr = args.lr
        for step in range(steps_per_epoch):
            whole = order[step * batch:(step + 1) * batch]
            share = whole[place.rank * len(whole) // place.world:(place.rank + 1) * len(whole) // place.world]
            lr = learning_rate(t["schedule"], args.lr, epoch, step, args.epochs, steps_per_epoch, state["plateau_lr"])
            for g in optimizer.param_groups:
                g["lr"] = lr * g["scale"]
            x, y = data.batch("train", share, augment=generator)
            mix = mixup(data, len(x), device)
            if mix is not None:
                x = mix[1] * x + (1 - mix[1]) * x[mix[0]]
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
                z = net(x)
            z = z.float()
            s, d = loss.terms(z, y)
            if mix is not None:
                s = mix[1] * s + (1 - mix[1]) * loss.terms(z, y[mix[0]])[0]
            # Neurite's mean over the whole global batch; every process knows all its labels.
            # DDP averages the processes' gradients, hence the factor W.
            whole_div = loss.divisor(data.y["train"][whole] if "train" in data.y else whole, outputs) \
                if place.world > 1 else d
            optimizer.zero_grad(set_to_none=True)
            (s / whole_div * place.world).backward()
            if t["l1"] or t["l2"]:
                with torch.no_grad():
                    for p in regularized:
                        p.grad.add_(t["l1"] * torch.sign(p) + t["l2"] * p)
            if t["clip_norm"] > 0:
                norm = torch.nn.utils.clip_grad_norm_(trainable, t["clip_norm"])
                if not torch.isfinite(norm):
                    raise SystemExit(f"error: the gradient became NaN/Inf at step {step + 1}; lower the learning rate")
            optimizer.step()
            sums[0] += s.detach().double()
            sums[1] += float(d) if not torch.is_tensor(d) else d.double()
            if data.classification:
                sums[2] += loss.correct(z.detach(), y)
        total = place.sum(sums.tolist())
        if not math.isfinite(total[0]):
            status = "failed"
            print(f"error: training diverged in epoch {epoch + 1}: the loss is not finite; "
                  "lower the learning rate or set clip_norm", file=sys.stderr)
            break
        seen = min(steps_per_epoch * batch, n)
        samples_seen += seen
        seconds = time.perf_counter() - begin
        event = {"event": "epoch", "epoch": epoch + 1, "epochs": args.epochs, "lr": lr, "seconds": seconds,
                 "samples_per_sec": seen / max(seconds, 1e-9),
                 "train_loss": total[0] / max(total[1], 1e-30) * loss_unit}
        if data.classification:
            event["train_accuracy"] = total[2] / seen
        if "validation" in data.count and place.main:
            vloss, vacc, vmetrics = evaluate(module, data, loss, "validation", loss_unit)
            event.update({"val_loss": vloss, "val_metrics": vmetrics})
            if vacc is not None:
                event["val_accuracy"] = vacc
        watched = broadcast_value(place, event.get(monitor, event["train_loss"]))
        larger_is_better = monitor == "val_accuracy"
        improved = state["best"] is None or (watched > state["best"] + es["min_delta"] if larger_is_better
                                             else watched < state["best"] - es["min_delta"])
        if improved:
            state.update(best=watched, best_epoch=epoch + 1, bad=0,
                         best_weights={k: v.detach().clone() for k, v in module.state_dict().items()})
        else:
            state["bad"] += 1
        event["best"] = bool(improved)
        if t["schedule"]["type"] == "plateau":
            plateau_step(state, t["schedule"], broadcast_value(place, event.get("val_loss", event["train_loss"])))
        state["epoch"] = epoch + 1
        if place.main:
            events.write(event)
            torch.save({"model": module.state_dict(), "optimizer": optimizer.state_dict(), "state": state},
                       os.path.join(out, "checkpoint.pt"))
        if es["enabled"] and state["bad"] >= es["patience"]:
            status = "early_stopped"
            break
    if es["enabled"] and es["restore_best"] and state["best_weights"] is not None:
        module.load_state_dict(state["best_weights"])
    if place.main:
        finish(module, data, loss, loss_unit, state, config, place, events, out, status,
               samples_seen, time.perf_counter() - started, args)
    place.barrier()
    place.close()


def open_run(args, module, optimizer, place):
    """The run folder (new, or --resume's) and the loop's state, restored from its checkpoint."""
    state = {"epoch": 0, "best": None, "best_epoch": 0, "bad": 0, "plateau_lr": args.lr, "plateau_best": None,
             "plateau_bad": 0, "best_weights": None}
    if args.resume:
        out = os.path.realpath(args.resume)
        path = os.path.join(out, "checkpoint.pt")
        if not os.path.exists(path):
            raise SystemExit(f"error: --resume: {path} does not exist")
        saved = torch.load(path, map_location=place.device)
        module.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state.update(saved["state"])
        return out, state
    out = args.out or os.path.join("runs", datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    if place.main:
        os.makedirs(out, exist_ok=True)
        latest = os.path.join(os.path.dirname(os.path.abspath(out)), "latest")
        if os.path.islink(latest):
            os.remove(latest)
        if not os.path.exists(latest):
            os.symlink(os.path.abspath(out), latest)
    return out, state


def broadcast_value(place, value):
    """Rank 0's value on every process (validation runs on rank 0 alone)."""
    if place.world == 1:
        return value
    t = torch.tensor([float(value)], dtype=torch.float64, device=place.device)
    dist.broadcast(t, 0)
    return float(t[0])


def plateau_step(state, s, monitored):
    if state["plateau_best"] is None or monitored < state["plateau_best"] * (1 - s["threshold"]):
        state.update(plateau_best=monitored, plateau_bad=0)
        return
    state["plateau_bad"] += 1
    if state["plateau_bad"] > s["patience"]:
        state.update(plateau_lr=max(state["plateau_lr"] * s["factor"], s["min_lr"]), plateau_bad=0)


def mixup(data, count, device):
    """(permutation, lambda) of a mixup batch, lambda ~ Beta(alpha, alpha); None without mixup."""
    alpha = data.augment_cfg.get("mixup", 0.0)
    if not alpha or not data.classification:
        return None
    lam = float(torch.distributions.Beta(torch.tensor(float(alpha)), torch.tensor(float(alpha))).sample())
    return torch.randperm(count, device=device), lam


def finish(module, data, loss, loss_unit, state, config, place, events, out, status, seen, seconds, args):
    end = {"event": "finished", "epochs": state["epoch"], "best_epoch": state["best_epoch"], "status": status,
           "seconds": seconds, "samples_per_sec": seen / max(seconds, 1e-9),
           "ran_on": {"framework": "pytorch", "torch": torch.__version__, "host": socket.gethostname(),
                      "processes": place.world, "backend": place.backend if place.world > 1 else None,
                      "device": str(place.device) if place.device.type == "cpu"
                      else torch.cuda.get_device_name(place.device)},
           "project": config.get("project", ""), "exported_by": config.get("exported_by", ""),
           "settings": {"training.epochs": args.epochs, "training.batch_size": args.batch_size,
                        "training.optimizer.lr": args.lr, "training.seed": args.seed,
                        "training.max_steps": args.max_steps},
           "data": {"source": config["data"].get("source", ""), "classes": config.get("class_names", []),
                    **{split: data.count.get(split, 0) for split in ("train", "validation", "test")}}}
    for split, prefix in (("validation", "val"), ("test", "test")):
        if split in data.count:
            value, acc, metrics = evaluate(module, data, loss, split, loss_unit, with_matrix=split == "test")
            end[f"{prefix}_loss"] = value
            end[f"{prefix}_metrics"] = metrics
            if acc is not None:
                end[f"{prefix}_accuracy"] = acc
    events.write(end)
    save_weights(module, os.path.join(out, "weights"))
    print(f"{status}: {state['epoch']} epoch(s); events in {os.path.join(out, 'events.jsonl')}, "
          f"weights in {os.path.join(out, 'weights')}", file=sys.stderr)


if __name__ == "__main__":
    main()
