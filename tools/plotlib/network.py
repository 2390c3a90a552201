"""`tools/plot network`: the signed network of overall relations at one frame. Actors on a
circle, positive ties green solid, negative ties red dashed, line width by |Rbar|, actors
coloured by structural-balance camp; the title gives the time and the share of balanced triads.
--actors draws some actors only, and the ties between them; their camps and the balance stay
those of the whole network (a property of every actor's ties, not of the ones drawn)."""

import math
import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from .runfile import RunFile
from .signed_network import EXACT_CAMP_ACTORS, signed_network
from .units import year_text

# Line width [pt] = BASE + SCALE * |Rbar|: a tie at the threshold is thin, |Rbar| = 1 is bold.
EDGE_WIDTH_BASE = 1.0
EDGE_WIDTH_SCALE = 9.0
NODE_AREA = 2600  # marker area [pt^2] up to NODE_AREA_ACTORS actors, shrinking beyond
NODE_AREA_ACTORS = 6
# R̄ is written on the ties up to this many actors (the default world has 7); beyond, the labels
# would cover each other (the line width still shows |R̄|).
EDGE_LABEL_ACTORS = 8
EDGE_LABEL_SHARE = 0.35  # where on a tie R̄ is written (label_spot)
LABEL_RADIUS = 1.3  # names outside the unit circle of nodes
NAME_WIDTH = 18  # characters a name's line holds: a longer name is wrapped, not cut at the edge
NAMED_ACTORS = 30  # above this many actors the names would overlap: the nodes' codes stand alone
NAME_FONT = 14.0  # names' size [pt], made smaller (not below NAME_FONT_MIN) until none overlap
NAME_FONT_MIN = 8.0
CAMP_NAMES_ACTORS = 12  # above this many actors the camps' legend lists codes, not full names
RBAR = "R\u0304"  # R̄, the symmetric relation (R_ij + R_ji)/2 (text is not parsed as mathtext)


@dataclass
class NetworkRequest:
    run: str
    time: float = None  # decimal year; None for the last frame
    actors: list = None  # codes to draw, in this order; None for every actor


def edge_width(rbar):
    return EDGE_WIDTH_BASE + EDGE_WIDTH_SCALE * abs(rbar)


def circle_positions(n):
    """Clockwise from the top, in actor order."""
    angles = [math.pi / 2.0 - 2.0 * math.pi * k / n for k in range(n)]
    return np.array([[math.cos(a), math.sin(a)] for a in angles])


def label_spot(position, i, j):
    """Where R̄ is written on the tie i–j: EDGE_LABEL_SHARE of the way along it from the end
    from which the other lies fewer steps clockwise. Midpoints would crowd the centre (with an
    even number of actors the diameters' midpoints all are the centre); these spots lie apart,
    each on its own line."""
    n = len(position)
    start, end = (i, j) if (j - i) % n <= n / 2 else (j, i)
    return (1.0 - EDGE_LABEL_SHARE) * position[start] + EDGE_LABEL_SHARE * position[end]


def equal_scale(figure, axes, xlim, ylim):
    """Widen xlim or ylim so that a unit is as long across as up: the circle stays round.

    Done after the layout instead of with set_aspect, whose shrinking of the axes box the
    constrained layout does not see (it clipped the title and the legend)."""
    # The drawing inside the axes must not move the layout when the limits change; the names
    # stay inside the limits given.
    for artist in axes.texts + axes.lines + axes.collections:
        artist.set_in_layout(False)
    figure.canvas.draw()  # runs the constrained layout: the axes box is final
    box = axes.get_window_extent()
    ratio = box.width / box.height
    width, height = xlim[1] - xlim[0], ylim[1] - ylim[0]
    if width / height < ratio:
        grow = (height * ratio - width) / 2.0
        xlim = (xlim[0] - grow, xlim[1] + grow)
    else:
        grow = (width / ratio - height) / 2.0
        ylim = (ylim[0] - grow, ylim[1] + grow)
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)


def draw(request):
    with RunFile(request.run, "RUN") as run:
        frame = run.frame_at(request.time, "--time")
        picked = (list(range(len(run.codes))) if request.actors is None
                  else [run.actor_index(code, f"--actors {code}") for code in request.actors])
        overall = run.matrix("relation_overall", frame)
        # The network of every actor: camps and balance are properties of the whole signed
        # graph, which --actors shows a part of.
        network = signed_network(overall, run.network_group(), frame, run.scenario_text)
        return _draw(run, frame, network, picked)


def _share_text(network):
    if math.isnan(network.balanced_share):
        return "no triad with three signed ties"
    return (f"balanced triads: {100.0 * network.balanced_share:.0f} % of "
            f"{network.signed_triads} with three signed ties")


def _draw(run, frame, network, picked):
    """The actors `picked` (indices into the file's, in the order drawn) and their ties; their
    camps and the title's balance are those of the whole network."""
    n = len(picked)
    codes = [run.codes[k] for k in picked]
    names = [run.names[k] for k in picked]
    rbar_drawn = network.rbar[np.ix_(picked, picked)]
    sign_drawn = network.sign[np.ix_(picked, picked)]
    faction_drawn = None if network.faction is None else network.faction[picked]
    position = circle_positions(n)
    name_texts = []
    figure, axes = plt.subplots(figsize=(10.0, 8.5), layout="constrained")
    axes.axis("off")

    threshold = network.tie_threshold
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            sign = int(sign_drawn[i, j])
            if sign == 0:
                continue
            rbar = float(rbar_drawn[i, j])
            kind = "positive" if sign > 0 else "negative"
            axes.plot(position[[i, j], 0], position[[i, j], 1],
                      color=style.POSITIVE_TIE_COLOUR if sign > 0 else style.NEGATIVE_TIE_COLOUR,
                      linestyle="-" if sign > 0 else "--", linewidth=edge_width(rbar),
                      solid_capstyle="round", zorder=1,
                      gid=f"tie-{kind}-{codes[i]}-{codes[j]}")
            edges.append({"actor": codes[i], "partner": codes[j], "sign": sign,
                          "rbar": rbar, "width": edge_width(rbar)})
            if n <= EDGE_LABEL_ACTORS:
                spot = label_spot(position, i, j)
                axes.text(spot[0], spot[1], f"{rbar:+.2f}".replace("-", "−"), fontsize=10,
                          ha="center", va="center", zorder=3,
                          bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85,
                                "pad": 1.0})

    # Neighbours on the circle are 2 sin(pi/n) apart: nodes shrink with it so they do not touch.
    area = NODE_AREA * min(1.0, NODE_AREA_ACTORS / n) ** 2
    for i, code in enumerate(codes):
        colour = (style.UNCOLOURED_NODE if faction_drawn is None
                  else style.faction_colour(int(faction_drawn[i])))
        axes.scatter(position[i, 0], position[i, 1], s=area, color=colour,
                     edgecolors="0.2", linewidths=1.5, zorder=4, gid=f"node-{code}")
        axes.text(position[i, 0], position[i, 1], code, ha="center", va="center",
                  fontsize=11, fontweight="bold", zorder=5)
        if n > NAMED_ACTORS:
            continue
        x, y = LABEL_RADIUS * position[i]
        # Centred only straight above or below the circle (within a tenth of the step between
        # neighbours), else leaning outwards: three centred names at the top of 30 overlapped.
        centred = abs(x) < 0.1 * LABEL_RADIUS * 2.0 * math.sin(math.pi / n) or n <= 8 and abs(x) < 0.3
        align = "center" if centred else ("left" if x > 0 else "right")
        name_texts.append(axes.text(
            x, y, textwrap.fill(names[i], NAME_WIDTH), fontsize=NAME_FONT, zorder=5,
            va="center", ha=align, multialignment=align))

    handles = [
        Line2D([], [], color=style.POSITIVE_TIE_COLOUR, linewidth=3,
               label=f"positive tie: {RBAR} > {threshold:g}"),
        Line2D([], [], color=style.NEGATIVE_TIE_COLOUR, linewidth=3, linestyle="--",
               label=f"negative tie: {RBAR} < −{threshold:g}"),
        Line2D([], [], color="none",
               label=f"no line: |{RBAR}| ≤ {threshold:g}; width ∝ |{RBAR}|"),
    ]
    if n > NAMED_ACTORS:
        handles.append(Line2D([], [], color="none",
                              label=f"{n} actors: each by its code (names left out above "
                                    f"{NAMED_ACTORS})"))
    camps = [] if faction_drawn is None else sorted(set(int(f) for f in faction_drawn))
    for number in camps:
        # Codes for a large world: a legend of full names took the circle's room.
        members = [(codes if n > CAMP_NAMES_ACTORS else names)[i] for i in range(n)
                   if faction_drawn[i] == number]
        handles.append(Patch(facecolor=style.faction_colour(number), edgecolor="0.2",
                             label=textwrap.fill(f"camp {number + 1}: {', '.join(members)}",
                                                 60, subsequent_indent="    ")))
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2,
                frameon=False, fontsize=11)

    time = float(run.time[frame])
    # The run's label (`run --label`, or the scenario's name with the overrides that made the
    # run), as trajectories' legend gives it: a run with --set is told from the plain one.
    axes.set_title(f"Signed network of overall relations, {run.label}\n"
                   f"{year_text(time)} — {_share_text(network)}", fontsize=15)
    computed = "ties" if network.faction is None else "ties and camps"
    source = ("ties, camps and balance from the file's /network group"
              if network.from_file else
              f"the file has no /network group: {computed} computed here from relation_overall")
    if network.faction is None:
        camp_text = (f"camps not computed: more than {EXACT_CAMP_ACTORS} actors, no /network "
                     "group (the engine's camps are a heuristic there)")
    else:
        frustrated = ("" if network.frustration is None
                      else f"; here {network.frustration} frustrated")
        camp_text = ("colours = balance camps: the split with the fewest frustrated ties "
                     f"(negative inside a camp, positive between){frustrated}")
    everyone = len(run.codes)
    part = ("" if n == everyone else
            f"\n{n} of the run's {everyone} actors (--actors); camps and balanced triads are "
            f"those of all {everyone}")
    caption = figure.supxlabel(f"{RBAR}\u1d62\u2c7c = (R\u1d62\u2c7c + R\u2c7c\u1d62)/2, dimensionless, "
                     f"−1 hostile … +1 close\n{camp_text}\n{source}{part}",
                     fontsize=10, color="0.3")
    # Last, when every decoration that takes room is in place. The pentagon reaches lower at the
    # bottom than at the top; names need room at the sides.
    equal_scale(figure, axes, (-1.9, 1.9), (-1.3, 1.45))
    name_font, overlaps = fit_names(figure, name_texts, [], caption)
    dump = {"kind": "network", "file": run.path, "frame": frame, "time": time,
            "actors": codes, "tie_threshold": threshold, "from_file": network.from_file,
            "rbar": rbar_drawn, "sign": sign_drawn, "faction": faction_drawn,
            "frustration": network.frustration,
            "balanced_share": network.balanced_share, "signed_triads": network.signed_triads,
            "edges": edges,
            # The names' size [pt] (None when left out) and how many pairs of them overlap (0).
            "name_font": name_font, "name_overlaps": overlaps}
    return figure, dump


def overlapping_names(figure, texts, others):
    """How many pairs of the visible `texts` overlap in the laid-out figure, and how many of them
    overlap one of the `others`."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_visible()]
    fixed = [o.get_window_extent(renderer) for o in others]
    return (sum(1 for a in range(len(boxes)) for b in range(a + 1, len(boxes))
                if boxes[a].overlaps(boxes[b]))
            + sum(1 for box in boxes for other in fixed if box.overlaps(other)))


def fit_names(figure, texts, others, caption):
    """The names made smaller, a point at a time down to NAME_FONT_MIN, until none overlap (30
    names at 14 pt, or 20 long ones, ran into each other); left out if they still do, with a
    word under the figure. Returns their size (None when left out) and the overlaps left."""
    if not texts:
        return None, 0
    font = NAME_FONT
    overlaps = overlapping_names(figure, texts, others)
    while overlaps and font > NAME_FONT_MIN:
        font -= 1.0
        for text in texts:
            text.set_fontsize(font)
        overlaps = overlapping_names(figure, texts, others)
    if overlaps:
        for text in texts:
            text.set_visible(False)
        caption.set_text(caption.get_text() + f"\nnames left out: they overlap even at "
                         f"{NAME_FONT_MIN:g} pt (each actor by its code)")
        return None, 0
    return font, overlaps
