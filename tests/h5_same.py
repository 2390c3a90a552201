"""Exit 0 when two HDF5 files hold the same datasets with equal values (attributes such as the
creation time may differ): tests/h5_same.py A.h5 B.h5 [--skip NAME ...]"""
import sys

import h5py
import numpy as np

a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
skip = set(sys.argv[4:]) if len(sys.argv) > 3 and sys.argv[3] == "--skip" else set()
names = []
a.visit(lambda n: names.append(n) if isinstance(a[n], h5py.Dataset) and n not in skip else None)
other = []
b.visit(lambda n: other.append(n) if isinstance(b[n], h5py.Dataset) and n not in skip else None)
if sorted(names) != sorted(other):
    sys.exit(f"different datasets: {sorted(set(names) ^ set(other))}")
for n in names:
    x, y = a[n][()], b[n][()]
    if x.dtype.kind == "f":
        same = np.array_equal(x, y, equal_nan=True)
    else:
        same = np.array_equal(x, y)
    if not same:
        sys.exit(f"dataset {n} differs")
print(f"{len(names)} datasets identical")
