"""Regression target scaling on a real data set that Neurite did not make, against scikit-learn.

usage: python3 tests/support/target_scaling_reference.py NEURITE_CLI [--json] [--epochs N] [--lr X]

The data: scikit-learn's diabetes set (Efron et al., "Least Angle Regression", 2004), as Debian's
python3-sklearn ships it (sklearn/datasets/data/diabetes_data_raw.csv.gz and diabetes_target.csv.gz):
442 patients, 10 raw features (age, sex, BMI, blood pressure, six serum values), the target a
measure of disease progression one year later (25..346, mean 152, std 77).

One seeded 80/20 split (354 train, 88 test rows) written as train.csv (features + target) and
test_x.csv (features only). Neurite trains the same small MLP (Dense 32, ReLU, Dense 1; mse,
adam, batch 32, seed 1, 1 thread, standardized features; --lr, default Neurite's 0.001, and
--epochs, default 100) twice, with
data.target_scaling "standardize" (the default) and "none", through `neurite-cli export
--format native`; `neurite-cli predict` then predicts test_x.csv and this script computes the
test RMSE against the held-out targets, so the numbers are in the target's own units as a user
sees them. References on the same split: the training mean, scikit-learn's LinearRegression,
and MLPRegressor with the same layer, optimizer, learning rate, batch and epochs, on
standardized features, with the target standardized by TransformedTargetRegressor (as Neurite
does) and without.

Prints a table, or with --json one JSON object (tests/cli/test_target_scaling_cli.cpp reads it).
Run from any folder; it works in a temporary one.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
NAMES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def rmse(pred, y):
    return float(np.sqrt(np.mean((np.asarray(pred, np.float64) - y) ** 2)))


def project(target_scaling, epochs, lr):
    return {
        "format": "neurite-project", "version": 1, "name": "diabetes-" + target_scaling,
        "data": {"source": "csv:train.csv?target=target&task=regression", "validation_split": 0,
                 "test_split": 0, "scaling": "standardize", "target_scaling": target_scaling},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
            {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act1"]}]},
        "training": {"epochs": epochs, "batch_size": 32, "seed": 1, "threads": 1, "loss": {"type": "mse"},
                     "optimizer": {"type": "adam", "lr": lr}},
    }


def neurite(cli, target_scaling, epochs, lr):
    with open("p.neurite.json", "w") as f:
        json.dump(project(target_scaling, epochs, lr), f)
    model = "diabetes-" + target_scaling + ".nmodel"
    run = subprocess.run([cli, "export", "p.neurite.json", "--format", "native", "-o", model],
                         capture_output=True, text=True)
    if run.returncode:
        raise SystemExit("neurite-cli export: " + run.stderr)
    out = subprocess.run([cli, "predict", model, "--input", "test_x.csv", "--csv"],
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit("neurite-cli predict: " + out.stderr)
    rows = out.stdout.strip().split("\n")
    return np.array([float(r.split(",")[0]) for r in rows[1:]])  # after the value_0 header


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    cli = os.path.abspath(args[0])
    epochs = int(args[args.index("--epochs") + 1]) if "--epochs" in args else 100
    lr = float(args[args.index("--lr") + 1]) if "--lr" in args else 0.001  # Neurite's default
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.loadtxt(os.path.join(DATA, "diabetes_data_raw.csv.gz"))
    y = np.loadtxt(os.path.join(DATA, "diabetes_target.csv.gz"))
    perm = np.random.default_rng(0).permutation(len(y))
    test, train = perm[: len(y) // 5], perm[len(y) // 5:]
    os.chdir(tempfile.mkdtemp(prefix="neurite-target-scaling-"))
    np.savetxt("train.csv", np.column_stack([x[train], y[train]]), delimiter=",", fmt="%.10g",
               header=",".join(NAMES + ["target"]), comments="")
    np.savetxt("test_x.csv", x[test], delimiter=",", fmt="%.10g", header=",".join(NAMES),
               comments="")
    # Neurite reads the files back as float32; the references see the same values.
    x32 = np.loadtxt("train.csv", delimiter=",", skiprows=1).astype(np.float32).astype(np.float64)
    xtr, ytr = x32[:, :-1], x32[:, -1]
    xte = np.loadtxt("test_x.csv", delimiter=",", skiprows=1).astype(np.float32).astype(np.float64)
    yte = y[test]

    def mlp():
        return MLPRegressor(hidden_layer_sizes=(32,), solver="adam", learning_rate_init=lr,
                            batch_size=32, max_iter=epochs, alpha=0.0, random_state=1,
                            n_iter_no_change=epochs + 1, tol=0.0)

    import warnings
    warnings.filterwarnings("ignore")  # MLPRegressor's "not converged" after max_iter
    results = {
        "train_rows": int(len(train)), "test_rows": int(len(test)), "epochs": epochs, "lr": lr,
        "mean_baseline": rmse(np.full(len(yte), ytr.mean()), yte),
        "sklearn_linear": rmse(make_pipeline(StandardScaler(), LinearRegression()).fit(xtr, ytr).predict(xte), yte),
        "sklearn_mlp_scaled_target": rmse(TransformedTargetRegressor(
            make_pipeline(StandardScaler(), mlp()), transformer=StandardScaler()).fit(xtr, ytr).predict(xte), yte),
        "sklearn_mlp_raw_target": rmse(make_pipeline(StandardScaler(), mlp()).fit(xtr, ytr).predict(xte), yte),
    }
    for ts in ("standardize", "none"):
        pred = neurite(cli, ts, epochs, lr)
        results["neurite_" + ts] = rmse(pred, yte)
        results["neurite_" + ts + "_prediction_mean"] = float(pred.mean())
    if "--json" in args:
        print(json.dumps(results))
        return
    print(f"diabetes: {results['train_rows']} train / {results['test_rows']} test rows, {epochs} epochs, "
          f"lr {lr}; test RMSE in the target's units")
    for k in ("mean_baseline", "sklearn_linear", "sklearn_mlp_scaled_target", "sklearn_mlp_raw_target",
              "neurite_standardize", "neurite_none"):
        print(f"  {k:28s} {results[k]:8.2f}")


if __name__ == "__main__":
    main()
