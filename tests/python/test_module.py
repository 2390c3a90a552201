#!/usr/bin/python3
"""The Python module (tools/python, docs/python.md) held against the command line it mirrors:
a run from Python equals `interdep run`'s file dataset for dataset, a sweep's table equals
`interdep export --csv`, errors carry file, line and key, the analysis warns of noise, PRIM finds
a known box, and the model adapter gives what single runs give.

    PYTHONPATH=build/python INTERDEP_BINARY=build/interdep /usr/bin/python3 -m unittest \
        tests/python/test_module.py       (ctest runs it as python.module)
"""

import errno
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

import interdep

SOURCE = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("INTERDEP_BINARY", str(SOURCE / "build" / "interdep"))
# Attributes that say when and how a file was made, not what it holds.
MADE = {"created", "command_line"}


def cli(*args, cwd):
    done = subprocess.run([BINARY, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"interdep {' '.join(map(str, args))}: {done.returncode}\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


def assert_same_attribute(test, x, y, where):
    """Equal and of the same kind: a str is not a list of one str (as numpy would broadcast)."""
    if isinstance(x, (str, list)) or isinstance(y, (str, list)):
        test.assertEqual(x, y, where)
    else:
        test.assertEqual(type(x), type(y), where)
        np.testing.assert_array_equal(x, y, where)


def assert_same_dataset(test, a, b, where):
    test.assertEqual(sorted(a.variables), sorted(b.variables), where)
    test.assertEqual(dict(a.sizes), dict(b.sizes), where)
    for name in a.variables:
        va, vb = a[name], b[name]
        test.assertEqual(va.dims, vb.dims, f"{where}: {name}")
        test.assertEqual(va.dtype, vb.dtype, f"{where}: {name}")
        test.assertEqual(va.attrs.keys(), vb.attrs.keys(), f"{where}: {name}")
        for key in va.attrs:
            assert_same_attribute(test, va.attrs[key], vb.attrs[key], f"{where}: {name}@{key}")
        # Bit for bit: NaN where NaN, every other value equal.
        np.testing.assert_array_equal(va.values, vb.values, f"{where}: {name}")
    test.assertEqual(set(a.attrs) - MADE, set(b.attrs) - MADE, where)
    for key in set(a.attrs) - MADE:
        assert_same_attribute(test, a.attrs[key], b.attrs[key], f"{where}: @{key}")


class RunTest(unittest.TestCase):
    def test_run_equals_the_command_line_file_in_every_group(self):
        scenario = SOURCE / "scenarios" / "sanctions.toml"
        settings = {"time.years": 3, "actors.PAK.risk": -0.25}
        with tempfile.TemporaryDirectory() as tmp:
            cli("run", scenario, "-o", "cli.h5", "--seed", 7, "--set", "time.years=3",
                "--set", "actors.PAK.risk=-0.25", "-q", cwd=tmp)
            result = interdep.simulate(scenario, set=settings, seed=7)
            groups = [None] + result.group_names
            self.assertIn("events", result.group_names)
            for group in groups:
                with xr.open_dataset(Path(tmp) / "cli.h5", engine="h5netcdf", group=group) as f:
                    assert_same_dataset(self, result.group(group), f.load(), f"group {group}")
            # The run is named by what changed, as on the command line, and saved whole.
            self.assertEqual(result.dataset.attrs["label"],
                             "sanctions [time.years=3, actors.PAK.risk=-0.25, seed=7]")
            # The call that made it, by the function called.
            self.assertTrue(result.dataset.attrs["command_line"].startswith(
                "python: interdep.simulate('"), result.dataset.attrs["command_line"])
            self.assertTrue(interdep.run(scenario, set={"time.years": 1}).attrs[
                "command_line"].startswith("python: interdep.run('"))
            saved = result.save(Path(tmp) / "py.h5")
            with xr.open_dataset(saved, engine="h5netcdf") as f:
                assert_same_dataset(self, result.dataset, f.load(), "saved file")
            self.assertEqual(sorted(os.listdir(tmp)), ["cli.h5", "py.h5"])
            # Nothing but a regular file is replaced: a FIFO, a link to /dev/null, a directory.
            os.mkfifo(Path(tmp) / "fifo.h5")
            os.symlink("/dev/null", Path(tmp) / "null.h5")
            os.mkdir(Path(tmp) / "dir.h5")
            for name, why in (("fifo.h5", "is a FIFO"), ("null.h5", "is a character device"),
                              ("dir.h5", "is a directory"), ("no-such/x.h5", "does not exist")):
                with self.assertRaises(ValueError, msg=name) as caught:
                    result.save(Path(tmp) / name)
                self.assertIn(why, str(caught.exception))
            self.assertTrue(Path(tmp, "fifo.h5").is_fifo() and Path(tmp, "null.h5").is_symlink())
            self.assertEqual(sorted(os.listdir(tmp)), ["cli.h5", "dir.h5", "fifo.h5", "null.h5", "py.h5"])

    def test_attributes_read_as_xarray_reads_the_file(self):
        # One override only: a list of one string, which xarray's h5netcdf backend gives as a
        # plain string; no override: an empty list.
        with tempfile.TemporaryDirectory() as tmp:
            for args, kwargs in ((["--seed", 7], {"seed": 7}), ([], {})):
                cli("run", "-o", "cli.h5", "-q", *args, cwd=tmp)
                with xr.open_dataset(Path(tmp) / "cli.h5", engine="h5netcdf") as f:
                    assert_same_dataset(self, interdep.run(**kwargs), f.load(), str(args))

    def test_dataset_carries_units_and_long_names_from_the_table(self):
        ds = interdep.run(set={"time.years": 1})
        self.assertEqual(ds.trade.attrs["units"], "US$ bn/yr")
        self.assertEqual(ds.relation_overall.dims, ("time", "actor", "partner"))
        self.assertEqual(ds.sizes["time"], 13)
        self.assertIn("PAK", list(ds.actor.values))

    def test_seed_changes_the_noise_and_the_same_seed_repeats_it(self):
        a = interdep.run(set={"time.years": 2}, seed=1)
        b = interdep.run(set={"time.years": 2}, seed=1)
        c = interdep.run(set={"time.years": 2}, seed=2)
        np.testing.assert_array_equal(a.relations.values, b.relations.values)
        self.assertFalse(np.array_equal(a.relations.values, c.relations.values))
        self.assertEqual(int(c.attrs["seed"]), 2)
        big = interdep.run(set={"time.years": 1}, seed=2**64 - 1)
        self.assertEqual(int(big.attrs["seed"]), 2**64 - 1)
        with self.assertRaises(ValueError):
            interdep.run(seed=-1)

    def test_overrides_take_python_values(self):
        s = interdep.load(set={"time.years": 2, "model.decide.integrator": "rk4",
                               "actors.PAK.risk": 0.125, "output.network": False})
        self.assertEqual(s.steps, 24)
        self.assertIn('model.decide.integrator="rk4"', s.overrides)
        self.assertIn("actors.PAK.risk=0.125", s.overrides)
        # The resolved text, loaded alone, is the same scenario.
        again = interdep.load(text=s.text)
        self.assertEqual(again.steps, 24)
        self.assertEqual(again.actors, s.actors)
        with self.assertRaises(TypeError):
            interdep.load(set={"actors.PAK.risk": object()})
        with self.assertRaises(TypeError):
            interdep.load(set={"actors.PAK.gdp_growth_path": {2025: object()}})

    def test_a_dict_value_is_a_table(self):
        # A path as a dict is the same as its years set one by one (a year with a dot quoted).
        as_dict = interdep.run(set={"time.years": 3, "actors.PAK.gdp_growth_path":
                                    {2025: 0.03, "2026.5": -0.02}}, seed=4)
        as_keys = interdep.run(set=["time.years=3", "actors.PAK.gdp_growth_path.2025=0.03",
                                    'actors.PAK.gdp_growth_path."2026.5"=-0.02'], seed=4)
        np.testing.assert_array_equal(as_dict.gdp.values, as_keys.gdp.values)
        plain = interdep.run(set={"time.years": 3}, seed=4)
        self.assertFalse(np.array_equal(as_dict.gdp.values, plain.gdp.values))

    def test_set_keys_that_are_not_text_are_refused_as_such(self):
        # They went through str(): b"time.years" became "b'time", refused in the loader's words
        # about an apostrophe the user never typed; None became the key "None".
        for bad in ({b"time.years": 1}, {None: 5}, [b"time.years=1"], b"time.years=1",
                    {"actors.PAK.gdp_growth_path": {b"2030": 0.02}}):
            with self.subTest(set=bad):
                with self.assertRaises(TypeError) as caught:
                    interdep.load(SOURCE / "scenarios" / "baseline.toml", set=bad)
                self.assertNotIn("apostrophe", str(caught.exception))
        # A path's years as int keys are still taken.
        scenario = interdep.load(SOURCE / "scenarios" / "baseline.toml",
                                 set={"actors.PAK.gdp_growth_path": {2030: 0.02}})
        self.assertTrue(scenario.overrides)
        # An empty path is not the current folder.
        with self.assertRaises(ValueError) as caught:
            interdep.load("")
        self.assertIn("empty", str(caught.exception))

    def test_scenario_errors_name_file_line_and_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "bad.toml"
            bad.write_text('name = "bad"\nbase = "%s"\n\n[actors.PAK]\nrisk = "high"\n'
                           % (SOURCE / "scenarios" / "baseline.toml"))
            with self.assertRaises(interdep.ScenarioError) as caught:
                interdep.load(bad)
            e = caught.exception
            self.assertIsInstance(e, ValueError)
            self.assertEqual(e.file, str(bad))
            self.assertEqual(e.line, 5)
            self.assertEqual(e.key, "actors.PAK.risk")
            self.assertIn("bad.toml:5", str(e))
            with self.assertRaises(interdep.ScenarioError) as caught:
                interdep.run(set={"time.yeers": 2})
            self.assertIn("time.yeers", str(caught.exception))
            with self.assertRaises(interdep.ScenarioError):
                interdep.run(Path(tmp) / "missing.toml")

    def test_a_folder_whose_name_is_not_utf8_is_read_and_named_as_python_names_it(self):
        """A POSIX name may hold any bytes; Python keeps those that are not UTF-8 as lone
        surrogates (os.fsdecode). They reached the engine as a TypeError, and a ScenarioError
        naming such a file failed to build (UnicodeDecodeError)."""
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(os.fsdecode(os.fsencode(tmp) + b"/caf\xe9"))
            folder.mkdir()
            scenario = folder / "b.toml"
            scenario.write_text((SOURCE / "scenarios" / "baseline.toml").read_text())
            self.assertEqual(interdep.load(scenario).name, "baseline")
            run = interdep.simulate(scenario, set={"time.years": 1})
            saved = run.save(folder / "out.h5")
            self.assertTrue(os.path.exists(os.fsencode(saved)))
            bad = folder / "bad.toml"
            bad.write_text('name = "bad"\nbase = "b.toml"\n[actors.PAK]\nrisk = 7\n')
            with self.assertRaises(interdep.ScenarioError) as caught:
                interdep.load(bad)
            self.assertEqual(caught.exception.file, str(bad))  # opens the same file again
            self.assertEqual(caught.exception.line, 4)
            self.assertIn("caf\\xE9/bad.toml:4", str(caught.exception))  # printable
            sweep = folder / "s.toml"
            sweep.write_text('name = "s"\nscenario = "b.toml"\nseed = 3\n[design]\n'
                             'kind = "lhs"\nsamples = 3\n[parameters."actors.PAK.risk"]\n'
                             'min = -0.5\nmax = 0.5\n[record]\n'
                             'outputs = ["relation_overall[PAK,USA]"]\n')
            result = interdep.sweep(sweep, folder / "s.h5")
            self.assertEqual(len(result.table), 3)

    def test_a_run_too_large_to_hold_in_memory_is_refused_before_it_starts(self):
        # 500 actors for 1,000 years: about 1.5 TB of recorded frames, which `interdep run`
        # would stream to a file, but a run from Python holds whole (twice).
        with tempfile.TemporaryDirectory() as tmp:
            world = Path(tmp) / "world.toml"
            world.write_text(subprocess.run(
                [sys.executable, str(SOURCE / "bench" / "large_world.py"), "500", "5"],
                check=True, capture_output=True, text=True).stdout)
            started = time.monotonic()
            with self.assertRaises(interdep.ScenarioError) as caught:
                interdep.run(world, set={"time.years": 1000})
            self.assertIn("GiB of memory", str(caught.exception))
            self.assertIn("held in memory whole", str(caught.exception))
            self.assertLess(time.monotonic() - started, 60)  # refused, not attempted

    def test_runs_release_the_gil(self):
        worker = threading.Thread(target=lambda: interdep.run(set={"time.years": 40}))
        worker.start()
        n = 0
        while worker.is_alive():
            n += 1
        worker.join()
        # With the GIL held for the run, this loop would not run while it lasts.
        self.assertGreater(n, 10000)


class PrintableTest(unittest.TestCase):
    def test_plot_escapes_what_the_engine_escapes(self):
        """tools/plotlib's printable (Python) escapes every code point the engine's does, alike:
        one set of refused characters (engine/text/control_chars.cpp), checked over all of them."""
        sys.path.insert(0, str(SOURCE / "tools"))
        try:
            from plotlib.errors import printable as plot_printable
        finally:
            sys.path.pop(0)
        # Each code point but the surrogates (not text) and the line feed that parts them.
        every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and c != 0x0A]
        engine = interdep._interdep.printable("\n".join(every)).split("\n")
        plot = plot_printable("\n".join(every)).split("\n")
        self.assertEqual(len(engine), len(every))
        differ = [(f"U+{ord(c):04X}", e, p) for c, e, p in zip(every, engine, plot) if e != p]
        self.assertEqual(differ, [])
        self.assertEqual(plot_printable("\n"), "\n")
        self.assertEqual(interdep._interdep.printable("PAK\u202e \u200d"), "PAK\\u202E \u200d")


class ProductKernelTest(unittest.TestCase):
    """INTERDEP_PRODUCT_KERNEL is read at import, as the command line reads it at start."""

    def import_with(self, value):
        env = dict(os.environ, INTERDEP_PRODUCT_KERNEL=value)
        script = "import interdep; print(interdep.product_kernel)"
        return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True)

    def test_the_kernel_named_is_the_kernel_run(self):
        done = self.import_with("sse2")  # every x86-64 CPU runs it
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), "sse2")
        self.assertIn(interdep.product_kernel, ("sse2", "avx2", "avx512"))

    def test_an_unknown_kernel_fails_the_import_as_the_command_line_refuses_it(self):
        done = self.import_with("avx3")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("ImportError", done.stderr)
        self.assertIn("INTERDEP_PRODUCT_KERNEL=avx3: expected sse2, avx2 or avx512", done.stderr)
        refused = subprocess.run([BINARY, "--version"], capture_output=True, text=True,
                                 env=dict(os.environ, INTERDEP_PRODUCT_KERNEL="avx3"))
        self.assertEqual(refused.returncode, 2)
        self.assertIn("INTERDEP_PRODUCT_KERNEL=avx3: expected sse2, avx2 or avx512", refused.stderr)


class SweepTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.file = SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml"
        cls.result = interdep.sweep(cls.file, Path(cls.tmp.name) / "s.h5", threads=2)
        cli("export", "s.h5", "--csv", "-o", "s.csv", cwd=cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_table_equals_the_exported_csv(self):
        table = self.result.table
        exported = pd.read_csv(Path(self.tmp.name) / "s.csv", keep_default_na=False,
                               float_precision="round_trip")
        self.assertEqual(list(table.columns), list(exported.columns))
        self.assertEqual(len(table), 24)
        for column in table.columns:
            a, b = table[column].to_numpy(), exported[column].to_numpy()
            if a.dtype.kind in "fiu":
                np.testing.assert_array_equal(a.astype(float), b.astype(float), column)
            else:
                self.assertEqual([str(x) for x in a], [str(x) for x in b], column)

    def test_dataset_has_design_coordinates_and_named_outputs(self):
        ds = self.result.dataset
        self.assertEqual(ds["relation_overall[RUS,USA]"].dims, ("run", "statistic"))
        self.assertEqual(ds["events.0.intensity"].dims, ("run",))
        self.assertEqual(set(ds["model.decide.integrator"].values), {"euler", "rk4"})
        self.assertEqual(ds["trade[CHN,RUS]"].attrs["units"], "US$ bn/yr")
        self.assertEqual(ds.series.dims, ("run", "time", "output"))
        # Selecting by a design coordinate works as in any xarray Dataset.
        rk4 = ds.where(ds["model.decide.integrator"] == "rk4", drop=True)
        self.assertTrue(0 < rk4.sizes["run"] < 24)

    def test_the_file_opens_in_plain_xarray_as_a_table(self):
        with xr.open_dataset(self.result.path, engine="h5netcdf") as ds:
            for key in ("events.0.intensity", "actors.PAK.interests.security",
                        "model.decide.integrator"):
                self.assertIn(key, ds.coords)
                self.assertEqual(ds[key].dims, ("run",))
            self.assertEqual(set(ds["model.decide.integrator"].values), {"euler", "rk4"})
            outputs = list(ds["output"].values)
            for name in outputs:
                np.testing.assert_array_equal(ds[name].values,
                                              ds["summary"].values[:, outputs.index(name), :])
            self.assertEqual(ds["trade[CHN,RUS]"].attrs["units"], "US$ bn/yr")
            table = ds["trade[CHN,RUS]"].sel(statistic="final").to_dataframe()
            self.assertIn("events.0.intensity", table.columns)
            np.testing.assert_array_equal(table["events.0.intensity"],
                                          self.result.table["events.0.intensity"])

    def test_sweep_without_output_keeps_a_temporary_file(self):
        result = interdep.sweep(self.file, threads=1)
        self.assertTrue(result.path.exists())
        np.testing.assert_array_equal(result.table["trade[CHN,RUS]:final"],
                                      self.result.table["trade[CHN,RUS]:final"])
        path = result.path
        del result
        self.assertFalse(path.exists())

    def test_an_output_that_cannot_be_written_is_refused_before_any_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(ValueError) as caught:
                interdep.sweep(self.file, tmp)  # a directory
            self.assertIn("is a directory", str(caught.exception))
            with self.assertRaises(ValueError):
                interdep.sweep(self.file, Path(tmp) / "no" / "s.h5")
            self.assertEqual(os.listdir(tmp), [])
            self.assertFalse(Path(tmp + ".parts").exists())

    def test_a_sweep_refuses_to_write_over_a_file_it_reads(self):
        # The command line refuses it; from Python the sweep file, its scenario or its design
        # table was replaced by the HDF5 result.
        with tempfile.TemporaryDirectory() as tmp:
            sweep_file = Path(tmp) / "s.toml"
            sweep_file.write_text(self.file.read_text().replace(
                'scenario = "', f'scenario = "{self.file.parent}/'))
            for target in (sweep_file, self.file.parent / "../../../scenarios/baseline.toml"):
                before = Path(target).read_bytes()
                with self.assertRaises(ValueError) as caught:
                    interdep.sweep(sweep_file, target)
                self.assertIn("a file this call reads", str(caught.exception))
                self.assertEqual(Path(target).read_bytes(), before)
            # Inputs of one call are not refused to the next: a file read before may be written.
            interdep.sweep(sweep_file, Path(tmp) / "s.h5", threads=1)

    def test_analysis_of_a_file_open_in_h5py_and_xarray(self):
        # h5py opens files with HDF5's default close degree; a second opening with another one
        # failed ("file close degree doesn't match"): xarray's view, then an analysis, failed.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.h5"
            interdep.sweep(self.file, path, threads=1)
            import h5py
            with h5py.File(path, "r") as held, xr.open_dataset(path, engine="h5netcdf") as ds:
                self.assertIn("status", held)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", interdep.NoiseWarning)
                    table = interdep.analyze(path, "trade[CHN,RUS]")
                self.assertGreater(len(table), 0)
                self.assertTrue(table.attrs["stored"])
                self.assertEqual(len(interdep.sweep_table(path)), ds.sizes["run"])

    @unittest.skipIf(os.geteuid() == 0, "root writes every file (cli.protected_output runs it "
                     "as nobody)")
    def test_analysis_of_a_write_protected_file_is_returned_not_stored(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.h5"
            interdep.sweep(self.file, path, threads=1)
            path.chmod(0o444)
            before = path.read_bytes()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", interdep.NoiseWarning)
                table = interdep.analyze(path, "trade[CHN,RUS]")
            self.assertGreater(len(table), 0)
            self.assertFalse(table.attrs["stored"])
            self.assertIn("cannot be written", table.attrs["not_stored"])
            self.assertEqual(path.read_bytes(), before)

    def test_a_sweep_stopped_by_a_failure_says_where_its_runs_are(self):
        # Rows 2 and 3 ask for more trade than Pakistan's total allows (as tests/test_sweep.cpp's
        # "a resumed sweep counts the failed runs"): run 2 fails and stops the sweep.
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "design.csv").write_text(
                "actors.PAK.total_trade,trade.PAK.EU\n52,7.8\n100,20\n55,15\n60,18\n")
            sweep_file = folder / "stop.toml"
            sweep_file.write_text(
                f'name = "stop"\nscenario = "{SOURCE / "scenarios" / "baseline.toml"}"\n'
                'on_failure = "stop"\n[design]\nkind = "csv"\nfile = "design.csv"\n'
                '[record]\noutputs = ["trade[RUS,USA]"]\n')
            output = folder / "stop.h5"
            with self.assertRaises(RuntimeError) as caught:
                interdep.sweep(os.fsencode(sweep_file), os.fsencode(output), threads=1)
            message = str(caught.exception)
            self.assertIn(f"kept in {output}.parts", message)
            self.assertIn("resume=True", message)
            self.assertTrue(Path(f"{output}.parts").is_dir())
            self.assertFalse(output.exists())
            with self.assertRaises(RuntimeError) as caught:
                interdep.sweep(sweep_file, threads=1)
            self.assertIn("temporary folder, now removed: give output=", str(caught.exception))

    def test_paths_may_be_bytes_as_in_os(self):
        with tempfile.TemporaryDirectory() as tmp:
            scenario = os.fsencode(SOURCE / "scenarios" / "baseline.toml")
            ran = interdep.run(scenario, set={"time.years": 1})
            ran_from_str = interdep.run(os.fsdecode(scenario), set={"time.years": 1})
            np.testing.assert_array_equal(ran["relation_overall"], ran_from_str["relation_overall"])
            result = interdep.simulate(scenario, set={"time.years": 1})
            saved = result.save(os.fsencode(Path(tmp) / "r.h5"))
            self.assertEqual(saved, Path(tmp) / "r.h5")
            swept = interdep.sweep(os.fsencode(self.file), threads=1)
            self.assertEqual(swept.path.name, "small-lhs.h5")
            with self.assertRaises(TypeError) as caught:
                interdep.run(5)
            self.assertIn("str, bytes or os.PathLike", str(caught.exception))

    def test_bad_sweep_file_raises_with_position(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "bad.toml"
            bad.write_text('name = "b"\nscenario = "%s"\n[design]\nkind = "lhx"\n'
                           % (SOURCE / "scenarios" / "baseline.toml"))
            with self.assertRaises(interdep.ScenarioError) as caught:
                interdep.sweep(bad)
            self.assertEqual(caught.exception.line, 4)


class InlineSweepTest(unittest.TestCase):
    def test_a_sweep_from_a_dict_equals_the_same_sweep_from_its_file(self):
        spec = {"name": "inline", "scenario": SOURCE / "scenarios" / "sanctions.toml",
                "seed": 99, "replicates": 2,
                "design": {"kind": "lhs", "samples": 12},
                "parameters": {
                    "events.0.intensity": {"distribution": "uniform", "min": 0.2, "max": 1.2},
                    "actors.PAK.interests.security": {"min": 0.2, "max": 0.5},
                    "model.decide.integrator": {"distribution": "discrete",
                                                "values": ["euler", "rk4"]}},
                "record": {"mode": "every", "every": 6,
                           "outputs": ["relation_overall[RUS,USA]", "trade[CHN,RUS]",
                                       "relations[PAK,RUS,energy]", "membership[PAK,SCO]"]}}
        inline = interdep.sweep(spec, threads=2)
        from_file = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                   threads=2)
        a, b = inline.table, from_file.table
        self.assertEqual(list(a.columns), list(b.columns))
        for column in a.columns:
            if a[column].dtype.kind == "f":
                np.testing.assert_array_equal(a[column], b[column], column)
            else:
                self.assertEqual(list(a[column]), list(b[column]), column)

    def test_a_bad_dict_names_itself_and_its_line(self):
        spec = {"scenario": SOURCE / "scenarios" / "baseline.toml",
                "design": {"kind": "lhx"},
                "parameters": {"actors.PAK.risk": {"min": -1, "max": 0}},
                "record": {"outputs": ["trade[RUS,USA]"]}}
        with self.assertRaises(interdep.ScenarioError) as caught:
            interdep.sweep(spec)
        e = caught.exception
        self.assertEqual(e.file, "<sweep dict>")
        self.assertIn('kind = "lhx"', str(e))
        self.assertEqual(e.key, "design.kind")

    def test_model_sweeps_a_saltelli_design_for_sobol_indices(self):
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.EU.risk": (-1.0, 0.5),
                                           "model.decide.pressure": (0.5, 8.0)},
                               outputs=["relation_overall[PAK,RUS]"], threads=2)
        result = model.sweep("saltelli", 16)
        self.assertEqual(result.progress["total"], 16 * 4)
        indices = result.analyze("relation_overall[PAK,RUS]", resamples=50)
        self.assertEqual(indices.attrs["method"], "sobol")
        spaced = result.analyze("relation_overall[PAK, RUS]", resamples=50)
        self.assertEqual(spaced.attrs["output"], "relation_overall[PAK,RUS]")
        self.assertTrue(spaced.equals(indices))
        self.assertEqual(indices.attrs["seeds"], "common")
        # Pressure moves Pakistan's relation to Russia; the EU's risk attitude does not.
        self.assertEqual(indices.index[0], "model.decide.pressure")
        self.assertGreater(indices.loc["model.decide.pressure", "ST"],
                           10 * abs(indices.loc["actors.EU.risk", "ST"]))


class PolicyTest(unittest.TestCase):
    def test_policies_read_as_a_coordinate_and_are_analysed_one_at_a_time(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "scenarios" / "sweeps" / "pipeline-policies.toml",
                                    Path(tmp) / "p.h5", threads=2)
            cli("export", "p.h5", "--csv", "-o", "p.csv", cwd=tmp)
            exported = pd.read_csv(Path(tmp) / "p.csv", keep_default_na=False,
                                   float_precision="round_trip")
            table = result.table
            self.assertEqual(list(table.columns), list(exported.columns))
            self.assertEqual(list(table["policy"]), list(exported["policy"]))
            ds = result.dataset
            self.assertEqual(ds["policy"].dims, ("run",))
            with xr.open_dataset(result.path, engine="h5netcdf") as plain:
                self.assertIn("policy", plain.coords)
                self.assertEqual(list(plain["policy"].values), list(table["policy"]))
            by_policy = ds["energy[RUS,PAK]"].sel(statistic="final").groupby("policy").median()
            self.assertEqual(sorted(by_policy["policy"].values),
                             ["as planned", "larger Russian LNG offer", "line not built"])
            self.assertGreater(float(by_policy.sel(policy="larger Russian LNG offer")),
                               float(by_policy.sel(policy="as planned")))
            with self.assertRaises(ValueError) as caught:
                result.analyze("relation_overall[PAK,RUS]")
            self.assertIn("name one", str(caught.exception))
            indices = result.analyze("relation_overall[PAK,RUS]", policy="line not built",
                                     resamples=20)
            self.assertEqual(indices.attrs["policy"], "line not built")
            self.assertEqual(indices.attrs["runs"], 100)
            found = result.discover("energy_shortfall[PAK]", "> 45")
            self.assertEqual(found.box.loc["policy", "values"], ["line not built"])


def _long_sweep(folder: Path, samples: int) -> Path:
    """A summary-only LHS sweep of the baseline over `samples` points, written in `folder`."""
    sweep_file = folder / "long.toml"
    sweep_file.write_text("\n".join([
        'name = "long"', f'scenario = "{SOURCE / "scenarios" / "baseline.toml"}"',
        "[design]", 'kind = "lhs"', f"samples = {samples}",
        '[parameters."actors.PAK.risk"]', "min = -1.0", "max = 0.5", "[record]",
        'outputs = ["relation_overall[PAK,RUS]"]', ""]))
    return sweep_file


def _sweep_stopped_after_first_shard(test, folder, runs, threads):
    """A sweep of `runs` long runs on `threads` threads in a child Python, sent SIGINT once its
    first shard is written; checks that it stopped on the KeyboardInterrupt. (sweep file,
    output)."""
    sweep_file = _long_sweep(folder, runs)
    script = ("import interdep, signal, sys\n"
              "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
              "try:\n"
              f"    interdep.sweep(sys.argv[1], sys.argv[2], threads={threads})\n"
              "except KeyboardInterrupt:\n"
              "    sys.exit(3)\n")
    output = folder / "long.h5"
    child = subprocess.Popen([sys.executable, "-c", script, str(sweep_file), str(output)],
                             env=os.environ)
    parts = Path(str(output) + ".parts")
    deadline = time.monotonic() + 60
    while not list(parts.glob("shard-*.h5")) and child.poll() is None:
        test.assertLess(time.monotonic(), deadline, "no shard was written")
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    test.assertEqual(child.wait(timeout=30), 3, "the sweep was not interrupted")
    return sweep_file, output


class InterruptTest(unittest.TestCase):
    def test_ctrl_c_stops_a_sweep_that_then_resumes(self):
        with tempfile.TemporaryDirectory() as tmp:
            sweep_file, output = _sweep_stopped_after_first_shard(self, Path(tmp), 6000, 2)
            self.assertFalse(output.exists())
            result = interdep.sweep(sweep_file, output, threads=2, resume=True)
            self.assertGreater(result.progress["resumed"], 0)
            self.assertEqual(result.progress["done"], 6000)
            self.assertEqual(list(result.table["status"].unique()), ["done"])

    def test_ctrl_c_is_answered_while_another_threads_sweep_holds_the_files(self):
        # HDF5 is one call at a time: a run waiting for another thread's sweep waited for the
        # whole sweep before a Ctrl-C was answered.
        with tempfile.TemporaryDirectory() as tmp:
            sweep_file = _long_sweep(Path(tmp), 8000)
            script = ("import interdep, os, signal, sys, threading, time\n"
                      "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                      "threading.Thread(target=interdep.sweep, args=(sys.argv[1], sys.argv[2]),\n"
                      "                 kwargs={'threads': 1}, daemon=True).start()\n"
                      "time.sleep(1.0)\n"
                      "print('waiting', flush=True)\n"
                      "start = time.monotonic()\n"
                      "try:\n"
                      "    for call in (lambda: interdep.run(set={'time.years': 1}),\n"
                      "                 lambda: interdep.analyze(sys.argv[2], 'x')):\n"
                      "        call()\n"
                      "except KeyboardInterrupt:\n"
                      "    print(round(time.monotonic() - start, 2), flush=True)\n"
                      "    os._exit(3)\n")
            child = subprocess.Popen([sys.executable, "-c", script, str(sweep_file),
                                      str(Path(tmp) / "long.h5")], env=os.environ,
                                     stdout=subprocess.PIPE, text=True)
            self.assertEqual(child.stdout.readline().strip(), "waiting")
            time.sleep(0.5)
            child.send_signal(signal.SIGINT)
            waited = float(child.stdout.readline())
            self.assertEqual(child.wait(timeout=60), 3)
            self.assertLess(waited, 1.5 + 1.0, "the Ctrl-C waited for the other thread's sweep")


    def test_exit_while_a_daemon_thread_runs_ends_cleanly(self):
        # Python's exit while another thread was in a call aborted the process ("terminate
        # called without an active exception", exit 134) and left the sweep's temporary folder.
        calls = {
            "run": "interdep.run(set={'time.years': 300})",
            "sweep": "interdep.sweep({'scenario': sys.argv[1], 'design': {'kind': 'lhs', "
                     "'samples': 4000}, 'parameters': {'actors.PAK.risk': {'min': -1, "
                     "'max': 0.5}}, 'record': {'outputs': ['relation_overall[PAK,RUS]']}})",
            "model": "interdep.Model(sys.argv[1], parameters={'actors.PAK.risk': (-1, 0.5)}, "
                     "outputs=['relation_overall[PAK,RUS]'], threads=1)"
                     "(np.linspace(-1, 0.5, 4000)[:, None])",
        }
        for name, call in calls.items():
            with self.subTest(name), tempfile.TemporaryDirectory() as tmp:
                script = ("import interdep, numpy as np, os, sys, threading, time\n"
                          f"threading.Thread(target=lambda: {call}, daemon=True).start()\n"
                          "deadline = time.monotonic() + 30\n"
                          "while not os.listdir(os.environ['TMPDIR']) and 'interdep.run' not in"
                          f" {call!r}:\n"
                          "    assert time.monotonic() < deadline\n"
                          "    time.sleep(0.05)\n"
                          "time.sleep(1.0)\n"
                          "print('main exits', flush=True)\n")
                done = subprocess.run(
                    [sys.executable, "-c", script, str(SOURCE / "scenarios" / "baseline.toml")],
                    env={**os.environ, "TMPDIR": tmp}, capture_output=True, text=True,
                    timeout=60)
                self.assertEqual((done.returncode, done.stdout, done.stderr),
                                 (0, "main exits\n", ""))
                self.assertEqual(os.listdir(tmp), [])


class AnalysisTest(unittest.TestCase):
    def sweep(self, folder, seeds):
        # The risk attitudes of the passive EU and Qatar move nothing: with a seed per run the
        # Sobol indices measure noise (the case), with common seeds there is none.
        text = "\n".join([
            'name = "noise"', f'scenario = "{SOURCE / "scenarios" / "baseline.toml"}"',
            "replicates = 2", f'seeds = "{seeds}"', "[design]", 'kind = "saltelli"',
            "samples = 8", '[parameters."actors.EU.risk"]', "min = -1.0", "max = 0.5",
            '[parameters."actors.QAT.risk"]', "min = -1.0", "max = 0.5", "[record]",
            'outputs = ["relation_overall[RUS,USA]"]', 'statistics = ["final"]', ""])
        path = Path(folder) / f"noise-{seeds}.toml"
        path.write_text(text)
        return interdep.sweep(path, Path(folder) / f"noise-{seeds}.h5", threads=2)

    def test_noise_is_warned_about_with_its_share(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = self.sweep(tmp, "per_run")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = result.analyze("relation_overall[RUS,USA]", resamples=50)
            self.assertEqual([w.category for w in caught], [interdep.NoiseWarning])
            self.assertIn("run-to-run noise", str(caught[0].message))
            self.assertEqual(table.attrs["method"], "sobol")
            self.assertGreater(table.attrs["noise_share"], 0.5)
            self.assertEqual(set(table.index), {"actors.EU.risk", "actors.QAT.risk"})
            self.assertIn("ST", table.columns)

    def test_a_parameter_that_does_not_vary_loses_only_its_own_indices(self):
        # One constant column of a csv design made every SRC and PRCC NaN (or, for 0.1, whose
        # copies less their mean are not exactly 0, the others' PRCC NaN and its own SRC 0),
        # silently.
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "short.toml").write_text(
                f'name = "short"\nbase = "{SOURCE / "scenarios" / "baseline.toml"}"\n'
                "[time]\nyears = 2\n")
            rng = np.random.default_rng(8)
            x = np.column_stack([rng.uniform(0, 1, 30), rng.uniform(0.5, 8, 30)])
            for constant in (0.1, 0.5):
                with self.subTest(constant):
                    with open(Path(tmp) / "d.csv", "w") as f:
                        f.write("actors.PAK.responsiveness,model.decide.pressure,"
                                "actors.PAK.risk\n")
                        for a, b in x:
                            f.write(f"{a!r},{b!r},{constant}\n")
                    result = interdep.sweep({
                        "scenario": str(Path(tmp) / "short.toml"),
                        "design": {"kind": "csv", "file": str(Path(tmp) / "d.csv")},
                        "record": {"outputs": ["relation_overall[PAK,RUS]"]}}, threads=2)
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        table = result.analyze("relation_overall[PAK,RUS]", resamples=50)
                    self.assertEqual(len(caught), 1)
                    self.assertIn("actors.PAK.risk has the same value at every design point",
                                  str(caught[0].message))
                    self.assertTrue(table.loc["actors.PAK.risk"].isna().all())
                    varied = table.drop(index="actors.PAK.risk")
                    self.assertTrue(np.isfinite(varied.to_numpy(dtype=float)).all(), table)
                    # The regression without the constant, as numpy computes it.
                    y = result.table["relation_overall[PAK,RUS]:final"].to_numpy()
                    z = (x - x.mean(0)) / x.std(0, ddof=1)
                    src = np.linalg.lstsq(z, (y - y.mean()) / y.std(ddof=1), rcond=None)[0]
                    np.testing.assert_allclose(
                        varied.loc[["actors.PAK.responsiveness", "model.decide.pressure"],
                                   "SRC"], src, rtol=1e-9)

    def test_names_are_refused_printable_and_whole(self):
        # A name echoed in a ValueError reached the terminal raw (an escape sequence), and a NUL
        # cut the name short: "trade[A,B]\0zz" analysed trade[A,B].
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                    Path(tmp) / "l.h5", threads=2)
            output = list(result.dataset.data_vars)[0]
            with self.assertRaises(ValueError) as caught:
                interdep.analyze(result.path, "a\x1b[31mX", resamples=50)
            self.assertNotIn("\x1b", str(caught.exception))
            self.assertIn("\\u001B", str(caught.exception))
            with self.assertRaises(ValueError) as caught:
                interdep.analyze(result.path, output + "\x00zz", resamples=50)
            self.assertIn("holds a NUL character", str(caught.exception))
            for bad in (dict(confidence="0.9"), dict(confidence=float("nan"))):
                with self.assertRaises((TypeError, ValueError), msg=str(bad)):
                    interdep.analyze(result.path, output, resamples=50, **bad)
            with self.assertRaises(TypeError):
                interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                               Path(tmp) / "m.h5", resume="no")
        with self.assertRaises(interdep.ScenarioError) as caught:
            interdep.run("sc\x00.toml")
        self.assertIn("NUL", str(caught.exception))

    def test_regression_for_lhs(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                    Path(tmp) / "l.h5", threads=2)
            table = interdep.analyze(result, "relation_overall[RUS,USA]", resamples=50)
        self.assertEqual(table.attrs["method"], "regression")
        self.assertIn("PRCC", table.columns)
        self.assertEqual(len(table), 3)


class DiscoveryTest(unittest.TestCase):
    def test_prim_finds_a_known_box(self):
        rng = np.random.default_rng(3)  # seeded: the box is known, the points are drawn
        x = pd.DataFrame(rng.uniform(size=(4000, 3)), columns=["a", "b", "c"])
        inside = (x.a > 0.6) & (x.b < 0.3)
        found = interdep.discover(x, where=inside.to_numpy(), threshold=0.9)
        box = found.box
        self.assertAlmostEqual(box.loc["a", "low"], 0.6, delta=0.03)
        self.assertAlmostEqual(box.loc["b", "high"], 0.3, delta=0.03)
        self.assertLess(box.loc["c", "low"], 0.05)
        self.assertGreater(box.loc["c", "high"], 0.95)
        row = found.trajectory.iloc[found.chosen]
        self.assertGreaterEqual(row["density"], 0.9)
        root = found.tree[0]
        self.assertIn(root["parameter"], ("a", "b"))
        # Pasting never narrows the box nor lowers its density.
        self.assertTrue((found.pasted["low"] <= box["low"]).all())
        self.assertTrue((found.pasted["high"] >= box["high"]).all())
        self.assertGreaterEqual(found.pasted_box["density"], row["density"])

    def test_a_condition_without_cases_or_with_every_run_has_no_box(self):
        # As the command line: coverage of no cases is 0 of 0 (NaN, not 0), and the repr says
        # there is no box to find.
        x = pd.DataFrame({"a": np.arange(50.0), "b": np.arange(50.0)[::-1]})
        none = interdep.discover(x, where=np.zeros(50, dtype=bool))
        self.assertTrue(np.isnan(none.trajectory["coverage"]).all())
        self.assertTrue(np.isnan(none.pasted_box["coverage"]))
        self.assertIn("0 of 50 runs; the condition holds in no run", repr(none))
        every = interdep.discover(x, where=np.ones(50, dtype=bool))
        self.assertEqual(every.trajectory["coverage"].iloc[0], 1.0)
        self.assertIn("holds in every run: there is no box to find", repr(every))
        # The trajectory is the command line's --boxes file: the whole space alone, as box 0
        # (Python peeled 22 boxes of coverage NaN and density 0), and no tree.
        for found in (none, every):
            self.assertEqual(len(found.trajectory), 1)
            self.assertEqual(found.tree, [])
            self.assertEqual(found.chosen, 0)
            self.assertEqual(list(found.box["low"]), [0.0, 0.0])
            self.assertEqual(list(found.box["high"]), [49.0, 49.0])
        self.assertEqual(list(none.trajectory.iloc[0][["density", "mass", "runs", "cases"]]),
                         [0.0, 1.0, 50, 0])
        self.assertEqual(list(every.trajectory.iloc[0][["density", "mass", "runs", "cases"]]),
                         [1.0, 1.0, 50, 50])
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                    Path(tmp) / "l.h5", threads=2)
            for where in ("> 5", "> -5"):
                found = interdep.discover(result, "relation_overall[RUS,USA]", where)
                cli("discover", result.path, "--output", "relation_overall[RUS,USA]",
                    "--where", where, "--boxes", Path(tmp) / "boxes.csv", cwd=tmp)
                boxes = pd.read_csv(Path(tmp) / "boxes.csv").drop(columns="box")
                boxes = boxes.drop(columns=[c for c in boxes.columns if "integrator" in c])
                mine = found.trajectory[boxes.columns]
                pd.testing.assert_frame_equal(mine.reset_index(drop=True), boxes,
                                              check_dtype=False)
        # A source that is none of those taken is named as such, not as a missing where=.
        with self.assertRaisesRegex(TypeError, "source: .*got ndarray"):
            interdep.discover(x.to_numpy(), None, np.zeros(50, dtype=bool))

    def test_tree_nodes_carry_their_paths_limits(self):
        # Four values of a (0..3), the cases at a == 1: CART splits a twice on the path to them,
        # and the pure leaf's limits are 0.5 < a <= 1.5, b unbounded.
        x = pd.DataFrame({"a": np.tile(np.arange(4.0), 25), "b": np.repeat(np.arange(25.0), 4)})
        found = interdep.discover(x, where=(x.a == 1).to_numpy(), depth=3, min_leaf=5)
        self.assertEqual(found.tree[0]["low"], {"a": -np.inf, "b": -np.inf})
        leaves = [n for n in found.tree if n["parameter"] is None and n["runs"] == n["cases"]]
        self.assertEqual(len(leaves), 1)
        self.assertEqual((leaves[0]["low"]["a"], leaves[0]["high"]["a"]), (0.5, 1.5))
        self.assertEqual((leaves[0]["low"]["b"], leaves[0]["high"]["b"]), (-np.inf, np.inf))
        for node in found.tree:  # each node's limits hold exactly its runs
            inside = (x.a > node["low"]["a"]) & (x.a <= node["high"]["a"])
            self.assertEqual(int(inside.sum()), node["runs"])

    def test_discover_on_a_sweep_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                    Path(tmp) / "l.h5", threads=2)
            values = result.table["relation_overall[RUS,USA]:final"]
            cut = float(np.median(values))
            found = result.discover("relation_overall[RUS,USA]", f"< {cut!r}")
            self.assertEqual(found.cases, int((values < cut).sum()))
            # An output however it is spaced is the same output.
            self.assertEqual(result.discover("relation_overall[ RUS, USA]", f"< {cut!r}").cases,
                             found.cases)
            self.assertIn("events.0.intensity", found.parameters)
            # Each CART node lists the integrator's values its path leaves.
            self.assertEqual(found.tree[0]["values"]["model.decide.integrator"], ["euler", "rk4"])
            for node in found.tree:
                left = node["values"]["model.decide.integrator"]
                self.assertTrue(left and set(left) <= {"euler", "rk4"})
            # A discrete parameter's limits are its values' indices; the box lists the values.
            self.assertTrue(set(found.box.loc["model.decide.integrator", "values"])
                            <= {"euler", "rk4"})
            # Printed by its values, as the command line prints it, not by their indices.
            self.assertRegex(repr(found), r"model\.decide\.integrator in \{(euler|rk4)")
            # The table's own columns (the integrator as text, as sweep_table gives it) are the
            # same source: a text column is a discrete parameter (its values sorted), not a
            # pandas error.
            table = result.table[found.parameters]
            self.assertEqual(table["model.decide.integrator"].dtype, object)
            framed = interdep.discover(table, where=(values < cut).to_numpy())
            pd.testing.assert_frame_equal(framed.trajectory, found.trajectory)
            self.assertEqual([n["values"] for n in framed.tree], [n["values"] for n in found.tree])
            self.assertEqual(repr(framed).split(":", 1)[1], repr(found).split(":", 1)[1])
            gap = table.copy()
            gap.loc[gap.index[2], "model.decide.integrator"] = None
            with self.assertRaises(ValueError) as caught:
                interdep.discover(gap, where=(values < cut).to_numpy())
            self.assertIn("model.decide.integrator", str(caught.exception))
            with self.assertRaises(ValueError):
                result.discover("relation_overall[RUS,USA]", "about 3")
            with self.assertRaises(ValueError):
                result.discover("nothing[PAK,RUS]", "> 0")
            # As the command line's --depth: 0 grows no tree, more than 12 is refused.
            self.assertEqual(result.discover("relation_overall[RUS,USA]", f"< {cut!r}",
                                             depth=0).tree, [])
            with self.assertRaises(ValueError):
                result.discover("relation_overall[RUS,USA]", f"< {cut!r}", depth=13)
            # The command line's tree: at least min_mass (5 %) of the runs a leaf.
            cli_text = cli("discover", str(result.path), "--output", "relation_overall[RUS,USA]",
                           "--where", f"< {cut!r}", cwd=tmp).stdout
            leaf = int(re.search(r"at least (\d+) runs? a leaf", cli_text).group(1))
            self.assertEqual(leaf, max(1, math.ceil(0.05 * len(values))))
            self.assertEqual(min(n["runs"] for n in found.tree), min(
                n["runs"] for n in result.discover("relation_overall[RUS,USA]", f"< {cut!r}",
                                                   min_leaf=leaf).tree))
            self.assertGreaterEqual(min(n["runs"] for n in found.tree), leaf)
            for bad in (dict(alpha=0.7), dict(alpha=0), dict(min_mass=0), dict(threshold=2),
                        dict(paste_alpha=0.5)):
                with self.assertRaises(ValueError, msg=str(bad)) as caught:
                    result.discover("relation_overall[RUS,USA]", f"< {cut!r}", **bad)
                self.assertIn(next(iter(bad)), str(caught.exception))
            with self.assertRaises(TypeError):  # floats are not read as booleans
                result.discover("relation_overall[RUS,USA]", lambda y: y)
            with self.assertRaises(ValueError):
                result.discover("relation_overall[RUS,USA]", lambda y: (y < cut)[:3])
            with self.assertRaises(TypeError):
                result.discover("relation_overall[RUS,USA]", f"< {cut!r}", statistic=5)

    def test_a_damaged_or_cut_sweep_file_raises_output_error_naming_it(self):
        # h5py's bare KeyError ("incorrect metadata checksum") came through open_sweep.
        with tempfile.TemporaryDirectory() as tmp:
            result = interdep.sweep(SOURCE / "tests" / "data" / "sweeps" / "small-lhs.toml",
                                    Path(tmp) / "l.h5", threads=2)
            data = bytearray(result.path.read_bytes())
            damaged = bytearray(data)
            for i in range(2000, len(damaged), 997):
                damaged[i] ^= 0xFF
            (Path(tmp) / "damaged.h5").write_bytes(damaged)
            (Path(tmp) / "cut.h5").write_bytes(data[:len(data) // 2])
            for name in ("damaged.h5", "cut.h5"):
                for call in (interdep.open_sweep, interdep.sweep_table,
                             lambda p: interdep.discover(p, "relation_overall[RUS,USA]", "> 0")):
                    with self.assertRaises(interdep.OutputError, msg=name) as caught:
                        call(Path(tmp) / name)
                    self.assertIn(name, str(caught.exception))
            with self.assertRaises(interdep.OutputError) as caught:
                interdep.open_sweep(Path(tmp) / "cut.h5")
            self.assertIn("cut short", str(caught.exception))

    def test_a_sweep_file_with_damaged_values_is_refused_as_export_refuses_it(self):
        # h5py read them as values: a NaN seed, a status of 300, a policy index of -1 (which
        # picked the last policy).
        import h5py
        with tempfile.TemporaryDirectory() as tmp:
            spec = Path(tmp) / "p.toml"
            spec.write_text(
                f'name = "p"\nscenario = "{SOURCE / "scenarios" / "baseline.toml"}"\nseed = 3\n'
                '[design]\nkind = "lhs"\nsamples = 2\n'
                '[parameters."actors.PAK.risk"]\ndistribution = "uniform"\nmin = -0.9\nmax = 0.5\n'
                '[policies."as is"]\n[policies."elastic"]\n'
                '"model.flows.trade_cost_elasticity" = 2.5\n'
                '[record]\noutputs = ["relation_overall[PAK,RUS]"]\n')
            result = interdep.sweep(spec, Path(tmp) / "p.h5", threads=1)
            self.assertEqual(len(interdep.sweep_table(result.path)), 4)
            for what in ("seed", "status", "policy"):
                copy = Path(tmp) / f"{what}.h5"
                copy.write_bytes(result.path.read_bytes())
                with h5py.File(copy, "r+") as f:
                    if what == "seed":
                        n = len(f["design/seed"])
                        del f["design/seed"]
                        f["design/seed"] = np.full(n, np.nan)
                    elif what == "status":
                        n = len(f["status"])
                        del f["status"]
                        f["status"] = np.full(n, 300, dtype=np.int64)
                    else:
                        f["design/policy"][0] = -1
                for call in (interdep.open_sweep, interdep.sweep_table):
                    with self.assertRaises(interdep.OutputError, msg=what) as caught:
                        call(copy)
                    self.assertIn(copy.name, str(caught.exception))
                    self.assertIn("damaged", str(caught.exception))

    def test_nan_means_what_it_means_on_the_command_line(self):
        # "== nan" is an onset that never came; with a number, a run without a value is no
        # case. Python compared with NaN: "== nan" found no run and "!= 3" every NaN.
        values = np.array([1.0, np.nan, 3.0, np.nan])
        np.testing.assert_array_equal(interdep._condition("== nan")(values),
                                      [False, True, False, True])
        np.testing.assert_array_equal(interdep._condition("!= nan")(values),
                                      [True, False, True, False])
        np.testing.assert_array_equal(interdep._condition("!= 3")(values),
                                      [True, False, False, False])
        for refused in ("< nan", "== inf"):
            with self.assertRaises(ValueError):
                interdep._condition(refused)


class ModelTest(unittest.TestCase):
    def test_model_gives_what_single_runs_give(self):
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.PAK.risk": (-1.0, 0.5),
                                           "model.decide.pressure": (0.5, 8.0)},
                               outputs=["relation_overall[PAK,RUS]", "trade[RUS,PAK]"],
                               seed=11, threads=2)
        X = model.sample("lhs", 4)
        self.assertEqual(list(X.columns), ["actors.PAK.risk", "model.decide.pressure"])
        table = model.evaluate(X)
        Y = model(X)
        self.assertEqual(Y.shape, (4, 2))
        # Common random numbers: every row ran with the same seed.
        self.assertEqual(len(set(table["seed"])), 1)
        seed = int(table["seed"][0])
        for row in range(2):
            ds = interdep.run(SOURCE / "scenarios" / "baseline.toml", seed=seed,
                              set={"actors.PAK.risk": float(X.iloc[row, 0]),
                                   "model.decide.pressure": float(X.iloc[row, 1])})
            final = ds.isel(time=-1)
            self.assertEqual(Y[row, 0], float(final.relation_overall.sel(actor="PAK",
                                                                         partner="RUS")))
            self.assertEqual(Y[row, 1], float(final.trade.sel(actor="RUS", partner="PAK")))
        out = model.ema(**{"actors.PAK.risk": float(X.iloc[0, 0]),
                           "model.decide.pressure": float(X.iloc[0, 1])})
        self.assertEqual(out["relation_overall[PAK,RUS]"], Y[0, 0])
        self.assertEqual(model.problem["bounds"], [[-1.0, 0.5], [0.5, 8.0]])
        with self.assertRaises(TypeError):
            model.ema(**{"actors.PAK.risk": 0.0})
        with self.assertRaises(interdep.ScenarioError) as caught:
            interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                           parameters={"actors.PAK.risk": (-1.0, 0.5)},
                           outputs=["trade[RUS,XXX]"])
        self.assertEqual(caught.exception.file, "<interdep.Model>")
        self.assertIn("trade[RUS,XXX]", str(caught.exception))

    def test_model_x_runs_the_policy_it_names(self):
        # model(X) and ema() ran without the policies a sweep() of the same Model ran under.
        scenario = SOURCE / "scenarios" / "baseline.toml"
        model = interdep.Model(scenario, parameters={"actors.PAK.risk": (-1.0, 0.5)},
                               outputs=["relation_overall[PAK,RUS]"], threads=2,
                               policies={"calm": {}, "hard": {"model.decide.pressure": 8.0}})
        X = [[0.0], [0.2]]
        with self.assertRaises(ValueError) as caught:
            model(X)
        self.assertIn("'calm', 'hard'", str(caught.exception))
        with self.assertRaises(ValueError):
            model(X, policy="soft")
        calm, hard = model(X, policy="calm"), model(X, policy="hard")
        seed = int(model.evaluate(X, policy="hard")["seed"][0])
        for row, risk in enumerate((0.0, 0.2)):
            for policy, y, pressure in (("calm", calm, None), ("hard", hard, 8.0)):
                overrides = {"actors.PAK.risk": risk}
                if pressure is not None:
                    overrides["model.decide.pressure"] = pressure
                final = interdep.run(scenario, seed=seed, set=overrides).isel(time=-1)
                self.assertEqual(y[row], float(final.relation_overall.sel(actor="PAK",
                                                                          partner="RUS")),
                                 f"{policy}, row {row}")
        self.assertNotEqual(calm[0], hard[0])
        self.assertEqual(model.ema(policy="hard", **{"actors.PAK.risk": 0.2})
                         ["relation_overall[PAK,RUS]"], hard[1])
        # A lever the scenario does not have is refused, not ignored.
        with self.assertRaises(interdep.ScenarioError):
            interdep.Model(scenario, parameters={"actors.PAK.risk": (-1.0, 0.5)},
                           outputs=["relation_overall[PAK,RUS]"],
                           policies={"a": {"actors.PAK.rsk": 1.0}})
        plain = interdep.Model(scenario, parameters={"actors.PAK.risk": (-1.0, 0.5)},
                               outputs=["relation_overall[PAK,RUS]"])
        with self.assertRaises(ValueError):
            plain(X, policy="calm")
        import pandas as pd
        with self.assertRaises(ValueError) as caught:
            plain(pd.DataFrame({"actors.PAK.rsk": [0.1]}))
        self.assertIn("actors.PAK.risk", str(caught.exception))

    def test_a_refused_row_gives_nan_wherever_it_is(self):
        # The sweep loader checks a design's first row before any run: refused there, it still
        # gives NaN (with a warning quoting the refusal), and the other rows keep their run
        # numbers, so their per-run seeds and values do not move.
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.PAK.risk": (-1.0, 0.5),
                                           "model.decide.pressure": (0.5, 8.0)},
                               outputs=["relation_overall[PAK,RUS]"], seeds="per_run",
                               threads=2)
        good = [[0.0, 1.0], [-0.5, 1.0], [0.2, 2.0]]
        expected = model(good)
        self.assertTrue(np.all(np.isfinite(expected)))
        for refused in ([[2.0, 1.0]] + good[1:], [good[0], [2.0, 1.0], good[2]],
                        [[2.0, 1.0], [3.0, 1.0], good[2]]):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                Y = model(refused)
            bad = [row[0] > 1.0 for row in refused]
            for row, is_bad in enumerate(bad):
                if is_bad:
                    self.assertTrue(np.isnan(Y[row]))
                else:
                    self.assertEqual(Y[row], expected[row])
            self.assertEqual(len(caught), 1 if bad[0] else 0)
            if bad[0]:
                self.assertIn("expected a number in [-1, 1], got 2", str(caught[0].message))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = model.ema(**{"actors.PAK.risk": 2.0, "model.decide.pressure": 1.0})
        self.assertTrue(math.isnan(out["relation_overall[PAK,RUS]"]))

    def test_a_value_a_key_cannot_take_gives_nan_in_any_row(self):
        # A fraction for a key of whole numbers is refused by the loader before any run, at its
        # row of the design table: the whole batch was refused, naming a deleted file.
        model = interdep.Model(SOURCE / "scenarios" / "brics.toml",
                               parameters={"institutions.BRICS.summit_month": (1, 12)},
                               outputs=["membership[PAK,BRICS]"], threads=1)
        expected = model([[6.0], [7.0]])
        for rows, bad in (([[6.0], [6.5], [7.0]], 1), ([[6.5], [6.0], [7.0]], 0)):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                Y = model(rows)
            self.assertTrue(np.isnan(Y[bad]))
            self.assertEqual([y for k, y in enumerate(Y) if k != bad], list(expected))
            self.assertEqual(len(caught), 1)
            self.assertIn(f"row {bad} gives NaN", str(caught[0].message))
            self.assertIn("expected an integer", str(caught[0].message))
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            self.assertTrue(np.all(np.isnan(model([[6.5], [6.7]]))))

    def test_a_key_that_names_nothing_is_refused_when_the_model_is_made(self):
        # With or without a range, as a discrete parameter too: a list of keys gave NaN with a
        # RuntimeWarning at each call ("the scenario has no actor 'PAX'") and raised only for an
        # unknown last part; a range was refused as if its values were wrong ("tried at 1.5, 1,
        # 2 of its range").
        scenario = SOURCE / "scenarios" / "pipeline.toml"
        label = 'events."Rusia offers Pakistan LNG cargoes at a discount to Qatar".capacity'
        for key, words in (
                ("actors.PAX.risk", "key 'actors.PAX': the scenario has no actor 'PAX' (did you "
                                    "mean 'PAK'?)"),
                ("events.99.capacity", "key 'events.99': index 99 is out of range"),
                (label, 'at a discount to Qatar"\': expected an index or the label of an element; '
                        'no element is labelled "Rusia offers Pakistan LNG cargoes'),
                ("institutions.BRICX.summit_month", "the scenario has no institution 'BRICX'"),
                ("actors.PAK.risk.low", "cannot be set inside it"),
                ("actors.PAK.rsik", "unknown key (did you mean 'risk'?)"),
                ("model.decidee.pressure", "key 'model.decidee': unknown key")):
            for parameters in ([key], {key: (1.0, 2.0)},
                               {key: {"distribution": "discrete", "values": [1, 2]}}):
                with self.assertRaises(interdep.ScenarioError, msg=str(parameters)) as caught:
                    interdep.Model(scenario, parameters=parameters,
                                   outputs=["relation_overall[PAK,RUS]"], threads=1)
                self.assert_names_argument(caught, "parameters", key, words)
                self.assertIn(f"{key!r}: the scenario has nothing at this key: key '",
                              str(caught.exception))
                self.assertNotIn("tried at", str(caught.exception))
        # A key the scenario reads and does not write (its default), and one whose value the
        # probe is not (a string): each names something; model(X) gives them their values.
        interdep.Model(scenario, parameters=["model.decide.pressure", "institutions.BRICS.rule"],
                       outputs=["relation_overall[PAK,RUS]"], threads=1)

    def assert_names_argument(self, caught, argument, value, words):
        """A Model's error names the argument and the value the engine refused, in the engine's
        words, and nothing of the files the module wrote (gone when the user reads it)."""
        error = caught.exception
        self.assertEqual((error.argument, error.key, error.value), (argument, argument, value))
        self.assertEqual(error.file, "<interdep.Model>")
        self.assertIn(f"{argument} {value!r}: ", str(error))
        self.assertIn(words, str(error))
        for written in ("interdep-model-", "design.csv", "model.toml", "line ", "record.",
                        "<sweep dict>"):
            self.assertNotIn(written, str(error))

    def test_arguments_the_engine_refuses_are_named_when_the_model_is_made(self):
        # They were found at the first call, which cited lines of the sweep file the module had
        # written (<interdep.Model>:11:12 ... line 11: outputs = [...]).
        scenario = SOURCE / "scenarios" / "pipeline.toml"
        risk = {"actors.PAK.risk": (-1.0, 0.5)}
        output = "relation_overall[PAK,RUS]"
        for arguments, argument, value, words in (
                (dict(parameters={"actors.PAK.rsik": (0, 1)}), "parameters", "actors.PAK.rsik",
                 "unknown key (did you mean 'risk'?)"),
                (dict(parameters={"actors.PAK.risk": (-1, 0), "model.decide.presure": (1, 2)}),
                 "parameters", "model.decide.presure", "did you mean 'pressure'?"),
                # Refused at every value of its range tried: its middle and its ends.
                (dict(parameters={"actors.PAK.risk": (2, 3)}), "parameters",
                 {"actors.PAK.risk": (2, 3)}, "expected a number in [-1, 1], got 2.5"),
                (dict(parameters={"time.years": (1, 3)}), "parameters", "time.years",
                 "cannot vary within a sweep"),
                (dict(outputs=[output, "relation_overall[PAK,RUX]"]), "outputs",
                 "relation_overall[PAK,RUX]", "(did you mean 'RUS'?)"),
                (dict(outputs=["relation_overal[PAK,RUS]"]), "outputs", "relation_overal[PAK,RUS]",
                 "unknown dataset 'relation_overal' (did you mean 'relation_overall'?)"),
                (dict(statistic="fnal"), "statistic", "fnal", "(did you mean 'final'?)"),
                (dict(seeds="common_"), "seeds", "common_", "(did you mean 'common'?)"),
                (dict(policies={"calm": {}, "hard": {"actors.PAK.rsk": 1.0}}), "policies",
                 {"hard": {"actors.PAK.rsk": 1.0}}, "unknown key (did you mean 'risk'?)"),
                (dict(policies={"hard": {"actors.PAK.risk": 1.0}}), "policies",
                 {"hard": {"actors.PAK.risk": 1.0}}, "is also a parameter")):
            arguments = {"parameters": risk, "outputs": [output], **arguments}
            with self.assertRaises(interdep.ScenarioError, msg=str(arguments)) as caught:
                interdep.Model(scenario, threads=1, **arguments)
            self.assert_names_argument(caught, argument, value, words)
        # A key of whole numbers refuses the middle of its range (6.5) but not its ends.
        interdep.Model(SOURCE / "scenarios" / "brics.toml",
                       parameters={"institutions.BRICS.summit_month": (1, 12)},
                       outputs=["membership[PAK,BRICS]"])

    def test_keys_without_ranges_still_have_the_other_arguments_checked(self):
        # Hunt AL: with no parameter ranged nothing was loaded when the Model was made, so an
        # output, statistic, seeds or policy the engine refuses passed until the first call.
        # The row sets a key to the number the scenario writes there (actors.PAK.risk), or
        # tries a key at its default (model.decide.pressure) at 1.
        scenario = SOURCE / "scenarios" / "pipeline.toml"
        output = "relation_overall[PAK,RUS]"
        for keys in (["actors.PAK.risk"], ["model.decide.pressure"],
                     {"actors.PAK.risk": {"distribution": "discrete", "values": [0.1, 0.2]}}):
            for arguments, argument, value, words in (
                    (dict(outputs=["relation_overall[PAK,RUX]"]), "outputs",
                     "relation_overall[PAK,RUX]", "(did you mean 'RUS'?)"),
                    (dict(statistic="fnal"), "statistic", "fnal", "(did you mean 'final'?)"),
                    (dict(seeds="common_"), "seeds", "common_", "(did you mean 'common'?)"),
                    (dict(policies={"hard": {"actors.PAK.rsk": 1.0}}), "policies",
                     {"hard": {"actors.PAK.rsk": 1.0}}, "unknown key (did you mean 'risk'?)")):
                arguments = {"parameters": keys, "outputs": [output], **arguments}
                with self.assertRaises(interdep.ScenarioError, msg=str(arguments)) as caught:
                    interdep.Model(scenario, threads=1, **arguments)
                self.assert_names_argument(caught, argument, value, words)
            interdep.Model(scenario, parameters=keys, outputs=[output], threads=1)
        # A key naming a table or an array: no one value can be it (it passed, and every row
        # gave NaN).
        for key, words in (("actors.PAK", "the key names a table of the scenario, not one "
                                          "value: a parameter is the key of one value inside it, "
                                          "such as 'actors.PAK.<key>'"),
                           ("model.decide", "names a table"),
                           ("events", "names an array of the scenario, not one value")):
            for parameters in ([key], {key: (0.0, 1.0)}):
                with self.assertRaises(interdep.ScenarioError, msg=str(parameters)) as caught:
                    interdep.Model(scenario, parameters=parameters, outputs=[output], threads=1)
                self.assert_names_argument(caught, "parameters", key, words)

    def test_sweep_names_its_arguments(self):
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.PAK.risk": (0.0, 2.0)},
                               outputs=["gdp[PAK]"], threads=1)
        for arguments, argument, value, words in (
                # A sweep file's csv design, which the engine refused at the file's line 7
                # ("key 'design.file': is required"), offering csv among the kinds.
                (dict(kind="csv", samples=4), "kind", "csv", "expected one of 'saltelli', "
                 "'morris', 'lhs', 'grid' (rows of your own: model(X)"),
                (dict(kind="bogus"), "kind", "bogus",
                 "expected one of 'saltelli', 'morris', 'lhs', 'grid'"),
                (dict(kind="morris", levels=3), "levels", 3, "an even number of levels"),
                # The engine tries a sweep's ranges at their ends.
                (dict(kind="lhs", samples=4), "parameters", {"actors.PAK.risk": (0.0, 2.0)},
                 "rejects this parameter at value 2")):
            with self.assertRaises(interdep.ScenarioError, msg=str(arguments)) as caught:
                model.sweep(**arguments)
            self.assert_names_argument(caught, argument, value, words)
            if argument == "kind":  # not offered among the kinds
                self.assertNotIn("csv", str(caught.exception).split("expected")[1])
        # A key of whole numbers given a range: the sweep's design has fractions. Named as the
        # one parameter, with the way out in Python's terms (it was the whole parameters dict
        # and a sweep file's TOML: distribution = "discrete", values = [1, 2, 3]).
        month = {"institutions.BRICS.summit_month": (1, 12)}
        model = interdep.Model(SOURCE / "scenarios" / "brics.toml",
                               parameters={"actors.PAK.risk": (0.0, 0.5), **month},
                               outputs=["gdp[PAK]"], threads=1)
        with self.assertRaises(interdep.ScenarioError) as caught:
            model.sweep("morris", 2)
        self.assert_names_argument(caught, "parameters", month, "a key that takes whole numbers "
                                   "is swept as a list of them: {'distribution': 'discrete', "
                                   "'values': [1, 2, 3]}")
        self.assertNotIn('distribution = "discrete"', str(caught.exception))

    def test_a_discrete_parameters_values_are_tried_when_the_model_is_made(self):
        # They had "no value to be tried at": a value the scenario refuses was found by sweep().
        rule = "institutions.BRICS.rule"
        scenario = SOURCE / "scenarios" / "brics.toml"
        interdep.Model(scenario, parameters={rule: {"distribution": "discrete",
                                                    "values": ["consensus", "majority"]}},
                       outputs=["gdp[PAK]"], threads=1)
        bad = {rule: {"distribution": "discrete", "values": ["consensus", "consensuss"]}}
        with self.assertRaises(interdep.ScenarioError) as caught:
            interdep.Model(scenario, parameters=bad, outputs=["gdp[PAK]"], threads=1)
        self.assert_names_argument(caught, "parameters", bad,
                                   "the scenario refuses the value 'consensuss': expected ")
        self.assertNotIn("--set", str(caught.exception))
        self.assertIn("did you mean 'consensus'?", str(caught.exception))

    def test_a_refusal_says_the_model_set_a_value_not_a_sweep(self):
        # The Model writes its own sweep file: a value that makes another key wrong "was set by
        # the Model", in a failed row's message and in row 0's error (it said "by the sweep").
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"energy.RUS.CHN.capacity": (50, 100),
                                           "energy.RUS.CHN.flow": (10, 36)},
                               outputs=["gdp[PAK]"], threads=1)
        table = model.evaluate([[60, 20.0], [30, 35.0]])
        message = table["message"].tolist()[-1]
        self.assertIn("(capacity = 30 was set by the Model)", message)
        with self.assertRaises(interdep.ScenarioError) as caught:
            model.evaluate([[30, 35.0]])
        self.assertIn("was set by the Model", str(caught.exception))
        for said in (message, str(caught.exception)):
            self.assertNotIn("sweep", said)

    def test_a_refused_row_of_x_is_named_as_its_row(self):
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.PAK.risk": (-1.0, 0.5),
                                           "actors.PAK.responsiveness": (0.1, 1.0)},
                               outputs=["gdp[PAK]"], threads=1)
        with self.assertRaises(interdep.ScenarioError) as caught:
            model.evaluate([[0.0, -0.5], [0.0, 0.5]])
        self.assertEqual((caught.exception.row, caught.exception.file), (0, "<interdep.Model X>"))
        # In the Model's words: the column and its value, not a --set the user never typed.
        self.assertIn("row 0 of X: 'actors.PAK.responsiveness' = -0.5: expected a number >= 0",
                      str(caught.exception))
        for written in ("design.csv", "<interdep.Model>", "line "):
            self.assertNotIn(written, str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            model([[0.0, 0.5], [0.1, float("nan")]])
        self.assertIn("row 1, column 1 ('actors.PAK.responsiveness')", str(caught.exception))

    def test_a_key_naming_an_event_by_its_label(self):
        # The design table's header was written with JSON's escapes, which CSV does not read.
        key = 'events."Russia offers Pakistan LNG cargoes at a discount to Qatar".capacity'
        model = interdep.Model(SOURCE / "scenarios" / "pipeline.toml", parameters={key: (1, 8)},
                               outputs=["energy[RUS,PAK]"], threads=1)
        self.assertTrue(np.all(np.isfinite(model([[2.0], [3.0]]))))

    def test_arguments_of_the_wrong_kind_are_refused(self):
        scenario = SOURCE / "scenarios" / "baseline.toml"
        for bad, error in ((dict(seed=7.9), TypeError), (dict(seed=True), TypeError),
                           (dict(threads=1.5), TypeError), (dict(replicates=0), ValueError),
                           (dict(seed=-1), ValueError), (dict(seed=2**64), ValueError)):
            with self.assertRaises(error, msg=str(bad)):
                interdep.Model(scenario, {"actors.PAK.risk": (-1, 0)}, ["gdp[PAK]"], **bad)
        # A seed beyond TOML's signed integers is written as a string, as sweep files take it.
        model = interdep.Model(scenario, {"actors.PAK.risk": (-1, 0)}, ["gdp[PAK]"],
                               seed=2**64 - 1, threads=1)
        self.assertTrue(np.isfinite(model([[-0.5]])[0]))
        with tempfile.TemporaryDirectory() as tmp:
            for missing in (Path(tmp) / "none.h5", Path(tmp)):
                with self.assertRaises(interdep.OutputError):
                    interdep.sweep_table(missing)
            text = Path(tmp) / "text.h5"
            text.write_text("not HDF5")
            with self.assertRaises(interdep.OutputError):
                interdep.open_sweep(text)
            # A sweep dict's name is not a file name: the file stays in its folder.
            result = interdep.sweep({"name": "../../escaped", "scenario": scenario,
                                     "design": {"kind": "lhs", "samples": 3},
                                     "parameters": {"actors.PAK.risk": {"min": -1, "max": 0}},
                                     "record": {"outputs": ["gdp[PAK]"]}}, threads=1)
            self.assertEqual(result.path.parent.parent, Path(tempfile.gettempdir()))

    def test_save_writes_a_links_target_with_the_files_permissions(self):
        # Run.save put a regular file in a symbolic link's place (the command line writes the
        # target), and wrote every file 0600 (mkstemp's), also over a file of other permissions.
        run = interdep.simulate(set={"time.years": 1})
        with tempfile.TemporaryDirectory() as tmp:
            link = Path(tmp) / "link.h5"
            link.symlink_to("target.h5")
            run.save(link)
            self.assertTrue(link.is_symlink())
            self.assertTrue((Path(tmp) / "target.h5").is_file())
            kept = Path(tmp) / "kept.h5"
            kept.write_bytes(b"x")
            kept.chmod(0o640)
            run.save(kept)
            self.assertEqual(kept.stat().st_mode & 0o777, 0o640)
            self.assertEqual(xr.open_dataset(kept, engine="h5netcdf").sizes["time"],
                             run.dataset.sizes["time"])

    def test_save_that_the_system_refuses_raises_output_error_naming_the_path(self):
        # Run.save raised a bare OSError ("[Errno 28] No space left on device", naming no file)
        # on a full disk, and PermissionError naming its temporary file ('/sys/.x.h5.tmp-k7as3w2l')
        # in a folder that refuses files: docs/python.md promises OutputError. A file size limit
        # (ulimit -f) stands in for the full disk: the write fails the same way, EFBIG for ENOSPC.
        import resource
        run = interdep.simulate(set={"time.years": 1})
        with tempfile.TemporaryDirectory() as tmp:
            kept = Path(tmp) / "kept.h5"
            kept.write_bytes(b"the old result")
            limits = resource.getrlimit(resource.RLIMIT_FSIZE)
            xfsz = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, limits[1]))
            try:
                with self.assertRaises(interdep.OutputError) as caught:
                    run.save(kept)
            finally:
                resource.setrlimit(resource.RLIMIT_FSIZE, limits)
                signal.signal(signal.SIGXFSZ, xfsz)
            self.assertEqual(str(caught.exception), f"{kept}: write: File too large (the limit on "
                             "a file's size was reached: see `ulimit -f`)")
            self.assertEqual(caught.exception.errno, errno.EFBIG)
            self.assertEqual(kept.read_bytes(), b"the old result")
            self.assertEqual(os.listdir(tmp), ["kept.h5"])
        # /sys: root may make files there as far as access(2) says, the file system refuses them;
        # to anyone else the folder is refused before anything is written (ValueError).
        if os.geteuid() == 0:
            with self.assertRaises(interdep.OutputError) as caught:
                run.save("/sys/x.h5")
            self.assertEqual(str(caught.exception), "/sys/x.h5: create a temporary file in its "
                             "folder: Permission denied")
        else:
            with self.assertRaises(ValueError) as caught:
                run.save("/sys/x.h5")
            self.assertIn("/sys/x.h5 cannot be written: the folder /sys", str(caught.exception))

    def test_a_shipped_scenario_is_not_looked_for_beside_a_build_tree(self):
        # A module used from BUILD/python/interdep took PREFIX = BUILD's parent's parent's
        # parent: /tmp/share/interdep/scenarios for a build in /tmp/x, a folder anyone writes.
        with self.assertRaises(FileNotFoundError) as caught:
            interdep.scenario_path("no-such-scenario")
        self.assertNotIn("share/interdep", str(caught.exception))

    def test_a_run_refuses_arguments_of_the_wrong_kind(self):
        for bad in (dict(seed=7.9), dict(seed=True), dict(seed="7"), dict(text=b"name = 'x'"),
                    dict(label=5), dict(label=["x"])):
            with self.assertRaises(TypeError, msg=str(bad)) as caught:
                interdep.run(**bad)
            # The argument by its name, not the extension's C++ signatures.
            self.assertIn(next(iter(bad)), str(caught.exception))
            self.assertNotIn("incompatible function arguments", str(caught.exception))
        with self.assertRaises(TypeError):
            interdep.scenario_path(None)

    def test_sample_names_what_it_takes(self):
        with self.assertRaises(TypeError) as caught:
            interdep.sample(["actors.PAK.risk"])
        self.assertIn("parameters", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            interdep.sample({"actors.PAK.risk": (0, 1)}, "sobol")
        self.assertNotIn("'csv'", str(caught.exception).split("(")[0])

    def test_sample_refuses_what_a_sweep_file_refuses(self):
        for parameters, options in (({"a": (1.0, 1.0)}, {}), ({"a": (2.0, 1.0)}, {}),
                                    ({"a": (-1e308, 1e308)}, {}),
                                    ({"a": {"distribution": "normal", "mean": 0, "sd": 0}}, {}),
                                    ({"a": {"distribution": "loguniform", "min": 0, "max": 1}},
                                     {}),
                                    ({"a": (0, 1)}, {"kind": "grid", "levels": 1}),
                                    ({"a": (0, 1)}, {"kind": "morris", "levels": 3}),
                                    ({"a": (0, 1)}, {"seed": -1}),
                                    ({"a": (0, 1), "b": (0, 1)}, {"samples": 10**12}),
                                    ({k: (0, 1) for k in "abcd"},
                                     {"kind": "grid", "samples": 1, "levels": 1000})):
            with self.assertRaises(ValueError, msg=f"{parameters} {options}"):
                interdep.sample(parameters, **options)
        with self.assertRaisesRegex(ValueError, "'sd' is required"):
            interdep.sample({"a": {"distribution": "normal", "mean": 0}})
        with self.assertRaises(TypeError):
            interdep.sample({"a": (0, 1)}, samples=3.7)

    def test_a_parameter_a_sweep_file_refuses_is_refused_by_sample_and_model_at_once(self):
        # A misspelt key gave the uniform design, a normal one's min and max were ignored, and a
        # Model took them all, to fail at a later call without naming the key.
        scenario = SOURCE / "scenarios" / "baseline.toml"
        key = "model.decide.pressure"
        for spec, named in (({"distrib": "loguniform", "min": 0.5, "max": 8.0}, "'distrib'"),
                            ({"distribution": "normal", "mean": 0, "sd": 1, "min": 5, "max": 3},
                             "'min'"),
                            ({"min": 0, "max": 1, "foo": 3}, "'foo'"),
                            ({"distribution": "logarithmic", "min": 1, "max": 2},
                             "'logarithmic'"),
                            ({"distribution": "discrete", "values": [1, 2], "min": 0}, "'min'"),
                            ({"distribution": "discrete", "values": [1, 1]}, "twice"),
                            ({"distribution": "discrete", "values": []}, "non-empty"),
                            ((0, 1, 2), "(min, max)"), ("0,1", "(min, max)")):
            with self.subTest(spec=spec):
                with self.assertRaises(interdep.ScenarioError):  # the sweep file's refusal
                    interdep.sweep({"scenario": scenario, "design": {"kind": "lhs",
                                                                     "samples": 2},
                                    "parameters": {key: spec},
                                    "record": {"outputs": ["gdp[PAK]"]}}, threads=1)
                if not (isinstance(spec, dict) and spec.get("distribution") == "discrete"):
                    with self.assertRaises((ValueError, TypeError)) as caught:
                        interdep.sample({key: spec}, "lhs", 5)
                    self.assertIn(f"parameter '{key}'", str(caught.exception))
                    self.assertIn(named, str(caught.exception))
                with self.assertRaises((interdep.ScenarioError, TypeError)) as caught:
                    interdep.Model(scenario, parameters={key: spec}, outputs=["gdp[PAK]"])
                self.assertIn(key, str(caught.exception))
                self.assertIn(named, str(caught.exception))
                if isinstance(caught.exception, interdep.ScenarioError):
                    self.assertEqual(caught.exception.argument, "parameters")
        # Wrong kinds of argument, named.
        for bad, named in ((dict(parameters=None), "parameters"),
                           (dict(parameters={5: (0, 1)}), "parameters"),
                           (dict(statistic=None), "statistic"), (dict(seeds=1), "seeds"),
                           (dict(outputs=None), "outputs"), (dict(outputs=[3]), "outputs")):
            arguments = {"parameters": {key: (0.5, 8)}, "outputs": ["gdp[PAK]"], **bad}
            with self.subTest(bad=bad), self.assertRaises(TypeError) as caught:
                interdep.Model(scenario, **arguments)
            self.assertIn(named, str(caught.exception))

    def test_problem_of_dict_parameters(self):
        # A uniform dict was refused ("no (min, max) range ...: give parameters as a dict").
        scenario = SOURCE / "scenarios" / "baseline.toml"
        model = interdep.Model(scenario, parameters={
            "model.decide.pressure": {"distribution": "uniform", "min": 0.5, "max": 8},
            "actors.PAK.risk": (-1, 0.5)}, outputs=["gdp[PAK]"])
        self.assertEqual(model.problem, {"num_vars": 2, "bounds": [[0.5, 8.0], [-1.0, 0.5]],
                                         "names": ["model.decide.pressure", "actors.PAK.risk"]})
        normal = interdep.Model(scenario, parameters={
            "model.decide.pressure": {"distribution": "normal", "mean": 4, "sd": 1},
            "actors.PAK.risk": (-1, 0.5)}, outputs=["gdp[PAK]"])
        self.assertEqual(normal.problem["dists"], ["norm", "unif"])
        self.assertEqual(normal.problem["bounds"], [[4.0, 1.0], [-1.0, 0.5]])
        for parameters, named in (
                ({"model.decide.pressure": {"distribution": "loguniform", "min": 0.5,
                                            "max": 8}}, "loguniform"),
                (["model.decide.pressure"], "no range")):
            with self.assertRaisesRegex(ValueError, named):
                interdep.Model(scenario, parameters=parameters, outputs=["gdp[PAK]"]).problem

    def test_rows_of_x_that_cannot_be_run_are_refused_naming_the_parameter(self):
        # A discrete parameter of text values, and a string in X, raised numpy's "could not
        # convert string to float: 'majority'", naming no parameter; indices ran as values.
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "sb.toml").write_text(
                f'name = "sb"\nbase = "{SOURCE / "scenarios" / "brics.toml"}"\n'
                "[time]\nyears = 2\n")
            model = interdep.Model(Path(tmp) / "sb.toml", parameters={
                "institutions.BRICS.rule": {"distribution": "discrete",
                                            "values": ["consensus", "majority"]},
                "relations.IND.PAK.security": (-0.8, 0.8)},
                outputs=["membership[PAK,BRICS]"], threads=1)
            for call in (lambda: model(np.array([[0, 0.5], [1, 0.5]])),
                         lambda: model(pd.DataFrame({"institutions.BRICS.rule": ["majority"],
                                                     "relations.IND.PAK.security": [0.5]})),
                         lambda: model.ema(**{"institutions.BRICS.rule": "majority",
                                              "relations.IND.PAK.security": 0.5})):
                with self.assertRaisesRegex(ValueError, "'institutions.BRICS.rule' takes the "
                                            "values .*model.sweep"):
                    call()
        model = interdep.Model(SOURCE / "scenarios" / "baseline.toml",
                               parameters={"actors.PAK.risk": (-1, 0.5),
                                           "model.decide.pressure": (0.5, 8)},
                               outputs=["gdp[PAK]"], threads=1)
        with self.assertRaisesRegex(ValueError, r"row 1, column 1 \('model.decide.pressure'\): "
                                    "expected a number, got 'x'"):
            model([[0, 1], [0, "x"]])

    def test_no_message_names_the_modules_temporary_files(self):
        # "(first at /tmp/interdep-model-_r9gpay3/model.toml:12)": a file gone when read.
        scenario = SOURCE / "scenarios" / "baseline.toml"
        calls = [
            lambda: interdep.Model(scenario, parameters={"model.decide.pressure": (0.5, 8)},
                                   outputs=["relation_overall[PAK,RUS]",
                                            "relation_overall[PAK, RUS]"]),
            lambda: interdep.sweep({"scenario": scenario, "design": {"kind": "lhs",
                                                                     "samples": 2},
                                    "parameters": {"actors.PAK.risk": {"min": 0, "max": 1}},
                                    "record": {"outputs": ["relation_overall[PAK,RUS]"] * 2}}),
        ]
        policies = interdep.sweep({"scenario": scenario, "design": {"kind": "lhs", "samples": 2},
                                   "parameters": {"actors.PAK.risk": {"min": 0, "max": 1}},
                                   "policies": {"a": {}, "b": {"model.decide.pressure": 2.0}},
                                   "record": {"outputs": ["gdp[PAK]"]}}, threads=1)
        calls.append(lambda: interdep.analyze(policies, "gdp[PAK]", resamples=10))
        for call in calls:
            with self.assertRaises(ValueError) as caught:
                call()
            for text in (str(caught.exception), str(getattr(caught.exception, "message", ""))):
                self.assertNotIn("interdep-model-", text)
                self.assertNotIn("interdep-sweep-", text)
        # A shard's advice is Python's, not the command line's.
        with tempfile.TemporaryDirectory() as tmp:
            _, output = _sweep_stopped_after_first_shard(self, Path(tmp), 3000, 1)
            parts = Path(str(output) + ".parts")
            shard = sorted(parts.glob("shard-*.h5"))[0]
            with self.assertRaises(interdep.OutputError) as caught:
                interdep.open_sweep(shard)
            self.assertIn(f"interdep.sweep(SWEEP, '{output}', resume=True) runs the rest",
                          str(caught.exception))
            self.assertNotIn("--resume", str(caught.exception))

    def test_a_refused_call_leaves_no_temporary_folder(self):
        # interdep.sweep made its folder before checking its arguments: one more empty
        # /tmp/interdep-sweep-* a refusal.
        scenario = SOURCE / "scenarios" / "baseline.toml"
        inline = {"scenario": scenario, "design": {"kind": "lhs", "samples": 2},
                  "parameters": {"actors.PAK.risk": {"min": 0, "max": 1}},
                  "record": {"outputs": ["gdp[PAK]"]}}
        with tempfile.TemporaryDirectory() as tmp:
            saved, tempfile.tempdir = tempfile.tempdir, tmp
            try:
                for call in (lambda: interdep.sweep("x.toml", threads=-1),
                             lambda: interdep.sweep("x.toml", threads="2"),
                             lambda: interdep.sweep("x.toml", resume="no"),
                             lambda: interdep.sweep(5),
                             lambda: interdep.sweep({"scenario": scenario, "seed": None}),
                             lambda: interdep.sweep(inline, output=5),
                             lambda: interdep.sweep({**inline, "design": {"kind": "x"}}),
                             lambda: interdep.sweep(Path(tmp) / "missing.toml"),
                             lambda: interdep.Model(scenario, {"actors.PAK.risk": (0, 1)},
                                                    ["gdp[XXX]"])):
                    with self.assertRaises(Exception):
                        call()
                    self.assertEqual(os.listdir(tmp), [])
            finally:
                tempfile.tempdir = saved

    def test_sample_in_alphabetical_order_is_the_sweep_files_design(self):
        ranges = {"actors.PAK.risk": (-1.0, 0.5), "model.decide.pressure": (0.5, 8.0)}
        for kind in ("lhs", "saltelli"):
            design = interdep.sample(ranges, kind, 4, seed=42)
            result = interdep.sweep({
                "scenario": SOURCE / "scenarios" / "baseline.toml", "seed": 42,
                "design": {"kind": kind, "samples": 4},
                "parameters": {k: {"min": lo, "max": hi} for k, (lo, hi) in ranges.items()},
                "record": {"mode": "summary", "outputs": ["trade[RUS,PAK]"]}}, threads=2)
            np.testing.assert_array_equal(result.table[list(ranges)].to_numpy(),
                                          design.to_numpy())

    def test_designs(self):
        parameters = {"a": (0.0, 1.0), "b": {"distribution": "loguniform", "min": 1, "max": 100}}
        saltelli = interdep.sample(parameters, "saltelli", 16)
        self.assertEqual(len(saltelli), 16 * (2 + 2))
        self.assertEqual(saltelli.attrs["base_samples"], 16)
        lhs = interdep.sample(parameters, "lhs", 50, seed=4)
        # One point in each of the 50 strata of every parameter.
        strata = np.floor(lhs["a"].to_numpy() * 50).astype(int)
        self.assertEqual(sorted(strata), list(range(50)))
        self.assertTrue(((lhs["b"] >= 1) & (lhs["b"] <= 100)).all())
        pd.testing.assert_frame_equal(lhs, interdep.sample(parameters, "lhs", 50, seed=4))
        with self.assertRaises(ValueError):
            interdep.sample(parameters, "sobolish", 4)
        # A normal parameter on grid levels takes its strata centres' quantiles, as a sweep's
        # runs do, not the infinite (clamped) ends: Phi^-1(1/6), 0, Phi^-1(5/6).
        from statistics import NormalDist
        grid = interdep.sample({"n": {"distribution": "normal", "mean": 0, "sd": 1}}, "grid",
                               levels=3)
        expected = [NormalDist().inv_cdf(p) for p in (1 / 6, 0.5, 5 / 6)]
        np.testing.assert_allclose(grid["n"].to_numpy(), expected, rtol=1e-12, atol=1e-12)


if __name__ == "__main__":
    unittest.main()
