#!/usr/bin/python3
"""Damaged numbers in real result files, every reader: a systematic value fuzzer.

A damaged or hand-edited HDF5 file can be well formed and still hold numbers no run writes: a NaN
time, a negative step, a count of two billion. For every numeric dataset and every numeric root
attribute of each file given, this writes damaged copies, one value changed in each: NaN (-1 if
integer) at a dataset's first and last elements and in an attribute; and at the middle element,
and in the attribute again, the next in turn of infinities, zero, -1, huge and tiny numbers and
extreme integers. It runs every reader of that kind of file on each copy. A reader must:

- exit 0 (the damage is in a value it only prints) or 2 (refused), within 20 s, never on a signal
  or with another code (1 is an internal error);
- print no sanitizer report (builds with AddressSanitizer or UndefinedBehaviorSanitizer);
- when it refuses, name the damaged file;
- when it refuses, write nothing (reports, exports, reruns).

    damage_values.py INTERDEP WORK_DIR KIND:FILE[:ARG] ...

KIND is `run` (ARG: the observations CSV for `score`) or `sweep` (ARG: an output of its record
for `analyze` and `discover`, then a comma and the observations CSV). Exit 0 when every
command behaved; otherwise each finding is printed, and the exit code is 1.
"""
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import h5py
import numpy as np

FLOATS = [np.nan, np.inf, -np.inf, -1.0, 0.0, 1e308, -1e308, 1e-320, 2.5, -7.0]
INTEGERS = [-1, 0, 2, 255, -128, 2**31 - 1, -(2**31), 2**40, -(2**40), 10**6]
TIMEOUT = 20  # seconds a reader may take on a small file


def numeric_targets(path):
    """(what, name, dtype kind, size) for every non-empty numeric dataset ('dataset') and every
    numeric root attribute ('attribute', size 1)."""
    targets = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "iuf" and obj.size > 0:
                targets.append(("dataset", name, obj.dtype.kind, obj.size))
        f.visititems(visit)
        for name, value in f.attrs.items():
            value = np.asarray(value)
            if value.dtype.kind in "iuf" and value.size == 1:
                targets.append(("attribute", name, value.dtype.kind, 1))
    return targets


def damage(source, target, what, name, where, value):
    """Copies source to target with one value changed (element `where` of a dataset); False when
    the value is the one already there."""
    shutil.copy(source, target)
    with h5py.File(target, "r+") as f:
        if what == "attribute":
            old = np.asarray(f.attrs[name])
            with np.errstate(all="ignore"):
                new = np.asarray(value).astype(old.dtype)
            if new == old:
                return False
            f.attrs[name] = new
            return True
        dataset = f[name]
        values = dataset[()]
        flat = values.reshape(-1)
        with np.errstate(all="ignore"):
            new = np.asarray(value).astype(values.dtype)
        if flat[where] == new or (values.dtype.kind == "f" and np.isnan(new) and np.isnan(flat[where])):
            return False
        flat[where] = new
        dataset[...] = values
    return True


def commands(kind, copy, arg, work, clean):
    """Every reader of a file of this kind, with the files it would write into work."""
    if kind == "run":
        with h5py.File(clean, "r") as f:  # the copy's names may be what is damaged
            actors = [a.decode() if isinstance(a, bytes) else str(a) for a in f["actor"][()]]
        pair = f"{actors[0]}:{actors[1]}" if len(actors) > 1 else f"{actors[0]}:{actors[0]}"
        page = work / "page.html"
        return [
            (["inspect", copy], []),
            (["inspect", copy, "--scenario"], []),
            (["explain", copy, "--pair", pair], []),
            (["report", copy, "-o", page, "-q"], [page]),
            (["compare", copy, clean], []),
            (["compare", clean, copy], []),
            (["score", copy, "--observed", arg], []),
        ]
    output, observed = arg.rsplit(",", 1)
    table, series, rerun = work / "table.csv", work / "series.csv", work / "rerun.h5"
    return [
        (["inspect", copy], []),
        (["export", copy, "--csv", "-o", table, "--series", series], [table, series]),
        (["analyze", copy, "--output", output, "--resamples", "20"], []),
        (["discover", copy, "--output", output, "--where", "> 0"], []),
        (["run", "--from-sweep", copy, "--run", "1", "-o", rerun, "-q"], [rerun]),
        (["score", copy, "--observed", observed], []),
    ]


def check_copy(interdep, kind, arg, clean, copy, work, note):
    """Runs every reader on one damaged copy: (commands run, the first misbehaviour or None).
    The copy's folder is removed unless something misbehaved."""
    ran = 0
    for args, writes in commands(kind, copy, arg, work, clean):
        ran += 1
        for w in writes:
            Path(w).unlink(missing_ok=True)
        line = [interdep] + [str(a) for a in args]
        try:
            done = subprocess.run(line, capture_output=True, timeout=TIMEOUT)
            code, err = done.returncode, done.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            code, err = "a timeout", ""
        problem = None
        if code not in (0, 2):
            problem = f"exit {code}"
        elif "AddressSanitizer" in err or "runtime error:" in err:
            problem = "a sanitizer report"
        elif code == 2 and copy.name not in err:
            problem = "a refusal that does not name the file"
        elif code == 2 and any(Path(w).exists() for w in writes):
            problem = "a refusal that wrote its output"
        if problem:
            return ran, f"{note}: `{' '.join(line[1:])}` gave {problem}: {err.strip()[-300:]}"
    shutil.rmtree(work)
    return ran, None


class Copies:
    """Numbered folders for damaged copies in `work`, one for every K-th place offered only
    (INTERDEP_DAMAGE_EVERY=K; under the sanitizers a reader takes about six times as long, and
    the sanitizer suite samples: tests/CMakeLists.txt)."""

    def __init__(self, work):
        self.work, self.every = work, int(os.environ.get("INTERDEP_DAMAGE_EVERY", "1"))
        self.offered = self.made = 0

    def next(self):
        """(folder, copy path) for the next place, or None when it is not sampled."""
        self.offered += 1
        if (self.offered - 1) % self.every:
            return None
        folder = self.work / f"copy{self.made}"
        folder.mkdir(exist_ok=True)
        self.made += 1
        return folder, folder / f"damaged{self.made - 1}.h5"


def given_files(args, script):
    """(kind, path, arg) of each KIND:FILE[:ARG] on the command line."""
    for given in args:
        kind, path, *rest = given.split(":", 2)
        if kind not in ("run", "sweep"):
            sys.exit(f"{script}: {given}: expected run:FILE or sweep:FILE")
        yield kind, path, rest[0] if rest else ""


def check_all(interdep, jobs, script):
    """Checks every damaged copy (jobs: check_copy's arguments after interdep), as many at a time
    as the machine has cores (each reader is its own process); prints what was run and found,
    and exits 1 if anything misbehaved."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as executor:
        results = list(executor.map(lambda job: check_copy(interdep, *job), jobs))
    readers = sum(ran for ran, _ in results)
    findings = [finding for _, finding in results if finding]
    print(f"{script}: {len(jobs)} damaged copies, {readers} commands, {len(findings)} findings")
    for f in findings:
        print("FOUND", f)
    sys.exit(1 if findings else 0)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    interdep, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    jobs = []  # (kind, arg, clean file, damaged copy, its folder, note)
    turn = 0  # which bad value comes next, across every target of every file
    copies = Copies(work)
    for kind, path, arg in given_files(sys.argv[3:], "damage_values.py"):
        for what, name, dtype_kind, size in numeric_targets(path):
            pool = FLOATS if dtype_kind == "f" else INTEGERS
            # The likeliest damage (NaN, or -1) at a dataset's first and last elements and in an
            # attribute; the next of the other values in turn at the middle element, and in the
            # attribute again.
            places = [(None, True), (None, False)] if what == "attribute" else [
                (0, True), (-1, True), (size // 2, False)]
            for where, likeliest in places:
                if likeliest:
                    value = pool[0]
                else:
                    value = pool[1 + turn % (len(pool) - 1)]
                    turn += 1
                made = copies.next()
                if made is None:
                    continue
                folder, copy = made
                if not damage(path, copy, what, name, where, value):
                    shutil.rmtree(folder)
                    continue
                element = "" if where is None else f"[{where}]"
                jobs.append((kind, arg, path, copy, folder, f"{kind} file, {what} {name}{element} = {value}"))
    check_all(interdep, jobs, "damage_values")


if __name__ == "__main__":
    main()
