#!/usr/bin/python3
"""Check that an interdep result file opens as netCDF-4 with named dimensions.

Usage: /usr/bin/python3 tools/check_netcdf.py FILE.h5 [--actors CHN,IND,...] [--quiet]

Opens FILE with h5py (lists every dataset with its shape, type and dimension names) and with
xarray's h5netcdf engine (root group and the groups "events" and "admissions"), and checks the
layout of docs/output-format.md. Prints a short summary and exits 0 when every check passes,
1 with one line per failed check otherwise, 2 when the file cannot be opened at all.
"""

import argparse
import sys

EXPECTED_DIMS = ("time", "actor", "partner", "domain", "institution", "term")
EXPECTED_VARIABLES = {
    "step": ("time",),
    "actor_name": ("actor",),
    "gdp": ("time", "actor"),
    "relations": ("time", "actor", "partner", "domain"),
    "relation_overall": ("time", "actor", "partner"),
    "trade": ("time", "actor", "partner"),
    "energy": ("time", "actor", "partner"),
    "sensitivity": ("time", "actor", "partner"),
    "vulnerability": ("time", "actor", "partner"),
    "leverage": ("time", "actor", "partner"),
    "membership": ("time", "actor", "institution"),
}
OPTIONAL_VARIABLES = {
    "contributions": ("time", "actor", "partner", "domain", "term"),
    "domain_label": ("domain",),
    "institution_label": ("institution",),
}
EVENT_VARIABLES = ("time", "step", "kind", "label", "actor", "target", "goldstein", "cameo",
                   "event_index")
# docs/output-format.md, "Group /events".
EVENT_KINDS = {"impulse", "sanction", "lift_sanction", "energy_link", "apply", "corridor",
               "finance", "programme", "import_capacity", "join", "leave", "trade_cost"}
# Kinds whose actor and target may be a member of an institution that is not an actor
# (`member = CODE`), named by its code.
MEMBER_KINDS = {"join", "leave"}
ADMISSION_VARIABLES = ("time", "step", "institution", "applicant", "votes_for", "votes_against",
                       "probability", "admitted")
ROOT_ATTRIBUTES = ("conventions", "engine_version", "model", "seed", "created", "command_line",
                   "scenario_name", "scenario_description", "scenario_file", "scenario_text",
                   "start", "dt", "steps", "steps_per_year", "goldstein_table")


def text(value):
    """A string from h5py/xarray, whether it came back as bytes or str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


class Checker:
    def __init__(self):
        self.failures = []

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition


def list_with_h5py(path, quiet):
    """Prints every dataset; returns the actor codes stored in /actor."""
    import h5py

    with h5py.File(path, "r") as f:
        rows = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                dims = [d[0].name.rsplit("/", 1)[-1] if len(d) else "?" for d in obj.dims]
                if obj.attrs.get("CLASS") == b"DIMENSION_SCALE":
                    dims = [name.rsplit("/", 1)[-1] + " (dimension)"]
                rows.append((name, obj.shape, obj.dtype, ", ".join(dims)))

        f.visititems(visit)
        if not quiet:
            print("h5py: %d datasets" % len(rows))
            for name, shape, dtype, dims in rows:
                print("  /%-26s %-22s %-8s [%s]" % (name, shape, dtype, dims))
        return [text(c) for c in f["actor"][()]] if "actor" in f else None


def check_root(ds, codes, expected_actors, c):
    c.check(text(ds.attrs.get("conventions", "")) == "interdep-1",
            "root attribute conventions is %r, expected 'interdep-1'"
            % ds.attrs.get("conventions"))
    for name in ROOT_ATTRIBUTES:
        c.check(name in ds.attrs, "root attribute %s is missing" % name)
    for dim in EXPECTED_DIMS:
        c.check(dim in ds.dims, "dimension %s is missing (dims: %s)" % (dim, dict(ds.sizes)))
        c.check(dim in ds.coords, "coordinate %s is missing" % dim)
    if "actor" in ds.coords:
        actors = [text(a) for a in ds["actor"].values]
        if codes is not None:
            c.check(actors == codes, "actor coordinate %s differs from /actor %s" % (actors, codes))
        if expected_actors is not None:
            c.check(actors == expected_actors,
                    "actor coordinate %s differs from --actors %s" % (actors, expected_actors))
        if "partner" in ds.coords:
            partners = [text(a) for a in ds["partner"].values]
            c.check(partners == actors, "partner coordinate %s differs from actor" % partners)
    for name, dims in EXPECTED_VARIABLES.items():
        if c.check(name in ds.variables, "variable %s is missing" % name):
            c.check(ds[name].dims == dims,
                    "variable %s has dims %s, expected %s" % (name, ds[name].dims, dims))
    for name, dims in OPTIONAL_VARIABLES.items():
        if name in ds.variables:
            c.check(ds[name].dims == dims,
                    "variable %s has dims %s, expected %s" % (name, ds[name].dims, dims))
    for name, var in ds.variables.items():
        for attr in ("units", "long_name"):
            c.check(attr in var.attrs, "variable %s has no %s attribute" % (name, attr))


def check_group(path, group, dim, variables, c):
    import xarray as xr

    try:
        g = xr.open_dataset(path, engine="h5netcdf", group=group)
    except Exception as e:  # noqa: BLE001 - report whatever xarray raises
        c.check(False, "group %s does not open: %s" % (group, e))
        return None
    with g:
        g.load()
    c.check(tuple(g.dims) == (dim,), "group %s has dims %s, expected (%s,)"
            % (group, tuple(g.dims), dim))
    for name in variables:
        if c.check(name in g.variables, "%s/%s is missing" % (group, name)):
            c.check(g[name].dims == (dim,), "%s/%s has dims %s, expected (%s,)"
                    % (group, name, g[name].dims, dim))
    return g


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--actors", help="expected actor codes, comma-separated, in order")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    expected_actors = args.actors.split(",") if args.actors else None

    try:
        import h5py  # noqa: F401
        import xarray as xr
    except ImportError as e:
        print("check_netcdf: %s (run with /usr/bin/python3; Debian packages python3-h5py, "
              "python3-xarray, python3-h5netcdf)" % e, file=sys.stderr)
        return 2

    # A sweep file (or shard) has a layout of its own (docs/output-format.md, "Sweep files"): its
    # checks are the sweep tests', not these; said in one line instead of thirty failures.
    try:
        with h5py.File(args.file, "r") as f:
            conventions = text(f.attrs.get("conventions", ""))
    except Exception:  # noqa: BLE001 (not HDF5: the open below says so)
        conventions = ""
    if conventions.startswith("interdep-sweep"):
        print("check_netcdf: %s is a sweep %s (conventions %r); this checks run files: read it "
              "as docs/output-format.md, \"Reading a sweep\", shows" % (
                  args.file, "shard" if "shard" in conventions else "file", conventions),
              file=sys.stderr)
        return 2

    try:
        codes = list_with_h5py(args.file, args.quiet)
        ds = xr.open_dataset(args.file, engine="h5netcdf")
    except Exception as e:  # noqa: BLE001
        print("check_netcdf: %s: cannot open: %s" % (args.file, e), file=sys.stderr)
        return 2

    c = Checker()
    with ds:
        check_root(ds, codes, expected_actors, c)
        sizes = dict(ds.sizes)
        attrs = dict(ds.attrs)
        times = ds["time"].values if "time" in ds.variables else []
        has_contributions = "contributions" in ds.variables

    actors = set(codes or [])
    events = check_group(args.file, "events", "event", EVENT_VARIABLES, c)
    if events is not None and "kind" in events.variables:
        row_kinds = [text(k) for k in events["kind"].values]
        kinds = set(row_kinds)
        c.check(kinds <= EVENT_KINDS, "events/kind has unknown kinds %s" % (kinds - EVENT_KINDS))
        for name in ("actor", "target"):
            if name in events.variables:
                values = {text(a) for a, kind in zip(events[name].values, row_kinds)
                          if kind not in MEMBER_KINDS}
                c.check(values <= actors, "events/%s names unknown actors %s"
                        % (name, values - actors))
    admissions = check_group(args.file, "admissions", "decision", ADMISSION_VARIABLES, c)
    if admissions is not None and "applicant" in admissions.variables:
        values = {text(a) for a in admissions["applicant"].values}
        c.check(values <= actors, "admissions/applicant names unknown actors %s"
                % (values - actors))

    print("%s: scenario %r, model %s, seed %s, engine %s" % (
        args.file, text(attrs.get("scenario_name", "?")), text(attrs.get("model", "?")),
        attrs.get("seed", "?"), text(attrs.get("engine_version", "?"))))
    print("  dims: " + ", ".join("%s=%d" % (k, v) for k, v in sizes.items()))
    if len(times) > 0:
        print("  time: %d frames, %.4f .. %.4f" % (len(times), times[0], times[-1]))
    shown = codes or []
    if len(shown) > 12:
        shown = shown[:12] + ["... (%d actors)" % len(codes)]
    print("  actors: %s; contributions: %s" % (" ".join(shown),
                                               "yes" if has_contributions else "no"))
    print("  events: %d rows; admissions: %d decisions" % (
        events.sizes.get("event", 0) if events is not None else 0,
        admissions.sizes.get("decision", 0) if admissions is not None else 0))

    if c.failures:
        for failure in c.failures:
            print("check_netcdf: FAILED: " + failure, file=sys.stderr)
        return 1
    print("check_netcdf: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
