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
    """Two significant digits: enough to compare cells, short enough for a slide; below 0.001
    as a power of ten, "9.0e−5" (not "9e−05", nor "0.00009")."""
    if value == 0.0:
        return "0"
    if abs(value) < 1e-3:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    return f"{value:.2g}".replace("-", "−")


# Cell numbers: at most this size, and at least MIN_CELL_FONT; cells too small for the widest
# number at MIN_CELL_FONT carry colour alone (CELL_FILL: the share of a cell a number may take).
MAX_CELL_FONT = 12.0
MIN_CELL_FONT = 6.0
CELL_FILL = 0.9


def fit_cell_font(figure, axes, texts, n):
    """The size (pt) at which the widest and tallest of `texts` fill at most CELL_FILL of a
    cell of the laid-out figure, at most MAX_CELL_FONT; None below MIN_CELL_FONT."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = axes.get_window_extent(renderer)
    cell_width, cell_height = box.width / n, box.height / n
    size = texts[0].get_fontsize() if texts else MAX_CELL_FONT
    widest = max((t.get_window_extent(renderer).width for t in texts), default=0.0)
    tallest = max((t.get_window_extent(renderer).height for t in texts), default=0.0)
    scale = min(CELL_FILL * cell_width / widest if widest else 10.0,
                CELL_FILL * cell_height / tallest if tallest else 10.0)
    font = min(MAX_CELL_FONT, size * scale)
    return None if font < MIN_CELL_FONT else font


def cell_fill(figure, axes, texts, n):
    """The largest share of a cell's width, and of its height, that a cell's number takes."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = axes.get_window_extent(renderer)
    extents = [t.get_window_extent(renderer) for t in texts]
    return (max((e.width for e in extents), default=0.0) / (box.width / n),
            max((e.height for e in extents), default=0.0) / (box.height / n))


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

    # Larger for more actors, so that cells keep room for their numbers (10 x 8 in up to 10).
    figure, axes = plt.subplots(figsize=(max(10.0, 4.0 + 0.6 * n), max(8.0, 3.0 + 0.5 * n)),
                                layout="constrained")
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
    numbers = []
    font = MAX_CELL_FONT  # sized to the cells below, once the figure is laid out
    for i in range(n if annotated else 0):
        for j in range(n):
            if i == j:
                axes.text(j, i, "—", ha="center", va="center", color="0.6", gid=f"cell-{i}-{j}")
                continue
            red, green, blue, _ = colours[i, j]
            # Dark cells get white text (relative luminance below about one half).
            dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
            numbers.append(axes.text(j, i, cell_text(matrix[i, j]), ha="center", va="center",
                                     fontsize=font, color="white" if dark else "black",
                                     gid=f"cell-{i}-{j}"))

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
    # The numbers' type from the cells' size, so that no number runs into the next cell.
    fill = (0.0, 0.0)
    if numbers:
        font = fit_cell_font(figure, axes, numbers, n)
        if font is None:
            for text in numbers:
                text.set_visible(False)
            axes.set_title(title + "\ncells too small for their numbers: colour only "
                           "(--actors picks some)", fontweight="bold")
        else:
            for text in numbers:
                text.set_fontsize(font)
            fill = cell_fill(figure, axes, numbers, n)
    dump = {"kind": "heatmap", "file": run.path, "measure": request.measure, "units": units,
            "unit_text": unit_text(units), "frame": frame, "time": time, "actors": codes,
            "matrix": matrix,
            # The cell numbers' size (pt; None without numbers) and the largest share of a cell's
            # width and height one takes (at most CELL_FILL: numbers never overlap).
            "cell_font": font if numbers and font is not None else None,
            "cell_fill": list(fill),
            # The colour scale: its ends and the colours at them and at its middle.
            "colour_scale": {"low": low, "high": high,
                             "colours": [to_hex(image.cmap(x)) for x in (0.0, 0.5, 1.0)]}}
    return figure, dump
