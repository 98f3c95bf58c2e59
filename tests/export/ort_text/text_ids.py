#!/usr/bin/python3
"""Token ids of texts (one per line) for an exported Neurite text model, from its neurite.text
metadata with the word rule of docs/data.md written as scikit-learn's regular expression (exact
for ASCII and Latin-1 text): the ids ONNX Runtime is fed in check.sh."""
import json
import re
import sys

import onnx

model, texts, out = sys.argv[1:4]
meta = {p.key: p.value for p in onnx.load(model).metadata_props}
t = json.loads(meta["neurite.text"])
if t["level"] != "word":
    sys.exit("only word-level models")
ids = {tok: i + 2 for i, tok in enumerate(t["tokens"])}
length = t["length"]
rows = []
for line in open(texts, encoding="utf-8"):
    if not line.strip():
        continue
    words = re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*", line.lower() if t["lowercase"] else line)
    kept = [ids.get(w.replace("\u2019", "'"), 1) for w in words][-length:]  # the end stays
    rows.append([0] * (length - len(kept)) + kept)                           # 0s in front
json.dump(rows, open(out, "w"))
