"""interdep from Python: scenarios, runs as xarray Datasets, sweeps as tables, sensitivity
analysis, scenario discovery, and an adapter for SALib and EMA Workbench (docs/python.md).

    import interdep
    ds = interdep.run("scenarios/sanctions.toml", set={"time.years": 5}, seed=7)
    ds.relation_overall.sel(actor="PAK", partner="RUS").plot()

    result = interdep.sweep("scenarios/sweeps/pipeline-sobol.toml", threads=2)
    interdep.analyze(result, "relation_overall[PAK,RUS]")     # warns when indices are noise

Everything runs in the engine (C++): the scenario loader validates (errors raise ScenarioError
with file, line, column and key), a run is written by the engine's run-file writer into an HDF5
file in memory, so a Dataset has the names, dimensions, units and attributes of the file
`interdep run` writes; sweeps use the engine's threads. The GIL is released while the engine
works, and Ctrl-C stops it (KeyboardInterrupt).
"""

from __future__ import annotations

import atexit
import io
import json
import math
import os
import re
import shutil
import stat
import tempfile
import warnings
import weakref
from pathlib import Path

import numpy as np

from . import _interdep

__version__ = _interdep.__version__
# The kernel of the step's matrix products here: "sse2", "avx2" or "avx512", the widest this CPU
# runs or the one INTERDEP_PRODUCT_KERNEL names (an unknown or unsupported name fails the import).
# Every kernel gives the same bits (docs/model.md §9).
product_kernel = _interdep.product_kernel
__all__ = [
    "ScenarioError", "OutputError", "NoiseWarning", "Scenario", "Run", "SweepResult",
    "Discovery", "Model", "scenario_path", "load", "simulate", "run", "sweep", "open_sweep",
    "sweep_table", "analyze", "discover", "sample",
]

ScenarioError = _interdep.ScenarioError
OutputError = _interdep.OutputError


class NoiseWarning(UserWarning):
    """Sensitivity indices that may measure run-to-run noise rather than the parameters."""


# The temporary folders of calls running now (a sweep's, a Model's batch): at the interpreter's
# exit, while another (daemon) thread is in such a call, the engine's work is stopped and waited
# for, and the folders are removed (the thread never returns to Python, so its own clean-up
# cannot run).
_live_folders = set()


def _temporary_folder(prefix: str) -> str:
    folder = tempfile.mkdtemp(prefix=prefix)
    _live_folders.add(folder)
    return folder


def _remove_folder(folder) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _live_folders.discard(folder)


def _at_exit() -> None:
    _interdep.stop_all()
    for folder in list(_live_folders):
        _remove_folder(folder)


atexit.register(_at_exit)


# -- scenarios --------------------------------------------------------------------------------

def scenario_path(name: str = "baseline") -> Path:
    """A shipped scenario by name ("baseline", "sanctions", "sweeps/pipeline-sobol"): where an
    installed interdep keeps them (PREFIX/share/interdep/scenarios), else in the source tree the
    module was built from."""
    if not isinstance(name, str):
        raise TypeError(f"a shipped scenario's name is a str such as \"sanctions\", got {name!r}")
    relative = name if name.endswith(".toml") else name + ".toml"
    here = Path(__file__).resolve().parent
    looked = []
    # PREFIX/lib/python3.X/dist-packages/interdep: PREFIX is three folders up. Only there: a
    # module used from a build tree (BUILD/python/interdep) took /tmp/share/... when built in
    # /tmp/BUILD, a folder any user of the machine may write.
    if (len(here.parents) > 3 and here.parent.name in ("dist-packages", "site-packages")
            and here.parents[1].name.startswith("python")
            and here.parents[2].name in ("lib", "lib64")):
        installed = here.parents[3] / "share" / "interdep" / "scenarios" / relative
        if installed.is_file():
            return installed
        looked.append(installed.parent)
    else:
        # An installed module does not reach back into the source tree it was built from (a
        # path baked in at build time, which a moved installation does not own).
        source = Path(_interdep.source_dir) / "scenarios" / relative
        if source.is_file():
            return source
        looked.append(source.parent)
    raise FileNotFoundError(f"no shipped scenario {relative!r} (looked in "
                            + " and ".join(str(p) for p in looked) + ")")


def _toml_value(value) -> str:
    """A Python value as the TOML literal an override takes."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)  # shortest text that reads back as the same double
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table: a path {2025: 0.03, 2030: 0.02}
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot set a scenario key to {value!r} ({type(value).__name__}): "
                    "use a bool, number, string, or a list or dict of them")


def _overrides(set_) -> list[str]:
    """{key: value} or ["key=value", ...] as the loader's overrides (`interdep run --set`)."""
    if set_ is None:
        return []
    if isinstance(set_, dict):
        for key in set_:
            # A key of another type went through str(): b"time.years" became the key "b'time",
            # None the key "None", refused in the loader's words about text the user never wrote.
            if not isinstance(key, str):
                raise TypeError(f"set=: the key {key!r} is a {type(key).__name__}; keys are "
                                'scenario key paths as str, e.g. {"time.years": 5}')
        return [f"{key}={_toml_value(value)}" for key, value in set_.items()]
    if isinstance(set_, str):
        return [set_]
    if isinstance(set_, bytes):
        raise TypeError("set= is a dict {\"key.path\": value} or a list of \"key=value\" str, "
                        "got bytes")
    items = list(set_)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"set=: the item {item!r} is a {type(item).__name__}; give "
                            '"key=value" str, or a dict {"key.path": value}')
    return items


def _path(value) -> Path:
    """A path given as str, bytes or os.PathLike (TypeError otherwise), as every function here
    takes one: Path() alone refuses bytes."""
    return Path(os.fsdecode(value))


def _scenario_args(scenario, text):
    """(path, text, source, base_dir) for the loader: a file, or text (relative paths in it,
    e.g. `base`, resolve against the working directory)."""
    if text is not None:
        if scenario is not None:
            raise ValueError("give a scenario file or text=, not both")
        if not isinstance(text, str):  # bytes went through str(): "b'...'" read as TOML
            raise TypeError(f"text= is the scenario's TOML as a str, got {type(text).__name__}")
        return None, text, "<text>", os.getcwd()
    path = scenario_path() if scenario is None else _path(scenario)
    if scenario is not None and os.fspath(scenario) in ("", b""):  # Path("") is "."
        raise ValueError("the scenario path is empty: give a scenario file, or None for the "
                         "shipped baseline")
    # As bytes: a name that is not UTF-8 (os.fsdecode keeps its bytes as lone surrogates) opens
    # the same file.
    return os.fsencode(path), None, os.fsencode(path), ""


class Scenario:
    """A scenario the engine loaded and validated: its name, actors, domains, institutions,
    time, seed and the overrides that changed it; `text` is the resolved TOML (base files
    merged, overrides applied), which run alone gives the same results."""

    def __init__(self, summary: dict):
        self.name = summary["name"]
        self.description = summary["description"]
        self.model = summary["model"]
        self.seed = summary["seed"]
        self.actors = list(summary["actors"])
        self.actor_names = dict(zip(summary["actors"], summary["actor_names"]))
        self.domains = list(summary["domains"])
        self.institutions = list(summary["institutions"])
        self.start = summary["start"]
        self.dt = summary["dt"]
        self.steps = summary["steps"]
        self.overrides = list(summary["overrides"])
        self.text = summary["resolved_text"]

    def __repr__(self):
        return (f"<interdep.Scenario {self.name!r}: {len(self.actors)} actors "
                f"({', '.join(self.actors)}), {len(self.domains)} domains, {self.steps} steps "
                f"of {self.dt:g} yr from {self.start:g}, seed {self.seed}"
                + (f", overrides {self.overrides}" if self.overrides else "") + ">")


def load(scenario=None, *, set=None, text=None) -> Scenario:  # noqa: A002 (set: as --set)
    """Load and validate a scenario (default: the shipped baseline) with overrides.

    scenario: a path; or text= the TOML itself. set: {"key.path": value} or ["key=value"], as
    `interdep run --set`. Raises ScenarioError (a ValueError) with .file, .line, .column, .key
    and .message for anything the engine refuses."""
    path, text_, source, base_dir = _scenario_args(scenario, text)
    return Scenario(_interdep.load(path, text_, source, base_dir, _overrides(set)))


# -- runs -------------------------------------------------------------------------------------

# HDF5's and netCDF's own bookkeeping attributes, which xarray does not show either.
_BOOKKEEPING = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Dimid",
                "_Netcdf4Coordinates", "_nc3_strict", "_NCProperties"}


def _attribute_value(value):
    """An attribute as xarray's h5netcdf backend gives it: text as str, a list of strings as a
    list (one string alone as a str), numbers as numpy scalars."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
        texts = [v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()]
        return texts[0] if len(texts) == 1 else texts
    return value


def _names_in_order(group):
    """The group's links in the order they were made (the file's order of variables), where the
    group keeps that order; by name otherwise."""
    import h5py
    names = []
    try:
        group.id.links.iterate(lambda name: names.append(name.decode()),
                               idx_type=h5py.h5.INDEX_CRT_ORDER)
        return names
    except RuntimeError:
        return list(group.keys())


def _open_group(image: bytes, group: str | None):
    """A group of a run file as xarray.Dataset, read with h5py: the layout of the file, which
    xarray's h5netcdf backend reads the same (python.module compares the two variable by
    variable), ten times faster (h5netcdf sizes the growing time axis by walking every
    variable, for every variable)."""
    import h5py
    import xarray as xr
    with h5py.File(io.BytesIO(image), "r") as f:
        g = f[group] if group else f
        variables, coords = {}, {}
        for name in _names_in_order(g):
            obj = g[name]
            if not isinstance(obj, h5py.Dataset):
                continue
            is_scale = obj.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")
            if is_scale:
                dims = (name,)
            else:
                dims = tuple(axis[0].name.rsplit("/", 1)[-1] for axis in obj.dims)
            values = obj.asstr()[()] if h5py.check_string_dtype(obj.dtype) else obj[()]
            if h5py.check_string_dtype(obj.dtype):
                values = np.asarray(values, dtype=object)
            attrs = {k: _attribute_value(v) for k, v in obj.attrs.items() if k not in _BOOKKEEPING}
            (coords if is_scale else variables)[name] = xr.Variable(dims, values, attrs)
        attrs = {k: _attribute_value(v) for k, v in g.attrs.items() if k not in _BOOKKEEPING}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


class Run:
    """One run, held in memory as the run file `interdep run` would write (its bytes: .image).

    .dataset is the root group (the recorded datasets over time); .events, .admissions,
    .network and .observed are the file's groups (None where the run has none); .save(path)
    writes the file."""

    def __init__(self, image: bytes):
        self.image = image
        self._groups: dict = {}
        import h5py
        with h5py.File(io.BytesIO(image), "r") as f:
            self.group_names = [name for name in f if isinstance(f[name], h5py.Group)]

    def group(self, name: str | None = None):
        """The root group (None) or a group by name, as an xarray.Dataset."""
        if name is not None and name not in self.group_names:
            raise KeyError(f"the run has no group {name!r} (it has {self.group_names})")
        if name not in self._groups:
            self._groups[name] = _open_group(self.image, name)
        return self._groups[name]

    @property
    def dataset(self):
        return self.group(None)

    def _optional(self, name):
        return self.group(name) if name in self.group_names else None

    events = property(lambda self: self._optional("events"))
    admissions = property(lambda self: self._optional("admissions"))
    network = property(lambda self: self._optional("network"))
    observed = property(lambda self: self._optional("observed"))

    def save(self, path) -> Path:
        """Writes the run file to `path` atomically (a temporary name, then renamed). The rename
        replaces what is at `path`: anything but a regular file there (a directory, a FIFO, a
        device such as /dev/null), a missing folder, one this user may not make files in or on a
        read-only file system, and a write-protected file are refused with ValueError before
        anything is written. A file the system does not let be written all the same (a full
        disk, /sys) raises OutputError naming `path` and the reason; `path` is then as it was."""
        path = _path(path)
        why = _interdep.output_problem(path)  # the check of every writer of results
        if why:
            raise ValueError(f"{path} {why}")
        # As the command line writes: a symbolic link's target gets the file and the link stays
        # (os.replace put a regular file in the link's place), and a file replaced keeps its
        # permissions; a new one gets 0666 less the umask (mkstemp's 0600 otherwise).
        target = Path(os.path.realpath(path))
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        try:
            fd, temp = tempfile.mkstemp(prefix="." + target.name + ".tmp-", dir=target.parent)
        except OSError as error:
            # Named by the path given: the error named the temporary file, or nothing.
            raise _write_error(path, "create a temporary file in its folder", error) from None
        operation = "write"
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(self.image)
                f.flush()
                os.fsync(f.fileno())
            operation = "replace the file"
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException as error:
            Path(temp).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise _write_error(path, operation, error) from None
            raise
        return path

    def __repr__(self):
        ds = self.dataset
        return (f"<interdep.Run {ds.attrs.get('label', ds.attrs.get('scenario_name'))!r}: "
                f"{ds.sizes.get('time', 0)} frames, groups {self.group_names}>")


def _write_error(path, operation: str, error: OSError) -> OutputError:
    """OutputError for a file the module failed to write, as the engine's ("PATH: OPERATION:
    what failed"), naming the path the user gave rather than a temporary file; .errno kept."""
    why = _interdep.write_failure(error.errno) if error.errno else (error.strerror or str(error))
    refused = OutputError(f"{path}: {operation}: {why}")
    refused.errno = error.errno
    return refused


def _umask() -> int:
    """The process's umask, read without setting it (os.umask sets it, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _call_text(function: str, scenario, set_, seed, label, text=None) -> str:
    """What made the run, stored as its command_line attribute."""
    args = [repr(str(scenario))] if scenario is not None else []
    if text is not None:
        args.append(f"text=<{len(text)} characters>")
    if set_:
        args.append(f"set={set_!r}")
    if seed is not None:
        args.append(f"seed={seed!r}")
    if label is not None:
        args.append(f"label={label!r}")
    return f"python: interdep.{function}({', '.join(args)})"


def simulate(scenario=None, *, set=None, seed=None, label=None, text=None) -> Run:  # noqa: A002
    """Run a scenario (default: the shipped baseline) and keep its whole result in memory.

    set: overrides as for load(); seed: 0 .. 2^64-1 (default: the scenario's); label: the run's
    name (default: the scenario's name followed by the overrides). The same scenario, overrides
    and seed give bit-identical datasets to `interdep run`'s."""
    return _simulate("simulate", scenario, set, seed, label, text)


def _simulate(function: str, scenario, set_, seed, label, text) -> Run:
    """simulate() and run(), the call recorded as `function`."""
    path, text_, source, base_dir = _scenario_args(scenario, text)
    if label is not None:
        _text(label, "label", "the run's name")
    if seed is not None:
        seed = _whole(seed, "seed")  # 7.9 or True was cut to 7 or 1 silently
        if not 0 <= seed < 2**64:
            raise ValueError(f"seed must lie in 0 .. 2^64-1, got {seed}")
    image = _interdep.run_image(path, text_, source, base_dir, _overrides(set_), seed, label,
                                _call_text(function, scenario, set_, seed, label, text))
    return Run(image)


def run(scenario=None, *, set=None, seed=None, label=None, text=None):  # noqa: A002
    """Run a scenario and return its recorded datasets as an xarray.Dataset (in memory, no file):
    the root group of the file `interdep run` writes, with its names, dimensions, units and
    attributes. simulate() gives the other groups (events, admissions, network, observed)."""
    return _simulate("run", scenario, set, seed, label, text).dataset


# -- sweeps -----------------------------------------------------------------------------------

class SweepResult:
    """A finished sweep: its file (.path), the table of runs (.table, a pandas DataFrame), the
    file as an xarray.Dataset (.dataset); analyze() and discover() work on it. A sweep run
    without an output path lives in a temporary directory for as long as this object does."""

    def __init__(self, path, progress: dict, temporary_folder=None):
        self.path = Path(path)
        self.progress = progress
        self._table = None
        self._temporary = temporary_folder
        if temporary_folder is not None:  # removed with this object
            weakref.finalize(self, shutil.rmtree, temporary_folder, ignore_errors=True)

    @property
    def table(self):
        if self._table is None:
            self._table = sweep_table(self.path)
        return self._table

    @property
    def dataset(self):
        return open_sweep(self.path)

    def analyze(self, output, **options):
        return analyze(self.path, output, **options)

    def discover(self, output, where, **options):
        return discover(self.path, output, where, **options)

    def __repr__(self):
        p = self.progress
        return (f"<interdep.SweepResult {str(self.path)!r}: {p['total']} runs, {p['failed']} "
                f"failed, {p['seconds']:.1f} s>")


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key) -> str:
    # A path's year may be an int (a dict {2030: 0.02}); bytes went through str() as "b'2030'".
    if isinstance(key, (bytes, bytearray)) or not isinstance(
            key, (str, int, float, np.integer, np.floating)):
        raise TypeError(f"the key {key!r} of a table value is a {type(key).__name__}: give str "
                        "(or a year as an int)")
    key = str(key)
    return key if _BARE_KEY.match(key) else json.dumps(key)


_INT64_MAX = 2**63 - 1


def _seed_value(seed):
    """A seed (0 .. 2^64 - 1) as the TOML value a sweep file takes: beyond TOML's 64-bit signed
    integers, a string of its digits. A string is passed on as written, for the sweep loader to
    read as it reads a sweep file's."""
    if isinstance(seed, str):
        return seed
    seed = _whole(seed, "seed")
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be from 0 to 2^64 - 1, got {seed}")
    return str(seed) if seed > _INT64_MAX else seed


def _whole(value, name):
    """`value` as a Python int when it is a whole number given as one (int, numpy integer),
    else TypeError: a seed of 7.9 or a thread count of 1.5 was cut silently."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number (int), got {value!r} "
                        f"({type(value).__name__})")
    return int(value)


def _real(value, name):
    """`value` as a float when it is a finite number given as one (int, float, numpy number),
    else TypeError or ValueError: a confidence of "0.9" was read through float(), and a NaN
    threshold chose another box."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _text(value, name, example):
    """`value` when it is a str, else TypeError naming the argument (the extension's own said
    "incompatible function arguments" and listed C++ signatures)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string ({example}), got {value!r} "
                        f"({type(value).__name__})")
    return value


def _flag(value, name):
    """`value` as a bool when it is one: resume="no" was True."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def _toml_document(table: dict, prefix: str = "") -> str:
    """A dict of scalars, lists and dicts as TOML text: a table's values first, then its
    subtables (as [a."b.c"] headers)."""
    lines, subtables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            subtables.append((key, value))
        else:
            value = str(value) if isinstance(value, Path) else value
            if key == "seed" and not prefix:
                value = _seed_value(value)
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    text = "\n".join(lines) + ("\n" if lines else "")
    for key, value in subtables:
        name = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
        text += f"\n[{name}]\n" + _toml_document(value, name)
    return text


def _sweep_text(spec: dict) -> str:
    """A sweep given as a dict (the sweep file's tables, docs/sweeps.md) as the file's text; the
    scenario and a csv design's file resolve against the working directory."""
    spec = dict(spec)
    if "scenario" not in spec:
        raise ValueError("a sweep needs its scenario: {'scenario': 'scenarios/pipeline.toml', ...}")
    spec["scenario"] = str(Path(spec["scenario"]).resolve())
    spec.setdefault("name", "python-sweep")
    design = spec.get("design")
    if isinstance(design, dict) and "file" in design:
        spec["design"] = dict(design, file=str(Path(design["file"]).resolve()))
    return _toml_document(spec)


def _reworded(error, change):
    """A ScenarioError like `error` (file, line, column, key), its text and message changed."""
    reworded = ScenarioError(change(str(error)))
    for name in ("file", "line", "column", "key", "text"):
        setattr(reworded, name, getattr(error, name, None))
    reworded.message = change(error.message)
    return reworded


def _hidden(error, folder, name, written=None, written_name=None):
    """`error` with every place in the module's temporary `folder` said as the user knows it
    (the folder is gone when they read it): the sweep file written from what they gave,
    `written`, as `written_name` with its line; an engine's "(first at FILE:LINE)" in a file
    there left out (the message names what came first); any other file there as `name`.
    `error` itself when it names none."""
    folder = str(folder)

    def change(text):
        if text is None:
            return text
        if written is not None:
            text = re.sub(re.escape(str(written)) + r"((?::\d+)*)",
                          lambda m: written_name + m.group(1), text)
        text = re.sub(r" \(first at " + re.escape(folder) + r"[^)]*\)", "", text)
        return re.sub(re.escape(folder) + r"(?:[/\\][^\s'\"():,;]*)?", lambda m: name, text)

    if folder not in str(error) and folder not in str(getattr(error, "message", "") or ""):
        return error
    if isinstance(error, ScenarioError):
        renamed = _reworded(error, change)
        for attribute, value in vars(error).items():  # .argument, .value, .row, ...
            if attribute not in vars(renamed):
                setattr(renamed, attribute, value)
        return renamed
    if isinstance(error, _RowRefused):
        return _RowRefused(error.key, change(error.reason), _hidden(error.error, folder, name,
                                                                     written, written_name))
    try:
        return type(error)(change(str(error)))
    except Exception:  # an exception that is not made from its message alone: as it was
        return error


def _row_error(error, row: int, message=None):
    """An error the sweep loader placed in a Model's temporary design table (or `message`, its
    words for a row it rejects), as one about row `row` of X (the table is gone when the user
    reads it)."""
    message = error.message if message is None else message
    renamed = ScenarioError(f"row {row} of X: {message}")
    renamed.file, renamed.line, renamed.column = "<interdep.Model X>", row, 0
    renamed.key, renamed.message, renamed.text = error.key, message, None
    renamed.row = row
    return renamed


def _argument_error(argument: str, value, reason: str):
    """The engine's refusal of what a Model's argument gave to the sweep file the Model wrote, as
    one about that argument: ScenarioError naming it (.argument, also .key) and the value refused
    (.value), with the engine's reason. No file or line: the file was the module's, not the
    user's."""
    message = f"{argument} {value!r}: {reason}"
    renamed = ScenarioError(f"interdep.Model: {message}")
    renamed.file, renamed.line, renamed.column = "<interdep.Model>", 0, 0
    renamed.key, renamed.message, renamed.text = argument, message, None
    renamed.argument, renamed.value = argument, value
    return renamed


# The sweep loader's way out for a key of whole numbers given a range, in a sweep file's TOML,
# and the same as a Model's parameter.
_DISCRETE_HINT_TOML = 'distribution = "discrete", values = [1, 2, 3]'
_DISCRETE_HINT_PYTHON = repr({"distribution": "discrete", "values": [1, 2, 3]})


def _quoted_key(key) -> str:
    """A key quoted as the engine quotes it in an error's key (a TOML basic string: quotes and
    backslashes escaped, nothing else)."""
    return '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _in_python_terms(message: str) -> str:
    """The engine's words about a sweep file the module wrote from a Model's parameters, its
    advice in the terms of the parameters dict rather than of the file's TOML."""
    return (message.replace(_DISCRETE_HINT_TOML, _DISCRETE_HINT_PYTHON)
            # The sweep is the module's, not the user's: their values were set by the Model.
            .replace(" was set by the sweep)", " was set by the Model)")
            .replace(" was set by the sweep;", " was set by the Model;")
            .replace("the sweep's ", "the Model's "))


def _rejected_row(message: str, keys) -> tuple:
    """The key named and the scenario's words in the sweep loader's rejection of a csv design's
    first row: ("KEY", "'KEY' = VALUE: ...") from "the scenario rejects the first row of F (line
    2) at 'KEY' = VALUE: ...", (None, "...") from "... (line 2): ..." (an error naming no
    column)."""
    rest = message.split(" (line ", 1)[-1]
    rest = rest[rest.find(")") + 1:]
    for key in sorted(keys, key=len, reverse=True):
        if rest.startswith(f" at '{key}' = "):
            return key, rest[len(" at "):]
    return None, rest[len(": "):] if rest.startswith(": ") else rest


def _written_error(error, written, text: str, name: str):
    """An error in a file this module wrote (a sweep from a dict, a Model's batch) as one about
    what the user gave: the file called `name`, the line it made quoted."""
    if error.file != str(written):
        return error
    lines = text.splitlines()
    line = lines[error.line - 1] if 0 < error.line <= len(lines) else ""
    renamed = ScenarioError(str(error).replace(str(written), name, 1)
                            + (f"\n  line {error.line}: {line}" if line else ""))
    renamed.file, renamed.line, renamed.column = name, error.line, error.column
    renamed.key, renamed.message, renamed.text = error.key, error.message, text
    return renamed


def sweep(sweep_file, output=None, *, threads: int = 0, resume: bool = False) -> SweepResult:
    """Run a sweep file (docs/sweeps.md), or a sweep given as a dict of the file's tables
    ({"scenario": ..., "design": {...}, "parameters": {"actors.PAK.risk": {...}}, "record":
    {...}}), on `threads` engine threads (0: every core), writing `output` (default: a temporary
    file kept as long as the result). resume=True continues an interrupted sweep from its
    OUTPUT.parts directory. Raises ScenarioError for a bad sweep or scenario (a dict's errors
    name "<sweep dict>" and quote its line), KeyboardInterrupt on Ctrl-C (the finished runs are
    kept for resume when an output was named)."""
    # The arguments first: a temporary folder is made for a call that runs (one refused left
    # its empty folder behind).
    threads = _whole(threads, "threads")
    if threads < 0:
        raise ValueError("threads must be 0 (every core) or more")
    resume = _flag(resume, "resume")
    if isinstance(sweep_file, dict):
        source, text = sweep_file, _sweep_text(sweep_file)
    else:
        source, text, sweep_file = None, None, _path(sweep_file)
    temporary_output = output is None
    if output is not None:
        output = _path(output)
    folder = None
    if output is None or source is not None:
        folder = _temporary_folder("interdep-sweep-")
    try:
        if source is not None:
            # Not named after the dict's name, which the sweep loader checks once it reads it
            # ("../../x" wrote outside the folder, "a/b" failed with FileNotFoundError).
            sweep_file = Path(folder) / "sweep.toml"
            sweep_file.write_text(text)
        if output is None:
            output = Path(folder) / (sweep_file.stem + ".h5")
        shown = "<sweep dict>" if source is not None else str(sweep_file)
        command = f"python: interdep.sweep({shown!r}, {str(output)!r}, threads={threads})"
        try:
            progress = _interdep.sweep(os.fsencode(sweep_file), os.fsencode(output), threads,
                                       resume, command)
        except ScenarioError as e:
            if source is None:
                raise
            raise _written_error(e, sweep_file, text, "<sweep dict>") from None
        if not progress["complete"]:
            # As the command line says it: where the finished runs are, and how to go on.
            kept = ("the finished runs were in a temporary folder, now removed: give output= "
                    "to keep them for resume=True" if temporary_output else
                    f"the finished runs are kept in {output}.parts: sweep again with "
                    "resume=True to run the rest (a failed run is kept as failed)")
            raise RuntimeError(f"the sweep stopped after {progress['done']} of "
                               f"{progress['total']} runs ({progress['failed']} failed, "
                               f"on_failure = \"stop\"); {kept}")
    except BaseException as error:
        if folder is None:
            raise
        _remove_folder(folder)
        # The module's temporary files are not named (gone when the error is read).
        hidden = _hidden(error, folder, f"the sweep's output (a temporary file in "
                         f"{tempfile.gettempdir()})", sweep_file if source is not None else None,
                         "<sweep dict>")
        if hidden is error:
            raise
        raise hidden from None
    if folder is not None:  # now the result's, removed with it
        _live_folders.discard(folder)
    return SweepResult(output, progress, folder)



def _sweep_path(source) -> Path:
    """The sweep file a reading function was given, refused with OutputError, as `analyze`
    refuses it, when it is missing, not a regular file or not readable (h5py's own errors came
    through raw, with its buffers' addresses)."""
    path = source.path if isinstance(source, SweepResult) else _path(source)
    if not path.exists():
        raise OutputError(f"{path}: does not exist")
    if not path.is_file():
        raise OutputError(f"{path}: is not a regular file"
                          + (" (a directory)" if path.is_dir() else ""))
    if not os.access(path, os.R_OK):
        raise OutputError(f"{path}: cannot be read (permission denied)")
    return path


def _open_hdf5(path):
    """h5py's File, read-only, with OutputError for a file that is not HDF5."""
    import h5py
    try:
        return h5py.File(path, "r")
    except OSError as e:
        # (A file cut short or damaged was refused in words by the engine's reader before:
        # open_sweep.)
        raise OutputError(f"{path}: not an HDF5 file (hence not an interdep sweep file): "
                          f"{e}") from None


_STATUS = {0: "not run", 1: "done", 2: "failed"}


def _attribute_text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _discrete(f, keys):
    """Per parameter key, a discrete parameter's values ([] for a continuous one)."""
    encoded = f.attrs.get("discrete_values", [""] * len(keys))
    if isinstance(encoded, (str, bytes)):
        encoded = [encoded]
    return {key: _interdep.discrete_values(_attribute_text(encoded[p])) if p < len(encoded) else []
            for p, key in enumerate(keys)}


def _design(f):
    """The runs' parameter values by parameter key: floats, or a discrete parameter's values."""
    keys = [_attribute_text(k) for k in f["parameter"][()]]
    values = f["design/value"][()]
    columns = {}
    for p, (key, discrete) in enumerate(_discrete(f, keys).items()):
        column = values[:, p] if values.size else np.zeros(0)
        if discrete:
            index = column.astype(np.int64)
            columns[key] = np.array([discrete[i] if 0 <= i < len(discrete) else float(v)
                                     for i, v in zip(index, column)], dtype=object)
        else:
            columns[key] = column
    return keys, columns


def open_sweep(path):
    """A sweep file as an xarray.Dataset that reads as a table: dimension `run`, each parameter
    a coordinate along it (by its key path), with `point`, `replicate`, `seed` and `status`; each
    output a variable of its own (named as in the sweep file, e.g. "relation_overall[PAK,RUS]")
    over (run, statistic), with its units; the recorded series, when there are any, as
    `series` over (run, time, output). The file's attributes come along."""
    path = _sweep_path(path)
    # The engine's reader first, as `interdep export --csv` reads the file: a damaged design,
    # status or policy index (NaN as a seed, 300 as a status, -1 as a policy) is refused with
    # its message, where h5py alone would hand it on as a value.
    _interdep.check_sweep(os.fsencode(path))
    try:
        return _open_sweep(path)
    except (KeyError, OSError, ValueError, IndexError, TypeError) as e:
        if isinstance(e, OutputError):
            raise
        # h5py's bare error (KeyError 'Unable to open object (incorrect metadata checksum ...)')
        # on a part the engine's reader, run first, does not read.
        raise OutputError(f"{path}: a damaged sweep file: {e}") from None


def _open_sweep(path):
    import xarray as xr
    with _open_hdf5(path) as f:
        if _attribute_text(f.attrs.get("conventions", "")) != "interdep-sweep-1":
            raise OutputError(f"{path}: not an interdep sweep file")
        keys, design = _design(f)
        outputs = [_attribute_text(o) for o in f["output"][()]]
        units = [_attribute_text(u) for u in f["output_units"][()]]
        statistics = [_attribute_text(s) for s in f["statistic"][()]]
        summary = f["summary"][()]
        coords = {"run": f["run"][()], "statistic": statistics}
        for key in keys:
            coords[key] = ("run", design[key])
        policies = [_attribute_text(p) for p in f.attrs.get("policies", [])]
        if policies:
            coords["policy"] = ("run", np.array([policies[i] for i in f["design/policy"][()]],
                                                dtype=object))
        coords["point"] = ("run", f["design/point"][()])
        coords["replicate"] = ("run", f["design/replicate"][()])
        coords["seed"] = ("run", f["design/seed"][()])
        coords["status"] = ("run", np.array([_STATUS.get(int(s), str(s))
                                             for s in f["status"][()]], dtype=object))
        variables = {}
        for o, name in enumerate(outputs):
            variables[name] = (("run", "statistic"), summary[:, o, :],
                               {"units": units[o], "long_name": name})
        variables["message"] = ("run", np.array([_attribute_text(m) for m in f["message"][()]],
                                                dtype=object))
        if "series" in f:
            coords["time"] = f["time"][()]
            coords["output"] = outputs
            variables["series"] = (("run", "time", "output"), f["series"][()])
        attrs = {k: (_attribute_text(v) if isinstance(v, bytes) else v)
                 for k, v in f.attrs.items()}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def sweep_table(path):
    """A sweep as one tidy pandas DataFrame, a row per run (as `interdep export --csv`): run,
    point, replicate, seed, status, message, each parameter, and a column per output and
    statistic ("relation_overall[PAK,RUS]:final")."""
    import pandas as pd
    ds = open_sweep(path)
    keys = [k for k in ds.coords if k not in ("run", "statistic", "policy", "point", "replicate",
                                               "seed", "status", "time", "output")]
    table = {"run": ds["run"].values}
    if "policy" in ds.coords:
        table["policy"] = ds["policy"].values
    table |= {"point": ds["point"].values,
             "replicate": ds["replicate"].values, "seed": ds["seed"].values,
             "status": ds["status"].values, "message": ds["message"].values}
    for key in keys:
        table[key] = ds[key].values
    for name in ds.data_vars:
        if name in ("message", "series"):
            continue
        for s in ds["statistic"].values:
            table[f"{name}:{s}"] = ds[name].sel(statistic=s).values
    return pd.DataFrame(table)


def analyze(source, output, statistic="final", *, resamples=1000, confidence=0.95, seed=1,
            policy=None):
    """Sensitivity of one output of a sweep, by its design: Sobol indices (Saltelli), Morris
    elementary effects (Morris), or SRC and PRCC (LHS, grid, CSV), with bootstrap intervals;
    also written into the file under /analysis, as `interdep analyze` does.

    Returns a pandas DataFrame indexed by parameter, most influential first; .attrs holds the
    method, runs, replicates, seeds, noise_share (the share of the output's variance that
    replicates explain: run-to-run noise), the warning, and stored: False when the file or its
    folder may not be written (the table is then returned only; not_stored says why). A
    NoiseWarning is issued when the indices may measure noise. A sweep with policies is analysed a policy at a time: policy=
    names it."""
    import pandas as pd
    path = _sweep_path(source)
    _text(output, "output", "e.g. 'relation_overall[PAK,RUS]'")
    _text(statistic, "statistic", "final, min, max, mean or onset")
    if policy is not None:
        _text(policy, "policy", "the name of one of the sweep's policies")
    seed = _whole(seed, "seed")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    resamples, confidence = _whole(resamples, "resamples"), _real(confidence, "confidence")
    try:
        t = _interdep.analyze(os.fsencode(path), output, statistic, resamples, confidence, seed,
                              "" if policy is None else str(policy))
    except Exception as error:
        # A sweep run into a temporary file is the user's result, not that file's path.
        folder = getattr(source, "_temporary", None)
        hidden = error if folder is None else _hidden(error, folder, "the sweep result")
        if hidden is error:
            raise
        raise hidden from None
    frame = pd.DataFrame(dict(t["columns"]), index=pd.Index(t["parameters"], name="parameter"))
    frame = frame.iloc[list(t["ranking"])]
    frame.attrs = {k: t[k] for k in ("method", "group", "policy", "runs", "base_samples",
                                     "replicates",
                                     "seeds", "noise_share", "warning", "r2", "r2_rank",
                                     "stored", "not_stored")}
    frame.attrs.update(output=t["output"], statistic=statistic)
    if t["warning"]:
        warnings.warn(f"{output} ({statistic}): {t['warning']}", NoiseWarning, stacklevel=2)
    return frame


# -- scenario discovery -----------------------------------------------------------------------

_CONDITION = re.compile(r"^\s*(==|!=|<=|>=|<|>)\s*(\S+)\s*$")


def _condition(where):
    """A callable values -> booleans from "OP VALUE" (==, !=, <, <=, >, >=) or a callable."""
    if callable(where):
        return where
    match = _CONDITION.match(str(where))
    if not match:
        raise ValueError(f"where={where!r}: expected \"OP VALUE\" with OP one of == != < <= > >= "
                         "(e.g. \"== 1\", \"< -0.2\"), or a function of the values")
    op, text = match.groups()
    # As the command line's --where: "nan" with == and != tests for an onset that never came;
    # otherwise a run whose output has no value (NaN) is not a case.
    if text.strip() == "nan":
        if op not in ("==", "!="):
            raise ValueError(f"where={where!r}: nan goes with == or != (an onset that never "
                             "came), not with " + op)
        return (lambda values: np.isnan(values)) if op == "==" else (
            lambda values: ~np.isnan(values))
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"where={where!r}: {text!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"where={where!r}: expected a finite number, or nan with == and !=")
    import operator
    ops = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}
    return lambda values: ops[op](values, value) & ~np.isnan(values)


class Discovery:
    """Scenario discovery on a sweep (PRIM, Friedman & Fisher 1999, and CART): .trajectory is
    PRIM's peeling trajectory (coverage, density, mass, runs, cases, each parameter's limits),
    .chosen its chosen box's index, .box that box's limits per parameter, .tree CART's nodes
    (each with the limits its path sets, low < x <= high, and a discrete parameter's values
    left inside them)."""

    def __init__(self, parameters, trajectory, chosen, tree, cases, runs, condition,
                 discrete=None, pasted=None):
        self.parameters = parameters
        self.pasted_box = pasted  # the chosen box after pasting: limits, coverage, density, ...
        self.discrete = discrete or {}  # key -> values of a discrete parameter (by index)
        self.trajectory = trajectory
        self.chosen = chosen
        self.tree = tree
        self.cases = cases
        self.runs = runs
        self.condition = condition

    @property
    def box(self):
        """The chosen box's limits per parameter (PRIM's peeling)."""
        row = self.trajectory.iloc[self.chosen]
        return self._limits([row[f"{p}:low"] for p in self.parameters],
                            [row[f"{p}:high"] for p in self.parameters])

    @property
    def pasted(self):
        """The chosen box after pasting (Friedman & Fisher 1999): widened again where peeling
        cut too deep; .pasted_box holds its coverage, density and mass."""
        return self._limits(self.pasted_box["low"], self.pasted_box["high"])

    def _limits(self, low, high):
        import pandas as pd
        box = pd.DataFrame({"low": low, "high": high},
                           index=pd.Index(self.parameters, name="parameter"))
        if self.discrete:  # a discrete parameter's limits are indices: the values inside
            box["values"] = [
                [v for i, v in enumerate(self.discrete[p]) if lo <= i <= hi]
                if self.discrete.get(p) else None
                for p, lo, hi in zip(self.parameters, low, high)]
        return box

    def __repr__(self):
        if self.cases in (0, self.runs):  # as the command line says it (coverage is 0 of 0)
            return (f"<interdep.Discovery {self.condition}: {self.cases} of {self.runs} runs; "
                    f"the condition holds in {'no' if self.cases == 0 else 'every'} run: there "
                    "is no box to find>")
        row = self.trajectory.iloc[self.chosen]
        lines = [f"<interdep.Discovery {self.condition}: {self.cases} of {self.runs} runs; "
                 f"box {self.chosen}: coverage {row['coverage']:.3f}, density "
                 f"{row['density']:.3f}, mass {row['mass']:.3f}"]
        lines += [self._limit_line(p, limits) for p, limits in self.box.iterrows()]
        b = self.pasted_box
        if b is not None and (list(b["low"]) != list(self.box["low"])
                              or list(b["high"]) != list(self.box["high"])):
            lines.append(f"pasted: coverage {b['coverage']:.3f}, density {b['density']:.3f}, "
                         f"mass {b['mass']:.3f}")
            lines += [self._limit_line(p, limits) for p, limits in self.pasted.iterrows()]
        return "\n".join(lines) + ">"

    def _limit_line(self, p, limits):
        """A continuous parameter's limits, or a discrete one's values inside them, as the
        command line prints them ("{majority}"), not their indices."""
        if self.discrete.get(p):
            return f"  {p} in {{{', '.join(map(str, limits['values']))}}}"
        return f"  {limits['low']:.6g} <= {p} <= {limits['high']:.6g}"


def _discrete_columns(frame):
    """`frame` with each column of text (a discrete parameter or the policy, as sweep_table gives
    them) or of categories as its values' indices, and those values by column: a Categorical's
    in its categories' order, others sorted. Numbers and booleans stay as they are."""
    import pandas as pd
    x, discrete = frame.copy(), {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or (pd.api.types.is_numeric_dtype(series)
                                                  and not isinstance(series.dtype,
                                                                     pd.CategoricalDtype)):
            continue
        if series.isna().any():
            raise ValueError(f"column {column!r} has a missing value in row "
                             f"{series.index[series.isna().argmax()]!r}: each run needs a value")
        if isinstance(series.dtype, pd.CategoricalDtype):
            values = list(series.cat.categories)
            codes = series.cat.codes.to_numpy()
        else:
            values = sorted(pd.unique(series), key=lambda v: (type(v).__name__, v))
            index = {v: i for i, v in enumerate(values)}
            codes = np.array([index[v] for v in series])
        discrete[column] = [str(v) for v in values]
        x[column] = codes.astype(float)
    return x, discrete


def discover(source, output=None, where=None, *, statistic="final", threshold=0.8, alpha=0.05,
             min_mass=0.05, paste_alpha=0.05, depth=3, min_leaf=None) -> Discovery:
    """Which boxes of parameter space hold the runs where `where` holds for `output`.

    source: a sweep file, a SweepResult, or a DataFrame of parameters (then `where` is a boolean
    array or a function of the frame). where: "OP VALUE" ("== 1", "< -0.2") or a function of
    the output's values. PRIM peels `alpha` of the box a step until `min_mass` of the runs is
    left; the chosen box is the one with most coverage among those with density >= threshold
    (else the densest), then pasted by `paste_alpha` (.pasted). CART: a tree `depth` levels deep with at least `min_leaf` runs a leaf
    (default: min_mass of the runs, at least 1, as the command line). Only finished runs take
    part."""
    import h5py
    import pandas as pd
    discrete = {}
    if isinstance(source, pd.DataFrame):
        if where is None:
            raise ValueError("discover on a DataFrame of parameters needs where=: a boolean "
                             "array (one a run, True where the run is a case) or a function of "
                             "the frame giving one")
        flags = where(source) if callable(where) else where
        x, discrete = _discrete_columns(source)
        label = "the condition"
    else:
        if not isinstance(source, (str, bytes, os.PathLike, SweepResult)):
            raise TypeError("source: a sweep file, a SweepResult or a pandas DataFrame of "
                            f"parameters, got {type(source).__name__}"
                            + (" (an array: pd.DataFrame(X, columns=keys))"
                               if isinstance(source, np.ndarray) else ""))
        if output is None or where is None:
            missing = " and ".join(n for n, v in (("the output", output), ("where=", where))
                                   if v is None)
            raise ValueError(f"discover on a sweep needs {missing} (e.g. "
                             "discover(result, 'relation_overall[PAK,RUS]', '< -0.2'))")
        _text(output, "output", "e.g. 'relation_overall[PAK,RUS]'")
        _text(statistic, "statistic", "final, min, max, mean or onset")
        path = _sweep_path(source)
        ds = open_sweep(path)
        # An output however it is spaced (trade[RUS, PAK]), as the command line finds it.
        output = next((v for v in ds.data_vars if isinstance(v, str) and
                       _interdep.quantity_spelling(v) == _interdep.quantity_spelling(output)),
                      output) if isinstance(output, str) else output
        if output not in ds.data_vars or output in ("message", "series"):
            outputs = [v for v in ds.data_vars if v not in ("message", "series")]
            raise ValueError(f"the sweep has no output {output!r} (outputs: {outputs})")
        if statistic not in ds["statistic"].values:
            raise ValueError(f"the sweep has no statistic {statistic!r} "
                             f"(statistics: {list(ds['statistic'].values)})")
        done = ds["status"].values == "done"
        # The parameters as the design holds them: a discrete parameter by its value's index.
        with h5py.File(path, "r") as f:
            keys = [_attribute_text(k) for k in f["parameter"][()]]
            x = pd.DataFrame(f["design/value"][()], columns=keys)
            discrete = {k: v for k, v in _discrete(f, keys).items() if v}
            if "policies" in f.attrs:  # the policy: a discrete dimension of its own
                x["policy"] = f["design/policy"][()]
                discrete["policy"] = [_attribute_text(p) for p in f.attrs["policies"]]
            x = x[done]
        values = ds[output].sel(statistic=statistic).values[done]
        flags = _condition(where)(values)
        label = f"{output} ({statistic}) {where if isinstance(where, str) else '(condition)'}"
    x = x.apply(pd.to_numeric, errors="raise")
    flags = np.asarray(flags)
    if flags.dtype != bool:
        raise TypeError(f"where: the condition gives {flags.dtype} values, not booleans (one a "
                        "run: True where the run is a case)")
    if flags.shape != (len(x),):
        raise ValueError(f"where: the condition gives {flags.size} value(s) in shape "
                         f"{flags.shape} for {len(x)} runs: one boolean a run")
    # The command line's ranges (interdep discover --alpha, --min-mass, --paste-alpha,
    # --threshold), each refused naming its argument.
    alpha, min_mass = _real(alpha, "alpha"), _real(min_mass, "min_mass")
    paste_alpha, threshold = _real(paste_alpha, "paste_alpha"), _real(threshold, "threshold")
    for name, value, ok, range_ in (("alpha", alpha, 0.0 < alpha < 0.5, "(0, 0.5)"),
                                    ("paste_alpha", paste_alpha, 0.0 < paste_alpha < 0.5,
                                     "(0, 0.5)"),
                                    ("min_mass", min_mass, 0.0 < min_mass < 1.0, "(0, 1)"),
                                    ("threshold", threshold, 0.0 < threshold <= 1.0, "(0, 1]")):
        if not ok:
            raise ValueError(f"{name} must lie in {range_}, got {value}")
    values = np.ascontiguousarray(x.to_numpy(dtype=float))
    parameters = list(x.columns)
    cases = int(flags.sum())
    # depth and min_leaf checked before any search, whether there is a box to find or not.
    leaf = (max(1, math.ceil(min_mass * len(values))) if min_leaf is None
            else _whole(min_leaf, "min_leaf"))
    depth = _whole(depth, "depth")
    if not 0 <= depth <= 12:  # as the command line's --depth
        raise ValueError(f"depth must be from 0 (no tree) to 12, got {depth}")
    if leaf < 1:
        raise ValueError(f"min_leaf must be at least 1, got {leaf}")
    if len(values) > 0 and cases in (0, len(values)):
        # No box to find: as `interdep discover` writes its --boxes, the whole space alone as
        # box 0 (coverage 0 of 0 cases is NaN), and no tree.
        whole = {"coverage": math.nan if cases == 0 else 1.0,
                 "density": 0.0 if cases == 0 else 1.0, "mass": 1.0, "runs": len(values),
                 "cases": cases, "low": list(values.min(axis=0)), "high": list(values.max(axis=0))}
        row = {k: whole[k] for k in ("coverage", "density", "mass", "runs", "cases")}
        for p, name in enumerate(parameters):
            row[f"{name}:low"] = whole["low"][p]
            row[f"{name}:high"] = whole["high"][p]
        return Discovery(parameters, pd.DataFrame([row]), 0, [], cases, len(flags), label,
                         discrete, whole)
    boxes = _interdep.prim(values, flags, alpha, min_mass)
    chosen = _interdep.choose_box(boxes, threshold)
    rows = []
    for b in boxes:
        row = {k: b[k] for k in ("coverage", "density", "mass", "runs", "cases")}
        for p, name in enumerate(parameters):
            row[f"{name}:low"] = b["low"][p]
            row[f"{name}:high"] = b["high"][p]
        rows.append(row)
    box = boxes[chosen]
    pasted = _interdep.paste(values, flags, box["low"], box["high"], paste_alpha)
    # As the command line's tree: at least min_mass of the runs a leaf, at least 1 (leaf,
    # above). depth 0: no tree, as `interdep discover --depth 0`.
    tree = _interdep.cart(values, flags, depth, leaf) if depth > 0 else []
    for node in tree:
        node["parameter"] = None if node["parameter"] is None else parameters[node["parameter"]]
        # The path's limits, low < x <= high, by parameter; a discrete one's values inside them.
        node["low"] = dict(zip(parameters, node["low"]))
        node["high"] = dict(zip(parameters, node["high"]))
        node["values"] = {p: [v for i, v in enumerate(discrete[p])
                              if node["low"][p] < i <= node["high"][p]]
                          for p in parameters if discrete.get(p)}
    return Discovery(parameters, pd.DataFrame(rows), chosen, tree, int(flags.sum()), len(flags),
                     label, discrete, pasted)


# -- designs and the model adapter (SALib, EMA Workbench) -------------------------------------

_LARGEST_INPUT = 1e15  # as the scenario loader's: no key takes a number larger in size


# A parameter's keys by distribution, as a sweep file's [parameters."KEY"] table takes them.
_DISTRIBUTION_KEYS = {"uniform": ("min", "max"), "loguniform": ("min", "max"),
                      "normal": ("mean", "sd"), "discrete": ("values",)}


def _parameter_error(key, reason, kind=ValueError):
    return kind(f"parameter {key!r}: {reason}")


def _bound(spec, name, key, refuse=_parameter_error):
    """spec[name] as a finite float of at most 1e15 in size, or ValueError naming it."""
    if name not in spec:
        raise refuse(key, f"{name!r} is required for a {spec.get('distribution', 'uniform')} "
                     "distribution")
    value = spec[name]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise refuse(key, f"{name} must be a number, got {value!r}", TypeError)
    value = float(value)
    if not math.isfinite(value) or abs(value) > _LARGEST_INPUT:
        raise refuse(key, f"{name} must be a finite number of at most 1e15 in size, got "
                     f"{value!r}")
    return value


def _parameter(spec, key, refuse=_parameter_error):
    """A parameter given as (min, max) or as a dict of a sweep file's parameter table, checked
    as the sweep loader checks that table (a known distribution, its keys and no other, max >
    min, min > 0 on a log scale, sd > 0, a discrete parameter's plain values, each once): the
    dict with its distribution, its bounds as floats. `refuse(key, reason[, TypeError])` makes
    the error."""
    if isinstance(spec, (tuple, list)):
        if len(spec) != 2:
            raise refuse(key, f"a range is (min, max), got {len(spec)} values {spec!r}; other "
                         "distributions are dicts: {\"distribution\": \"normal\", \"mean\": 0, "
                         "\"sd\": 1}", TypeError)
        spec = {"distribution": "uniform", "min": spec[0], "max": spec[1]}
    if not isinstance(spec, dict):
        raise refuse(key, "a parameter is (min, max) or a dict with its distribution "
                     "({\"distribution\": \"uniform\", \"min\": 0, \"max\": 1}), got "
                     f"{type(spec).__name__} {spec!r}", TypeError)
    kind = spec.get("distribution", "uniform")
    if not isinstance(kind, str) or kind not in _DISTRIBUTION_KEYS:
        raise refuse(key, f"distribution {kind!r}: expected one of "
                     + ", ".join(map(repr, _DISTRIBUTION_KEYS)))
    for name in spec:
        if name != "distribution" and name not in _DISTRIBUTION_KEYS[kind]:
            raise refuse(key, f"unknown key {name!r} for a {kind} distribution; expected one of "
                         + ", ".join(map(repr, ("distribution",) + _DISTRIBUTION_KEYS[kind])))
    checked = {"distribution": kind}
    if kind == "discrete":
        values = spec.get("values")
        if not isinstance(values, (list, tuple)) or not values:
            raise refuse(key, "a discrete parameter's values are a non-empty list: "
                         "{\"distribution\": \"discrete\", \"values\": [1, 2, 3]}, got "
                         f"{values!r}")
        seen = set()
        for value in values:
            if not isinstance(value, (str, bool, int, float, np.integer, np.floating, np.bool_)):
                raise refuse(key, f"a discrete parameter's values are plain values (numbers, "
                             f"strings, booleans), got {type(value).__name__} {value!r}",
                             TypeError)
            literal = _toml_value(value.item() if isinstance(value, np.generic) else value)
            if literal in seen:
                raise refuse(key, f"the value {value!r} is given twice: list each value once")
            seen.add(literal)
        checked["values"] = list(values)
        return checked
    for name in _DISTRIBUTION_KEYS[kind]:
        checked[name] = _bound(spec, name, key, refuse)
    if kind == "normal":
        if not checked["sd"] > 0:
            raise refuse(key, f"sd must be > 0, got {checked['sd']!r}")
        return checked
    low, high = checked["min"], checked["max"]
    if not high > low:
        raise refuse(key, f"expected max > min, got [{low!r}, {high!r}]")
    if kind == "loguniform" and not low > 0:
        raise refuse(key, f"a loguniform parameter needs min > 0, got {low!r}")
    return checked


def _distribution(spec, key="parameter"):
    """(distribution, a, b, count) of a parameter (_parameter) for the engine's designs."""
    spec = _parameter(spec, key)
    kind = spec["distribution"]
    if kind == "normal":
        return ("normal", spec["mean"], spec["sd"], 0)
    if kind in ("uniform", "loguniform"):
        return (kind, spec["min"], spec["max"], 0)
    raise ValueError(f"parameter {key!r}: distribution {kind!r}: sample() takes uniform, "
                     "loguniform and normal")


def sample(parameters: dict, kind="lhs", samples=100, *, levels=4, seed=1):
    """A design of the engine's own (the designs of sweep files): kind "lhs", "grid",
    "saltelli" (N (k + 2) rows in SALib's order without second-order terms) or "morris", over
    parameters {key: (min, max) or {"distribution": ..., ...}}. Returns a pandas DataFrame in
    natural units, a column per key in the order given; .attrs["base_samples"] for Saltelli
    and Morris. Seeded: the same seed and keys in the same order give the same design (in
    alphabetical order, a sweep file's design at that seed)."""
    import pandas as pd
    if not isinstance(parameters, dict):
        raise TypeError("parameters: {key path: (min, max)} or {key path: {\"distribution\": "
                        f"...}}, got {type(parameters).__name__}")
    if kind not in ("lhs", "grid", "saltelli", "morris"):
        raise ValueError(f"kind {kind!r}: expected 'lhs', 'grid', 'saltelli' or 'morris' (a "
                         "sweep file's csv design takes its rows from a file: give them as X)")
    keys = list(parameters)
    samples, levels, seed = (_whole(samples, "samples"), _whole(levels, "levels"),
                             _whole(seed, "seed"))
    if not 1 <= samples <= 100_000_000:  # a sweep file's design.samples
        raise ValueError(f"samples must be from 1 to 100000000, got {samples}")
    if kind in ("grid", "morris") and not 2 <= levels <= 1000:
        raise ValueError(f"levels must be from 2 to 1000, got {levels}")
    if kind == "morris" and levels % 2 != 0:
        raise ValueError(f"Morris designs need an even number of levels, got {levels}")
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be from 0 to 2^64 - 1, got {seed}")
    _, values, base = _interdep.sample(kind, samples, levels, seed,
                                       [_distribution(parameters[k], k) for k in keys])
    frame = pd.DataFrame(values, columns=keys)
    frame.attrs = {"kind": kind, "base_samples": base, "seed": seed}
    return frame


def _toml_string(text: str) -> str:
    return json.dumps(str(text))


class _RowRefused(Exception):
    """The scenario's rejection of the first row of a Model's batch, which the sweep loader
    tries before any run: the parameter whose --set its error names (None when it names none),
    the scenario's words, and the sweep loader's error. Made into the error of an argument or
    of X's first row before the user sees it."""

    def __init__(self, key, reason: str, error):
        super().__init__(reason)
        self.key, self.reason, self.error = key, reason, error


def _key_at_column(keys, column: int):
    """The key whose cell of a Model's design header (as _load_batch writes it, each quoted)
    holds `column` (from 1); all the keys when the column is unknown (0)."""
    start = 1
    found = keys
    for key in keys:
        if column >= start:
            found = key
        start += len(key.replace('"', '""')) + 3  # its quotes and the comma after it
    return found if column > 0 else keys


# The designs Model.sweep() makes over the parameters' ranges (a sweep file's, but "csv").
_MODEL_SWEEP_KINDS = ("saltelli", "morris", "lhs", "grid")


class Model:
    """A scenario as a model function for SALib, EMA Workbench or your own loops: parameters
    in, outputs' statistics out, each batch run as one sweep on the engine's threads.

        model = interdep.Model("scenarios/pipeline.toml",
                               parameters={"actors.PAK.risk": (-1, 0.5),
                                           "model.decide.pressure": (0.5, 8)},
                               outputs=["relation_overall[PAK,RUS]"])
        Y = model(X)            # X: rows of parameter values (SALib's sample); Y: an array
        model.ema(**{"actors.PAK.risk": 0.1, ...})   # EMA Workbench: keyword arguments -> dict

    statistic: final, min, max, mean or onset of each output over the run. replicates: runs
    per row, averaged; seeds "common" (default) runs every row on the same noise streams
    (common random numbers: rows differ by their parameters only), "per_run" draws each its
    own. Seeded: the same rows, seed and replicates give the same outputs.

    Made, it is checked by the engine as the first call would check it (a batch of one row,
    each parameter with a range inside it, loaded and not run; a key without a range probed for
    whether it names anything, a discrete parameter at each of its values): a key, output,
    statistic, seeds or lever the engine refuses raises ScenarioError naming the argument
    (.argument, .value)."""

    def __init__(self, scenario=None, parameters=(), outputs=(), *, statistic="final",
                 replicates=1, seed=1, seeds="common", threads=0, policies=None):
        self.scenario = (scenario_path() if scenario is None else _path(scenario)).resolve()
        if isinstance(parameters, dict):
            self.parameters = list(parameters)
            self.ranges = dict(parameters)
        elif isinstance(parameters, (str, list, tuple)):
            # One key path given alone is one parameter (list("actors.PAK.risk") made 15).
            self.parameters = [parameters] if isinstance(parameters, str) else list(parameters)
            self.ranges = {}
        else:
            raise TypeError("interdep.Model: parameters: a dict {key path: (min, max) or "
                            "{\"distribution\": ...}}, or a list of key paths, got "
                            f"{type(parameters).__name__} {parameters!r}")
        if not self.parameters:
            raise ValueError("a Model needs at least one parameter (a scenario key path)")
        for key in self.parameters:
            if not isinstance(key, str):
                raise TypeError("interdep.Model: parameters: each key is a key path (a string, "
                                f"'actors.PAK.risk'), got {type(key).__name__} {key!r}")
        # Each parameter's distribution, checked now as the sweep loader checks a sweep file's
        # (a misspelt key, min and max for a normal one, a 3-tuple were taken until a call).
        for key, spec in self.ranges.items():
            def refuse(key, reason, kind=ValueError, spec=spec):
                if kind is TypeError:
                    return TypeError(f"interdep.Model: parameters {{{key!r}: {spec!r}}}: "
                                     f"{reason}")
                return _argument_error("parameters", {key: spec}, reason)
            _parameter(spec, key, refuse)
        if not isinstance(outputs, (str, list, tuple)):
            raise TypeError("interdep.Model: outputs: an output or a list of them "
                            f"('relation_overall[PAK,RUS]'), got {type(outputs).__name__} "
                            f"{outputs!r}")
        self.outputs = [outputs] if isinstance(outputs, str) else list(outputs)
        if not self.outputs:
            raise ValueError("a Model needs at least one output, e.g. 'relation_overall[PAK,RUS]'")
        for output in self.outputs:
            if not isinstance(output, str):
                raise TypeError("interdep.Model: outputs: each output is a string "
                                f"('relation_overall[PAK,RUS]'), got {type(output).__name__} "
                                f"{output!r}")
        for name, value in (("statistic", statistic), ("seeds", seeds)):
            if not isinstance(value, str):
                raise TypeError(f"interdep.Model: {name} must be a string ("
                                + ("'final', 'min', 'max', 'mean' or 'onset'"
                                   if name == "statistic" else "'common' or 'per_run'")
                                + f"), got {type(value).__name__} {value!r}")
        self.statistic = statistic
        # {name: {key: value}}: levers. sweep() runs every policy; model(X), evaluate() and
        # ema() run the one their `policy` names (one is required when there are policies).
        self.policies = dict(policies or {})
        for name, levers in self.policies.items():
            if not isinstance(name, str) or not isinstance(levers, dict):
                raise TypeError("policies: {name: {key path: value}}, got "
                                f"{name!r}: {type(levers).__name__}")
        self.replicates = _whole(replicates, "replicates")
        if self.replicates < 1:
            raise ValueError(f"replicates must be at least 1, got {self.replicates}")
        self.seed = _whole(seed, "seed")
        _seed_value(self.seed)
        self.seeds = seeds
        self.threads = _whole(threads, "threads")
        if self.threads < 0:
            raise ValueError("threads must be 0 (every core) or more")
        self._check()

    # -- the check when the Model is made ----------------------------------------------------

    def _tried_values(self, key):
        """The values a parameter is tried at when the Model is made, each inside its range, the
        middle first (a key of whole numbers refuses the middle of (1, 12), not its ends); none
        for a parameter without a range (a list of keys, or a discrete one), whose key the
        engine checks alone (_check_keys)."""
        spec = self.ranges.get(key)
        ranged = (isinstance(spec, (tuple, list)) and len(spec) == 2) or (
            isinstance(spec, dict) and spec.get("distribution", "uniform") in
            ("uniform", "loguniform", "normal"))
        if not ranged:
            return []
        kind, a, b, _ = _distribution(spec, key)  # min < max, sd > 0, ... as sample() checks
        if kind == "normal":
            return [a]
        return [math.sqrt(a * b) if kind == "loguniform" else (a + b) / 2, a, b]

    def _discrete_values(self, key):
        """A discrete parameter's values ({"distribution": "discrete", "values": [...]}), None
        for any other parameter."""
        spec = self.ranges.get(key)
        if not (isinstance(spec, dict) and spec.get("distribution") == "discrete"):
            return None
        values = spec.get("values")
        if not isinstance(values, (list, tuple)) or not values:
            raise _argument_error("parameters", {key: spec}, "a discrete parameter's values are "
                                  "a non-empty list: {\"distribution\": \"discrete\", "
                                  "\"values\": [1, 2, 3]}")
        return list(values)

    def _key_refusal(self, template, key):
        """The parameter's error when its key names nothing of the scenario, whatever its value
        (an actor, event index or label, institution, ... it lacks; an unknown key), or None."""
        refusal = template.key_path_refusal(key)
        if refusal is None:
            return None
        at, reason = refusal
        if reason.startswith("names a"):  # a table or array (actors.PAK): no one value
            return _argument_error("parameters", key, f"the key {reason}")
        return _argument_error("parameters", key, "the scenario has nothing at this key: "
                               + (f"key {at!r}: " if at else "") + reason)

    def _check_keys(self, tried):
        """The parameters without a range to try (a list of keys, a discrete one), checked by the
        engine on the scenario read once: each key names something of the scenario (probed, the
        value aside), and a discrete parameter's every value is one the scenario takes."""
        unranged = [k for k in self.parameters if not tried[k]]
        if not unranged:
            return None
        template = _interdep.ScenarioTemplate(os.fsencode(self.scenario))
        for key in unranged:
            error = self._key_refusal(template, key)
            if error is not None:
                raise error
            for value in self._discrete_values(key) or []:
                refusal = template.refusal([f"{key}={_toml_value(value)}"])
                if refusal is not None:
                    raise _argument_error("parameters", {key: self.ranges[key]},
                                          f"the scenario refuses the value {value!r}: {refusal}")
        return template

    def _check(self):
        """Everything the engine reads from the Model's arguments, checked now by the engine, as
        model(X) would check it at its first call: the keys without a range alone (_check_keys),
        then the sweep file of a batch of one row (each parameter with a range inside it; every
        policy), loaded by the sweep loader, nothing run. A parameter whose middle the scenario
        refuses is tried at its ends, and refused when it refuses all three; one whose key names
        nothing of the scenario is refused as such, at once."""
        tried = {k: self._tried_values(k) for k in self.parameters}
        template = self._check_keys(tried)
        keys = [k for k in self.parameters if tried[k]]
        if not keys:
            self._check_unranged(template)
            return
        at = dict.fromkeys(keys, 0)  # the index into tried[key] of the value tried now
        first = {}  # key: the scenario's refusal at the middle of its range
        while True:
            try:
                self._load_batch([[tried[k][at[k]] for k in keys]], keys, self.policies)
                return
            except _RowRefused as refused:
                key = refused.key
                if key in at and key not in first:
                    # A key that names nothing is refused at any value: said so, not as a range.
                    if template is None:
                        template = _interdep.ScenarioTemplate(os.fsencode(self.scenario))
                    error = self._key_refusal(template, key)
                    if error is not None:
                        raise error from None
                first.setdefault(key, refused.reason)
                if key in at and at[key] + 1 < len(tried[key]):
                    at[key] += 1
                    continue
                if key is None:  # its error names none of them: the row is refused whole
                    raise _argument_error("parameters", keys, "the scenario refuses them at "
                                          f"{[tried[k][at[k]] for k in keys]}: "
                                          + refused.reason) from None
                values = ", ".join(f"{v:g}" for v in tried[key][:at[key] + 1])
                raise _argument_error("parameters", {key: self.ranges[key]},
                                      f"the scenario refuses it (tried at {values} of its range "
                                      f"{self.ranges[key]!r}): {first[key]}") from None

    def _check_unranged(self, template):
        """With no parameter ranged, the rest of the arguments (outputs, statistic, seeds,
        policies) checked on a batch of one row that sets one key to a value the scenario is
        known to take: the number it writes there, else a discrete parameter's first value.
        Keys left at their defaults (no value known) are tried at 1, 0 and 0.5; a row the
        scenario refuses at all of them leaves the check to model(X)'s first call."""
        for key in self.parameters:
            written = template.written_number(key)
            numbers = [v for v in self._discrete_values(key) or []
                       if isinstance(v, (int, float)) and not isinstance(v, bool)]
            values = [written] if written is not None else numbers[:1]
            if values:
                break
        else:
            key, values = self.parameters[0], [1.0, 0.0, 0.5]
        for value in values:
            try:
                self._load_batch([[value]], [key], self.policies)
                return
            except _RowRefused:
                continue

    # -- batches -------------------------------------------------------------------------------

    def _sweep_text(self, design_file: str, policies: dict):
        """The sweep file of a batch over the design table `design_file` under `policies`, and
        the output each of its lines names (one a line: the line of an error says which)."""
        lines = ['name = "python-model"',
                 f"scenario = {_toml_string(self.scenario)}",
                 f"seed = {_toml_value(_seed_value(self.seed))}",
                 f"replicates = {self.replicates}",
                 f"seeds = {_toml_string(self.seeds)}",
                 "[design]",
                 'kind = "csv"',
                 f"file = {_toml_string(design_file)}",
                 "[record]",
                 'mode = "summary"',
                 "outputs = ["]
        outputs_at = {}  # line (from 1): output
        for output in self.outputs:
            lines.append(f"  {_toml_string(output)},")
            outputs_at[len(lines)] = output
        lines += ["]", f"statistics = [{_toml_string(self.statistic)}]", ""]
        text = "\n".join(lines)
        return text + ("\n" + _toml_document({"policies": policies}) if policies else ""), \
            outputs_at

    def _load_batch(self, rows, keys, policies, run=False):
        """Writes a batch's design table (a column per key) and sweep file in a temporary folder,
        and has the engine load and check them, or (run) run them and returns the sweep's table.
        The engine's refusals are raised as errors about the Model's arguments or the rows
        (_RowRefused for a first row the scenario rejects)."""
        folder = _temporary_folder("interdep-model-")
        try:
            design = Path(folder) / "design.csv"
            with open(design, "w") as f:
                # A CSV cell quoted as CSV quotes it: a quote inside doubled (a key naming an
                # event by its label, events."<label>".capacity), not escaped as JSON does.
                f.write(",".join('"' + k.replace('"', '""') + '"' for k in keys) + "\n")
                for row in rows:
                    f.write(",".join(repr(float(v)) for v in row) + "\n")
            sweep_file = Path(folder) / "model.toml"
            text, outputs_at = self._sweep_text(design.name, policies)
            sweep_file.write_text(text)
            try:
                if not run:
                    _interdep.check_sweep_file(os.fsencode(sweep_file))
                    return None
                table = sweep(sweep_file, Path(folder) / "model.h5", threads=self.threads).table
                table["message"] = table["message"].map(_in_python_terms)
                return table
            except ScenarioError as e:
                raise self._refusal(e, sweep_file, text, outputs_at, design, keys) from None
        except (Exception, KeyboardInterrupt) as error:
            # The module's temporary files are not named (gone when the error is read).
            hidden = _hidden(error, folder, "<interdep.Model>")
            if hidden is error:
                raise
            raise hidden from None
        finally:
            _remove_folder(folder)

    def _refusal(self, error, sweep_file, text, outputs_at, design, keys):
        """The engine's error about a batch's sweep file or design table as one about what the
        user gave: the Model's argument, or X's row; the scenario's own errors (its file is the
        user's) as they are."""
        if error.file == str(design):
            if error.line >= 2:
                return _row_error(error, error.line - 2, _in_python_terms(error.message))
            # The header: a key no sweep may vary (time.years), or two naming one key.
            return _argument_error("parameters", _key_at_column(keys, error.column),
                                   error.message)
        if error.file != str(sweep_file):
            return error
        key = error.key or ""
        if key == "design.file" and "rejects the first row" in error.message:
            # Blamed as the engine blames a parameter (sweep::parameter_named_by), which names
            # it in the message.
            named, reason = _rejected_row(error.message, keys)
            return _RowRefused(named, _in_python_terms(reason), error)
        named = self._argument_refusal(
            error, {"record.outputs": ("outputs", outputs_at.get(error.line, self.outputs))})
        return named if named is not error else _written_error(error, sweep_file, text,
                                                               "<interdep.Model>")

    @property
    def problem(self):
        """SALib's problem dict (names and bounds) of parameters given as (min, max) or as
        uniform dicts; normal ones as SALib takes them ("dists": "norm", bounds [mean, sd])."""
        bounds, dists, refused = [], [], []
        for key in self.parameters:
            spec = self.ranges.get(key)
            if spec is None:
                refused.append(f"{key!r} (no range: the Model was given a list of keys)")
                continue
            spec = _parameter(spec, key)
            kind = spec["distribution"]
            if kind == "uniform":
                bounds.append([spec["min"], spec["max"]])
                dists.append("unif")
            elif kind == "normal":
                bounds.append([spec["mean"], spec["sd"]])
                dists.append("norm")
            else:
                refused.append(f"{key!r} ({kind})")
        if refused:
            raise ValueError("SALib's problem takes uniform ranges ((min, max) or a uniform "
                             "dict) and normal distributions; not " + ", ".join(refused)
                             + ": sample them with model.sample() or model.sweep()")
        problem = {"num_vars": len(self.parameters), "names": list(self.parameters),
                   "bounds": bounds}
        if "norm" in dists:
            problem["dists"] = dists
        return problem

    def sample(self, kind="lhs", samples=100, *, levels=4, seed=None):
        """A design over the parameters' ranges (see interdep.sample)."""
        return sample({k: self.ranges[k] for k in self.parameters}, kind, samples, levels=levels,
                      seed=self.seed if seed is None else seed)

    def sweep(self, kind="saltelli", samples=64, *, levels=4, output=None):
        """A sweep of the engine's own design over the parameters' ranges (kind "saltelli",
        "morris", "lhs" or "grid"), with the model's outputs, statistic, replicates, seeds and
        policies: a SweepResult that analyze() turns into Sobol indices (Saltelli), elementary
        effects (Morris) or SRC/PRCC, and discover() searches."""
        if not isinstance(kind, str) or kind not in _MODEL_SWEEP_KINDS:
            # A sweep file's "csv" design reads its rows from a file: the Model's are X's.
            raise _argument_error("kind", kind, "expected one of " + ", ".join(
                repr(k) for k in _MODEL_SWEEP_KINDS) + " (rows of your own: model(X) or "
                "model.evaluate(X))")
        parameters = {}
        for key in self.parameters:
            spec = self.ranges.get(key)
            if isinstance(spec, (tuple, list)) and len(spec) == 2:
                parameters[key] = {"distribution": "uniform", "min": float(spec[0]),
                                   "max": float(spec[1])}
            elif isinstance(spec, dict):
                parameters[key] = dict(spec)
            else:
                raise ValueError(f"no range for {key!r}: give parameters as a dict")
        spec = {"name": "python-model", "scenario": self.scenario, "seed": self.seed,
                "replicates": self.replicates, "seeds": self.seeds,
                "design": {"kind": kind, "samples": _whole(samples, "samples"),
                           "levels": _whole(levels, "levels")},
                "parameters": parameters,
                "record": {"mode": "summary", "outputs": self.outputs,
                           "statistics": [self.statistic]}}
        if self.policies:
            spec["policies"] = self.policies
        try:
            return sweep(spec, output, threads=self.threads)
        except ScenarioError as e:
            if e.file != "<sweep dict>":  # the scenario's own file, or the output's
                raise
            raise self._argument_refusal(e, {"design.kind": ("kind", kind),
                                             "design.samples": ("samples", samples),
                                             "design.levels": ("levels", levels)}) from None

    def _argument_refusal(self, error, given):
        """The engine's error about a sweep file the Model wrote as one about the argument that
        gave what it refuses: the Model's, or those `given` ({the engine's key: (argument,
        value)}: sweep()'s kind, a batch's output by its line); `error` itself when its key is
        none of them."""
        key = error.key or ""
        arguments = {"scenario": ("scenario", str(self.scenario)), "seed": ("seed", self.seed),
                     "replicates": ("replicates", self.replicates),
                     "seeds": ("seeds", self.seeds),
                     "record.statistics": ("statistic", self.statistic),
                     "record.outputs": ("outputs", self.outputs), **given}
        if key in arguments:
            return _argument_error(*arguments[key], _in_python_terms(error.message))
        # A parameter (sweep()'s tables) or a policy by its name: 'policies."calm".<lever>'.
        for argument, given_values in (("parameters", self.ranges), ("policies", self.policies)):
            if key.startswith(argument):
                # The engine quotes the key as a TOML string: 'parameters."actors.\\"PAK\\".risk"'.
                named = next((v for v in given_values if key == f"{argument}.{_quoted_key(v)}"
                              or key.startswith(f"{argument}.{_quoted_key(v)}.")), None)
                value = given_values if named is None else {named: given_values[named]}
                return _argument_error(argument, value, _in_python_terms(error.message))
        return error

    def _matrix(self, X):
        """X as a 2-D array of floats, a DataFrame's columns taken by the parameters' keys."""
        import pandas as pd
        if isinstance(X, pd.DataFrame):
            missing = [k for k in self.parameters if k not in X.columns]
            if missing:
                raise ValueError(f"X has no column {missing[0]!r} (the Model's parameters: "
                                 f"{self.parameters}; X's columns: {list(X.columns)})")
            X = X[self.parameters]
        # A discrete parameter of text (or boolean) values: rows of numbers cannot set it (a
        # batch's design table holds numbers; its indices were run as values and refused).
        for key in self.parameters:
            values = self._discrete_values(key) or []
            if any(isinstance(v, (bool, np.bool_, str)) for v in values):
                first = values[0]
                raise ValueError(
                    f"interdep.Model: parameter {key!r} takes the values {values}, which rows "
                    "of X cannot set (model(X), evaluate() and ema() run numbers): model.sweep() "
                    "runs it; or make it a lever, one policy a value (policies={"
                    f"{str(first)!r}: {{{key!r}: {first!r}}}, ...}} with the other "
                    "parameters), and run model(X, policy=...)")
        try:
            X = np.atleast_2d(np.asarray(X, dtype=float))
        except (TypeError, ValueError):
            cells = np.atleast_2d(np.asarray(X, dtype=object))
            if cells.ndim == 2:
                for (row, column), value in np.ndenumerate(cells):
                    try:
                        float(value)
                    except (TypeError, ValueError):
                        named = (f" ({self.parameters[column]!r})"
                                 if column < len(self.parameters) else "")
                        raise ValueError(f"X: row {row}, column {column}{named}: expected a "
                                         f"number, got {value!r}") from None
            raise ValueError(f"X: rows of {len(self.parameters)} parameter value(s) (numbers), "
                             f"got {X!r}") from None
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"X: rows of {len(self.parameters)} parameter value(s), got an "
                             f"array of shape {X.shape}")
        return X

    def _policy(self, policy):
        """The policy a batch runs under, checked: {name: levers} of one, or {} without."""
        if policy is None:
            if self.policies:
                raise ValueError(f"this Model has policies {sorted(self.policies)}: name the one "
                                 "to run with policy=... (sweep() runs them all)")
            return {}
        if not isinstance(policy, str):
            raise TypeError(f"policy: the name of one of the Model's policies, got "
                            f"{type(policy).__name__}")
        if policy not in self.policies:
            raise ValueError(f"policy {policy!r} is not one of this Model's policies "
                             f"{sorted(self.policies)}")
        return {policy: self.policies[policy]}

    def evaluate(self, X, *, policy=None):
        """Runs every row of X (array-like or DataFrame, a column per parameter) and returns the
        sweep's table (a row per run, replicates included): a run the scenario refuses has
        status "failed", except the first row and a value a key cannot take at all (6.5 for a
        month), which the sweep loader refuses before any run (ScenarioError, with .row the row
        of X; the model call and ema() give NaN for them). With policies, `policy` names the one
        the rows run under."""
        X = self._matrix(X)
        if X.shape[1] != len(self.parameters):
            raise ValueError(f"X has {X.shape[1]} columns for {len(self.parameters)} parameters")
        if not np.all(np.isfinite(X)):
            row, column = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(f"X holds values that are not finite: {X[row, column]} in row {row}, "
                             f"column {column} ({self.parameters[column]!r})")
        policies = self._policy(policy)
        try:
            return self._load_batch(X, self.parameters, policies, run=True)
        except _RowRefused as refused:
            # A key the scenario does not have (a misspelling) refuses every row alike: the
            # parameter's error, not the row's.
            if refused.key is not None and "unknown key" in refused.reason:
                raise _argument_error("parameters", refused.key, refused.reason) from None
            raise _row_error(refused.error, 0, refused.reason) from None

    def __call__(self, X, *, policy=None):
        """SALib's model: Y[row] (one output) or Y[row, output], replicates averaged. A failed
        run (values the scenario refuses) gives NaN; a refused first row, which the sweep loader
        checks before any run, gives NaN too, with a RuntimeWarning that quotes the refusal.
        With policies, `policy` names the one the rows run under (a ValueError without it)."""
        self._policy(policy)  # checked before any run
        X = self._matrix(X)
        columns = [f"{o}:{self.statistic}" for o in self.outputs]
        values = np.full((X.shape[0] * self.replicates, len(columns)), np.nan)
        # A row the sweep loader refuses before any run (the first row, or another's value that
        # a key cannot take at all, 6.5 for a month) runs as a copy of the first row it takes,
        # its result then dropped: every row keeps its run number, and with it its seeds under
        # seeds = "per_run". A misspelt key is the model's error: raised, not one NaN a row.
        trial = X.copy()
        source = list(range(X.shape[0]))  # the row of X each row of the trial holds
        refused = {}  # row of X: its refusal
        said = []  # the warnings, given once the batch has run (not before an error)
        while True:
            try:
                table = self.evaluate(trial, policy=policy)
            except ScenarioError as e:
                row = getattr(e, "row", None)
                if row is None or source[row] in refused:
                    raise
                refused[source[row]] = e.message
                # A copy refused in the first row would have failed as a run where it stands.
                if source[row] == row:
                    said.append(f"interdep.Model: row {row} gives NaN: {e.message}")
                taken = next((k for k in range(X.shape[0]) if k not in refused), None)
                if taken is None:
                    break
                for r in range(X.shape[0]):
                    if source[r] in refused:
                        trial[r], source[r] = X[taken], taken
                continue
            values = table[columns].to_numpy(dtype=float)
            values[table["status"].to_numpy() != "done"] = np.nan
            for r in range(X.shape[0]):
                if source[r] != r:
                    values[r * self.replicates:(r + 1) * self.replicates] = np.nan
            break
        for message in said:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        rows = values.reshape(-1, self.replicates, len(columns)).mean(axis=1)
        return rows[:, 0] if len(columns) == 1 else rows

    def ema(self, policy=None, **parameters):
        """EMA Workbench's function: keyword arguments by parameter key, a dict of outputs; with
        policies, `policy` names the one to run under."""
        unknown = sorted(set(parameters) - set(self.parameters))
        missing = [k for k in self.parameters if k not in parameters]
        if unknown or missing:
            raise TypeError(f"parameters {self.parameters}: unknown {unknown}, missing {missing}")
        y = self([[parameters[k] for k in self.parameters]], policy=policy)
        y = np.atleast_2d(y)
        return {o: float(y[0, i]) if y.shape[1] > 1 else float(y.ravel()[0])
                for i, o in enumerate(self.outputs)}

    def __repr__(self):
        return (f"<interdep.Model {self.scenario.name}: {self.parameters} -> {self.outputs} "
                f"({self.statistic}), {self.replicates} replicate(s), seeds {self.seeds}>")
