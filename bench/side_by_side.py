#!/usr/bin/python3
"""The engine's step and the NumPy reference's (bench/numpy_reference.py), side by side in one run,
as issue 10 asks them to be judged (docs/performance.md, "Side by side with the NumPy reference").

    /usr/bin/python3 bench/side_by_side.py [--build build] [--sizes 5,200] [--rounds 3] [--whole-runs]

For every size N it writes the synthetic benchmark scenario of N actors (bench/interdep_synthetic,
the same world BM_Step steps), then, round after round, alternately:
  - the engine: BM_Step/N (every decision term's contributions tracked, the default),
    BM_StepUntracked/N (`output.contributions = false`, the work the reference does) and
    BM_EigenProduct/N, one thread, from build/bench/interdep_bench;
  - the reference: seconds a step (the best of its repeats, loading excluded) and one N x N `@`,
    on every BLAS NumPy can load here (OpenBLAS on one thread, and the reference BLAS), each in
    its own process.
With --whole-runs, each round also times a whole ten-year run of each, a process of its own: the
engine's command line (`interdep run -q -j 1`, no contributions or network measures, writing its
file) and the reference's (`--time --steps 120 --repeat 1`: NumPy's import, loading, 120 steps).
It prints one table (two with --whole-runs): per size, the best of the rounds of each, and the
ratios within that run.
Times depend on the machine and its load; read the ratios, not the times.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
REFERENCE = SOURCE_DIR / "bench" / "numpy_reference.py"
PYTHON = "/usr/bin/python3"
LIBDIR = Path("/usr/lib/x86_64-linux-gnu")

# Each BLAS NumPy can run on, as the environment that selects it (Debian's numpy links
# libblas.so.3, an alternative: the reference BLAS in blas/, OpenBLAS in openblas-pthread/).
# NPY_DISABLE_CPU_FEATURES empty: the reference times with NumPy's own vectorised exp, log, tanh
# and pow, as a researcher would run it (its --compare mode turns them off, to call glibc's
# functions as the engine does, for the same bits).
BLAS_CHOICES = {
    "OpenBLAS": {"LD_LIBRARY_PATH": str(LIBDIR / "openblas-pthread"), "OPENBLAS_NUM_THREADS": "1",
                 "NPY_DISABLE_CPU_FEATURES": ""},
    "reference BLAS": {"LD_LIBRARY_PATH": str(LIBDIR / "blas"), "NPY_DISABLE_CPU_FEATURES": ""},
}

PRODUCT_SCRIPT = """
import json, sys, timeit
import numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(1)
a, b = rng.uniform(-1, 1, (n, n)), rng.uniform(-1, 1, (n, n))
number = max(1, int(2e7 / n**3))
best = min(timeit.repeat(lambda: a @ b, number=number, repeat=5)) / number
print(json.dumps({"seconds": best}))
"""


def fail(message):
    print(f"side_by_side: {message}", file=sys.stderr)
    sys.exit(2)


def run_json(command, env=None):
    """Runs a command that prints JSON on its last line of output, and returns it parsed."""
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        fail(f"{' '.join(map(str, command))} failed (exit {result.returncode}):\n{result.stderr}")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        fail(f"{' '.join(map(str, command))} printed nothing")
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        fail(f"{' '.join(map(str, command))} did not end with a JSON line: {lines[-1]!r}")


def engine_times(bench, n, min_time):
    """Seconds of BM_Step/n, BM_StepUntracked/n and BM_EigenProduct/n, one process."""
    names = {f"BM_Step/{n}": "step", f"BM_StepUntracked/{n}": "untracked",
             f"BM_EigenProduct/{n}": "product"}
    pattern = "|".join(f"^{name}$" for name in names)
    result = subprocess.run(
        [bench, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
         "--benchmark_format=json"], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{bench} failed (exit {result.returncode}):\n{result.stderr}")
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    times = {}
    for entry in json.loads(result.stdout)["benchmarks"]:
        if entry["name"] in names:
            times[names[entry["name"]]] = entry["cpu_time"] * scale[entry["time_unit"]]
    missing = set(names.values()) - set(times)
    if missing:
        fail(f"{bench} did not report {', '.join(sorted(missing))} for N = {n}")
    return times


def reference_times(scenario, n, steps, repeat, env):
    step = run_json([PYTHON, str(REFERENCE), str(scenario), "--time", "--steps", str(steps),
                     "--repeat", str(repeat)], env)
    product = run_json([PYTHON, "-c", PRODUCT_SCRIPT, str(n)], env)
    return {"step": float(step["seconds_per_step"]), "product": float(product["seconds"])}


def engine_run_seconds(engine, scenario, output):
    """Wall seconds of a whole run of the engine's command line, one thread, no contributions or
    network measures (the reference computes neither when it times), writing its file."""
    started = time.perf_counter()
    result = subprocess.run([engine, "run", str(scenario), "-o", str(output), "-q", "-j", "1",
                             "--set", "output.contributions=false",
                             "--set", "output.network=false"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        fail(f"{engine} run {scenario} failed (exit {result.returncode}):\n{result.stderr}")
    return seconds


def reference_run_seconds(scenario, env):
    """Wall seconds of the reference's process: NumPy's import, loading, 120 steps."""
    started = time.perf_counter()
    run_json([PYTHON, str(REFERENCE), str(scenario), "--time", "--steps", "120", "--repeat", "1"],
             env)
    return time.perf_counter() - started


def best(rounds, key):
    return min(r[key] for r in rounds)


def microseconds(seconds):
    return f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="the build directory (default: build)")
    parser.add_argument("--sizes", default="5,200", help="actors, comma-separated (default 5,200)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--min-time", type=float, default=0.5,
                        help="Google Benchmark's --benchmark_min_time for the engine (s)")
    parser.add_argument("--whole-runs", action="store_true",
                        help="also time whole ten-year runs, each a process of its own")
    args = parser.parse_args()
    build = Path(args.build)
    bench, synthetic = build / "bench" / "interdep_bench", build / "bench" / "interdep_synthetic"
    engine = build / "interdep"
    for binary in (bench, synthetic) + ((engine,) if args.whole_runs else ()):
        if not os.access(binary, os.X_OK):
            fail(f"{binary} is not built (cmake --build {build} --target {binary.name})")
    if not REFERENCE.is_file():
        fail(f"{REFERENCE} is missing")
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        fail(f"--sizes {args.sizes!r}: expected actor counts separated by commas, e.g. 5,200")
    if not sizes or min(sizes) < 2 or args.rounds < 1:
        fail("--sizes: each at least 2 actors; --rounds: at least 1")
    blas = {name: dict(os.environ, **env) for name, env in BLAS_CHOICES.items()
            if Path(env["LD_LIBRARY_PATH"], "libblas.so.3").exists()}

    rows, runs = [], []
    with tempfile.TemporaryDirectory(prefix="interdep-side-by-side-") as folder:
        for n in sizes:
            scenario = Path(folder, f"synthetic-{n}.toml")
            scenario.write_text(subprocess.run([synthetic, str(n)], capture_output=True,
                                               text=True, check=True).stdout)
            steps = 120 if n <= 50 else 12
            repeat = 5 if n <= 50 else 3
            engine_rounds, reference_rounds = [], {name: [] for name in blas}
            engine_runs, reference_runs = [], {name: [] for name in blas}
            for r in range(args.rounds):
                print(f"N = {n}, round {r + 1} of {args.rounds}", file=sys.stderr)
                engine_rounds.append(engine_times(bench, n, args.min_time))
                for name, env in blas.items():
                    reference_rounds[name].append(reference_times(scenario, n, steps, repeat, env))
                if args.whole_runs:
                    engine_runs.append(engine_run_seconds(engine, scenario, Path(folder, "r.h5")))
                    for name, env in blas.items():
                        reference_runs[name].append(reference_run_seconds(scenario, env))
            rows.append((n, engine_rounds, reference_rounds))
            if args.whole_runs:
                runs.append((n, engine_runs, reference_runs))

    print(f"Best of {args.rounds} alternating rounds; engine {bench}, reference {REFERENCE.name}.")
    print()
    print("| N | engine step, tracked / untracked | in Eigen products | reference step, BLAS "
          "| in Eigen products | in its own products | reference / engine untracked |")
    print("|---:|---:|---:|---|---:|---:|---:|")
    for n, engine_rounds, reference_rounds in rows:
        step, untracked, product = (best(engine_rounds, k) for k in ("step", "untracked", "product"))
        for name, rounds in reference_rounds.items():
            ref_step, ref_product = best(rounds, "step"), best(rounds, "product")
            print(f"| {n} | {microseconds(step)} / {microseconds(untracked)} "
                  f"| {step / product:.1f} / {untracked / product:.1f} "
                  f"| {microseconds(ref_step)}, {name} | {ref_step / product:.1f} "
                  f"| {ref_step / ref_product:.1f} | **{ref_step / untracked:.2f}×** |")
    print()
    print("Eigen products: one N x N product of Eigen's (BM_EigenProduct, issue 10's yardstick);")
    print("its own products: one N x N product of NumPy's @ on that BLAS, in the same round.")
    print("A ratio above 1 in the last column: the engine's step is faster than the reference's.")
    if runs:
        print()
        print("Whole ten-year runs (120 monthly steps), wall time of each process, best of the rounds:")
        print("the engine's `interdep run -q -j 1` without contributions or network, writing its file;")
        print("the reference's import, loading and 120 steps (`--time --steps 120 --repeat 1`).")
        print()
        print("| N | engine run | reference run, BLAS | reference / engine |")
        print("|---:|---:|---|---:|")
        for n, engine_runs, reference_runs in runs:
            for name, seconds in reference_runs.items():
                print(f"| {n} | {min(engine_runs):.2f} s | {min(seconds):.2f} s, {name} "
                      f"| **{min(seconds) / min(engine_runs):.2f}×** |")


if __name__ == "__main__":
    main()
