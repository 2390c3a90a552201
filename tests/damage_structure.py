#!/usr/bin/python3
"""Damaged structure in real result files, every reader: a systematic structure fuzzer.

A file written by an older version, cut short by a broken copy or edited by hand can lack a
dataset, hold one of another length, rank or type, or lack an attribute. For each file given,
this writes damaged copies, one change each:

- every dataset deleted, made one element (row) longer, and one shorter, and made enormous (2^50
  rows that are never written: a chunked dataset whose dataspace claims more than any machine's
  memory, as a damaged size field does); and changed in the
  next way in turn: its values replaced by strings (numbers by strings, strings by numbers), its
  last axis one shorter (two or more dimensions), a single scalar, flattened to one dimension,
  integers replaced by reals;
- every group deleted;
- every root attribute deleted, and replaced in turn by a value of the other type (a string
  for a number, a number for a string) or by an array of two values.

It runs every reader of that kind of file on each copy and asks of each what tests/
damage_values.py asks: exit 0 or 2 within 20 s, no sanitizer report, and when it refuses, name
the file and write nothing.

    damage_structure.py INTERDEP WORK_DIR KIND:FILE[:ARG] ...

KIND and ARG as for damage_values.py. INTERDEP_DAMAGE_EVERY=K makes every K-th copy only.
Exit 0 when every command behaved; otherwise each finding is printed, and the exit code is 1.
"""
import shutil
import sys
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from damage_values import Copies, check_all, given_files  # noqa: E402  (the readers, their demands)

# Besides deletion (and for datasets a length one longer and one shorter), changes taken in
# turn across the targets; a change that does not apply to a target (flattening a vector) passes
# to the next.
DATASET_CHANGES = ["retype", "narrow", "scalar", "flatten", "real"]
ATTRIBUTE_CHANGES = ["retype", "array"]


def targets(path):
    """(what, name, shape, dtype kind) of every dataset, group and root attribute."""
    found = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found.append(("dataset", name, obj.shape, obj.dtype.kind))
            else:
                found.append(("group", name, None, None))
        f.visititems(visit)
        for name, value in f.attrs.items():
            value = np.asarray(value)
            found.append(("attribute", name, value.shape, value.dtype.kind))
    return found


def applies(change, shape, kind):
    if change in ("shrink", "scalar"):
        return len(shape) > 0 and shape[0] > 0
    if change in ("grow", "enormous"):
        return len(shape) > 0
    if change == "flatten":
        return len(shape) > 1
    if change == "narrow":
        return len(shape) > 1 and shape[-1] > 0
    if change == "real":
        return kind in "iu"
    return True


def as_text(values):
    """Variable-length strings (h5py reads them as bytes objects) as str, for writing back."""
    return np.array([v.decode() if isinstance(v, bytes) else str(v) for v in values.reshape(-1)],
                    dtype=object).reshape(values.shape)


def put(f, name, data):
    """Replaces dataset `name` with `data` (its attributes and dimension scales are lost too)."""
    del f[name]
    data = np.asarray(data)
    if data.dtype.kind in "OU":
        f.create_dataset(name, data=as_text(data), dtype=h5py.string_dtype())
    else:
        f.create_dataset(name, data=data)


def damage(source, target, what, name, change):
    shutil.copy(source, target)
    with h5py.File(target, "r+") as f:
        if what == "attribute":
            value = np.asarray(f.attrs[name])
            if change == "delete":
                del f.attrs[name]
            elif change == "retype":
                f.attrs[name] = "damaged" if value.dtype.kind in "iuf" else 1.5
            elif value.dtype.kind in "iuf":
                f.attrs[name] = np.resize(value.reshape(-1), 2) if value.size else np.array([1, 2])
            else:
                first = as_text(value.reshape(-1))[0] if value.size else ""
                f.attrs.create(name, np.array([first, first], dtype=object), dtype=h5py.string_dtype())
            return
        if change == "delete":
            del f[name]
            return
        values = f[name][()]
        numeric = values.dtype.kind in "iufb"
        if change == "shrink":
            put(f, name, values[:-1])
        elif change == "grow":
            extra = values[-1:] if len(values) else np.zeros((1,) + values.shape[1:], values.dtype)
            put(f, name, np.concatenate([values, extra]))
        elif change == "retype":
            put(f, name, np.full(values.shape, "damaged", dtype=object) if numeric
                else np.full(values.shape, 1.5))
        elif change == "scalar":
            put(f, name, values.reshape(-1)[0])
        elif change == "narrow":
            put(f, name, values[..., :-1])
        elif change == "flatten":
            put(f, name, values.reshape(-1))
        elif change == "enormous":
            del f[name]
            chunks = tuple([1] + [max(1, d) for d in values.shape[1:]])
            f.create_dataset(name, shape=(2**50,) + values.shape[1:], chunks=chunks,
                             dtype=values.dtype if numeric else h5py.string_dtype())
        else:  # real
            put(f, name, values.astype(np.float64) + 0.5)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    interdep, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    jobs, copies = [], Copies(work)
    turn = {"dataset": 0, "attribute": 0}
    for kind, path, arg in given_files(sys.argv[3:], "damage_structure.py"):
        for what, name, shape, dtype_kind in targets(path):
            changes = ["delete"]
            if what == "dataset":
                changes += [c for c in ("grow", "shrink", "enormous")
                            if applies(c, shape, dtype_kind)]
            pool = {"dataset": DATASET_CHANGES, "attribute": ATTRIBUTE_CHANGES}.get(what, [])
            for _ in range(len(pool)):  # the next change in turn that applies
                change = pool[turn[what] % len(pool)]
                turn[what] += 1
                if what == "attribute" or applies(change, shape, dtype_kind):
                    changes.append(change)
                    break
            for change in changes:
                made = copies.next()
                if made is None:
                    continue
                folder, copy = made
                damage(path, copy, what, name, change)
                jobs.append((kind, arg, path, copy, folder, f"{kind} file, {what} {name}: {change}"))
    check_all(interdep, jobs, "damage_structure")


if __name__ == "__main__":
    main()
