#!/usr/bin/python3
"""Checks of tools/plot's output, called by tests/plot_check.sh.

  plot_check.py figure FILE.png|FILE.svg [--text T ...] [--count PREFIX=N ...] [--width PX]
  plot_check.py trajectories DUMP.json --svg FILE.svg
  plot_check.py heatmap DUMP.json --svg FILE.svg [--time YEAR]
  plot_check.py network DUMP.json --svg FILE.svg --source file|computed
  plot_check.py strip-network IN.h5 OUT.h5 [--tie-threshold X]   a copy without /network
  plot_check.py fake-network IN.h5 OUT.h5       a copy with a made-up /network

The numbers in a --dump-data file are compared with what h5py reads from the result files
(closed forms where the plot derives them), and the SVG's elements (ids set by tools/plot:
series-, baseline-, difference-, band-, median-, event-, cell-, node-, tie-) are counted against
what the files hold. Exit status 0 when every check passes, 1 with one line per failure.
"""

import argparse
import collections
import itertools
import json
import re
import shutil
import struct
import sys
import tomllib
import xml.etree.ElementTree as ElementTree

import h5py
import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def strings(dataset):
    return [str(s) for s in dataset.asstr()[()]]


def unit_text(units):
    return "dimensionless" if units == "1" else units


# -- figures -----------------------------------------------------------------------------------

def svg_ids(path):
    """Every id attribute of the SVG, and all its text."""
    root = ElementTree.parse(path).getroot()
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    text = " ".join(root.itertext())
    return ids, text


def svg_texts(path):
    """The text of each text element of the SVG, whole."""
    root = ElementTree.parse(path).getroot()
    return {"".join(element.itertext()).strip() for element in root.iter()
            if element.tag.endswith("}text") or element.tag == "text"}


def count_ids(ids, prefix):
    return sum(1 for i in ids if i.startswith(prefix))


def check_png(path, width):
    with open(path, "rb") as stream:
        data = stream.read()
    if not check(data[:8] == PNG_SIGNATURE, f"{path}: no PNG signature"):
        return
    # IHDR is the first chunk: length, type, then width and height (big-endian).
    png_width, png_height = struct.unpack(">II", data[16:24])
    check(len(data) > 20_000, f"{path}: only {len(data)} bytes")
    check(png_height >= 600, f"{path}: height {png_height} px")
    if width is not None:
        check(png_width == width, f"{path}: width {png_width} px, expected {width} (150 dpi)")


def figure_command(arguments):
    if arguments.file.endswith(".png"):
        check_png(arguments.file, arguments.width)
        return
    ids, text = svg_ids(arguments.file)
    for wanted in arguments.text:
        check(wanted in text, f"{arguments.file}: text '{wanted}' not found")
    for rule in arguments.count:
        prefix, number = rule.rsplit("=", 1)
        found = count_ids(ids, prefix)
        check(found == int(number), f"{arguments.file}: {found} elements '{prefix}*', "
                                    f"expected {number}")


# -- trajectories ------------------------------------------------------------------------------

def pair_values(f, dataset, domain, i, j):
    if dataset == "relations":
        d = strings(f["domain"]).index(domain)
        return f["relations"][:, i, j, d]
    return f[dataset][:, i, j]


# The fields of an /events row that make it the event it is (all but its row number and
# event_index, its position), with the value of a file that lacks the column.
EVENT_FIELDS = (("time", None), ("step", -1.0), ("kind", None), ("label", None), ("actor", None),
                ("target", None), ("goldstein", 0.0), ("cameo", ""), ("detail", ""))


def file_events(paths, pair):
    """Events of the files with either actor of the pair, as a Counter of tuples of
    EVENT_FIELDS: rows of one file count apart even when equal (an event listed twice); the same
    event in two files (equal in every field) counts once."""
    union = collections.Counter()
    for path in paths:
        with h5py.File(path, "r") as f:
            group = f["events"]
            n = len(group["time"])
            columns = []
            for name, missing in EVENT_FIELDS:
                if name not in group:
                    columns.append([missing] * n)
                elif h5py.check_string_dtype(group[name].dtype) is not None:
                    columns.append(strings(group[name]))
                else:
                    columns.append([float(v) for v in group[name][()]])
            rows = collections.Counter(
                row for row in zip(*columns)
                if row[4] in pair or row[5] in pair)
            union |= rows
    return union


def dumped_event(event, fields):
    """An event of --dump-data as a tuple of those EVENT_FIELDS named in `fields`."""
    return tuple(float(event[name]) if isinstance(event[name], (int, float)) else event[name]
                 for name in fields)


def trajectories_command(arguments):
    with open(arguments.dump) as stream:
        dump = json.load(stream)
    ids, text = svg_ids(arguments.svg)
    check(unit_text(dump["units"]) in text, f"{arguments.svg}: unit '{dump['units']}' missing")
    for p, panel in enumerate(dump["panels"]):
        pair = panel["pair"]
        runs = [line for line in panel["lines"] if line["role"] == "run"]
        baselines = [line for line in panel["lines"] if line["role"] == "baseline"]
        for line in panel["lines"]:
            with h5py.File(line["file"], "r") as f:
                codes = strings(f["actor"])
                units = str(f[dump["dataset"]].attrs["units"])
                values = pair_values(f, dump["dataset"], dump["domain"], codes.index(pair[0]),
                                     codes.index(pair[1]))
                check(units == dump["units"], f"panel {p}: units {dump['units']} != {units}")
                check(np.array_equal(np.asarray(line["time"]), f["time"][()]),
                      f"panel {p} {line['file']}: plotted times differ from /time")
                check(np.array_equal(np.asarray(line["values"]), values),
                      f"panel {p} {line['file']}: plotted values differ from /{dump['dataset']}")
                names = dict(zip(codes, strings(f["actor_name"])))
                for code in pair:
                    check(names[code] in text, f"{arguments.svg}: name {names[code]} missing")
        check(count_ids(ids, f"series-{p}-") == len(runs), f"panel {p}: series lines")
        check(count_ids(ids, f"baseline-{p}") == len(baselines), f"panel {p}: baseline line")
        check(count_ids(ids, f"difference-{p}-") == (len(runs) if baselines else 0),
              f"panel {p}: difference shading")

        band = panel["band"]
        check(count_ids(ids, f"band-{p}") == (1 if band else 0), f"panel {p}: band")
        check(count_ids(ids, f"median-{p}") == (1 if band else 0), f"panel {p}: median")
        if band:
            check_band(p, band)

        # Every event of the runs is drawn, once: two distinct events that share date, kind,
        # sender and target are two entries (they once were merged into one).
        expected = file_events([line["file"] for line in runs], pair)
        wanted = [name for name, _ in EVENT_FIELDS] + ["legend"]
        lacking = sorted({name for e in panel["events"] for name in wanted if name not in e})
        check(not lacking, f"panel {p}: the dump's events lack {lacking}")
        # Compared on the fields the dump has, so that a missing field is one failure above.
        fields = [k for k, (name, _) in enumerate(EVENT_FIELDS) if name not in lacking]
        drawn = collections.Counter(dumped_event(e, [EVENT_FIELDS[k][0] for k in fields])
                                    for e in panel["events"])
        expected_here = collections.Counter()
        for row, count in expected.items():
            expected_here[tuple(row[k] for k in fields)] += count
        missing, extra = expected_here - drawn, drawn - expected_here
        check(not missing and not extra,
              f"panel {p}: events of the files not drawn: {sorted(missing.elements(), key=repr)}; "
              f"drawn but not in the files (or drawn twice): {sorted(extra.elements(), key=repr)}")
        legends = [e["legend"] for e in panel["events"] if "legend" in e]
        check(len(set(legends)) == len(legends), f"panel {p}: legend entries read the same: "
                                                 f"{legends}")
        for legend in legends:
            check(legend in text, f"{arguments.svg}: legend entry '{legend}' not in the figure")
        times = {e[0] for e in expected}
        check(count_ids(ids, f"event-{p}-") == len(times),
              f"panel {p}: {count_ids(ids, f'event-{p}-')} event lines, expected {len(times)}")


def check_band(p, band):
    with h5py.File(band["file"], "r") as f:
        k = strings(f["output"]).index(band["output"])
        done = f["status"][()] == 1
        series = f["series"][()][done, :, k]
        check(np.array_equal(np.asarray(band["time"]), f["time"][()]), f"panel {p}: band times")
    low, high = band["percentiles"]
    check(band["runs"] == series.shape[0], f"panel {p}: band over {band['runs']} runs, "
                                           f"{series.shape[0]} finished")
    for name, expected in (("median", np.median(series, axis=0)),
                           ("low", np.percentile(series, low, axis=0)),
                           ("high", np.percentile(series, high, axis=0))):
        check(np.allclose(np.asarray(band[name]), expected, rtol=0.0, atol=1e-12),
              f"panel {p}: band {name} differs from the sweep's /series")


# -- heatmap -----------------------------------------------------------------------------------

def heatmap_command(arguments):
    with open(arguments.dump) as stream:
        dump = json.load(stream)
    ids, text = svg_ids(arguments.svg)
    with h5py.File(dump["file"], "r") as f:
        time = f["time"][()]
        frame = (len(time) - 1 if arguments.time is None
                 else int(np.argmin(np.abs(time - arguments.time))))
        check(dump["frame"] == frame, f"heatmap: frame {dump['frame']}, expected {frame}")
        # The actors drawn (all, or --actors in their order): their rows and columns of the file.
        codes = strings(f["actor"])
        picked = [codes.index(code) for code in dump["actors"]]
        check(np.array_equal(np.asarray(dump["matrix"]),
                             f[dump["measure"]][frame][np.ix_(picked, picked)]),
              f"heatmap: matrix differs from /{dump['measure']}[{frame}] at {dump['actors']}")
        units = str(f[dump["measure"]].attrs["units"])
        names = [strings(f["actor_name"])[k] for k in picked]
    check(unit_text(units) in text, f"{arguments.svg}: unit text '{unit_text(units)}' missing")
    # Up to 20 actors: every name and a number in every cell; beyond, codes and colour alone.
    annotated = len(names) <= 20
    for name in names if annotated else []:
        check(name in text, f"{arguments.svg}: name {name} missing")
    check(count_ids(ids, "cell-") == (len(names) ** 2 if annotated else 0),
          f"{arguments.svg}: cell annotations")
    # Cell numbers never run into the next cell: each takes at most 90 % of a cell's width and
    # height in the laid-out figure (at 16 actors the old 7 pt numbers overlapped).
    if annotated and dump.get("cell_font") is not None:
        check(max(dump["cell_fill"]) <= 0.9 + 1e-6,
              f"heatmap: a cell's number takes {dump['cell_fill']} of its cell (width, height)")
    check(not annotated or "cell_fill" in dump, "heatmap: the dump does not say how much of a cell its number takes")
    # Leverage in the report's colours: vermillion below 0, white at 0, blue above (a partner
    # holding leverage over the actor), centred on 0.
    if dump["measure"] == "leverage":
        scale = dump.get("colour_scale", {})
        check(scale.get("colours") == ["#d55e00", "#ffffff", "#0072b2"] and scale["low"] == -scale["high"],
              f"heatmap: leverage colours {scale} are not the report's (vermillion, white, blue)")


# -- network -----------------------------------------------------------------------------------

def best_split(sign, rbar):
    """Oracle for factions: over all 2^n assignments of the actors to camps 0/1, relabelled so
    actor 0 is in camp 0, the fewest frustrated ties (negative inside, positive between), then
    the smallest sum of |Rbar| over them (integer units of 2^-24, as the engine), then the
    lexicographically smallest assignment. Returns (assignment, frustrated ties)."""
    n = sign.shape[0]
    weight = np.floor(np.abs(rbar) * 2 ** 24 + 0.5).astype(np.int64)
    best = None
    for bits in itertools.product((0, 1), repeat=n):
        camp = tuple(b ^ bits[0] for b in bits)
        count = weighted = 0
        for i, j in itertools.combinations(range(n), 2):
            same = camp[i] == camp[j]
            if (same and sign[i, j] < 0) or (not same and sign[i, j] > 0):
                count += 1
                weighted += int(weight[i, j])
        key = (count, weighted, camp)
        if best is None or key < best:
            best = key
    return list(best[2]), best[0]


def network_command(arguments):
    with open(arguments.dump) as stream:
        dump = json.load(stream)
    ids, text = svg_ids(arguments.svg)
    # The names do not run into each other (measured in the laid-out figure): 30 names at 14 pt,
    # or 20 long ones, had.
    check(dump.get("name_overlaps") == 0, f"network: names overlap ({dump.get('name_overlaps')} pairs)")
    frame = dump["frame"]
    with h5py.File(dump["file"], "r") as f:
        overall = f["relation_overall"][frame]
        # The actors drawn (all, or --actors in their order); camps and balance are the whole
        # network's, checked on every actor and compared on those drawn.
        all_codes, all_names = strings(f["actor"]), strings(f["actor_name"])
        picked = [all_codes.index(code) for code in dump["actors"]]
        every = len(all_codes)
        names = [all_names[k] for k in picked]
        scenario_text = str(f.attrs["scenario_text"])
        group = f["network"] if "network" in f else None
        from_file = None
        if group is not None:
            from_file = (group["sign"][frame], group["faction"][frame],
                         float(group["balanced_share"][frame]),
                         float(group.attrs["tie_threshold"]))
    drawn = np.ix_(picked, picked)
    whole_rbar = (overall + overall.T) / 2.0
    rbar = whole_rbar[drawn]
    check(np.array_equal(np.asarray(dump["rbar"]), rbar), "network: rbar != (R + R^T)/2")
    sign = np.asarray(dump["sign"])
    faction = np.asarray(dump["faction"])
    if arguments.source == "file":
        check(group is not None, "network: the file has no /network")
        check(dump["from_file"], "network: /network present but not used")
        if from_file is not None:
            check(np.array_equal(sign, from_file[0][drawn]),
                  "network: signs differ from /network/sign")
            check(np.array_equal(faction, from_file[1][picked]),
                  "network: factions differ from /network/faction")
            check(dump["balanced_share"] == from_file[2] or (
                np.isnan(from_file[2]) and dump["balanced_share"] is None),
                "network: balanced share differs from /network/balanced_share")
            check(dump["tie_threshold"] == from_file[3], "network: tie_threshold")
    else:
        check(group is None and not dump["from_file"], "network: expected computed ties")
        scenario = tomllib.loads(scenario_text).get("network", {})
        threshold = float(scenario.get("tie_threshold", 0.1))  # engine/scenario/spec.hpp default
        check(dump["tie_threshold"] == threshold,
              f"network: threshold {dump['tie_threshold']}, the scenario's is {threshold}")
        closed = np.where(whole_rbar > threshold, 1, np.where(whole_rbar < -threshold, -1, 0))
        np.fill_diagonal(closed, 0)
        check(np.array_equal(sign, closed[drawn]), "network: signs differ from the threshold rule")
        camps, frustration = best_split(closed, whole_rbar)
        camps = [camps[k] for k in picked]
        check(faction.tolist() == camps,
              f"network: factions {faction.tolist()} are not the balance camps {camps}")
        check(dump["frustration"] == frustration,
              f"network: frustration {dump['frustration']} != {frustration}")
        check(("camp 2" in text) == (max(camps) == 1), f"{arguments.svg}: camps in the legend")
        signed = [closed[i, j] * closed[j, k] * closed[i, k]
                  for i, j, k in itertools.combinations(range(every), 3)]
        signed = [s for s in signed if s != 0]
        share = sum(1 for s in signed if s > 0) / len(signed) if signed else None
        check(dump["balanced_share"] == share, f"network: balanced share {dump['balanced_share']}"
                                               f" != {share}")
        check("no /network group" in text, f"{arguments.svg}: note on computed ties missing")
    upper = np.triu(sign, 1)
    check(count_ids(ids, "tie-positive-") == int(np.sum(upper > 0)), "network: positive ties")
    check(count_ids(ids, "tie-negative-") == int(np.sum(upper < 0)), "network: negative ties")
    check(count_ids(ids, "node-") == len(names), "network: nodes")
    # R̄ is written on each tie up to 8 actors (docs/plotting.md; the default world has 7).
    if len(names) <= 8:
        for edge in dump["edges"]:
            written = f"{edge['rbar']:+.2f}".replace("-", "−")
            check(written in text, f"{arguments.svg}: R̄ {written} of the tie "
                                   f"{edge['actor']}–{edge['partner']} not written")
    # Each name whole, wrapped or not (its lines joined by one space), unless the figure says
    # the names were left out (they overlapped even at the smallest size).
    words = " ".join(text.split())
    for name in names if dump.get("name_font") is not None or len(names) > 30 else []:
        check(" ".join(name.split()) in words, f"{arguments.svg}: name {name} missing")
    check(dump.get("name_font") is not None or len(names) > 30 or "names left out" in words,
          f"{arguments.svg}: the names were left out without a word")
    texts = svg_texts(arguments.svg)
    for k in sorted(set(range(every)) - set(picked)):
        check(f"node-{all_codes[k]}" not in ids and all_names[k] not in texts,
              f"{arguments.svg}: {all_names[k]} is drawn, but not among --actors")
    check((f"of the run's {every} actors" in text) == (len(picked) < every),
          f"{arguments.svg}: the note on the actors drawn")
    check("balanced triads" in text or "no triad" in text, f"{arguments.svg}: balance in title")


# -- test files --------------------------------------------------------------------------------

def strip_network_command(arguments):
    """A copy without /network; with --tie-threshold, its scenario_text sets that threshold."""
    shutil.copyfile(arguments.input, arguments.output)
    with h5py.File(arguments.output, "r+") as f:
        if "network" in f:
            del f["network"]
        if arguments.tie_threshold is not None:
            text = str(f.attrs["scenario_text"])
            line = f"tie_threshold = {arguments.tie_threshold!r}"
            if re.search(r"^\[network\]", text, re.MULTILINE):
                text = re.sub(r"^tie_threshold\s*=.*$", line, text, flags=re.MULTILINE)
            else:
                text += f"\n[network]\n{line}\n"
            f.attrs["scenario_text"] = text


def fake_network_command(arguments):
    """A /network that the threshold rule could not give (each actor its own faction, every
    tie negated, a threshold of 0.3), so a plot that uses it is told apart from one that
    recomputes."""
    shutil.copyfile(arguments.input, arguments.output)
    with h5py.File(arguments.output, "r+") as f:
        if "network" in f:
            del f["network"]
        overall = f["relation_overall"][()]
        frames, n = overall.shape[0], overall.shape[1]
        rbar = (overall + np.transpose(overall, (0, 2, 1))) / 2.0
        sign = -np.sign(rbar).astype(np.int8)
        for t in range(frames):
            np.fill_diagonal(sign[t], 0)
        group = f.create_group("network")
        group.attrs["tie_threshold"] = 0.3
        group["sign"] = sign
        group["faction"] = np.tile(np.arange(n, dtype=np.int32), (frames, 1))
        group["balanced_share"] = np.full(frames, 0.25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    figure = commands.add_parser("figure")
    figure.add_argument("file")
    figure.add_argument("--text", action="append", default=[])
    figure.add_argument("--count", action="append", default=[])
    figure.add_argument("--width", type=int)
    figure.set_defaults(run=figure_command)
    for name, run in (("trajectories", trajectories_command), ("heatmap", heatmap_command),
                      ("network", network_command)):
        command = commands.add_parser(name)
        command.add_argument("dump")
        command.add_argument("--svg", required=True)
        command.set_defaults(run=run)
        if name == "heatmap":
            command.add_argument("--time", type=float)
        if name == "network":
            command.add_argument("--source", choices=("file", "computed"), required=True)
    for name, run in (("strip-network", strip_network_command),
                      ("fake-network", fake_network_command)):
        command = commands.add_parser(name)
        command.add_argument("input")
        command.add_argument("output")
        command.set_defaults(run=run)
        if name == "strip-network":
            command.add_argument("--tie-threshold", type=float)
    arguments = parser.parse_args()
    arguments.run(arguments)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
