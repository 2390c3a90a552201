"""`tools/plot heatmap`: an actor × partner matrix of sensitivity, vulnerability or leverage at
one frame, values written in the cells (row = the affected actor)."""

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .runfile import RunFile
from .units import unit_text, with_unit, year_text

# Leverage is signed (who holds it over whom), the others are shares >= 0.
DIVERGING = {"leverage"}


@dataclass
class HeatmapRequest:
    run: str
    measure: str  # one of runfile.DEPENDENCE_MEASURES
    time: float = None  # decimal year; None for the last frame


def cell_text(value):
    """Two significant digits: enough to compare cells, short enough for a slide."""
    return "0" if value == 0.0 else f"{value:.2g}".replace("-", "−")


def draw(request):
    with RunFile(request.run, "RUN") as run:
        frame = run.frame_at(request.time, "--time")
        units, long_name = run.attributes(request.measure)
        matrix = run.matrix(request.measure, frame)
        return _draw(request, run, frame, matrix, units, long_name)


def _draw(request, run, frame, matrix, units, long_name):
    n = len(run.codes)
    # The diagonal (an actor toward itself) is not a relation: masked, drawn as blank cells.
    shown = np.ma.masked_array(matrix, mask=np.eye(n, dtype=bool))
    if request.measure in DIVERGING:
        limit = float(np.max(np.abs(shown))) or 1.0
        colour_map, low, high = "RdBu_r", -limit, limit
    else:
        colour_map, low, high = "YlOrRd", 0.0, float(np.max(shown)) or 1.0

    figure, axes = plt.subplots(figsize=(10.0, 8.0), layout="constrained")
    # aspect "auto": an equal aspect fights the constrained layout and clips the axis label.
    image = axes.imshow(shown, cmap=colour_map, vmin=low, vmax=high, aspect="auto", gid="matrix")
    image.cmap.set_bad("white")
    axes.grid(False)
    labels = [f"{name} ({code})" for code, name in zip(run.codes, run.names)]
    axes.set_xticks(range(n), labels, rotation=30, ha="right", rotation_mode="anchor")
    axes.set_yticks(range(n), labels)
    axes.set_xlabel("partner (column)")
    axes.set_ylabel("affected actor (row)")

    colours = image.cmap(image.norm(matrix))
    # 12 pt fits cells of up to six actors across 10 in; smaller beyond, not below 7 pt.
    font = 12.0 if n <= 6 else max(7.0, 72.0 / n)
    for i in range(n):
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
    axes.set_title(f"{request.measure.capitalize()}, scenario {run.scenario_name}, "
                   f"{year_text(time)}", fontweight="bold")
    dump = {"kind": "heatmap", "file": run.path, "measure": request.measure, "units": units,
            "unit_text": unit_text(units), "frame": frame, "time": time, "actors": run.codes,
            "matrix": matrix}
    return figure, dump
