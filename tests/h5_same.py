"""Exit 0 when two HDF5 files hold the same datasets with equal values (NaN equal to NaN):

    tests/h5_same.py A.h5 B.h5 [--attributes] [--skip NAME ...]

With --attributes the attributes of the root, every group and every dataset must be equal too,
except those that name the moment or the command that made the file (created, command_line,
scenario_file, sweep_file) and HDF5's own dimension-scale bookkeeping (DIMENSION_LIST,
REFERENCE_LIST). --skip leaves datasets out by path."""
import sys

import h5py
import numpy as np

MOMENT_ATTRIBUTES = {"created", "command_line", "scenario_file", "sweep_file"}
SCALE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST"}

args = sys.argv[3:]
with_attributes = "--attributes" in args
skip = set(args[args.index("--skip") + 1:]) if "--skip" in args else set()
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")


def datasets(f):
    names = []
    f.visit(lambda n: names.append(n) if isinstance(f[n], h5py.Dataset) and n not in skip else None)
    return names


def same(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f" and y.dtype.kind == "f":
        return x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
    return x.shape == y.shape and np.array_equal(x, y)


names, other = datasets(a), datasets(b)
if sorted(names) != sorted(other):
    sys.exit(f"different datasets: {sorted(set(names) ^ set(other))}")
for n in names:
    if a[n].dtype != b[n].dtype or not same(a[n][()], b[n][()]):
        sys.exit(f"dataset {n} differs")

checked = 0
if with_attributes:
    def attributes(f):
        found = {}
        def visit(name, obj):
            for key, value in obj.attrs.items():
                if key not in MOMENT_ATTRIBUTES | SCALE_ATTRIBUTES:
                    found[(name, key)] = value
        visit("/", f)
        f.visititems(visit)
        return found
    x, y = attributes(a), attributes(b)
    if set(x) != set(y):
        sys.exit(f"different attributes: {sorted(set(x) ^ set(y))}")
    for key in x:
        u, v = x[key], y[key]
        u = u.decode() if isinstance(u, bytes) else u
        v = v.decode() if isinstance(v, bytes) else v
        if isinstance(u, str) or isinstance(v, str):
            equal = str(u) == str(v)
        else:
            equal = same(u, v)
        if not equal:
            sys.exit(f"attribute {key[1]} of {key[0]} differs")
    checked = len(x)
print(f"{len(names)} datasets identical" + (f", {checked} attributes identical" if with_attributes else ""))
