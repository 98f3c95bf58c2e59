"""The exported project's data for PyTorch: Neurite's train, validation and test splits (data/),
the scaling fitted on the training split as Neurite fits it, and the training augmentation.

Written by Neurite's pytorch export; the same file for every project, driven by config.json.
The splits hold the raw features as Neurite's loading left them (texts encoded to token ids,
missing values imputed, the training split resampled), so the samples are exactly Neurite's.
To train on other data, put arrays of the same kind in data/ (train_x.npy, train_y.npy,
validation_*, test_*): the scaling is fitted again on whatever train_x.npy holds.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("train", "validation", "test")


def load_config(path=None):
    with open(path or os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def load_split(folder, name):
    """(x, y) of one split as NumPy arrays (memory-mapped), or None when it is not there."""
    x_path = os.path.join(folder, f"{name}_x.npy")
    if not os.path.exists(x_path):
        return None
    x = np.load(x_path, mmap_mode="r")
    y_path = os.path.join(folder, f"{name}_y.npy")
    y = np.load(y_path, mmap_mode="r") if os.path.exists(y_path) else None
    if y is not None and len(y) != len(x):
        raise ValueError(f"{y_path}: {len(y)} rows for the {len(x)} samples of {x_path}")
    return x, y


def fit_scaling(train_x, mode, series_channels=0):
    """(scale, mean, inv_std) with features = (raw * scale - mean) * inv_std, fitted on the
    training split as Neurite's fitScaling: pixels (uint8) are divided by 255 unless the mode is
    none; "auto" standardizes float data; statistics in float64, population standard deviation,
    1 for a constant column; a series' windows [lookback, channels] are scaled per channel."""
    u8 = train_x.dtype == np.uint8
    scale = np.float32(1.0 / 255.0) if u8 and mode != "none" else np.float32(1.0)
    standardize = mode == "standardize" or (mode == "auto" and not u8)
    min_max = mode == "minmax" or (mode == "unit" and not u8)
    if not (standardize or min_max):
        return scale, None, None
    n = len(train_x)
    per_sample = int(np.prod(train_x.shape[1:]))
    per_channel = series_channels > 0 and per_sample % series_channels == 0 and not u8
    columns = series_channels if per_channel else per_sample
    sums = np.zeros(columns)
    squares = np.zeros(columns)
    lo = np.full(columns, np.inf)
    hi = np.full(columns, -np.inf)
    chunk = 4096
    for start in range(0, n, chunk):  # two passes in chunks, as Neurite (no float32 sums)
        rows = (np.asarray(train_x[start:start + chunk], dtype=np.float32) * scale).astype(np.float64)
        rows = rows.reshape(-1, columns)
        sums += rows.sum(axis=0)
        lo = np.minimum(lo, rows.min(axis=0))
        hi = np.maximum(hi, rows.max(axis=0))
    count = n * (per_sample // columns)
    mean = sums / count
    if standardize:
        for start in range(0, n, chunk):
            rows = (np.asarray(train_x[start:start + chunk], dtype=np.float32) * scale).astype(np.float64)
            squares += ((rows.reshape(-1, columns) - mean) ** 2).sum(axis=0)
        var = squares / count
        std = np.where(var > 1e-12, np.sqrt(var), 1.0)
        mean_out, inv_out = mean, 1.0 / std
    else:
        spread = hi - lo
        mean_out, inv_out = lo, np.where(spread > 1e-12, 1.0 / np.where(spread > 1e-12, spread, 1.0), 1.0)
    repeat = per_sample // columns
    return scale, np.tile(mean_out, repeat).astype(np.float32), np.tile(inv_out, repeat).astype(np.float32)


def fit_target_scaling(train_y):
    """Mean and population std per target column (std 1 for a constant column), in float64."""
    y = np.asarray(train_y, dtype=np.float64)
    mean = y.mean(axis=0)
    var = ((y - mean) ** 2).mean(axis=0)
    return mean.astype(np.float32), np.where(var > 1e-12, np.sqrt(var), 1.0).astype(np.float32)


class Data:
    """The splits on one device as tensors (raw dtype: uint8 images stay uint8 until a batch is
    taken), with the fitted scaling; batch(indices) gives model inputs and targets."""

    def __init__(self, config, device, folder=None):
        folder = folder or os.path.join(HERE, "data")
        cfg = config["data"]
        self.classification = config["task"] == "classification"
        self.sample_shape = tuple(config["sample_shape"])
        self.augment_cfg = cfg.get("augment", {})
        self.reconstruct = cfg.get("reconstruct", False)
        splits = {name: load_split(folder, name) for name in SPLITS}
        if splits["train"] is None:
            raise FileNotFoundError(f"{folder}: no train_x.npy (export with data, or put the splits there)")
        train_x = splits["train"][0]
        if tuple(train_x.shape[1:]) != self.sample_shape:
            raise ValueError(f"train_x.npy: samples of shape {tuple(train_x.shape[1:])}, the model reads {self.sample_shape}")
        self.scale, mean, inv_std = fit_scaling(train_x, cfg.get("scaling", "auto"), cfg.get("series_channels", 0))
        self.mean = None if mean is None else torch.from_numpy(mean).to(device)
        self.inv_std = None if inv_std is None else torch.from_numpy(inv_std).to(device)
        self.notes = self._check_against_neurite(cfg.get("fitted_by_neurite", {}), mean, inv_std)
        self.target_mean = self.target_std = None
        if not self.classification and cfg.get("target_scaling") and splits["train"][1] is not None:
            m, s = fit_target_scaling(splits["train"][1])
            self.target_mean, self.target_std = torch.from_numpy(m).to(device), torch.from_numpy(s).to(device)
        weights = cfg.get("class_weights") or []
        self.class_weights = torch.tensor(weights, dtype=torch.float32, device=device) if weights else None
        self.x, self.y, self.count = {}, {}, {}
        for name, split in splits.items():
            if split is None:
                continue
            x, y = split
            self.x[name] = torch.from_numpy(np.array(x)).to(device)
            if y is not None:
                y = np.ascontiguousarray(y)
                self.y[name] = torch.from_numpy(y.astype(np.int64) if self.classification else y.astype(np.float32)).to(device)
            self.count[name] = len(x)

    def _check_against_neurite(self, fitted, mean, inv_std):
        notes = []
        if fitted and mean is not None and len(fitted.get("mean", [])) == len(mean):
            gap = max(float(np.max(np.abs(mean - np.asarray(fitted["mean"], dtype=np.float32)))),
                      float(np.max(np.abs(inv_std - np.asarray(fitted["inv_std"], dtype=np.float32)))))
            notes.append(f"scaling fitted on the training split; largest difference to Neurite's fit {gap:.2g}")
        return notes

    def features(self, raw):
        """Model inputs from raw samples [n, ...]: (raw * scale - mean) * inv_std, float32."""
        x = raw.to(torch.float32) * self.scale
        if self.mean is not None:
            flat = x.reshape(len(x), -1)
            x = ((flat - self.mean) * self.inv_std).reshape(x.shape)
        return x

    def batch(self, split, indices, augment=None):
        """(inputs, targets) of the samples `indices` (a LongTensor on the data's device).
        augment: a torch.Generator to augment with (training only), None for none."""
        raw = self.x[split][indices]
        if augment is not None and self._augmenting():
            x = augment_batch(raw.to(torch.float32) * self.scale, self.augment_cfg, augment)
            if self.mean is not None:
                x = ((x.reshape(len(x), -1) - self.mean) * self.inv_std).reshape(x.shape)
        else:
            x = self.features(raw)
        if self.reconstruct:
            return x, x.reshape(len(x), -1)
        y = self.y[split][indices] if split in self.y else None
        if y is not None and self.target_mean is not None:
            y = (y - self.target_mean) / self.target_std
        return x, y

    def _augmenting(self):
        a = self.augment_cfg
        return any(a.get(k) for k in ("horizontal_flip", "vertical_flip", "shift", "rotation", "zoom",
                                      "shear", "brightness", "noise", "cutout"))


def symmetric(n, extent, generator, device):
    return extent * (2.0 * torch.rand(n, generator=generator, device=device) - 1.0)


def augment_batch(x, a, generator):
    """Neurite's augmentation of scaled samples (docs/data.md) on a batch: images [N, C, H, W]
    get one affine map each (flip, rotation, shear, zoom, shift about the centre, bilinear, zero
    fill), then brightness, Gaussian noise and cutout. The same kinds and ranges as Neurite, not
    the same random draws."""
    n, device = len(x), x.device
    image = x.dim() == 4
    if image and any(a.get(k) for k in ("horizontal_flip", "vertical_flip", "shift", "rotation", "zoom", "shear")):
        h, w = x.shape[2], x.shape[3]
        one = torch.ones(n, device=device)
        fx = torch.where(torch.rand(n, generator=generator, device=device) < 0.5, -one, one) if a.get("horizontal_flip") else one
        fy = torch.where(torch.rand(n, generator=generator, device=device) < 0.5, -one, one) if a.get("vertical_flip") else one
        angle = symmetric(n, a.get("rotation", 0.0), generator, device) * math.pi / 180
        shear = symmetric(n, a.get("shear", 0.0), generator, device) * math.pi / 180
        zoom = 1.0 + symmetric(n, a.get("zoom", 0.0), generator, device)
        tx = symmetric(n, a.get("shift", 0.0), generator, device) * w
        ty = symmetric(n, a.get("shift", 0.0), generator, device) * h
        cr, sr, sh = torch.cos(angle), torch.sin(angle), torch.tan(shear)
        m00, m01 = cr * zoom * fx, (cr * sh - sr) * zoom * fy
        m10, m11 = sr * zoom * fx, (sr * sh + cr) * zoom * fy
        det = m00 * m11 - m01 * m10
        i00, i01, i10, i11 = m11 / det, -m01 / det, -m10 / det, m00 / det
        cu, cv = (w - 1) / 2, (h - 1) / 2
        v, u = torch.meshgrid(torch.arange(h, device=device, dtype=torch.float32),
                              torch.arange(w, device=device, dtype=torch.float32), indexing="ij")
        du = u[None] - cu - tx[:, None, None]
        dv = v[None] - cv - ty[:, None, None]
        su = i00[:, None, None] * du + i01[:, None, None] * dv + cu
        sv = i10[:, None, None] * du + i11[:, None, None] * dv + cv
        grid = torch.stack([su / max(w - 1, 1) * 2 - 1, sv / max(h - 1, 1) * 2 - 1], dim=-1)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)
    if a.get("brightness"):
        x = x + symmetric(n, a["brightness"], generator, device).view(-1, *([1] * (x.dim() - 1)))
    if a.get("noise"):
        x = x + a["noise"] * torch.randn(x.shape, generator=generator, device=device)
    if image and a.get("cutout"):
        h, w = x.shape[2], x.shape[3]
        side = max(1, int(round(a["cutout"] * min(h, w))))
        cy = torch.randint(0, h, (n,), generator=generator, device=device) - side // 2
        cx = torch.randint(0, w, (n,), generator=generator, device=device) - side // 2
        rows = torch.arange(h, device=device)[None, :]
        cols = torch.arange(w, device=device)[None, :]
        inside_r = (rows >= cy[:, None]) & (rows < cy[:, None] + side)
        inside_c = (cols >= cx[:, None]) & (cols < cx[:, None] + side)
        hole = inside_r[:, :, None] & inside_c[:, None, :]
        x = x.masked_fill(hole[:, None], 0.0)
    return x
