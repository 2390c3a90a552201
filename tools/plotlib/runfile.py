"""Reading one run's result file (docs/output-format.md) with the checks a plot needs.

Every problem a user can cause (missing file, not HDF5, not an interdep run, unknown actor or
domain, a time outside the run) raises PlotInputError naming the file and the option.
"""

import difflib
import os
from dataclasses import dataclass

import h5py
import numpy as np

from .errors import PlotInputError, printable

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
    cameo: str = ""  # CAMEO code, "" when the weight was given directly
    detail: str = ""  # what the event acts on, in words ("" for an impulse, or in older files)
    step: float = -1.0  # the step it was applied at (-1 in files without /events/step)

    def content(self):
        """Every field the file holds for the event except its position (the row number and
        `event_index`, which move when another scenario adds an event before it)."""
        return (self.time, self.step, self.kind, self.label, self.actor, self.target,
                self.goldstein, self.cameo, self.detail)


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
    """A 1-D string dataset as a list of str (h5py returns bytes without asstr), each printable:
    names and labels are drawn and printed, and a file another program wrote may hold control
    characters (errors.printable)."""
    return [printable(s) for s in dataset.asstr()[()]]


def text_attribute(node, name, default):
    """A string attribute as printable text, or `default` when the node has none."""
    return printable(node.attrs.get(name, default))


def require_dataset(group, name, shape, kind, path, option):
    """group[name] if it is a dataset of `kind` ("number" or "string") and `shape` (a tuple; None
    for an axis of any length), or PlotInputError naming the file: a damaged file, a hand edit
    or another program's file can hold any object under a known name."""
    where = f"/{group.name.strip('/')}/{name}".replace("//", "/")
    if name not in group or not isinstance(group[name], h5py.Dataset):
        raise PlotInputError(path, option, f"incomplete interdep result: no dataset {where}")
    dataset = group[name]
    is_string = h5py.check_string_dtype(dataset.dtype) is not None
    if kind == "string" and not is_string:
        raise PlotInputError(path, option, f"dataset {where} holds {dataset.dtype}, expected "
                             "strings (a damaged file)")
    if kind == "number" and (is_string or dataset.dtype.kind not in "iuf"):
        raise PlotInputError(path, option, f"dataset {where} holds {dataset.dtype}, expected "
                             "numbers (a damaged file)")
    if len(dataset.shape) != len(shape) or any(
            want is not None and have != want for have, want in zip(dataset.shape, shape)):
        expected = "[" + ", ".join("any" if n is None else str(n) for n in shape) + "]"
        raise PlotInputError(path, option, f"dataset {where} has shape {list(dataset.shape)}, "
                             f"expected {expected} (a damaged file)")
    return dataset


def require_clock(times, where, path, option, increasing=True):
    """`times` (decimal years) if every one is finite and, with `increasing`, each after the
    last; PlotInputError naming the file and the first bad element otherwise."""
    for k, t in enumerate(times):
        if not np.isfinite(t) or (increasing and k > 0 and not t > times[k - 1]):
            expected = "a finite time after the one before" if increasing else "a finite time"
            raise PlotInputError(path, option, f"dataset {where}: element {k} is {t!r}, expected "
                                 f"{expected} (a damaged file)")
    return times


def number_attribute(node, name, default, path, option):
    """A scalar numeric attribute (default when absent), or PlotInputError naming the file."""
    if name not in node.attrs:
        return default
    value = np.asarray(node.attrs[name])
    if value.shape not in ((), (1,)) or value.dtype.kind not in "iuf":
        raise PlotInputError(path, option, f"attribute {name} is {value.tolist()!r}, expected a "
                             "number (a damaged file)")
    return float(value.reshape(-1)[0])


class RunFile:
    """The coordinates, attributes and events of a run; arrays are read on demand."""

    def __init__(self, path, option):
        self.path = path
        self.option = option
        self._file = open_hdf5(path, option)
        try:
            self._check_layout()
            f = self._file
            self.codes = strings(self._dataset("actor", (None,), "string"))
            self.names = strings(self._dataset("actor_name", (len(self.codes),), "string"))
            self.domains = strings(self._dataset("domain", (None,), "string"))
            self.domain_labels = (
                strings(self._dataset("domain_label", (len(self.domains),), "string"))
                if "domain_label" in f else list(self.domains))
            self.time = require_clock(
                np.asarray(self._dataset("time", (None,), "number")[()], dtype=float), "/time",
                path, option)
            if len(self.time) == 0:
                raise PlotInputError(path, option, "the file holds no frames (a damaged file)")
            self.time_units = text_attribute(f["time"], "units", "year")
            self.scenario_name = text_attribute(f, "scenario_name", os.path.basename(path))
            # The run's label: `run --label`, or the scenario's name followed by the overrides
            # that changed it, "sco-crisis [model.decide.pressure=4]" (files before 0.3: none).
            self.label = text_attribute(f, "label", "") or self.scenario_name
            self.scenario_text = str(f.attrs.get("scenario_text", ""))
            # Half a step: how far --time may lie outside the first and last frame [yr].
            self.half_step = number_attribute(f, "dt", 0.0, path, option) / 2.0
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

    def _dataset(self, name, shape, kind="number", group=None):
        """A dataset the plot reads, checked (require_dataset) against this file's axes."""
        return require_dataset(self._file if group is None else group, name, shape, kind,
                               self.path, self.option)

    def _group(self, name):
        """Root group `name`, None when the file has none, PlotInputError when it is not one."""
        if name not in self._file:
            return None
        group = self._file[name]
        if not isinstance(group, h5py.Group):
            raise PlotInputError(self.path, self.option, f"/{name} is not a group (a damaged file)")
        return group

    def pair_shape(self, name):
        """The shape of pair dataset `name` in this file: (time, actor, partner), relations
        with the domain last."""
        n = len(self.codes)
        shape = (len(self.time), n, n)
        return shape + (len(self.domains),) if name == "relations" else shape

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
        # Beyond 20 actors the first 12 and a count, as the engine's messages (word_list), with
        # the closest code when one is near.
        shown = self.codes if len(self.codes) <= 20 else self.codes[:12]
        valid = ", ".join(f"{c} ({self.names[k]})" for k, c in enumerate(shown))
        if len(shown) < len(self.codes):
            valid += f" and {len(self.codes) - len(shown)} more"
        close = difflib.get_close_matches(code.upper(), self.codes, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise PlotInputError(self.path, option,
                             f"unknown actor code '{code}'{hint}; valid: {valid}")

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
        attrs = self._dataset(dataset, self.pair_shape(dataset)).attrs
        return printable(attrs.get("units", "")), printable(attrs.get("long_name", dataset))

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
        """Names of the dimension scales attached to each axis (netCDF dimensions); none where
        a scale cannot be read (its dataset deleted or replaced in a damaged file)."""
        names = []
        for axis in dataset.dims:
            try:
                scales = list(axis.keys())
            except (RuntimeError, KeyError, ValueError):
                scales = []
            names.append(scales[0] if scales else None)
        return tuple(names)

    def pair_series(self, quantity, i, j, domain=None):
        """Values over time of quantity[:, i, j] (relations: [:, i, j, domain]; domain None
        means relation_overall)."""
        if quantity == "relations":
            if domain is None:
                return np.asarray(self._pair("relation_overall")[:, i, j], dtype=float)
            return np.asarray(self._pair("relations")[:, i, j, domain], dtype=float)
        return np.asarray(self._pair(quantity)[:, i, j], dtype=float)

    def matrix(self, dataset, frame):
        """dataset[frame] as an actor × partner matrix."""
        return np.asarray(self._pair(dataset)[frame], dtype=float)

    def _pair(self, name):
        return self._dataset(name, self.pair_shape(name))

    def network_group(self):
        """The /network group, or None for files written without it. Its datasets that the
        network plot reads are checked against the file's frames and actors."""
        group = self._group("network")
        if group is None:
            return None
        frames, n = len(self.time), len(self.codes)
        self._dataset("sign", (frames, n, n), group=group)
        self._dataset("faction", (frames, n), group=group)
        self._dataset("balanced_share", (frames,), group=group)
        if "frustration" in group:
            self._dataset("frustration", (frames,), group=group)
        number_attribute(group, "tie_threshold", 0.0, self.path, self.option)
        return group

    def _read_events(self):
        group = self._group("events")
        if group is None:
            return []
        times = require_clock(np.asarray(self._dataset("time", (None,), group=group)[()],
                                         dtype=float), "/events/time", self.path, self.option,
                              increasing=False)
        columns = {name: strings(self._dataset(name, (len(times),), "string", group))
                   for name in ("kind", "label", "actor", "target")}
        goldstein = (self._dataset("goldstein", (len(times),), group=group)[()]
                     if "goldstein" in group else np.zeros(len(times)))
        # Optional columns (files of earlier builds lack some of them).
        for name in ("cameo", "detail"):
            columns[name] = (strings(self._dataset(name, (len(times),), "string", group))
                             if name in group else [""] * len(times))
        steps = (self._dataset("step", (len(times),), group=group)[()]
                 if "step" in group else np.full(len(times), -1))
        return [Event(float(times[k]), columns["kind"][k], columns["label"][k],
                      columns["actor"][k], columns["target"][k], float(goldstein[k]),
                      columns["cameo"][k], columns["detail"][k], float(steps[k]))
                for k in range(len(times))]
