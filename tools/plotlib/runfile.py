"""Reading one run's result file (docs/output-format.md) with the checks a plot needs.

Every problem a user can cause (missing file, not HDF5, not an interdep run, unknown actor or
domain, a time outside the run) raises PlotInputError naming the file and the option.
"""

import os
from dataclasses import dataclass

import h5py
import numpy as np

from .errors import PlotInputError

RUN_CONVENTIONS = "interdep-1"
SWEEP_CONVENTIONS = "interdep-sweep-1"

# Pair arrays [time, actor, partner] every run file has (docs/output-format.md); a plot can draw
# these and any other root dataset over (time, actor, partner) that the file holds
# (RunFile.pair_datasets): the engine's table of recorded datasets decides, not this list.
# relations has a domain axis in addition.
PAIR_QUANTITIES = ("relations", "trade", "energy", "sensitivity", "vulnerability", "leverage")
# The dependence measures (Keohane & Nye) that `heatmap` draws as actor x partner matrices.
DEPENDENCE_MEASURES = ("sensitivity", "vulnerability", "leverage")
REQUIRED_DATASETS = ("time", "actor", "actor_name", "domain", "relation_overall") + PAIR_QUANTITIES
PAIR_DIMENSIONS = ("time", "actor", "partner")


@dataclass
class Event:
    """One row of /events."""

    time: float  # decimal year
    kind: str
    label: str
    actor: str
    target: str  # equals actor for an event without targets
    goldstein: float  # -10 … 10, 0 without an impulse


def open_hdf5(path, option):
    """h5py.File opened read-only, or PlotInputError naming the file and option."""
    if not os.path.exists(path):
        raise PlotInputError(path, option, "no such file")
    if os.path.isdir(path):
        raise PlotInputError(path, option, "is a directory, expected an HDF5 result file")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise PlotInputError(path, option, f"cannot be opened as HDF5 ({error})") from None


def strings(dataset):
    """A 1-D string dataset as a list of str (h5py returns bytes without asstr)."""
    return [str(s) for s in dataset.asstr()[()]]


class RunFile:
    """The coordinates, attributes and events of a run; arrays are read on demand."""

    def __init__(self, path, option):
        self.path = path
        self.option = option
        self._file = open_hdf5(path, option)
        try:
            self._check_layout()
            f = self._file
            self.codes = strings(f["actor"])
            self.names = strings(f["actor_name"])
            self.domains = strings(f["domain"])
            self.domain_labels = (strings(f["domain_label"]) if "domain_label" in f
                                  else list(self.domains))
            self.time = np.asarray(f["time"][()], dtype=float)
            self.time_units = str(f["time"].attrs.get("units", "year"))
            self.scenario_name = str(f.attrs.get("scenario_name", os.path.basename(path)))
            # The run's label: `run --label`, or the scenario's name followed by the overrides
            # that changed it, "sco-crisis [model.decide.pressure=4]" (files before 0.3: none).
            self.label = str(f.attrs.get("label", "")) or self.scenario_name
            self.scenario_text = str(f.attrs.get("scenario_text", ""))
            # Half a step: how far --time may lie outside the first and last frame [yr].
            self.half_step = float(f.attrs.get("dt", 0.0)) / 2.0
            self.events = self._read_events()
        except BaseException:
            self._file.close()
            raise

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- checks -----------------------------------------------------------------------------------

    def _check_layout(self):
        conventions = self._file.attrs.get("conventions")
        if isinstance(conventions, bytes):
            conventions = conventions.decode("utf-8", "replace")
        if conventions == SWEEP_CONVENTIONS:
            raise PlotInputError(self.path, self.option,
                                 f"is a sweep file (conventions = '{SWEEP_CONVENTIONS}'), not a "
                                 "run's result; give sweep files with --sweep")
        if conventions != RUN_CONVENTIONS:
            found = "missing" if conventions is None else f"'{conventions}'"
            raise PlotInputError(self.path, self.option,
                                 "not an interdep result file: root attribute conventions is "
                                 f"{found}, expected '{RUN_CONVENTIONS}'")
        missing = [name for name in REQUIRED_DATASETS if name not in self._file]
        if missing:
            raise PlotInputError(self.path, self.option,
                                 "incomplete interdep result: missing dataset(s) "
                                 + ", ".join("/" + name for name in missing))

    def actor_index(self, code, option):
        """Index of an actor code; PlotInputError listing the valid codes."""
        if code in self.codes:
            return self.codes.index(code)
        valid = ", ".join(f"{c} ({n})" for c, n in zip(self.codes, self.names))
        raise PlotInputError(self.path, option, f"unknown actor code '{code}'; valid: {valid}")

    def name_of(self, code):
        return self.names[self.codes.index(code)]

    def domain_index(self, domain, option):
        """Index of a domain key; PlotInputError listing the valid ones."""
        if domain in self.domains:
            return self.domains.index(domain)
        valid = ", ".join(["overall"] + self.domains)
        raise PlotInputError(self.path, option, f"unknown domain '{domain}'; valid: {valid}")

    def frame_at(self, year, option):
        """Index of the frame nearest `year` (decimal year); None means the last frame."""
        if year is None:
            return len(self.time) - 1
        first, last = float(self.time[0]), float(self.time[-1])
        if not (first - self.half_step <= year <= last + self.half_step):
            raise PlotInputError(self.path, option,
                                 f"{year:g} is outside the run, which covers {first:.2f} … "
                                 f"{last:.2f} ({self.time_units})")
        return int(np.argmin(np.abs(self.time - year)))

    # -- data -------------------------------------------------------------------------------------

    def attributes(self, dataset):
        """(units, long_name) of a dataset."""
        attrs = self._file[dataset].attrs
        return str(attrs.get("units", "")), str(attrs.get("long_name", dataset))

    def pair_datasets(self):
        """Names of the root datasets over (time, actor, partner), in file order: what
        `trajectories --quantity` may draw besides relations."""
        names = []
        for name, item in self._file.items():
            if isinstance(item, h5py.Dataset) and self._dimension_names(item) == PAIR_DIMENSIONS:
                names.append(name)
        return names

    def quantities(self):
        """What `trajectories --quantity` accepts for this file: relations (overall or by
        domain) and every other pair dataset."""
        return ["relations"] + [n for n in self.pair_datasets() if n != "relation_overall"]

    def check_quantity(self, quantity, option):
        """PlotInputError naming the file unless `quantity` is drawable from it."""
        if quantity not in self.quantities():
            raise PlotInputError(self.path, option, f"unknown quantity '{quantity}'; valid: "
                                 + ", ".join(self.quantities()))

    @staticmethod
    def _dimension_names(dataset):
        """Names of the dimension scales attached to each axis (netCDF dimensions)."""
        names = []
        for axis in dataset.dims:
            scales = list(axis.keys())
            names.append(scales[0] if scales else None)
        return tuple(names)

    def pair_series(self, quantity, i, j, domain=None):
        """Values over time of quantity[:, i, j] (relations: [:, i, j, domain]; domain None
        means relation_overall)."""
        if quantity == "relations":
            if domain is None:
                return np.asarray(self._file["relation_overall"][:, i, j], dtype=float)
            return np.asarray(self._file["relations"][:, i, j, domain], dtype=float)
        return np.asarray(self._file[quantity][:, i, j], dtype=float)

    def matrix(self, dataset, frame):
        """dataset[frame] as an actor × partner matrix."""
        return np.asarray(self._file[dataset][frame], dtype=float)

    def network_group(self):
        """The /network group, or None for files written without it."""
        return self._file["network"] if "network" in self._file else None

    def _read_events(self):
        if "events" not in self._file or "time" not in self._file["events"]:
            return []
        group = self._file["events"]
        times = group["time"][()]
        columns = {name: strings(group[name]) for name in ("kind", "label", "actor", "target")}
        goldstein = group["goldstein"][()] if "goldstein" in group else np.zeros(len(times))
        return [Event(float(times[k]), columns["kind"][k], columns["label"][k],
                      columns["actor"][k], columns["target"][k], float(goldstein[k]))
                for k in range(len(times))]
