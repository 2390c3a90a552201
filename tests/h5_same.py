"""Exit 0 when two HDF5 files hold the same datasets with equal values (NaN equal to NaN):

    tests/h5_same.py A.h5 B.h5 [--attributes] [--within RTOL ATOL] [--skip NAME ...]

With --attributes the attributes of the root, every group and every dataset must be equal too,
except those that name the moment or the command that made the file (created, command_line,
scenario_file, sweep_file) and HDF5's own dimension-scale bookkeeping (DIMENSION_LIST,
REFERENCE_LIST). --skip leaves datasets out by path. --within compares floating-point values up
to |a - b| <= ATOL + RTOL max(|a|, |b|) instead of bit for bit, and prints the largest
difference: for a change allowed to move the last bits of results (a faster method whose
arithmetic differs), to show that it moved nothing more."""
import sys

import h5py
import numpy as np

MOMENT_ATTRIBUTES = {"created", "command_line", "scenario_file", "sweep_file"}
SCALE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST"}

args = sys.argv[3:]
with_attributes = "--attributes" in args
skip = set(args[args.index("--skip") + 1:]) if "--skip" in args else set()
within = None
if "--within" in args:
    k = args.index("--within")
    within = (float(args[k + 1]), float(args[k + 2]))
largest = [0.0, 0.0, 0.0, ""]  # share of the tolerance used, relative, absolute, where
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")


def datasets(f):
    names = []
    f.visit(lambda n: names.append(n) if isinstance(f[n], h5py.Dataset) and n not in skip else None)
    return names


def same(x, y, where=""):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f" and y.dtype.kind == "f":
        if x.shape != y.shape:
            return False
        if within is None:
            return np.array_equal(x, y, equal_nan=True)
        if not np.array_equal(np.isnan(x), np.isnan(y)) or not np.array_equal(np.isinf(x), np.isinf(y)):
            return False
        finite = np.isfinite(x)
        if not np.array_equal(x[~finite & ~np.isnan(x)], y[~finite & ~np.isnan(y)]):
            return False  # infinities of the same sign
        u, v = x[finite], y[finite]
        if u.size == 0:
            return True
        diff = np.abs(u - v)
        scale = np.maximum(np.abs(u), np.abs(v))
        used = diff / (within[1] + within[0] * scale)
        k = int(np.argmax(used))
        if used[k] > largest[0]:
            largest[:] = [float(used[k]), float(diff[k] / scale[k]) if scale[k] > 0 else 0.0,
                          float(diff[k]), where]
        return bool(np.all(used <= 1.0))
    return x.shape == y.shape and np.array_equal(x, y)


names, other = datasets(a), datasets(b)
if sorted(names) != sorted(other):
    sys.exit(f"different datasets: {sorted(set(names) ^ set(other))}")
for n in names:
    if a[n].dtype != b[n].dtype or not same(a[n][()], b[n][()], n):
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
            equal = same(u, v, f"{key[0]}@{key[1]}")
        if not equal:
            sys.exit(f"attribute {key[1]} of {key[0]} differs")
    checked = len(x)
word = "identical" if within is None else "within the tolerance"
print(f"{len(names)} datasets {word}" + (f", {checked} attributes {word}" if with_attributes else ""))
if within is not None:
    print(f"largest difference {largest[0]:.3g} of the tolerance (relative {largest[1]:.3g}, "
          f"absolute {largest[2]:.3g}) in {largest[3] or 'none'}")
