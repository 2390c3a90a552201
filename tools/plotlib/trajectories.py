"""`tools/plot trajectories`: one panel per actor pair, the chosen quantity over time for each
run file, optionally a baseline (dashed, difference shaded), a sweep's ensemble median and
percentile band, and the events that involve the pair."""

import contextlib
import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from . import style
from .runfile import RunFile
from .sweepfile import SweepFile, output_name
from .units import month_text, unit_text, with_unit

# quantity -> (axis label, panel title with {a} = actor, {b} = partner: what X[t, a, b] means)
QUANTITY_TEXT = {
    "relations": ("relation", "{a} toward {b}"),
    "trade": ("goods exports", "{a}: exports to {b}"),
    "energy": ("gas supply", "gas supplied by {a} to {b}"),
    "sensitivity": ("sensitivity S", "{a}: sensitivity to {b}"),
    "vulnerability": ("vulnerability V", "{a}: vulnerability to {b}"),
    "leverage": ("leverage L", "leverage of {b} over {a}"),
}
# Quantities whose sign matters: a zero line helps read them.
SIGNED_QUANTITIES = ("relations", "leverage")

EVENT_WORDS = {"impulse": "impulse", "sanction": "sanctions", "lift_sanction": "sanctions lifted",
               "energy_link": "gas link", "apply": "applies", "corridor": "corridor"}
# Events closer than this share of the time axis share one badge; badges that would still overlap
# once the figure is laid out are merged too (merge_badges).
EVENT_GROUP_SHARE = 0.02
BADGE_FONT_SIZE = 9
BADGE_PAD = 0.25  # the badge's box beyond its text, in units of its font size


@dataclass
class TrajectoryRequest:
    runs: list  # paths of run files, drawn as labelled lines
    pairs: list  # (actor code, partner code)
    quantity: str  # relations or a pair dataset of the files (RunFile.quantities)
    domain: str  # None for overall (relation_overall); only with quantity "relations"
    baseline: str = None  # path of the baseline run file
    sweep: str = None  # path of a sweep file with /series
    band: tuple = (5.0, 95.0)  # percentiles of the sweep band
    labels: list = None  # the runs' legend labels (--label), in order; else the files' own
    baseline_label: str = None  # the baseline's (--baseline-label); else the file's own
    share_y: bool = False  # one y axis for every panel (--share-y), so panels compare by eye



def number_marker(number):
    """The digits of `number` as a marker, centred: a path, as text is not parsed as mathtext
    (style.apply), so the "$1$" a text marker is written as would be drawn as it is written."""
    path = TextPath((0, 0), str(number))
    box = path.get_extents()
    return path.transformed(Affine2D().translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2))

def event_short_label(event):
    """'USA→RUS sanctions (−8)', 'RUS→USA impulse (−4)', 'RUS→PAK gas link cut', 'PAK applies':
    short enough to stand beside a line, with the Goldstein weight of an event that has one; the
    full labels are in the file and in --dump-data."""
    word = EVENT_WORDS.get(event.kind, event.kind)
    # A gas link set to no capacity (/events/detail "capacity 0 bcm/yr…") cuts the gas, which
    # "gas link" alone would read as a new link.
    if event.kind == "energy_link" and event.detail.startswith("capacity 0 "):
        word = "gas link cut"
    who = event.actor if event.target == event.actor else f"{event.actor}→{event.target}"
    text = f"{who} {word}"
    if event.goldstein != 0.0:
        text += f" ({event.goldstein:+g})".replace("-", "−")
    return text


def distinct_events(runs):
    """The events of the run files, each once, as (key, event) by time and then as applied.

    Two files' rows are one event (the same scenario event in two runs) only when every field
    the files hold for them is equal (Event.content: time, step, kind, label, actor, target,
    Goldstein weight, CAMEO code, detail), not merely date, kind and actors: two gas links from
    Russia to Pakistan in one month are two events. Rows of one file are distinct even where
    their contents are equal (an event listed twice): the k-th such row of each file is one
    event, hence the key (content, k)."""
    seen = {}
    for run in runs:
        counts = {}
        for event in run.events:
            content = event.content()
            counts[content] = counts.get(content, 0) + 1
            seen.setdefault((content, counts[content]), event)
    return sorted(seen.items(), key=lambda item: item[1].time)  # stable: as applied


def events_touching(events, pair):
    """Those of the (key, event) `events` that involve either actor of the pair."""
    return [(key, event) for key, event in events if {event.actor, event.target} & set(pair)]


def legend_texts(events):
    """(key, event) -> 'Jan 2027: RUS→PAK gas link'; where two events would read the same, each
    gets its detail (or its full label) in brackets, so that the legend tells them apart."""
    texts = {key: f"{month_text(event.time)}: {event_short_label(event)}" for key, event in events}
    repeated = {text for text in texts.values() if list(texts.values()).count(text) > 1}
    return {key: f"{texts[key]} ({event.detail or event.label})" if texts[key] in repeated
            else texts[key] for key, event in events}


def run_labels(runs, given=None):
    """The runs' labels: those given (--label, in order), else each file's own label (`run
    --label`, or the scenario's name with the overrides that changed it); the file name is added
    where two runs would still read the same."""
    names = [run.label for run in runs]
    if given:
        names[:len(given)] = given[:len(names)]
    return [f"{name} ({where})" if names.count(name) > 1 else name
            for name, where in zip(names, distinct_paths([run.path for run in runs], names))]


def distinct_paths(paths, names):
    """Each path by its file name, or by as many of its last folders as tell it apart from the
    other paths of runs of the same name (a/sanctions.h5, b/sanctions.h5)."""
    parts = [os.path.normpath(os.path.abspath(p)).split(os.sep) for p in paths]
    shown = []
    for name, part in zip(names, parts):
        others = [q for n, q in zip(names, parts) if n == name and q is not part]
        depth = 1
        while depth < len(part) and any(q[-depth:] == part[-depth:] for q in others):
            depth += 1
        shown.append(os.path.join(*part[-depth:]) if part[-depth:] != part else os.path.join(os.sep, *part[1:]))
    return shown


def series_of(run, quantity, pair, domain, option):
    """quantity over time for the pair in `run`; PlotInputError for unknown codes or domain."""
    i = run.actor_index(pair[0], option)
    j = run.actor_index(pair[1], option)
    d = None if domain is None else run.domain_index(domain, f"--domain {domain}")
    return run.pair_series(quantity, i, j, d)


def dataset_of(quantity, domain):
    if quantity == "relations":
        return "relation_overall" if domain is None else "relations"
    return quantity


def draw_events(axes, events, numbers, texts, panel, dump_events, badges):
    """Dotted vertical lines at the times of the (key, event) `events`, each group of close
    events marked by a numbered badge on the top edge (off the data); returns legend handles
    that spell the numbers out. `numbers` and `texts` map a key to the event's number in the
    whole figure and its legend text. The badges' text artists are added to `badges`, left to
    right, for merge_badges."""
    low, high = axes.get_xlim()
    groups = []
    for key, event in events:
        if groups and event.time - groups[-1][0][1].time < EVENT_GROUP_SHARE * (high - low):
            groups[-1].append((key, event))
        else:
            groups.append([(key, event)])
    line = 0
    handles = []
    for group in groups:
        for time in sorted({event.time for _, event in group}):
            axes.axvline(time, color=style.EVENT_COLOUR, linestyle=":", linewidth=1.3, zorder=1,
                         gid=f"event-{panel}-{line}")
            line += 1
        badges.append(axes.text(group[0][1].time, 1.0, ",".join(str(numbers[key]) for key, _ in group),
                                transform=axes.get_xaxis_transform(), ha="center", va="center",
                                fontsize=BADGE_FONT_SIZE, clip_on=False, zorder=6,
                                bbox={"boxstyle": f"round,pad={BADGE_PAD}", "facecolor": "white",
                                      "edgecolor": style.EVENT_COLOUR}))
        for key, event in group:
            handles.append(Line2D([], [], linestyle="none", marker=number_marker(numbers[key]),
                                  markersize=7, color="0.2", label=texts[key]))
            dump_events.append({"time": event.time, "step": event.step, "kind": event.kind,
                                "actor": event.actor, "target": event.target,
                                "label": event.label, "detail": event.detail,
                                "goldstein": event.goldstein, "cameo": event.cameo,
                                "short_label": event_short_label(event),
                                "legend": texts[key], "number": numbers[key]})
    return handles


def badge_extent(badge, renderer):
    """The badge's box across the figure, in pixels: its text and the padding around it."""
    box = badge.get_window_extent(renderer)
    pad = BADGE_PAD * BADGE_FONT_SIZE * badge.figure.dpi / 72.0 + 1.0  # and the edge line
    return box.x0 - pad, box.x1 + pad


def merge_badges(badges, renderer):
    """Badges (left to right) whose boxes would overlap in the laid-out figure are one badge:
    the later's numbers join the earlier's ("4,5,6" had covered ",3" of "1,2,3"). A merged
    badge grows both ways, so it is held against the one before it again. Returns each
    remaining badge's text and extent in pixels."""
    k = 1
    while k < len(badges):
        _, left_end = badge_extent(badges[k - 1], renderer)
        right_start, _ = badge_extent(badges[k], renderer)
        if right_start < left_end + 2.0:
            badges[k - 1].set_text(badges[k - 1].get_text() + "," + badges[k].get_text())
            badges[k].remove()
            del badges[k]
            k = max(1, k - 1)
        else:
            k += 1
    return [{"text": badge.get_text(), "extent": list(badge_extent(badge, renderer))}
            for badge in badges]


def draw(request):
    """The figure and the plotted data (for --dump-data)."""
    with contextlib.ExitStack() as stack:
        runs = [stack.enter_context(RunFile(path, "RUN")) for path in request.runs]
        baseline = (stack.enter_context(RunFile(request.baseline, "--baseline"))
                    if request.baseline else None)
        sweep = SweepFile(request.sweep) if request.sweep else None
        return _draw(request, runs, baseline, sweep)


def _draw(request, runs, baseline, sweep):
    quantity, domain = request.quantity, request.domain
    for run in runs + ([baseline] if baseline else []):
        run.check_quantity(quantity, f"--quantity {quantity}")
    dataset = dataset_of(quantity, domain)
    units, long_name = runs[0].attributes(dataset)
    labels = run_labels(runs, request.labels)

    # Read everything first: a bad code, domain or sweep output fails before any drawing.
    panels = []
    for pair in request.pairs:
        lines = [series_of(run, quantity, pair, domain, f"--pair {pair[0]}:{pair[1]}")
                 for run in runs]
        base = (series_of(baseline, quantity, pair, domain, f"--pair {pair[0]}:{pair[1]}")
                if baseline else None)
        band = (sweep.band(output_name(quantity, pair[0], pair[1], domain), request.band)
                if sweep else None)
        panels.append((pair, lines, base, band))

    # A dataset without words of its own here is labelled by its name ({a} → {b}: actor, partner).
    axis_label, title_template = QUANTITY_TEXT.get(quantity, (quantity, "{a} → {b}"))
    if quantity == "relations":
        d = None if domain is None else runs[0].domains.index(domain)
        axis_label = "overall relation" if d is None else f"{runs[0].domain_labels[d]} relation"
    y_label = with_unit(axis_label, units)
    baseline_label = None
    if baseline is not None:
        name = request.baseline_label or baseline.label
        baseline_label = "baseline" if name == "baseline" else f"baseline: {name}"

    # Events numbered once for the figure, so an event has the same number in every panel.
    events = distinct_events(runs)
    shown = [(key, event) for key, event in events
             if any({event.actor, event.target} & set(pair) for pair in request.pairs)]
    numbers = {key: k + 1 for k, (key, _) in enumerate(shown)}
    texts = legend_texts(shown)

    figure, axes_column = plt.subplots(len(panels), 1, sharex=True, sharey=request.share_y,
                                       squeeze=False,
                                       figsize=(12.0, 1.4 + 3.4 * len(panels)),
                                       layout="constrained")
    dump = {"kind": "trajectories", "quantity": quantity,
            "domain": "overall" if domain is None else domain, "dataset": dataset,
            "units": units, "unit_text": unit_text(units), "panels": []}
    panel_badges = []  # each panel's badge texts, for merge_badges

    for p, (pair, lines, base, band) in enumerate(panels):
        axes = axes_column[p][0]
        names = {"a": f"{runs[0].name_of(pair[0])} ({pair[0]})",
                 "b": f"{runs[0].name_of(pair[1])} ({pair[1]})"}
        # Padded: the event badges sit on the top edge.
        axes.set_title(title_template.format(**names), loc="left", fontweight="bold", pad=12)
        panel_dump = {"pair": list(pair), "lines": [], "band": None, "events": []}

        # Drawn in legend order (runs, baseline, sweep); zorder keeps the runs on top.
        for k, (run, values) in enumerate(zip(runs, lines)):
            axes.plot(run.time, values, color=style.run_colour(k), zorder=4,
                      gid=f"series-{p}-{k}", label=labels[k])
            panel_dump["lines"].append({"role": "run", "file": run.path, "label": labels[k],
                                        "time": run.time, "values": values})

        if base is not None:
            axes.plot(baseline.time, base, color=style.BASELINE_COLOUR, linestyle="--", zorder=3,
                      gid=f"baseline-{p}", label=baseline_label)
            panel_dump["lines"].append({"role": "baseline", "file": baseline.path,
                                        "label": baseline_label, "time": baseline.time,
                                        "values": base})
            for k, (run, values) in enumerate(zip(runs, lines)):
                # The baseline at the run's frames, only where both runs have frames.
                inside = (run.time >= baseline.time[0]) & (run.time <= baseline.time[-1])
                reference = np.interp(run.time, baseline.time, base)
                axes.fill_between(run.time, values, reference, where=inside,
                                  color=style.run_colour(k), alpha=0.18, linewidth=0, zorder=1,
                                  gid=f"difference-{p}-{k}",
                                  label=f"difference {labels[k]} − baseline")

        if band is not None:
            low, high = band.percentiles
            axes.plot(band.time, band.median, color=style.BAND_COLOUR, linewidth=1.6,
                      linestyle="-.", zorder=2, gid=f"median-{p}",
                      label=f"sweep {sweep.name}: median")
            axes.fill_between(band.time, band.low, band.high, color=style.BAND_COLOUR, alpha=0.22,
                              linewidth=0, zorder=0.5, gid=f"band-{p}",
                              label=f"sweep {sweep.name}: {low:g}–{high:g} percentile "
                                    f"({band.runs} runs)")
            panel_dump["band"] = {"file": sweep.path, "output": band.output, "time": band.time,
                                  "median": band.median, "low": band.low, "high": band.high,
                                  "percentiles": list(band.percentiles), "runs": band.runs}

        bottom, top = axes.get_ylim()
        if quantity in SIGNED_QUANTITIES and bottom < 0.0 < top:
            axes.axhline(0.0, color="0.55", linewidth=0.8, zorder=0)
        axes.margins(x=0.01)
        axes.set_ylabel(y_label)
        handles, _ = axes.get_legend_handles_labels()
        panel_badges.append([])
        handles += draw_events(axes, events_touching(events, pair), numbers, texts, p,
                               panel_dump["events"], panel_badges[-1])
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                    borderaxespad=0.0)
        dump["panels"].append(panel_dump)

    # The y range each panel ends with (after sharing, when --share-y): for --dump-data readers.
    for p, panel_dump in enumerate(dump["panels"]):
        panel_dump["y_range"] = [float(v) for v in axes_column[p][0].get_ylim()]
    axes_column[-1][0].set_xlabel(with_unit("time", runs[0].time_units))
    # Years as years: matplotlib's offset would print a run shorter than a year as 0.00 … 0.25
    # with "+2.03e3" apart from the ticks.
    axes_column[-1][0].ticklabel_format(axis="x", style="plain", useOffset=False)
    title = f"{axis_label[0].upper()}{axis_label[1:]}: {', '.join(labels)}"
    if baseline is not None:
        title += f" vs {baseline_label}"
    figure.suptitle(f"{title}\n{long_name}", fontsize=13)
    # Badges are merged where they overlap once the figure is laid out (the legend beside the
    # panels narrows them): drawn once here to know where they fall.
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for panel_dump, badges in zip(dump["panels"], panel_badges):
        panel_dump["badges"] = merge_badges(badges, renderer)
    return figure, dump
