# `neurite-cli data inspect` against pandas and numpy on files in the formats docs/data.md
# describes: UTF-16, Latin-1 (encoding=latin1), UTF-8 with BOM, space-aligned, gzip, a preamble
# (skip=2), year column names, Fortran-order .npy with labels {1,2}, {0,5000}, {-1,1} of shape
# (N,1). Compares row counts, class counts and each column's min/max/mean; prints ALL OK.
# Needs python3-pandas (Debian). Run from an empty folder:
#   /usr/bin/python3 tests/support/data_reference_check.py build/bin/neurite-cli
import gzip, json, subprocess, sys
import numpy as np, pandas as pd
CLI = sys.argv[1]
rng = np.random.default_rng(3)
def inspect(spec):
    out = subprocess.run([CLI, "data", "inspect", spec, "--json"], capture_output=True, text=True)
    if out.returncode: raise SystemExit(spec + ": " + out.stderr)
    return json.loads(out.stdout)
def compare(name, spec, df, target):
    d = inspect(spec)
    feats = df.drop(columns=[target])
    ok = d["samples"] == len(df)
    want = df[target].value_counts().to_dict()
    got = {c["name"]: c["count"] for c in d["classes"]}
    ok &= {str(k): v for k, v in want.items()} == got
    for col in d["columns"]:
        s = feats[col["name"]].astype("float32").astype("float64")
        ok &= abs(col["min"] - s.min()) <= 1e-6 * (1 + abs(s.min())) and abs(col["max"] - s.max()) <= 1e-6 * (1 + abs(s.max())) and abs(col["mean"] - s.mean()) < 1e-5 * (1 + abs(s.mean()))
    print(f"{name}: rows {d['samples']} vs {len(df)}, classes {got} vs {want}: {'OK' if ok else 'MISMATCH'}")
    return ok
n = 500
df = pd.DataFrame({"a": rng.normal(size=n).round(4), "b": rng.integers(0, 100, n), "label": rng.choice(["café", "thé", "naïve"], n)})
good = True
df.to_csv("u16.csv", index=False, encoding="utf-16")
good &= compare("utf-16", "csv:u16.csv", pd.read_csv("u16.csv", encoding="utf-16"), "label")
df.to_csv("l1.csv", index=False, encoding="latin-1")
good &= compare("latin-1", "csv:l1.csv?encoding=latin1", pd.read_csv("l1.csv", encoding="latin-1"), "label")
df.to_csv("bom.csv", index=False, encoding="utf-8-sig")
good &= compare("utf-8-sig", "csv:bom.csv", pd.read_csv("bom.csv", encoding="utf-8-sig"), "label")
with open("sp.txt", "w") as f: f.write(df.to_string(index=False) + "\n")
good &= compare("space-aligned", "csv:sp.txt", pd.read_csv("sp.txt", sep=r"\s+"), "label")
df.to_csv("g.csv.gz", index=False, compression="gzip")
good &= compare("gzip", "csv:g.csv.gz", pd.read_csv("g.csv.gz"), "label")
with open("pre.csv", "w") as f: f.write("Survey export\nGenerated 2024-05-01\n" + df.to_csv(index=False))
good &= compare("skip=2", "csv:pre.csv?skip=2", pd.read_csv("pre.csv", skiprows=2), "label")
years = pd.DataFrame({"country": [f"c{i}" for i in range(n)], "1990": rng.normal(1e3, 50, n).round(2), "2000": rng.normal(2e3, 80, n).round(2), "label": rng.choice(["lo", "hi"], n)})
years.to_csv("years.csv", index=False)
d = inspect("csv:years.csv?ignore=country")
good &= [c["name"] for c in d["columns"]] == ["1990", "2000"]
print("year header:", [c["name"] for c in d["columns"]])
# NPY: Fortran order, labels {1,2} / {0,5000} / {-1,1} as classes like numpy.unique.
X = np.asfortranarray(rng.normal(size=(n, 3)).astype(np.float32))
np.save("X.npy", X)
for labels in ([1, 2], [0, 5000], [-1, 1]):
    y = rng.choice(labels, n).reshape(n, 1)
    np.save("y.npy", y)
    d = inspect("npy:X.npy?labels=y.npy")
    u, c = np.unique(y, return_counts=True)
    ok = [(x["name"], x["count"]) for x in d["classes"]] == [(str(a), int(b)) for a, b in zip(u, c)]
    ok &= all(abs(col["min"] - float(X[:, i].min())) < 1e-6 and abs(col["max"] - float(X[:, i].max())) < 1e-6 for i, col in enumerate(d["columns"]))
    print(f"npy labels {labels} (N,1), Fortran X: {'OK' if ok else 'MISMATCH'}")
    good &= ok
print("ALL OK" if good else "SOME MISMATCH")
