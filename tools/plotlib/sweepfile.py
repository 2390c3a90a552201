"""Ensemble bands from a sweep file's /series (docs/output-format.md, "Sweep files")."""

from dataclasses import dataclass

import numpy as np

from .errors import PlotInputError, printable
from .runfile import (RUN_CONVENTIONS, SWEEP_CONVENTIONS, open_hdf5, require_clock,
                      require_dataset, strings)

STATUS_DONE = 1  # /status flag_values: 0 pending, 1 done, 2 failed


@dataclass
class Band:
    """Median and percentile band of one sweep output over the runs that finished."""

    output: str
    units: str
    time: np.ndarray  # decimal years of the series frames
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    percentiles: tuple  # (low, high), in percent
    runs: int  # runs that finished and entered the statistics


def output_name(quantity, code_i, code_j, domain=None):
    """The sweep's name of a pair output: relation_overall[PAK,RUS], relations[PAK,RUS,energy]."""
    if quantity == "relations":
        if domain is None:
            return f"relation_overall[{code_i},{code_j}]"
        return f"relations[{code_i},{code_j},{domain}]"
    return f"{quantity}[{code_i},{code_j}]"


class SweepFile:
    """A sweep result opened for its series; checks the conventions and the recorded outputs."""

    OPTION = "--sweep"

    def __init__(self, path):
        self.path = path
        with open_hdf5(path, self.OPTION) as f:
            conventions = f.attrs.get("conventions")
            if conventions == RUN_CONVENTIONS:
                raise PlotInputError(path, self.OPTION,
                                     "is a single run's result (conventions = "
                                     f"'{RUN_CONVENTIONS}'), expected a sweep file from "
                                     "'interdep sweep'")
            if conventions != SWEEP_CONVENTIONS:
                found = "missing" if conventions is None else f"'{conventions}'"
                raise PlotInputError(path, self.OPTION,
                                     "not an interdep sweep file: root attribute conventions is "
                                     f"{found}, expected '{SWEEP_CONVENTIONS}'")
            self.name = printable(f.attrs.get("sweep_name", path))
            self.record_mode = str(f.attrs.get("record_mode", ""))
            self.outputs = strings(self._dataset(f, "output", (None,), "string"))
            self.units = (strings(self._dataset(f, "output_units", (len(self.outputs),), "string"))
                          if "output_units" in f else [""] * len(self.outputs))
            self.status = self._dataset(f, "status", (None,))[()]
            self.has_series = "series" in f and "time" in f

    def _dataset(self, f, name, shape, kind="number"):
        """A dataset the band reads, checked against the file's axes (require_dataset)."""
        return require_dataset(f, name, shape, kind, self.path, self.OPTION)

    def band(self, output, percentiles):
        """Band of `output` over the finished runs; PlotInputError listing what the sweep has."""
        listed = ", ".join(self.outputs) if self.outputs else "none"
        if not self.has_series:
            raise PlotInputError(self.path, self.OPTION,
                                 f"the sweep recorded no series (record mode "
                                 f"'{self.record_mode}'), so no band of {output} can be drawn; "
                                 f"its outputs ({listed}) have summaries only: rerun it with "
                                 "[record] mode = \"every\"")
        if output not in self.outputs:
            raise PlotInputError(self.path, self.OPTION,
                                 f"the sweep has no series of {output}; its series outputs: "
                                 f"{listed}")
        k = self.outputs.index(output)
        with open_hdf5(self.path, self.OPTION) as f:
            time = require_clock(np.asarray(self._dataset(f, "time", (None,))[()], dtype=float),
                                 "/time", self.path, self.OPTION)
            series = self._dataset(f, "series", (len(self.status), len(time), len(self.outputs)))
            values = np.asarray(series[:, :, k], dtype=float)  # [run, time]
        values = values[self.status == STATUS_DONE]
        if values.shape[0] == 0:
            raise PlotInputError(self.path, self.OPTION, "no run of the sweep finished")
        low, median, high = np.percentile(values, [percentiles[0], 50.0, percentiles[1]], axis=0)
        return Band(output, self.units[k], time, median, low, high, tuple(percentiles),
                    int(values.shape[0]))
