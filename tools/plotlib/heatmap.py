"""`tools/plot heatmap`: an actor × partner matrix of sensitivity, vulnerability or leverage at
one frame, values written in the cells (row = the affected actor). --actors draws some actors
only; beyond ANNOTATED_ACTORS the cells carry colour alone and the axes codes alone."""

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.colors import LinearSegmentedColormap, to_hex
import numpy as np

from .runfile import RunFile
from .units import unit_text, with_unit, year_text

# Leverage is signed (who holds it over whom), the others are shares >= 0.
DIVERGING = {"leverage"}
# Beyond this many actors a cell is too small for its number (7 pt text in 10 in) and names
# overlap: values and names go, codes stay (every k-th beyond LABELLED_ACTORS).
ANNOTATED_ACTORS = 20
# An odd number of steps, so that 0 is white itself.
LEVERAGE_COLOURS = LinearSegmentedColormap.from_list("leverage", ["#d55e00", "#ffffff", "#0072b2"], N=255)
LABELLED_ACTORS = 50


@dataclass
class HeatmapRequest:
    run: str
    measure: str  # one of runfile.DEPENDENCE_MEASURES
    time: float = None  # decimal year; None for the last frame
    actors: list = None  # codes to draw, in this order; None for every actor


def cell_text(value):
    """Two significant digits: enough to compare cells, short enough for a slide."""
    return "0" if value == 0.0 else f"{value:.2g}".replace("-", "−")


def draw(request):
    with RunFile(request.run, "RUN") as run:
        frame = run.frame_at(request.time, "--time")
        units, long_name = run.attributes(request.measure)
        matrix = run.matrix(request.measure, frame)
        codes, names = list(run.codes), list(run.names)
        if request.actors is not None:
            picked = [run.actor_index(code, f"--actors {code}") for code in request.actors]
            matrix = matrix[np.ix_(picked, picked)]
            codes, names = [codes[k] for k in picked], [names[k] for k in picked]
        return _draw(request, run, frame, matrix, units, long_name, codes, names)


def _draw(request, run, frame, matrix, units, long_name, codes, names):
    n = len(codes)
    # The diagonal (an actor toward itself) is not a relation: masked, drawn as blank cells.
    shown = np.ma.masked_array(matrix, mask=np.eye(n, dtype=bool))
    if request.measure in DIVERGING:
        limit = float(np.max(np.abs(shown))) or 1.0
        # Negative vermillion, 0 white, positive blue: the report's colours (Okabe–Ito), so that
        # a leverage reads alike in both.
        colour_map, low, high = LEVERAGE_COLOURS, -limit, limit
    else:
        colour_map, low, high = "YlOrRd", 0.0, float(np.max(shown)) or 1.0

    figure, axes = plt.subplots(figsize=(10.0, 8.0), layout="constrained")
    # aspect "auto": an equal aspect fights the constrained layout and clips the axis label.
    image = axes.imshow(shown, cmap=colour_map, vmin=low, vmax=high, aspect="auto", gid="matrix")
    image.cmap.set_bad("white")
    axes.grid(False)
    annotated = n <= ANNOTATED_ACTORS
    if annotated:
        labels = [f"{name} ({code})" for code, name in zip(codes, names)]
        ticks = list(range(n))
    else:
        step = -(-n // LABELLED_ACTORS)  # every k-th code, at most LABELLED_ACTORS of them
        ticks = list(range(0, n, step))
        labels = [codes[k] for k in ticks]
    small = {} if annotated else {"fontsize": 6}
    axes.set_xticks(ticks, labels, rotation=90 if not annotated else 30,
                    ha="center" if not annotated else "right", rotation_mode="anchor", **small)
    axes.set_yticks(ticks, labels, **small)
    axes.set_xlabel("partner (column)")
    axes.set_ylabel("affected actor (row)")

    colours = image.cmap(image.norm(matrix))
    # 12 pt fits cells of up to six actors across 10 in; smaller beyond, not below 7 pt.
    font = 12.0 if n <= 6 else max(7.0, 72.0 / n)
    for i in range(n if annotated else 0):
        for j in range(n):
            if i == j:
                axes.text(j, i, "—", ha="center", va="center", color="0.6", gid=f"cell-{i}-{j}")
                continue
            red, green, blue, _ = colours[i, j]
            # Dark cells get white text (relative luminance below about one half).
            dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
            axes.text(j, i, cell_text(matrix[i, j]), ha="center", va="center", fontsize=font,
                      color="white" if dark else "black", gid=f"cell-{i}-{j}")

    meaning = textwrap.fill(f"{long_name} (row = affected actor, column = partner)", 60)
    bar = figure.colorbar(image, ax=axes, shrink=0.85)
    bar.set_label(f"{with_unit(request.measure, units)}\n{meaning}", fontsize=11)
    time = float(run.time[frame])
    # The run's label, as trajectories' legend and the network's title give it.
    title = (f"{request.measure.capitalize()}, {run.label}, "
             f"{year_text(time)}")
    if not annotated:
        title += (f"\n{n} actors: colour only (values from {ANNOTATED_ACTORS} actors or fewer; "
                  f"--actors picks some)")
    axes.set_title(title, fontweight="bold")
    dump = {"kind": "heatmap", "file": run.path, "measure": request.measure, "units": units,
            "unit_text": unit_text(units), "frame": frame, "time": time, "actors": codes,
            "matrix": matrix,
            # The colour scale: its ends and the colours at them and at its middle.
            "colour_scale": {"low": low, "high": high,
                             "colours": [to_hex(image.cmap(x)) for x in (0.0, 0.5, 1.0)]}}
    return figure, dump
