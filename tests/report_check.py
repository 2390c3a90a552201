#!/usr/bin/python3
"""Compares what an interdep HTML report shows with h5py's reading of the result files.

    /usr/bin/python3 report_check.py SHOWN.json RUN.h5 [BASELINE.h5]

SHOWN.json is written by tests/report_check.mjs from the page as Chromium rendered it: every
element carrying data-file ("run" or "baseline"), data-dataset (an HDF5 dataset path) and
data-index (the index into that dataset, as h5py takes it), with its text or, for drawn values
(tie signs, factions), its exact data-value. A shown text must equal the file's value to the
precision shown (half a unit in its last decimal); a data-value must equal it exactly.
Exit status 0 when everything matches, 1 otherwise (each mismatch is printed).
"""
import json
import math
import sys

import h5py
import numpy as np


def parse_shown(text):
    """The number a cell shows, and half a unit of its last decimal (the rounding it allows)."""
    text = text.strip().replace("\u2212", "-").rstrip("%").strip()
    if text == "n/a":
        return None, 0.0
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10.0 ** -decimals


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    shown_path, run_path = sys.argv[1:3]
    baseline_path = sys.argv[3] if len(sys.argv) == 4 else None
    with open(shown_path, encoding="utf-8") as stream:
        result = json.load(stream)
    files = {"run": h5py.File(run_path, "r")}
    if baseline_path:
        files["baseline"] = h5py.File(baseline_path, "r")
    failures = []
    checked = 0
    seen = set()  # (file, dataset, index) shown at least once

    for row in result["shown"]:
        where = f"{row['file']}:{row['dataset']}{row['index']} ({row['view']})"
        handle = files.get(row["file"])
        if handle is None or row["dataset"] not in handle:
            failures.append(f"{where}: no such dataset in the file")
            continue
        dataset = handle[row["dataset"]]
        try:
            stored = float(dataset[tuple(row["index"])])
        except (IndexError, ValueError) as error:
            failures.append(f"{where}: index out of range for shape {dataset.shape}: {error}")
            continue
        seen.add((row["file"], row["dataset"], tuple(row["index"])))
        checked += 1
        if row["value"] is not None:
            if row["value"] != stored:
                failures.append(f"{where}: page holds {row['value']!r}, the file {stored!r}")
            continue
        value, tolerance = parse_shown(row["text"])
        if value is None:
            if math.isfinite(stored):
                failures.append(f"{where}: page shows n/a, the file {stored!r}")
        elif not abs(value - stored) <= tolerance * (1 + 1e-9):
            failures.append(f"{where}: page shows {row['text']!r}, the file {stored!r}")
        elif (row["dataset"] in ("sensitivity", "vulnerability", "leverage") and value == 0.0
              and abs(stored) >= 1e-9):
            # The interdependence matrix: a small asymmetry is what a lesson reads (0.000061).
            failures.append(f"{where}: page shows {row['text']!r} for the file's {stored!r}")

    # Coverage: the numbers a class reads first are all there, for both runs and several times.
    run = files["run"]
    actors = run["actor"].shape[0]
    frames = run["time"].shape[0]
    last = frames - 1
    for file in files:
        for i in range(actors):
            for j in range(actors):
                if i != j and (file, "relation_overall", (last, i, j)) not in seen:
                    failures.append(f"{file}: relation_overall[{last},{i},{j}] (end table) not shown")
    for frame in (0, frames // 2, last):
        if ("run", "vulnerability", (frame, 0, 1)) not in seen:
            failures.append(f"vulnerability at frame {frame} not shown after moving the slider there")
        if "network" in run:
            for i in range(actors):
                for j in range(i + 1, actors):
                    if ("run", "network/sign", (frame, i, j)) not in seen:
                        failures.append(f"network/sign[{frame},{i},{j}] not drawn after moving the slider there")
    events = run["events/goldstein"].shape[0]
    for row in range(events):
        if ("run", "events/goldstein", (row,)) not in seen:
            failures.append(f"event row {row} is not in the event table")
    # The network must change on the page where it changes in the file (the redraw is real).
    if "network" in run:
        sign = run["network/sign"][()]
        if not np.array_equal(sign[0], sign[last]):
            drawn = {}
            for row in result["shown"]:
                if row["dataset"] == "network/sign":
                    drawn.setdefault(row["index"][0], {})[tuple(row["index"][1:])] = row["value"]
            if drawn.get(0) == drawn.get(last):
                failures.append("the network drawn at the first and last frame is the same; the file's differs")

    # Comparison table: each row names its place in the dataset (data attributes); its end values
    # are the files' values there at the last frame, its difference is this run minus the
    # baseline, and its largest gap is the largest |run - baseline| over the frames, at the time
    # the row gives.
    for row in result["comparison"]:
        checked += 1
        quantity = row["quantity"]
        if quantity not in files["run"] or quantity not in files["baseline"]:
            failures.append(f"comparison {row}: no dataset {quantity} in both files")
            continue
        place = (row["actor"], row["partner"]) + (() if row["domain"] is None else (row["domain"],))
        if len(place) + 1 != files["run"][quantity].ndim:
            failures.append(f"comparison {row}: {len(place)} indices for {quantity} of rank {files['run'][quantity].ndim}")
            continue
        series_run = np.asarray(files["run"][quantity][(slice(None),) + place], dtype=float)
        series_base = np.asarray(files["baseline"][quantity][(slice(None),) + place], dtype=float)
        gap = series_run - series_base
        peak = int(np.argmax(np.abs(gap)))
        for role, stored in (("scenario_end", series_run[-1]), ("baseline_end", series_base[-1]),
                             ("end_difference", gap[-1]), ("peak_difference", gap[peak])):
            value, tolerance = parse_shown(row[role])
            # The ends are rounded from the files' values; the difference is that of the ends as
            # shown (the row adds up), so within two half units of the exact difference; the
            # largest gap is rounded from the files' or, where that would read below the end
            # difference, shown as it.
            slack = 2 if role == "end_difference" else 1
            if value is None or not abs(value - stored) <= slack * tolerance * (1 + 1e-9):
                if role != "peak_difference" or row[role][1:] != row["end_difference"][1:]:
                    failures.append(f"comparison {quantity}{list(place)} {role}: page shows {row[role]!r}, the files {stored!r}")
        ends = [parse_shown(row[r]) for r in ("scenario_end", "baseline_end", "end_difference")]
        if None not in (v for v, _ in ends) and not abs(ends[0][0] - ends[1][0] - ends[2][0]) <= 0.1 * ends[2][1]:
            failures.append(f"comparison {quantity}{list(place)}: {row['scenario_end']} - {row['baseline_end']} is not {row['end_difference']}")
        if None not in (v for v, _ in ends) and abs(parse_shown(row["peak_difference"])[0] or 0) < abs(ends[2][0]):
            failures.append(f"comparison {quantity}{list(place)}: the largest gap {row['peak_difference']} reads below the end difference {row['end_difference']}")
        # A row is listed because it differs: its largest gap must not read as 0 (0.000 for a
        # leverage of +0.00045 against -0.00044).
        shown_gap, _ = parse_shown(row["peak_difference"])
        if shown_gap == 0.0 and abs(gap[peak]) >= 1e-9:
            failures.append(f"comparison {quantity}{list(place)}: the largest gap reads {row['peak_difference']!r} for the files' {gap[peak]!r}")
        # Two significant digits of the largest gap (docs/explain-compare.md): +0.00025, not the
        # +0.0003 compare's four decimals give a leverage gap of 0.000253.
        significant = row["peak_difference"].strip().lstrip("+-\u2212").replace(".", "").lstrip("0")
        if len(significant) < 2 and abs(gap[peak]) >= 1e-8:
            failures.append(f"comparison {quantity}{list(place)}: the largest gap reads {row['peak_difference']!r}, "
                            f"fewer than two significant digits of the files' {gap[peak]!r}")
        times = files["run"]["time"][()]
        if not np.isclose(row["peak_time"], times[peak]) and not np.isclose(abs(gap[peak]), abs(gap[np.argmin(np.abs(times - row["peak_time"]))])):
            failures.append(f"comparison {quantity}{list(place)}: largest gap at {row['peak_time']}, the files at {times[peak]}")
    # A run where no relation moved has nothing to explain: the section says so instead.
    moved = "relation_overall" in run and bool(np.any(run["relation_overall"][()] != run["relation_overall"][0]))
    if "contributions" in run and moved and not result.get("narratives"):
        failures.append("the file records contributions but the page shows no narrative")
    if baseline_path is None and result["comparison"]:
        failures.append("a comparison table without a baseline")
    sections = set(result.get("sections", []))
    for section, present in (("balance", "network" in run), ("narratives", "contributions" in run),
                             ("comparison", baseline_path is not None)):
        if present != (section in sections):
            failures.append(f"section {section} {'missing' if present else 'shown'}: the file "
                            f"{'has' if present else 'lacks'} its data")

    for failure in failures[:50]:
        print("FAIL: " + failure)
    if len(failures) > 50:
        print(f"... and {len(failures) - 50} more")
    print(f"report_check.py: {checked} shown numbers and comparison rows checked against "
          f"{run_path}{' and ' + baseline_path if baseline_path else ''}: {len(failures)} mismatch(es)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
