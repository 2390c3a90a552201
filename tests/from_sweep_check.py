"""Checks that `interdep run --from-sweep SWEEP.h5 --run K` reproduced run K bit for bit: every
recorded output of the sweep's /series equals the rerun's dataset at the same times.
Usage: tests/from_sweep_check.py SWEEP.h5 K RUN.h5"""
import re
import sys

import h5py
import numpy as np

sweep, k, run = h5py.File(sys.argv[1], "r"), int(sys.argv[2]), h5py.File(sys.argv[3], "r")
names = {
    "actor": [s.decode() if isinstance(s, bytes) else s for s in run["actor"][()]],
    "domain": [s.decode() if isinstance(s, bytes) else s for s in run["domain"][()]],
    "institution": [s.decode() if isinstance(s, bytes) else s for s in run["institution"][()]],
}
axes = {"relations": ["actor", "actor", "domain"], "gdp": ["actor"], "hirschman": ["actor"],
        "membership": ["actor", "institution"]}
times = sweep["time"][()]
frames = [int(np.argmin(np.abs(run["time"][()] - t))) for t in times]
assert np.array_equal(run["time"][()][frames], times), "frame times differ"
outputs = [s.decode() if isinstance(s, bytes) else s for s in sweep["output"][()]]
series = sweep["series"][k]
for o, name in enumerate(outputs):
    dataset, coords = re.fullmatch(r"(\w+)\[(.*)\]", name).groups()
    index = tuple(names[axis].index(c) for axis, c in zip(axes.get(dataset, ["actor", "actor"]), coords.split(",")))
    values = run[dataset][()][(frames,) + index]
    if not np.array_equal(values.astype(float), series[:, o]):
        sys.exit(f"{name} differs: {values[:3]} vs {series[:3, o]}")
print(f"run {k}: {len(outputs)} outputs x {len(times)} frames identical")
