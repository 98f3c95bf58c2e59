"""A plain numpy reader of Neurite's native model file (the safetensors layout), to prove other
tools can read it without Neurite: prints "format <format> <version>", then one line per tensor:
"<name> [<shape>] <sum in float64>"."""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "U8": np.uint8}

with open(sys.argv[1], "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
meta = header.pop("__metadata__")
print("format", meta["format"], meta["format_version"])
json.loads(meta["model"])  # the graph description is JSON too
for name, t in header.items():
    begin, end = t["data_offsets"]
    a = np.frombuffer(data[begin:end], dtype=DTYPES[t["dtype"]]).reshape(t["shape"])
    print(name, "[" + ",".join(str(d) for d in a.shape) + "]", repr(float(a.astype(np.float64).sum())))
