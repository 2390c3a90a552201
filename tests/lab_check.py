#!/usr/bin/python3
"""The lab's numbers against the native engine (tests/lab_check.sh): every state the browser
recorded (tests/lab_check.mjs) is run by `interdep run FILE --set KEY=VALUE ...` and, separately,
from the merged text the page offers for download; every dataset must agree.

    lab_check.py BINARY STATES.json WORKDIR

The WebAssembly engine does the native engine's arithmetic with two differences: its libm (musl's
exp, log, pow, tanh) rounds some results differently from glibc's in the last bit, and Eigen
runs its scalar kernels there (no SIMD), which sums the matrix products in another order. So the
values agree to 1e-12 relative (absolute below 1), not bit for bit; memberships exactly."""

import json
import pathlib
import subprocess
import sys

import h5py
import numpy as np

RTOL = ATOL = 1e-12


def native(binary, args, out):
    done = subprocess.run([binary, "run", *args, "-o", str(out), "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: interdep run {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return h5py.File(out, "r")


def compare(label, state, h5, failures):
    worst = 0.0
    for name, values in state["datasets"].items():
        page = np.asarray(values, dtype=float)
        ours = np.asarray(h5[name][...], dtype=float).ravel()
        if page.shape != ours.shape:
            failures.append(f"{label}: {name} has {page.size} values in the page, {ours.size} natively")
            continue
        if name == "membership":
            if not np.array_equal(page, ours):
                failures.append(f"{label}: memberships differ")
            continue
        diff = np.abs(page - ours)
        allowed = ATOL + RTOL * np.abs(ours)
        if np.any(diff > allowed):
            k = int(np.argmax(diff - allowed))
            failures.append(f"{label}: {name}[{k}] is {page[k]!r} in the page, {ours[k]!r} natively")
        worst = max(worst, float(diff.max(initial=0.0)))
    times = np.asarray(h5["time"][...], dtype=float)
    if not np.array_equal(times, np.asarray(state["time"])):
        failures.append(f"{label}: the time axes differ")
    return worst


def main():
    binary, states_path, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    states = json.loads(states_path.read_text())["states"]
    if len(states) < 5:
        sys.exit(f"FAIL: only {len(states)} states were recorded")
    failures, report = [], []
    for n, state in enumerate(states):
        args = [state["file"]]
        for o in state["overrides"]:
            args += ["--set", o]
        with native(binary, args, work / f"state{n}.h5") as h5:
            by_set = compare(f"{state['label']} (--set)", state, h5, failures)
        merged = work / f"state{n}.toml"
        merged.write_text(state["text"])
        with native(binary, [str(merged)], work / f"merged{n}.h5") as h5:
            by_text = compare(f"{state['label']} (downloaded text)", state, h5, failures)
        report.append(f"{state['label']}: {len(state['overrides'])} overrides, largest difference "
                      f"{by_set:.2e} (--set), {by_text:.2e} (downloaded text)")
    print("\n".join(report))
    if failures:
        print("\n".join("FAIL: " + f for f in failures[:20]), file=sys.stderr)
        sys.exit(1)
    print(f"lab_check.py: {len(states)} states agree with the native engine")


main()
