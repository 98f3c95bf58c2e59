#!/usr/bin/python3
"""Bag-of-words logistic regression (scikit-learn) on a Neurite project's own text split, the
baseline a text example must beat (docs/performance.md, "Text").

    neurite-cli data split PROJECT -o DIR          # the split training uses (same seed)
    /usr/bin/python3 tests/bench/text_baseline.py DIR

Counts of lowercased words (letters and digits, inner apostrophes kept: Neurite's word rule for
ASCII text), vocabulary fitted on train.csv; C chosen by validation accuracy among 0.1, 0.3, 1,
3, 10, then refitted on train and scored on test.csv. Prints one JSON line.
"""
import csv
import json
import sys

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def main():
    d = sys.argv[1]
    train, val, test = (read(f"{d}/{s}.csv") for s in ("train", "validation", "test"))
    vec = CountVectorizer(lowercase=True, token_pattern=r"[^\W_]+(?:['\u2019][^\W_]+)*")
    x_train = vec.fit_transform(train[0])
    best = None
    for c in (0.1, 0.3, 1, 3, 10):
        model = LogisticRegression(C=c, max_iter=5000).fit(x_train, train[1])
        acc = model.score(vec.transform(val[0]), val[1]) if val[0] else 0
        if best is None or acc > best[0]:
            best = (acc, c, model)
    acc_val, c, model = best
    print(json.dumps({"baseline": "bag-of-words logistic regression", "C": c, "vocabulary": len(vec.vocabulary_),
                      "validation_accuracy": round(acc_val, 4),
                      "test_accuracy": round(model.score(vec.transform(test[0]), test[1]), 4),
                      "train": len(train[0]), "validation": len(val[0]), "test": len(test[0])}))


if __name__ == "__main__":
    main()
