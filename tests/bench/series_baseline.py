#!/usr/bin/python3
"""The seasonal-naive forecast on a Neurite series project's own test windows, the baseline a
forecasting example must beat (docs/performance.md, "Forecasting").

    neurite-cli data split PROJECT -o DIR        # the windows training uses, in time order
    /usr/bin/python3 tests/bench/series_baseline.py DIR --column SUNACTIVITY --season 11

The forecast of a target h steps ahead (target_h, h = 0 the next step) is the value `season`
steps before it, read from the window's inputs (column NAME_t-LAG, LAG = season - h; so the
lookback must reach it). --season 1 is the naive (last value) forecast. One target channel:
the targets are target_0..target_{horizon-1}. Prints one JSON line with the RMSE on test.csv
(validation.csv with --split validation).
"""
import argparse
import csv
import json
import math


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--column", required=True, help="the target channel's name among the inputs")
    p.add_argument("--season", type=int, required=True)
    p.add_argument("--split", default="test")
    a = p.parse_args()
    with open(f"{a.dir}/{a.split}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    targets = sorted((k for k in rows[0] if k.startswith("target_")), key=lambda k: int(k[7:]))
    se, n = 0.0, 0
    for r in rows:
        for h, key in enumerate(targets):
            lag = a.season - h
            if lag < 1:
                raise SystemExit(f"season {a.season} is not longer than horizon step {h + 1}")
            name = f"{a.column}_t-{lag}"
            if name not in r:
                raise SystemExit(f"no input column {name}: the lookback is shorter than the season")
            se += (float(r[key]) - float(r[name])) ** 2
            n += 1
    print(json.dumps({"baseline": "seasonal naive" if a.season > 1 else "naive", "season": a.season,
                      "split": a.split, "windows": len(rows), "rmse": round(math.sqrt(se / n), 4)}))


if __name__ == "__main__":
    main()
