"""One look for every figure: sizes readable on a projector, text kept as text in SVG."""

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

# Colours of run files in the order given (colour-blind friendly tab10 order), then fixed roles.
RUN_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:brown", "tab:pink",
               "tab:olive", "tab:cyan")
BASELINE_COLOUR = "0.25"
BAND_COLOUR = "tab:purple"
EVENT_COLOUR = "0.45"
POSITIVE_TIE_COLOUR = "#1a9641"
NEGATIVE_TIE_COLOUR = "#d7191c"
UNCOLOURED_NODE = "white"  # actors whose camp is not known (tools/plotlib/network.py)
FACTION_COLOURS = ("#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#e0e0e0")


def apply():
    """Set matplotlib's parameters for every figure of tools/plot."""
    plt.rcParams.update({
        "font.size": 12,
        "axes.titlesize": 13,
        "axes.labelsize": 12,
        "figure.titlesize": 15,
        "legend.fontsize": 10,
        "lines.linewidth": 2.0,
        "axes.grid": True,
        "grid.alpha": 0.3,
        # Text is drawn as written: a name or label holding "$" ("US$ bn", an actor "A$B") was read
        # as mathtext (its "$...$" set in italics, an odd "$" refused at drawing). R̄ and the
        # subscripts are Unicode (tools/plotlib/network.py).
        "text.parse_math": False,
        # SVG: keep text as <text> (searchable, editable on slides) and make output repeatable.
        "svg.fonttype": "none",
        "svg.hashsalt": "interdep-plot",
    })


def run_colour(k):
    return RUN_COLOURS[k % len(RUN_COLOURS)]


def faction_colour(k):
    return FACTION_COLOURS[k % len(FACTION_COLOURS)]
