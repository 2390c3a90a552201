#!/usr/bin/python3
"""An independent, vectorised NumPy implementation of the "interdependence" model's step.

This is the script a researcher would write from docs/model.md (the ODD description) instead of
using the engine: it reads a scenario TOML file (its `base` chain merged, `--set` overrides
applied, the defaults of the parameter index filled in), builds the initial state (§5) and
steps it through the phases of §3: events and Goldstein impulses (§7.1); flows (§7.2: trade
costs, the structural or partial gravity solve, relaxation, the gas logit); interdependence
(§7.3: shares, sensitivity, vulnerability, leverage, finance); decisions (§7.4: benefit channels
and targets, the drift terms, Euler or RK4 integration, the rate bound, the keyed noise,
clamping, the contributions of every term); institutions (§7.5: programme reviews, summits and
votes). Section numbers are those of docs/model.md. Where the document and the C++ code
(models/interdependence/*.cpp) disagree, this follows the code, and the docstring says so in a
paragraph starting "Code:".

It serves two purposes:

* a vectorised NumPy baseline to time the engine against (``--time``), and
* an independent check of the engine (``--compare RUN.h5``): every state dataset of a run file
  (docs/output-format.md: relations, relation_overall, trade, energy, gdp, energy_demand,
  energy_shortfall, sensitivity, vulnerability, leverage, leverage_channels, finance,
  programme_finance, barbieri, hirschman, membership, contributions, and the route costs and
  open corridor edges of /network), the /events log and the /admissions decisions are compared
  frame by frame with the reference's.

Not reproduced: the network analysis of /network other than route costs (factions, balance,
betweenness: analysis of the frames, outside the step); [[observations]] (they do not enter the
run). Everything of the step is.

Arithmetic. The engine's step is IEEE double arithmetic without fused multiply-adds. Every
expression here is written in the engine's order of operations; sums over actors run in the
engine's order (sequentially: numpy reduces the first axis of a C-contiguous array in order);
the two Eigen reductions the engine uses (``row(r).sum()`` and the gravity solve's
matrix-vector products) are emulated for SSE2's two-lane packets; and NumPy's own SIMD exp,
log, tanh and pow (which differ from glibc's in the last bit for about a quarter of arguments)
are switched off through ``NPY_DISABLE_CPU_FEATURES`` before NumPy is imported, so that NumPy
calls glibc's libm, as the engine does. The matrix products (balance, pressure, shared threat,
secondary sanctions, alignment) use ``@`` (BLAS) by default, which sums in another order than
the engine's k = 0, 1, ... (models/interdependence/matrix_product.hpp): the results then differ
from the engine's in the last bits (5e-15 on relations after 120 steps at 200 actors).
``--products ordered`` sums them in the engine's order, and the reference then reproduces the
engine's run file bit for bit.

Command line::

    numpy_reference.py SCENARIO.toml --compare RUN.h5 [--steps K] [--rtol R] [--atol A]
    numpy_reference.py SCENARIO.toml --time [--steps K] [--repeat R]
    ... [--set key=value]... [--seed N] [--products blas|ordered]

Exit status: 0 agreement (or timing done), 1 disagreement, 2 bad input (the message names the
file).
"""

import os
import sys

# NumPy dispatches exp, log, tanh and pow to its own AVX2/AVX-512 code, which differs from
# glibc's libm (which the engine calls) in the last bit for about a quarter of arguments. With
# these dispatch targets off, NumPy calls libm. Must happen before NumPy is first imported.
_NUMPY_SIMD_TARGETS = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX2 FMA3"
if "numpy" not in sys.modules:
    os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", _NUMPY_SIMD_TARGETS)

import argparse  # noqa: E402
import datetime  # noqa: E402
import heapq  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import time as _time  # noqa: E402
import tomllib  # noqa: E402
import warnings  # noqa: E402

# NumPy warns (RuntimeWarning) when asked to disable a feature this CPU lacks: nothing to disable.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    import numpy as np  # noqa: E402

# ------------------------------------------------------------------------------------------------
# Constants of the code (docs/model.md, "Constants fixed in the code")

TERMS = ("benefit", "reciprocity", "pressure", "balance", "alignment", "anchor", "institutions",
         "event", "noise", "clamp")
DRIFT_TERMS = 7
T_EVENT, T_NOISE, T_CLAMP = 7, 8, 9
CHANNELS = ("trade", "energy", "threat", "institutions", "finance")  # benefit channels, §7.4.2
DEPENDENCE_CHANNELS = ("trade", "energy", "finance")  # leverage_channels, §7.3
CHANNEL_FLOOR = 0.01
CLOSED_ROUTE_FACTOR = 1000.0
MIN_OUTSIDE_SHARE = 1e-6
EJ_PER_BCM = 0.036
ROW_EXPORT_SHARE = 0.5
EXPORT_SHARE_CAPACITY_FLOOR = 0.01  # kExportShareCapacityFloor
MIN_DOMESTIC_SHARE = 0.1
MIN_REST_OF_WORLD_SHARE = 0.1
SCALING_TOLERANCE = 1e-12
MAX_SCALING_ROUNDS = 200
NOISE_STREAM = 1
ADMISSION_STREAM = 2

# Goldstein (1992) weights of CAMEO 1.1b3 codes (GDELT CAMEO.goldsteinscale.txt), the table of
# docs/model.md §7.1: roots, three-digit codes and the four-digit codes that differ from their
# parent. A four-digit code not listed takes its three-digit parent's weight.
GOLDSTEIN = {
    "01": 0.0, "010": 0.0, "011": -0.1, "012": -0.4, "013": 0.4, "014": 0.0, "015": 0.0,
    "016": -2.0, "017": 0.0, "018": 3.4, "019": 3.4, "02": 3.0, "020": 3.0, "021": 3.4,
    "022": 3.2, "023": 3.4, "024": -0.3, "025": -0.3, "026": 4.0, "027": 4.0, "028": 4.0,
    "03": 4.0, "030": 4.0, "031": 5.2, "032": 4.5, "033": 5.2, "0334": 6.0, "034": 7.0,
    "035": 7.0, "036": 4.0, "037": 5.0, "038": 7.0, "039": 5.0, "04": 1.0, "040": 1.0,
    "041": 1.0, "042": 1.9, "043": 2.8, "044": 2.5, "045": 5.0, "046": 7.0, "05": 3.5,
    "050": 3.5, "051": 3.4, "052": 3.5, "053": 3.8, "054": 6.0, "055": 7.0, "056": 7.0,
    "057": 8.0, "06": 6.0, "060": 6.0, "061": 6.4, "062": 7.4, "063": 7.4, "064": 7.0,
    "07": 7.0, "070": 7.0, "071": 7.4, "072": 8.3, "073": 7.4, "074": 8.5, "075": 7.0,
    "08": 5.0, "080": 5.0, "081": 5.0, "082": 5.0, "083": 5.0, "084": 7.0, "085": 7.0,
    "086": 9.0, "087": 9.0, "0874": 10.0, "09": -2.0, "090": -2.0, "091": -2.0, "092": -2.0,
    "093": -2.0, "094": -2.0, "10": -5.0, "100": -5.0, "101": -5.0, "102": -5.0, "103": -5.0,
    "104": -5.0, "105": -5.0, "107": -5.0, "108": -5.0, "11": -2.0, "110": -2.0, "111": -2.0,
    "112": -2.0, "113": -2.0, "114": -2.0, "115": -2.0, "116": -2.0, "12": -4.0, "120": -4.0,
    "121": -4.0, "122": -4.0, "123": -4.0, "124": -4.0, "125": -5.0, "126": -5.0, "127": -5.0,
    "128": -5.0, "129": -5.0, "13": -6.0, "130": -4.4, "131": -5.8, "132": -5.8, "133": -5.8,
    "134": -5.8, "135": -5.8, "136": -7.0, "137": -7.0, "138": -7.0, "139": -7.0, "14": -6.5,
    "140": -6.5, "141": -6.5, "142": -6.5, "143": -6.5, "144": -7.5, "145": -7.5, "15": -7.2,
    "150": -7.2, "151": -7.2, "152": -7.2, "153": -7.2, "154": -7.2, "16": -4.0, "160": -4.0,
    "161": -4.0, "162": -5.6, "163": -8.0, "164": -7.0, "165": -6.5, "166": -7.0, "17": -7.0,
    "170": -7.0, "171": -9.2, "172": -5.0, "173": -5.0, "174": -5.0, "175": -9.0, "18": -9.0,
    "180": -9.0, "181": -9.0, "182": -9.5, "1821": -9.0, "1822": -9.0, "1823": -10.0,
    "183": -10.0, "184": -8.0, "185": -8.0, "186": -10.0, "19": -10.0, "190": -10.0,
    "191": -9.5, "192": -9.5, "193": -10.0, "194": -10.0, "195": -10.0, "196": -9.5,
    "20": -10.0, "200": -10.0, "201": -9.5, "202": -10.0, "203": -10.0, "204": -10.0,
}


class ScenarioError(Exception):
    """Bad input: the message names the file (exit status 2)."""


# ------------------------------------------------------------------------------------------------
# Keyed random numbers (§4.8; engine/run/rng.hpp), exactly: the same draw for every key

_M64 = 0xFFFFFFFFFFFFFFFF
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB
_ROOT = 0xD1B54A32D192ED03
_U = np.uint64


def name_key(name):
    """kappa(name): the 64-bit FNV-1a hash of a name's UTF-8 bytes (Rng's name_key)."""
    h = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & _M64
    return h


def _mix_int(z):
    z = ((z ^ (z >> 30)) * _MIX1) & _M64
    z = ((z ^ (z >> 27)) * _MIX2) & _M64
    return z ^ (z >> 31)


def key_mix_int(x, key):
    """One key of the keyed hash on Python ints: x ^= sm(x) + key, then x = sm(x), where sm is a
    splitmix64 step (it first advances its state by the golden increment)."""
    x = (x + _GOLDEN) & _M64
    x ^= (_mix_int(x) + key) & _M64
    return _mix_int((x + _GOLDEN) & _M64)


def key_chain_int(x, *keys):
    for k in keys:
        x = key_mix_int(x, k & _M64)
    return x


def unit_int(h):
    """[0, 1) from the top 53 bits of a hash."""
    return float(h >> 11) * 2.0 ** -53


def _mix_u64(z):
    z = (z ^ (z >> _U(30))) * _U(_MIX1)
    z = (z ^ (z >> _U(27))) * _U(_MIX2)
    return z ^ (z >> _U(31))


def key_mix_u64(x, key):
    """key_mix_int on uint64 arrays (wrapping arithmetic), broadcasting x against key."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=np.uint64) + _U(_GOLDEN)
        x = x ^ (_mix_u64(x) + np.asarray(key, dtype=np.uint64))
        return _mix_u64(x + _U(_GOLDEN))


def _mix_inplace(x, tmp):
    """x <- the splitmix64 output function of x, in place (tmp: scratch of x's shape)."""
    np.right_shift(x, _U(30), out=tmp)
    np.bitwise_xor(x, tmp, out=x)
    np.multiply(x, _U(_MIX1), out=x)
    np.right_shift(x, _U(27), out=tmp)
    np.bitwise_xor(x, tmp, out=x)
    np.multiply(x, _U(_MIX2), out=x)
    np.right_shift(x, _U(31), out=tmp)
    np.bitwise_xor(x, tmp, out=x)


def key_mix_inplace(x, key, tmp, z):
    """key_mix_u64 in place on x (tmp, z: scratch of x's shape)."""
    np.add(x, _U(_GOLDEN), out=x)
    np.copyto(z, x)
    _mix_inplace(z, tmp)
    np.add(z, key, out=z)
    np.bitwise_xor(x, z, out=x)
    np.add(x, _U(_GOLDEN), out=x)
    _mix_inplace(x, tmp)


def unit_u64(h):
    return (h >> _U(11)).astype(np.float64) * 2.0 ** -53


class Ziggurat:
    """Doornik's (2005) 128 strips of the standard normal, built as the engine builds them."""

    R = 3.442619855899
    V = 9.91256303526217e-3

    def __init__(self):
        x = [0.0] * 129
        f = math.exp(-0.5 * self.R * self.R)
        x[0] = self.V / f
        x[1] = self.R
        for i in range(2, 128):
            x[i] = math.sqrt(-2.0 * math.log(self.V / x[i - 1] + f))
            f = math.exp(-0.5 * x[i] * x[i])
        x[128] = 0.0
        self.x = np.array(x)
        self.ratio = np.array([x[i + 1] / x[i] for i in range(128)])
        self.x_list = x


ZIGGURAT = Ziggurat()


def _normal_scalar(h, hv, more):
    """The ziggurat's rejection loop for one draw on Python ints (Rng::normal_of_lazy), from the
    attempt hash h, with `more` further hashes of hv drawn already."""
    z = ZIGGURAT
    while True:
        u = 2.0 * unit_int(h) - 1.0
        i = h & 127
        if abs(u) < z.ratio[i]:
            return u * z.x_list[i]
        if i == 0:
            while True:
                more += 1
                x = math.log(1.0 - unit_int(key_mix_int(hv, more))) / Ziggurat.R
                more += 1
                y = math.log(1.0 - unit_int(key_mix_int(hv, more)))
                if not (-2.0 * y < x * x):
                    break
            return x - Ziggurat.R if u < 0.0 else Ziggurat.R - x
        x = u * z.x_list[i]
        f0 = math.exp(-0.5 * (z.x_list[i] * z.x_list[i] - x * x))
        f1 = math.exp(-0.5 * (z.x_list[i + 1] * z.x_list[i + 1] - x * x))
        more += 1
        if f1 + unit_int(key_mix_int(hv, more)) * (f0 - f1) < 1.0:
            return x
        more += 1
        h = key_mix_int(hv, more)


def keyed_normals(hash_u, hash_v_of):
    """Standard normals from the keyed hashes `hash_u` (a uint64 array), by the ziggurat (§4.8):
    the first attempt for every draw at once; the draws it rejects (about 3 %) go on with their
    second hash, `hash_v_of(index)` (uint64 array for the flat indices given), the wedge test
    vectorised, the tail draw by draw."""
    z = ZIGGURAT
    h = hash_u.ravel()
    u = 2.0 * unit_u64(h) - 1.0
    strip = (h & _U(127)).astype(np.intp)
    out = u * z.x[strip]
    pending = np.flatnonzero(~(np.abs(u) < z.ratio[strip]))
    if pending.size == 0:
        return out.reshape(hash_u.shape)
    hv = hash_v_of(pending)
    hp = h[pending]
    more = np.zeros(pending.size, dtype=np.uint64)
    while pending.size:
        u = 2.0 * unit_u64(hp) - 1.0
        strip = (hp & _U(127)).astype(np.intp)
        rect = np.abs(u) < z.ratio[strip]
        out[pending[rect]] = u[rect] * z.x[strip[rect]]
        tail = ~rect & (strip == 0)
        for k in np.flatnonzero(tail):
            out[pending[k]] = _normal_scalar(int(hp[k]), int(hv[k]), int(more[k]))
        wedge = ~rect & ~tail
        pending, hp, hv, more, u, strip = (
            pending[wedge], hp[wedge], hv[wedge], more[wedge], u[wedge], strip[wedge])
        if pending.size == 0:
            break
        x = u * z.x[strip]
        f0 = np.exp(-0.5 * (z.x[strip] * z.x[strip] - x * x))
        f1 = np.exp(-0.5 * (z.x[strip + 1] * z.x[strip + 1] - x * x))
        more = more + _U(1)
        accept = f1 + unit_u64(key_mix_u64(hv, more)) * (f0 - f1) < 1.0
        out[pending[accept]] = x[accept]
        keep = ~accept
        pending, hv, more = pending[keep], hv[keep], more[keep] + _U(1)
        hp = key_mix_u64(hv, more)
    return out.reshape(hash_u.shape)


# ------------------------------------------------------------------------------------------------
# Sums in the engine's order

def seq_sum_rows(a):
    """sum_j a[i, j] for every i, j = 0, 1, ... in order (a C++ loop over j)."""
    return np.ascontiguousarray(np.asarray(a, dtype=np.float64).T).sum(axis=0)


def seq_sum_cols(a):
    """sum_i a[i, j] for every j, i in order (numpy reduces the first axis of a C-contiguous
    array sequentially)."""
    return np.ascontiguousarray(a, dtype=np.float64).sum(axis=0)


def seq_sum(v):
    """sum of a vector in order: ((0 + v0) + v1) + ..."""
    s = 0.0
    for value in np.asarray(v, dtype=np.float64).tolist():
        s += value
    return s


def eigen_row_sums(m):
    """Eigen 3.4's ``m.row(r).sum()`` of a dynamic row-major matrix on SSE2 (linear vectorised
    redux, two-lane packets, two packet accumulators, unaligned ends added last), every row at
    once. Row r starts 16-byte aligned when r * columns is even (Eigen's 16-byte aligned
    storage)."""
    m = np.asarray(m, dtype=np.float64)
    rows, size = m.shape
    out = np.zeros(rows)
    for start in (0, 1):
        sel = np.array([((r * size) % 2 == 0) == (start == 0) for r in range(rows)], dtype=bool)
        if not sel.any():
            continue
        a = m[sel]
        aligned_start = min(start, size)
        aligned_size = ((size - aligned_start) // 2) * 2
        aligned_size2 = ((size - aligned_start) // 4) * 4
        aligned_end = aligned_start + aligned_size
        aligned_end2 = aligned_start + aligned_size2
        if aligned_size:
            p0 = a[:, aligned_start:aligned_start + 2].copy()
            if aligned_size > 2:
                p1 = a[:, aligned_start + 2:aligned_start + 4].copy()
                for index in range(aligned_start + 4, aligned_end2, 4):
                    p0 = p0 + a[:, index:index + 2]
                    p1 = p1 + a[:, index + 2:index + 4]
                p0 = p0 + p1
                if aligned_end > aligned_end2:
                    p0 = p0 + a[:, aligned_end2:aligned_end2 + 2]
            res = p0[:, 0] + p0[:, 1]
            for index in range(0, aligned_start):
                res = res + a[:, index]
            for index in range(aligned_end, size):
                res = res + a[:, index]
        else:
            res = a[:, 0].copy()
            for index in range(1, size):
                res = res + a[:, index]
        out[sel] = res
    return out


def eigen_gemv(m, v):
    """Eigen 3.4's row-major matrix-vector product on SSE2 (general_matrix_vector_product): per
    row, two lanes summing the even and the odd columns, added together, then an odd last
    column."""
    p = m * v[None, :]
    cols = m.shape[1]
    paired = (cols // 2) * 2
    cc = np.zeros(m.shape[0])
    if paired:
        cc = seq_sum_rows(p[:, 0:paired:2]) + seq_sum_rows(p[:, 1:paired:2])
    if cols % 2:
        cc = cc + p[:, cols - 1]
    return 0.0 + cc


def ordered_product(a, b):
    """C = A B with every element summed over k = 0, 1, ... in order, each product and sum
    rounded once (models/interdependence/matrix_product.hpp). Batched over leading axes."""
    c = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1]))
    for k in range(a.shape[-1]):
        c += a[..., :, k, None] * b[..., None, k, :]
    return c


# ------------------------------------------------------------------------------------------------
# Scenario files (docs/scenario-format.md): reading, base chains, --set overrides, defaults

def _read_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read the scenario: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a scenario: not UTF-8 text (a scenario is a TOML "
                            "file)") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: not valid TOML: {e}") from None


def _merge(base, top):
    """Tables merge key by key; other values replace the base's; `events` append (§6)."""
    out = dict(base)
    for key, value in top.items():
        if key in ("base", "inherit_events"):
            continue
        if key == "events" and top.get("inherit_events", True):
            out["events"] = list(base.get("events", [])) + list(value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_scenario(path, seen=()):
    """The scenario document with its `base` chain merged (docs/scenario-format.md)."""
    doc = _read_toml(path)
    if "base" in doc:
        base_path = os.path.join(os.path.dirname(path), str(doc["base"]))
        if os.path.realpath(base_path) in seen:
            raise ScenarioError(f"{path}: base chain has a cycle at {base_path}")
        base = read_scenario(base_path, seen + (os.path.realpath(path),))
        doc = _merge(base, doc)
    doc.pop("base", None)
    doc.pop("inherit_events", None)
    return doc


def apply_override(doc, assignment, source):
    """--set key.path=value, as the engine applies it: a TOML value (a bare word that is not
    TOML is a string), tables created on the way, array elements by index or "label"."""
    parts, eq, quoted, cur = [], None, False, ""
    for i, c in enumerate(assignment):
        if c == '"':
            quoted = not quoted
        elif c == "." and not quoted:
            parts.append(cur)
            cur = ""
        elif c == "=" and not quoted:
            eq = i
            break
        else:
            cur += c
    parts.append(cur)
    if eq is None or eq == 0 or any(p == "" for p in parts):
        raise ScenarioError(f"{source}: --set {assignment}: expected --set key.path=value")
    text = assignment[eq + 1:]
    try:
        value = tomllib.loads("value = " + text)["value"]
    except tomllib.TOMLDecodeError:
        value = text
    node = doc
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if isinstance(node, list):
            if part.isdigit():
                index = int(part)
                if index >= len(node):
                    raise ScenarioError(f"{source}: --set {assignment}: index {part} is out of "
                                        f"range (the array has {len(node)} elements)")
            else:
                labels = [i for i, e in enumerate(node)
                          if isinstance(e, dict) and e.get("label") == part]
                if len(labels) != 1:
                    raise ScenarioError(f"{source}: --set {assignment}: no single element "
                                        f"labelled '{part}'")
                index = labels[0]
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                if part not in node:
                    node[part] = {}
                node = node[part]
        else:
            raise ScenarioError(f"{source}: --set {assignment}: '{part}' is inside a value")
    return doc


def _days_in_month(year, month):
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def decimal_year(value, where):
    """A TOML date or a decimal year as a decimal year (§2.3): months are 1/12 yr, days fractions
    of their month."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.year + (value.month - 1
                             + float(value.day - 1) / _days_in_month(value.year, value.month)) / 12.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise ScenarioError(f"{where}: expected a date or a decimal year, got {value!r}")


def _llround(x):
    f = math.floor(x)
    return int(f) + (1 if x - f >= 0.5 else 0)


def _num(table, key, default, where):
    v = table.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ScenarioError(f"{where}.{key}: expected a number, got {v!r}")
    return float(v)


class Spec:
    """The scenario as plain data, with the defaults of engine/scenario/spec.hpp."""


def build_spec(doc, path):
    """Reads a merged scenario document into a Spec (docs/model.md parameter index,
    docs/scenario-format.md). Checks only what the reference needs; the engine validates."""
    s = Spec()
    s.path = path

    def need_table(key, where):
        v = doc.get(key, {})
        if not isinstance(v, dict):
            raise ScenarioError(f"{path}: [{where}] must be a table")
        return v

    seed = doc.get("seed", 1)
    s.seed = int(seed) if isinstance(seed, (int, str)) and str(seed).isdigit() else None
    if s.seed is None:
        raise ScenarioError(f"{path}: seed: expected an integer, got {seed!r}")
    t = need_table("time", "time")
    s.start_month, s.start = 1, 2025.0
    if "start" in t:
        d = t["start"]
        if not isinstance(d, datetime.date):
            raise ScenarioError(f"{path}: time.start: expected a date such as 2025-01-01")
        s.start_month = d.month
        s.start = d.year + (d.month - 1) / 12.0
    s.years = _num(t, "years", 10.0, f"{path}: time")
    s.steps_per_year = int(t.get("steps_per_year", 12))
    s.steps = _llround(s.years * s.steps_per_year)
    if "steps" in t:
        s.steps = int(t["steps"])
        s.years = s.steps / s.steps_per_year
    s.dt = 1.0 / s.steps_per_year
    if s.steps < 1:
        raise ScenarioError(f"{path}: time: the run has no step")

    domains = need_table("domains", "domains")
    s.domains = sorted(domains)
    if not s.domains:
        raise ScenarioError(f"{path}: at least one domain is required")
    s.channel_weight = np.zeros((len(s.domains), len(CHANNELS)))
    for d, name in enumerate(s.domains):
        for c, channel in enumerate(CHANNELS):
            s.channel_weight[d, c] = _num(domains[name], channel, 0.0, f"{path}: domains.{name}")
    D = len(s.domains)
    dom_index = {name: d for d, name in enumerate(s.domains)}

    actors = need_table("actors", "actors")
    s.codes = sorted(actors)
    N = len(s.codes)
    if N < 2:
        raise ScenarioError(f"{path}: at least two actors are required")
    index = {code: i for i, code in enumerate(s.codes)}

    def actor(code, where):
        if code not in index:
            raise ScenarioError(f"{path}: {where}: unknown actor '{code}'")
        return index[code]

    s.N, s.D = N, D
    fields = {  # key: default (docs/model.md parameter index, [actors.CODE])
        "gdp": 100.0, "gdp_growth": 0.02, "military": 1.0, "total_trade": 50.0,
        "energy_imports": 0.0, "energy_demand_growth": 0.0, "energy_import_capacity": 0.0,
        "primary_energy": 0.0, "energy_export_capacity": 0.0, "energy_substitution": 3.0,
        "rest_of_world_energy_cost": 1.0, "responsiveness": 1.0, "inertia": 0.2, "risk": 0.0,
        "noise": 0.02, "external_finance": 0.0, "finance_substitution": 2.0}
    for key, default in fields.items():
        setattr(s, key, np.array([_num(actors[c], key, default, f"{path}: actors.{c}")
                                  for c in s.codes]))
    s.passive = np.array([bool(actors[c].get("passive", False)) for c in s.codes])
    s.interests = np.zeros((N, D))
    s.growth_path, s.demand_path = [None] * N, [None] * N
    for i, c in enumerate(s.codes):
        a = actors[c]
        if "interests" not in a:
            raise ScenarioError(f"{path}: actors.{c}.interests is required")
        for name, w in a["interests"].items():
            if name not in dom_index:
                raise ScenarioError(f"{path}: actors.{c}.interests: unknown domain '{name}'")
            s.interests[i, dom_index[name]] = float(w)
        if "gdp_growth_path" in a:
            s.growth_path[i] = sorted((float(y), float(v)) for y, v in a["gdp_growth_path"].items())
        if "energy_demand" in a:
            s.demand_path[i] = sorted((float(y), float(v)) for y, v in a["energy_demand"].items())
            s.energy_imports[i] = s.energy_demand_at(i, s.start)

    s.relations = np.zeros((D, N, N))
    for fr, row in need_table("relations", "relations").items():
        i = actor(fr, "relations")
        for to, values in row.items():
            j = actor(to, f"relations.{fr}")
            for name, v in values.items():
                if name not in dom_index:
                    raise ScenarioError(f"{path}: relations.{fr}.{to}: unknown domain '{name}'")
                s.relations[dom_index[name], i, j] = float(v)
    s.trade = np.zeros((N, N))
    for fr, row in need_table("trade", "trade").items():
        for to, v in row.items():
            s.trade[actor(fr, "trade"), actor(to, f"trade.{fr}")] = float(v)
    s.energy_flow = np.zeros((N, N))
    s.energy_capacity = np.zeros((N, N))
    s.energy_cost = np.ones((N, N))
    for fr, row in need_table("energy", "energy").items():
        for to, link in row.items():
            i, j = actor(fr, "energy"), actor(to, f"energy.{fr}")
            s.energy_flow[i, j] = _num(link, "flow", 0.0, f"{path}: energy.{fr}.{to}")
            s.energy_capacity[i, j] = _num(link, "capacity", 0.0, f"{path}: energy.{fr}.{to}")
            s.energy_cost[i, j] = _num(link, "cost", 1.0, f"{path}: energy.{fr}.{to}")
    s.finance = np.zeros((4, N, N))  # aid, lending, investment, remittances
    for fr, row in need_table("finance", "finance").items():
        for to, f in row.items():
            i, j = actor(fr, "finance"), actor(to, f"finance.{fr}")
            for k, key in enumerate(("aid", "lending", "investment", "remittances")):
                s.finance[k, i, j] = _num(f, key, 0.0, f"{path}: finance.{fr}.{to}")

    s.institutions = []
    insts = need_table("institutions", "institutions")
    for name in sorted(insts):
        t = insts[name]
        where = f"{path}: institutions.{name}"
        inst = {"name": name, "key": name_key(name),
                "members": [actor(m, f"institutions.{name}.members") for m in t.get("members", [])],
                "rule": t.get("rule", "consensus"),
                "summit_month": int(t.get("summit_month", 0)),
                "threshold": _num(t, "admission_threshold", 0.0, where),
                "pce_exponent": _num(t, "pce_exponent", 1.0, where),
                "discount": _num(t, "trade_cost_discount", 0.0, where),
                "damping": _num(t, "conflict_damping", 0.0, where),
                "domains": [dom_index[d] for d in t.get("domains", [])],
                "others": []}
        if inst["rule"] not in ("consensus", "majority", "pce"):
            raise ScenarioError(f"{where}.rule: unknown rule '{inst['rule']}'")
        for code in sorted(t.get("others", {})):
            o = t["others"][code]
            stance = np.zeros(N)
            for to, v in o.get("stance", {}).items():
                stance[actor(to, f"institutions.{name}.others.{code}.stance")] = float(v)
            joined = decimal_year(o["joined"], where) if "joined" in o else -math.inf
            left = decimal_year(o["left"], where) if "left" in o else math.inf
            inst["others"].append({"code": code, "military": _num(o, "military", 0.0, where),
                                   "salience": _num(o, "salience", 1.0, where), "stance": stance,
                                   "joined_step": s.step_of(joined) if math.isfinite(joined) else 0,
                                   "left_step": s.step_of(left) if math.isfinite(left) else 2**63})
        s.institutions.append(inst)
    s.I = len(s.institutions)
    inst_index = {inst["name"]: k for k, inst in enumerate(s.institutions)}

    s.lenders = []
    lenders = need_table("lenders", "lenders")
    for name in sorted(lenders):
        t = lenders[name]
        where = f"{path}: lenders.{name}"
        votes = np.zeros(N)
        for code, v in t.get("votes", {}).items():
            votes[actor(code, f"lenders.{name}.votes")] = float(v)
        programmes = [(actor(code, f"lenders.{name}.programmes"), _num(p, "amount", 0.0, where),
                       _num(p, "catalysed", 0.0, where))
                      for code, p in sorted(t.get("programmes", {}).items())]
        s.lenders.append({"name": name, "votes": votes,
                          "blocking_share": _num(t, "blocking_share", 0.15, where),
                          "support_threshold": _num(t, "support_threshold", -0.2, where),
                          "review_months": int(t.get("review_months", 6)),
                          "programmes": programmes})
    lender_index = {lender["name"]: k for k, lender in enumerate(s.lenders)}

    corridors = need_table("corridors", "corridors")
    s.nodes = list(s.codes) + sorted(corridors.get("nodes", {}))
    node_index = {code: k for k, code in enumerate(s.nodes)}
    s.edges = []  # (name, from, to, cost, open)
    edges = corridors.get("edges", {})
    for name in sorted(edges):
        e = edges[name]
        for key in ("from", "to"):
            if e.get(key) not in node_index:
                raise ScenarioError(f"{path}: corridors.edges.{name}.{key}: unknown node")
        s.edges.append((name, node_index[e["from"]], node_index[e["to"]],
                        _num(e, "cost", 1.0, f"{path}: corridors.edges.{name}"),
                        bool(e.get("open", True))))
    edge_index = {e[0]: k for k, e in enumerate(s.edges)}

    model = need_table("model", "model")
    if model.get("name", "interdependence") != "interdependence":
        raise ScenarioError(f"{path}: model.name: the reference implements 'interdependence' only")
    flows = model.get("flows", {})
    where = f"{path}: model.flows"
    s.a_origin = _num(flows, "gdp_elasticity_origin", 1.0, where)
    s.b_destination = _num(flows, "gdp_elasticity_destination", 1.0, where)
    s.theta = _num(flows, "trade_cost_elasticity", 4.0, where)
    s.kappa = _num(flows, "relation_cost", 0.5, where)
    s.delta = _num(flows, "route_elasticity", 1.0, where)
    s.adjustment_years = _num(flows, "adjustment_years", 2.0, where)
    s.beta = _num(flows, "energy_choice", 3.0, where)
    s.phi = _num(flows, "secondary_exposure", 1.0, where)
    s.finance_channel = bool(flows.get("finance", True))
    s.gravity = flows.get("gravity", "structural")
    if s.gravity not in ("structural", "partial"):
        raise ScenarioError(f"{where}.gravity: expected \"structural\" or \"partial\"")
    s.world_gdp = _num(flows, "world_gdp", 110000.0, where)
    decide = model.get("decide", {})
    where = f"{path}: model.decide"
    for key, default in (("benefit", 1.0), ("reciprocity", 0.3), ("pressure", 2.0),
                         ("balance", 0.2), ("alignment", 0.0), ("institutions", 1.0),
                         ("anchor", 1.0), ("event_scale", 0.03), ("event_reciprocal", 0.5),
                         ("event_persistence", 0.5), ("benefit_gain", 0.5),
                         ("max_change_per_year", 2.0)):
        setattr(s, "lambda_" + key, _num(decide, key, default, where))
    s.clamp = bool(decide.get("clamp", True))
    s.balance_normalize = bool(decide.get("balance_normalize", True))
    s.integrator = decide.get("integrator", "euler")
    s.self_appraisal = decide.get("self_appraisal", "fixed")
    if s.integrator not in ("euler", "rk4") or s.self_appraisal not in ("fixed", "evolve"):
        raise ScenarioError(f"{where}: integrator or self_appraisal has an unknown value")
    s.influence = None
    if "influence" in decide:
        W = np.eye(N)
        for fr, row in decide["influence"].items():
            i = actor(fr, "model.decide.influence")
            W[i, i] = 0.0
            for to, v in row.items():
                W[i, actor(to, f"model.decide.influence.{fr}")] = float(v)
        s.influence = W
    output = need_table("output", "output")
    s.record_every = int(output.get("every", 1))
    s.record_contributions = bool(output.get("contributions", True))

    s.events = []
    for entry, e in enumerate(doc.get("events", [])):
        ev = _read_event(s, e, entry, path, actor, dom_index, inst_index, lender_index, edge_index)
        if ev is not None:
            s.events.append(ev)
    s.events.sort(key=lambda ev: ev["step"])  # stable: file order within a step
    for k, ev in enumerate(s.events):
        ev["index"] = k  # the run file's events/event_index: the position in this sorted list
    s.actor_key = np.array([name_key(c) for c in s.codes], dtype=np.uint64)
    s.domain_key = np.array([name_key(d) for d in s.domains], dtype=np.uint64)
    return s


def _spec_methods():
    def step_of(self, year):
        offset = math.floor((year - self.start) * self.steps_per_year + 1e-9)
        return 0 if offset <= 0 else (self.steps if offset >= self.steps else int(offset))

    def gdp_growth_at(self, i, t):
        path = self.growth_path[i]
        if path is None:
            return float(self.gdp_growth[i])
        rate = path[0][1]
        for year, value in path:
            if year <= t + 1e-9:
                rate = value
        return rate

    def energy_demand_at(self, i, t):
        p = self.demand_path[i]
        if p is None:
            return float(self.energy_imports[i]) * math.exp(
                float(self.energy_demand_growth[i]) * (t - self.start))
        if t <= p[0][0]:
            return p[0][1]
        if t >= p[-1][0]:
            return p[-1][1]
        k = 1
        while p[k][0] < t:
            k += 1
        w = (t - p[k - 1][0]) / (p[k][0] - p[k - 1][0])
        return p[k - 1][1] + w * (p[k][1] - p[k - 1][1])

    Spec.step_of = step_of
    Spec.gdp_growth_at = gdp_growth_at
    Spec.energy_demand_at = energy_demand_at


_spec_methods()


def _read_event(s, e, entry, path, actor, dom_index, inst_index, lender_index, edge_index):
    where = f"{path}: events.{entry}"
    if not bool(e.get("enabled", True)):
        return None
    kind = e.get("kind", "impulse")
    kinds = ("impulse", "sanction", "lift_sanction", "energy_link", "apply", "corridor",
             "finance", "programme", "import_capacity", "join", "leave", "trade_cost")
    if kind not in kinds:
        raise ScenarioError(f"{where}.kind: unknown kind '{kind}'")
    if "date" not in e:
        raise ScenarioError(f"{where}.date is required")
    date = decimal_year(e["date"], where + ".date")
    offset = math.floor((date - s.start) * s.steps_per_year + 1e-9)
    if offset < 0 or offset >= s.steps:
        raise ScenarioError(f"{where}.date: event date {date} is outside the run period "
                            f"[{s.start}, {s.start + s.steps / s.steps_per_year})")
    ev = {"entry": entry, "kind": kind, "date": date, "step": int(offset),
          "actor": actor(e["actor"], where + ".actor") if "actor" in e else None,
          "targets": [], "domains": [], "cameo": "", "goldstein": 0.0,
          "mutual": bool(e.get("mutual", False)), "intensity": 0.0, "type": "trade",
          "direction": "both", "secondary": 0.0, "anticipation": 0.0, "persistence": 0.0,
          "capacity": 0.0, "cost": 0.0, "institution": None, "other_member": None,
          "edge": None, "open": bool(e.get("open", True)), "finance": {}, "lender": None,
          "amount": 0.0, "catalysed": None}
    if "targets" in e:
        targets = e["targets"] if isinstance(e["targets"], list) else [e["targets"]]
        ev["targets"] = [actor(t, where + ".targets") for t in targets]
    for name in e.get("domains", []):
        if name not in dom_index:
            raise ScenarioError(f"{where}.domains: unknown domain '{name}'")
        ev["domains"].append(dom_index[name])
    if "cameo" in e:
        code = str(e["cameo"])
        weight = GOLDSTEIN.get(code)
        if weight is None and len(code) == 4:
            weight = GOLDSTEIN.get(code[:3])
        if weight is None:
            raise ScenarioError(f"{where}.cameo: unknown CAMEO code '{code}'")
        ev["cameo"], ev["goldstein"] = code, weight
    elif "goldstein" in e:
        ev["goldstein"] = float(e["goldstein"])
    elif kind == "impulse":
        raise ScenarioError(f"{where}: an impulse needs cameo or goldstein")
    elif kind in ("sanction", "lift_sanction"):
        ev["cameo"] = "163" if kind == "sanction" else "085"
        ev["goldstein"] = GOLDSTEIN[ev["cameo"]]
    if kind == "sanction":
        ev["type"] = e.get("type", "trade")
        if ev["type"] in ("trade", "financial"):
            ev["intensity"] = float(e["intensity"])
            ev["direction"] = e.get("direction", "both")
        if ev["type"] == "trade":
            ev["secondary"] = float(e.get("secondary", 0.0))
            ev["anticipation"] = float(e.get("anticipation", 0.0))
    elif kind == "trade_cost":
        ev["intensity"] = float(e["intensity"])
        ev["direction"] = e.get("direction", "both")
    if kind == "lift_sanction":
        ev["persistence"] = float(e.get("persistence", 0.0))
    if kind in ("energy_link", "import_capacity"):
        ev["capacity"] = float(e["capacity"])
        ev["cost"] = float(e.get("cost", 0.0))
    if kind in ("apply", "join", "leave"):
        if e.get("institution") not in inst_index:
            raise ScenarioError(f"{where}.institution: unknown institution")
        ev["institution"] = inst_index[e["institution"]]
        if "member" in e:
            inst = s.institutions[ev["institution"]]
            codes = [o["code"] for o in inst["others"]]
            if e["member"] not in codes:
                raise ScenarioError(f"{where}.member: unknown member '{e['member']}'")
            ev["other_member"] = codes.index(e["member"])
            o = inst["others"][ev["other_member"]]
            o["joined_step" if kind == "join" else "left_step"] = ev["step"]
            ev["actor_code"] = e["member"]
    if kind == "corridor":
        if e.get("edge") not in edge_index:
            raise ScenarioError(f"{where}.edge: unknown corridor edge")
        ev["edge"] = edge_index[e["edge"]]
    if kind == "finance":
        ev["finance"] = {k: float(e[k]) for k in ("aid", "lending", "investment", "remittances")
                         if k in e}
    if kind == "programme":
        if e.get("lender") not in lender_index:
            raise ScenarioError(f"{where}.lender: unknown lender")
        ev["lender"] = lender_index[e["lender"]]
        ev["amount"] = float(e["amount"])
        ev["catalysed"] = float(e["catalysed"]) if "catalysed" in e else None
    if ev["actor"] is None and ev["other_member"] is None:
        raise ScenarioError(f"{where}.actor is required")
    return ev


def load_scenario(path, overrides=(), seed=None):
    """Reads, merges, overrides and builds a scenario; `seed` (the engine's --seed) wins."""
    doc = read_scenario(path)
    for o in overrides:
        apply_override(doc, o, path)
    spec = build_spec(doc, path)
    if seed is not None:
        spec.seed = int(seed)
    return spec


# ------------------------------------------------------------------------------------------------
# Corridor routes (§5 item 3, §7.6): Dijkstra on the open edges, cheapest of parallel edges

def corridor_routes(spec, open_flags):
    cheapest = {}
    for (name, a, b, cost, _), is_open in zip(spec.edges, open_flags):
        if not is_open or a == b:
            continue
        key = (min(a, b), max(a, b))
        cheapest[key] = min(cheapest.get(key, math.inf), cost)
    adjacency = [[] for _ in spec.nodes]
    for (a, b), cost in cheapest.items():
        adjacency[a].append((b, cost))
        adjacency[b].append((a, cost))
    N = spec.N
    route = np.full((N, N), math.inf)
    for i in range(N):
        dist = [math.inf] * len(spec.nodes)
        dist[i] = 0.0
        heap = [(0.0, i)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for v, w in adjacency[u]:
                if d + w < dist[v]:
                    dist[v] = d + w
                    heapq.heappush(heap, (dist[v], v))
        route[i, :] = dist[:N]
        route[i, i] = 0.0
    return route


# ------------------------------------------------------------------------------------------------
# The model

def partner_loss(share, eta):
    """l(s; eta) = 1 - (1 - s)^(1/eta): the welfare loss of losing a partner of share s (§7.3);
    0 for s <= 0 and 1 for s >= 1. `eta` broadcasts against `share`."""
    inner = np.clip(share, 0.0, 1.0)
    loss = 1.0 - np.power(1.0 - inner, 1.0 / eta)
    return np.where(share <= 0.0, 0.0, np.where(share >= 1.0, 1.0, loss))


class Model:
    """The state and the phases of one step (docs/model.md §3). Relations are held as x[d, i, j]
    (domain-major, for the products); output arrays in the run file's layout are made by
    `frame()`."""

    def __init__(self, spec, products="blas"):
        if products not in ("blas", "ordered"):
            raise ValueError("products must be 'blas' or 'ordered'")
        self.spec = spec
        self.product = (lambda a, b: a @ b) if products == "blas" else ordered_product
        self.products = products
        self.root = spec.seed ^ _ROOT
        self.initialize()

    # -------------------------------------------------------------------- §5 initialization
    def initialize(self):
        """§5: state from the scenario, anchors, routes, rest-of-world trade, interdependence at
        t0, initial trade costs, the structural gravity matrix, gas logit constants and the
        benefit channels at t0, in that order (InterdependenceModel::initialize).

        Code: the gas logit constants (§5 item 7) are calibrated on the gas the importer can land,
        L_j = min(D_j, K_j) (K_j > 0), not on its need D_j: s0_j = max(1e-6, 1 - sum_k E0_kj / L_j)
        and alpha_kj = ln(E0_kj / L_j / s0_j) + beta (c0_kj - c_RoW_j), for importers with
        L_j > 0; the gas landed from the rest of the world starts at max(0, L_j - sum_k E0_kj)
        (not stated in §5)."""
        s = self.spec
        N, D, I = s.N, s.D, s.I
        self.step_index = 0
        self.time = s.start
        self.x = s.relations.copy()  # r[d, i, j]
        self.x0 = s.relations.copy()  # anchors
        self.trade = s.trade.copy()
        self.energy = s.energy_flow.copy()
        self.energy_capacity = s.energy_capacity.copy()
        self.energy_cost = s.energy_cost.copy()
        self.gdp = s.gdp.copy()
        self.energy_demand = s.energy_imports.copy()
        self.import_capacity = s.energy_import_capacity.copy()
        inflow = seq_sum_cols(self.energy)
        self.energy_outside = np.maximum(0.0, self.landable() - inflow)
        # Sanctions and shocks (§7.1, §7.2.1)
        zeros = lambda: np.zeros((N, N))  # noqa: E731
        self.sanction, self.secondary = zeros(), zeros()
        self.export_sanction, self.import_sanction, self.tariff = zeros(), zeros(), zeros()
        self.anticipated, self.lingering, self.lingering_rate = zeros(), zeros(), zeros()
        self.finance_cut_out, self.finance_cut_in = zeros(), zeros()
        self.any_secondary = False
        self.anticipated_events = [e for e in s.events
                                   if e["kind"] == "sanction" and e["anticipation"] > 0.0]
        # Finance (§7.3.2)
        self.finance_parts = s.finance.copy()
        L = len(s.lenders)
        self.programme_amount = np.zeros((L, N))
        self.programme_catalysed = np.zeros((L, N))
        self.programme_suspended = np.zeros((L, N), dtype=bool)
        self.veto = np.zeros((L, N))
        self.grantor = np.zeros((L, N))  # g: 1 for a shareholder that blocks alone
        for l, lender in enumerate(s.lenders):
            for borrower, amount, catalysed in lender["programmes"]:
                self.programme_amount[l, borrower] = amount
                self.programme_catalysed[l, borrower] = catalysed
            self.veto[l] = np.minimum(1.0, lender["votes"] / lender["blocking_share"])
            self.grantor[l] = np.where(lender["votes"] >= lender["blocking_share"], 1.0, 0.0)
        self.finance = self.finance_flows()
        self.record_programmes()
        self.membership = np.zeros((N, I), dtype=bool)
        for k, inst in enumerate(s.institutions):
            self.membership[inst["members"], k] = True
        self.applicant = np.zeros((N, I), dtype=bool)
        self.R = self.relation_overall(self.x)
        # Military capability weights of the shared threat (§7.4.2)
        both = s.military[:, None] + s.military[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            self.threat_weight = np.where(both > 0.0, s.military[None, :] / both, 0.0)
        # Routes (§5 item 3)
        self.corridor_open = np.array([e[4] for e in s.edges], dtype=bool)
        self.route = corridor_routes(s, self.corridor_open)
        self.route0 = self.route.copy()
        self.trade0 = self.trade.copy()
        self.gdp0 = self.gdp.copy()
        bilateral = seq_sum_rows(self.trade + self.trade.T)
        self.row_trade0 = np.maximum(0.0, s.total_trade - bilateral)
        self.row_trade = self.row_trade0.copy()
        received = seq_sum_cols(np.vstack([self.programme_finance[None, :], self.finance]))
        self.row_finance0 = np.maximum(0.0, s.external_finance - received)
        self.growth_exponent = np.full(N, np.nan)
        self.growth_factor = np.ones(N)
        # Interdependence at t0 (§5 item 5), costs at t0 (item 6), gravity calibration (§7.2.2)
        self.update_interdependence()
        self.tau0 = self.trade_costs()
        if s.gravity == "structural":
            self.calibrate_gravity()
        # Gas logit constants (§5 item 7), against the outside option (alpha 0)
        landable = self.landable()
        inflow = seq_sum_cols(self.energy)
        with np.errstate(invalid="ignore", divide="ignore"):
            outside_share = np.maximum(MIN_OUTSIDE_SHARE, 1.0 - inflow / landable)
            alpha = np.log(self.energy / landable[None, :] / outside_share[None, :]) + s.beta * (
                self.effective_energy_cost() - s.rest_of_world_energy_cost[None, :])
        calibrated = (landable[None, :] > 0.0) & (self.energy > 0.0) & ~np.eye(N, dtype=bool)
        self.energy_taste = np.where(calibrated, alpha, 0.0)
        # Benefit channels at t0 (§5 item 8)
        self.channel0 = self.benefit_channels(self.R)
        self.impulses = []  # this step's impulses (from, to, d, delta, clamp) for contributions
        # Buffers reused every step (fresh 16 MB arrays a step cost page faults at 200 actors).
        self._contributions = np.zeros((len(TERMS), D, N, N))  # [term, d, i, j]
        self._drift = np.zeros((DRIFT_TERMS, D, N, N))
        self._noise = np.zeros((D, N, N))
        self._hash_buffers = tuple(np.zeros((N, N, D), dtype=np.uint64) for _ in range(3))
        moves = np.broadcast_to(~s.passive[None, :, None], (D, N, N)).copy()
        if s.self_appraisal == "fixed":
            moves[:, np.arange(N), np.arange(N)] = False
        self._moves = moves.astype(np.float64)  # 1 where decide moves r[d, i, j], else 0
        self.event_log, self.admission_log = [], []
        self.next_event = 0

    def landable(self):
        """The gas each importer can land: its need within its import capacity (0: no limit)."""
        return np.where(self.import_capacity > 0.0,
                        np.minimum(self.energy_demand, self.import_capacity), self.energy_demand)

    def relation_overall(self, x):
        """R[i, j] = sum_d w[i, d] r[d, i, j], the domains summed in order (§2.2)."""
        R = np.zeros(x.shape[1:])
        for d in range(x.shape[0]):
            R = R + self.spec.interests[:, d, None] * x[d]
        return R

    def finance_flows(self):
        """F[i, j] after financial sanctions: the components' total times what the blocks let
        through (§7.2.1, typed sanctions)."""
        a, b, c, d = self.finance_parts
        total = ((a + b) + c) + d
        return total * (1.0 - self.finance_cut_out) * (1.0 - self.finance_cut_in.T)

    def record_programmes(self):
        """P[i]: the programmes going on for i, lenders summed in order (§7.3.2)."""
        P = np.zeros(self.spec.N)
        for l in range(len(self.spec.lenders)):
            P = P + np.where(self.programme_suspended[l], 0.0, self.programme_amount[l])
        self.programme_finance = P

    # -------------------------------------------------------------------- §7.1 events
    def events_and_impulses(self):
        """§7.1: every event of this step, in sorted order (apply_event), then R again."""
        s = self.spec
        while self.next_event < len(s.events) and s.events[self.next_event]["step"] == self.step_index:
            self.apply_event(s.events[self.next_event])
            self.next_event += 1

    def impulse(self, frm, to, domains, delta):
        """r <- C(r + delta), r0 <- clip(r0 + p_E delta) over the event's domains (§7.1)."""
        s = self.spec
        for d in (domains if domains else range(s.D)):
            moved = self.x[d, frm, to] + delta
            kept = min(1.0, max(-1.0, moved)) if s.clamp else moved
            self.impulses.append((frm, to, d, delta, kept - moved))
            self.x[d, frm, to] = kept
            self.x0[d, frm, to] = min(1.0, max(-1.0, self.x0[d, frm, to]
                                                + s.lambda_event_persistence * delta))

    def apply_event(self, e):
        """One event (§7.1 'Kinds'; events.cpp), its impulse (if G != 0) and its log row.

        Code: the kinds trade_cost (§7.2.1), finance and programme (§7.3.2) and import_capacity
        (§7.2.4), missing from §7.1's table, are applied here too; a sanction's effect depends on
        its type and direction (§7.2.1); the log's event_index is the event's position among the
        enabled events sorted by step (docs/output-format.md says: in the [[events]] list)."""
        s = self.spec
        A, kind = e["actor"], e["kind"]
        reverse = 1.0 if e["mutual"] else (0.0 if kind in ("sanction", "lift_sanction")
                                           else s.lambda_event_reciprocal)

        def impulse_to(t):
            if e["goldstein"] == 0.0:
                return
            delta = s.lambda_event_scale * e["goldstein"]
            self.impulse(A, t, e["domains"], delta)
            if reverse != 0.0:
                self.impulse(t, A, e["domains"], reverse * delta)

        def log(target):
            code = e.get("actor_code") if target is None else s.codes[target]
            self.event_log.append((self.step_index, e["index"], code, e["goldstein"]))

        if kind == "impulse":
            for t in e["targets"]:
                impulse_to(t)
                log(t)
        elif kind == "sanction":
            for t in e["targets"]:
                exports, imports = e["direction"] != "imports", e["direction"] != "exports"
                if e["type"] == "trade":
                    if e["direction"] == "both":
                        self.sanction[A, t] += e["intensity"]
                    elif exports:
                        self.export_sanction[A, t] += e["intensity"]
                    else:
                        self.import_sanction[A, t] += e["intensity"]
                    self.secondary[A, t] += e["secondary"]
                    self.any_secondary = self.any_secondary or e["secondary"] > 0.0
                elif e["type"] == "financial":
                    if exports:
                        self.finance_cut_out[A, t] = 1.0 - (1.0 - self.finance_cut_out[A, t]) * (
                            1.0 - e["intensity"])
                    if imports:
                        self.finance_cut_in[A, t] = 1.0 - (1.0 - self.finance_cut_in[A, t]) * (
                            1.0 - e["intensity"])
                    self.finance = self.finance_flows()
                impulse_to(t)
                log(t)
        elif kind == "lift_sanction":
            for t in e["targets"]:
                if e["persistence"] > 0.0:
                    self.lingering[A, t] += self.sanction[A, t] + self.export_sanction[A, t]
                    self.lingering[t, A] += self.sanction[A, t] + self.import_sanction[A, t]
                    self.lingering_rate[A, t] = self.lingering_rate[t, A] = 1.0 / e["persistence"]
                for m in (self.sanction, self.secondary, self.export_sanction,
                          self.import_sanction, self.finance_cut_out, self.finance_cut_in):
                    m[A, t] = 0.0
                self.finance = self.finance_flows()
                impulse_to(t)
                log(t)
        elif kind == "trade_cost":
            for t in e["targets"]:
                if e["direction"] != "imports":
                    self.tariff[A, t] = e["intensity"]
                if e["direction"] != "exports":
                    self.tariff[t, A] = e["intensity"]
                impulse_to(t)
                log(t)
        elif kind == "energy_link":
            for t in e["targets"]:
                self.energy_capacity[A, t] = e["capacity"]
                if e["cost"] > 0.0:
                    self.energy_cost[A, t] = e["cost"]
                impulse_to(t)
                log(t)
        elif kind == "apply":
            if not self.membership[A, e["institution"]]:
                self.applicant[A, e["institution"]] = True
            log(A)
        elif kind == "finance":
            for t in e["targets"]:
                for k, key in enumerate(("aid", "lending", "investment", "remittances")):
                    if key in e["finance"]:
                        self.finance_parts[k, A, t] = e["finance"][key]
                self.finance = self.finance_flows()
            for t in e["targets"]:
                impulse_to(t)
                log(t)
        elif kind == "programme":
            l = e["lender"]
            self.programme_amount[l, A] = e["amount"]
            if e["catalysed"] is not None:
                self.programme_catalysed[l, A] = e["catalysed"]
            self.programme_suspended[l, A] = False
            self.record_programmes()
            log(A)
        elif kind in ("join", "leave"):
            if e["other_member"] is None:
                self.membership[A, e["institution"]] = kind == "join"
                if kind == "join":
                    self.applicant[A, e["institution"]] = False
            log(A)
        elif kind == "import_capacity":
            self.import_capacity[A] = e["capacity"]
            log(A)
        elif kind == "corridor":
            self.corridor_open[e["edge"]] = e["open"]
            self.route = corridor_routes(s, self.corridor_open)
            log(A)
        self.R = self.relation_overall(self.x)

    # -------------------------------------------------------------------- §7.2 flows
    def trade_costs(self):
        """§7.2.1: tau = route factor (1 + wedge) discount exp(-kappa Rbar); sets the wedge and
        the relation factor that the gas costs read too. The secondary part reads the trade
        shares of the last interdependence phase (the previous step's).

        Code: the institution discount reads the membership after this step's events (a `join`
        or `leave` event of this step counts at once), not the membership "at the start of the
        step" (§3's table, §7.2.1)."""
        s = self.spec
        N = s.N
        if self.any_secondary:
            P = self.product(self.trade_share, self.secondary)
        if self.anticipated_events:
            self.anticipated = np.zeros((N, N))
            for e in self.anticipated_events:
                start = e["date"] - e["anticipation"]
                # Until the step that applies the sanction in full (§7.2.1).
                if self.time < start or self.step_index >= e["step"]:
                    continue
                ramp = e["intensity"] * (self.time - start) / e["anticipation"]
                for t in e["targets"]:
                    if e["direction"] != "imports":
                        self.anticipated[e["actor"], t] += ramp
                    if e["direction"] != "exports":
                        self.anticipated[t, e["actor"]] += ramp
        wedge = (((((self.sanction + self.sanction.T) + self.export_sanction)
                   + self.import_sanction.T) + self.tariff) + self.anticipated) + self.lingering
        if self.any_secondary:
            wedge = wedge + s.phi * (P + P.T)
        np.fill_diagonal(wedge, 0.0)
        self.wedge = wedge
        self.relation_factor = np.exp(-s.kappa * (0.5 * (self.R + self.R.T)))
        with np.errstate(invalid="ignore", divide="ignore"):
            measured = np.isfinite(self.route0) & (self.route0 > 0.0)
            # trade moves by (d/d0)^-delta when a route changes: rho = (d/d0)^(delta/theta)
            ratio = np.where(self.route == self.route0, 1.0,
                             np.power(self.route / self.route0, s.delta / s.theta))
            route = np.where(measured, np.where(np.isfinite(self.route), ratio,
                                                CLOSED_ROUTE_FACTOR), 1.0)
        discount = np.ones((N, N))
        for k, inst in enumerate(s.institutions):
            both = self.membership[:, k, None] & self.membership[None, :, k]
            discount = np.where(both, discount * (1.0 - inst["discount"]), discount)
        tau = ((route * (1.0 + wedge)) * discount) * self.relation_factor
        np.fill_diagonal(tau, 1.0)
        return tau

    def effective_energy_cost(self):
        """c~[k, j] = c[k, j] (1 + w[k, j]) exp(-kappa Rbar[k, j]) (§7.2.4)."""
        return self.energy_cost * (1.0 + self.wedge) * self.relation_factor

    def calibrate_gravity(self):
        """§7.2.2, 'Regions and the matrix at t0': the complete (N+1) x (N+1) matrix X0, the rest
        of the world last, its row and column sums (the row sums by Eigen's vectorised sum, the
        column sums in order, as the engine takes them).

        Code: an actor's domestic sales are max(0.1 Y0_i, Y0_i - its exports to the other actors
        - its exports to the rest of the world X0_iW), the rest of the world counted among the
        destinations j != i."""
        s = self.spec
        N = s.N
        X = np.zeros((N + 1, N + 1))
        X[:N, :N] = self.trade
        np.fill_diagonal(X, 0.0)
        X[:N, N] = ROW_EXPORT_SHARE * self.row_trade0
        X[N, :N] = (1.0 - ROW_EXPORT_SHARE) * self.row_trade0
        exports = seq_sum_rows(np.hstack([X[:N, :N], X[:N, N:N + 1]]))
        X[np.arange(N), np.arange(N)] = np.maximum(MIN_DOMESTIC_SHARE * self.gdp0, self.gdp0 - exports)
        actors_gdp = seq_sum(self.gdp0)
        rest_gdp = max(MIN_REST_OF_WORLD_SHARE * s.world_gdp, s.world_gdp - actors_gdp)
        rest_exports = eigen_row_sums(X)[N]  # Eigen's row(W).sum(), before X[W, W] is set
        X[N, N] = max(MIN_DOMESTIC_SHARE * rest_gdp, rest_gdp - rest_exports)
        self.base_flow = X
        self.sales0 = eigen_row_sums(X)  # Eigen's row(r).sum()
        self.spending0 = seq_sum_cols(X)  # col(r).sum(): strided, sequential
        self.scale_out = np.ones(N + 1)
        self.scale_in = np.ones(N + 1)
        self.sales_target = self.sales0.copy()
        self.spending_target = self.spending0.copy()
        self.gravity_flow = X.copy()

    def structural_gravity(self, tau):
        """§7.2.2: X*_rs = X0_rs (tau/tau0)^-theta A_r B_s with each region's sales and spending
        at their targets; A, B by region-by-region Gauss-Seidel (the joint quadratic update),
        warm-started, at most 200 rounds (gravity.cpp)."""
        s = self.spec
        N = s.N
        R = N + 1
        world, world0 = seq_sum(self.gdp), seq_sum(self.gdp0)
        growth = np.append(self.gdp / self.gdp0, world / world0)
        previous_sales, previous_spending = self.sales_target, self.spending_target
        self.sales_target = self.sales0 * growth
        self.spending_target = self.spending0 * growth
        sales, spending = seq_sum(self.sales_target), seq_sum(self.spending_target)
        self.spending_target = self.spending_target * (sales / spending)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.scale_out = np.where(previous_sales > 0.0, self.scale_out * np.sqrt(
                self.sales_target / previous_sales), self.scale_out)
            self.scale_in = np.where(previous_spending > 0.0, self.scale_in * np.sqrt(
                self.spending_target / previous_spending), self.scale_in)
        S = self.base_flow.copy()
        shocked = (self.trade0 > 0.0) & ~np.eye(N, dtype=bool)
        S[:N, :N] = np.where(shocked, S[:N, :N] * np.power(tau / self.tau0, -s.theta), S[:N, :N])
        ST = np.ascontiguousarray(S.T)
        sales_sum = eigen_gemv(S, self.scale_in)
        spending_sum = eigen_gemv(ST, self.scale_out)
        A, B = self.scale_out.tolist(), self.scale_in.tolist()
        own_list, y_list, e_list = np.diag(S).tolist(), self.sales_target.tolist(), \
            self.spending_target.tolist()
        sqrt = math.sqrt

        def positive_root(qa, qb, qc):
            root = sqrt(qb * qb - 4.0 * qa * qc)
            return -2.0 * qc / (qb + root) if qb >= 0.0 else (root - qb) / (2.0 * qa)

        for _ in range(MAX_SCALING_ROUNDS):
            converged = True
            for r in range(R):
                own, a_old, b_old = own_list[r], A[r], B[r]
                q = float(sales_sum[r]) - own * b_old
                c = float(spending_sum[r]) - own * a_old
                y, e = y_list[r], e_list[r]
                if own > 0.0 and q > 0.0 and c > 0.0:
                    b_new = positive_root(c * own, own * y + c * q - e * own, -e * q)
                    a_new = positive_root(q * own, own * e + q * c - y * own, -y * c)
                else:
                    row_sum = own * b_old + q
                    a_new = y / row_sum if row_sum > 0.0 else 0.0
                    col_sum = own * a_new + c
                    b_new = e / col_sum if col_sum > 0.0 else 0.0
                da, db = a_new - a_old, b_new - b_old
                converged = (converged and abs(da) <= SCALING_TOLERANCE * a_old
                             and abs(db) <= SCALING_TOLERANCE * b_old)
                A[r], B[r] = a_new, b_new
                sales_sum += db * ST[r]
                spending_sum += da * S[r]
            if converged:
                break
        self.scale_out, self.scale_in = np.array(A), np.array(B)
        self.gravity_flow = (self.scale_out[:, None] * S) * self.scale_in[None, :]

    def partial_gravity(self, tau):
        """§7.2.2, 'Partial gravity': the targets pair by pair against t0, multilateral
        resistance fixed; trade with the rest of the world grows with own GDP (not relaxed)."""
        s = self.spec
        self.row_trade = self.row_trade0 * self.gdp / self.gdp0
        world_growth = seq_sum(self.gdp) / seq_sum(self.gdp0)
        growth_j = np.power(self.gdp / self.gdp0, s.b_destination)
        growth_i = np.power(self.gdp / self.gdp0, s.a_origin)
        with np.errstate(invalid="ignore", divide="ignore"):
            return ((self.trade0 * growth_i[:, None]) * growth_j[None, :]) / world_growth \
                * np.power(tau / self.tau0, -s.theta)

    def gas_logit(self):
        """§7.2.4: importers split the gas they can land between links and the rest of the world
        by the calibrated logit; full links leave the choice set; supplier export caps scale
        sales down. All importers at once, round by round."""
        s = self.spec
        N = s.N
        demand = self.landable()
        target = np.zeros((N, N))
        outside_target = np.zeros(N)
        links = (self.energy_capacity > 0.0) & ~np.eye(N, dtype=bool)
        active = demand > 0.0
        links &= active[None, :]
        u = self.energy_taste - s.beta * self.effective_energy_cost()
        outside_u = 0.0 - s.beta * s.rest_of_world_energy_cost
        top = np.maximum(outside_u, np.max(np.where(links, u, -np.inf), axis=0))
        outside_w = np.exp(outside_u - top)
        with np.errstate(invalid="ignore", over="ignore"):
            weight = np.where(links, np.exp(u - top[None, :]), 0.0)
        full = np.zeros((N, N), dtype=bool)
        left = demand.copy()
        todo = active.copy()
        for _ in range(N + 1):
            if not todo.any():
                break
            open_links = links & ~full
            denominator = seq_sum_cols(np.vstack([outside_w[None, :],
                                                  np.where(open_links, weight, 0.0)]))
            share = weight / denominator[None, :]
            capped = open_links & (share * left[None, :] > self.energy_capacity) & todo[None, :]
            any_capped = capped.any(axis=0)
            if any_capped.any():
                left = np.subtract.reduce(np.vstack([left[None, :],
                                                     np.where(capped, self.energy_capacity, 0.0)]),
                                          axis=0)
                full |= capped
            done = todo & ~any_capped
            if done.any():
                split = np.where(full, self.energy_capacity, share * left[None, :])
                target[:, done] = np.where(links, split, 0.0)[:, done]
                outside_target[done] = (outside_w / denominator * left)[done]
            todo &= any_capped
        sold = eigen_row_sums(target)
        over = (sold > s.energy_export_capacity) & (sold > 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            target = np.where(over[:, None], target * (s.energy_export_capacity / sold)[:, None],
                              target)
        return target, outside_target

    def update_flows(self):
        """§7.2 (phase 2): GDP grows by exp(g_i(t) dt) with the rate of the step's start, finance
        received grows with it (§7.3.2), lifted sanctions fade, then trade costs (§7.2.1), the
        gravity targets (§7.2.2), the gas need and logit targets (§7.2.4), and the relaxation of
        every flow toward its target (§7.2.3).

        Code: the gas need D_j is evaluated at the end of the step, t + dt (the frame recorded
        after the step holds D_j(t + dt)); §7.2.4 writes D_j(t)."""
        s = self.spec
        dt = s.dt
        relax = 1.0 - math.exp(-dt / s.adjustment_years)
        for i in range(s.N):
            exponent = s.gdp_growth_at(i, self.time) * dt
            if exponent != self.growth_exponent[i]:
                self.growth_exponent[i] = exponent
                self.growth_factor[i] = math.exp(exponent)
        growth = self.growth_factor
        self.gdp = self.gdp * growth
        parts = self.finance_parts
        total = ((parts[0] + parts[1]) + parts[2]) + parts[3]
        self.finance_parts = np.where((total > 0.0)[None], parts * growth[None, None, :], parts)
        self.finance = np.where(total > 0.0, self.finance_flows(), self.finance)
        live = self.lingering != 0.0
        self.lingering = np.where(live, self.lingering * np.exp(-dt * self.lingering_rate),
                                  self.lingering)
        tau = self.trade_costs()
        if s.gravity == "structural":
            self.structural_gravity(tau)
            G = self.gravity_flow
            trade_target, row_target = G[:s.N, :s.N], G[:s.N, s.N] + G[s.N, :s.N]
        else:
            trade_target, row_target = self.partial_gravity(tau), None
        self.energy_demand = np.array([s.energy_demand_at(i, self.time + dt) for i in range(s.N)])
        gas_target, outside_target = self.gas_logit()
        self.relaxation(relax, trade_target, row_target, gas_target, outside_target)

    def relaxation(self, relax, trade_target, row_target, gas_target, outside_target):
        """§7.2.3: every flow closes the share relax = 1 - exp(-dt/T_X) of the gap to its target:
        trade of the pairs with X0 > 0 and, under structural gravity, each actor's trade with the
        rest of the world (toward X*_iW + X*_Wi); gas within each link's capacity (§7.2.4); the
        gas landed from the rest of the world; then every inflow of an importer that lands more
        than its import capacity (after an import_capacity event cut it) scaled down to it, beyond
        a sum's rounding (1e-12 of it)."""
        self.trade = np.where(self.trade0 > 0.0, self.trade + relax * (trade_target - self.trade),
                              self.trade)
        if row_target is not None:
            self.row_trade = self.row_trade + relax * (row_target - self.row_trade)
        self.energy = np.minimum(self.energy + relax * (gas_target - self.energy),
                                 self.energy_capacity)
        self.energy_outside = self.energy_outside + relax * (outside_target - self.energy_outside)
        landed = seq_sum_cols(np.vstack([self.energy_outside[None, :], self.energy]))
        limit = self.import_capacity
        over = (limit > 0.0) & (landed > limit * (1.0 + 1e-12))
        if over.any():
            scale = np.where(over, limit / np.where(over, landed, 1.0), 1.0)
            self.energy = np.where(over[None, :], self.energy * scale[None, :], self.energy)
            self.energy_outside = np.where(over, self.energy_outside * scale, self.energy_outside)

    # -------------------------------------------------------------------- §7.3 interdependence
    def finance_shares(self):
        """§7.3.2: phi[i] = F_i / Y_i, FS[i, j] = min(1, (F[j, i] + sum_l b[l, j] (A + K)[l, i])
        / F_i) over programmes going on (what j provides or can block), and FG the same with
        g[l, j] (1 for a shareholder that blocks alone) for b (what j gives: the benefit)."""
        s = self.spec
        N = s.N
        FS, FG, phi = np.zeros((N, N)), np.zeros((N, N)), np.zeros(N)
        if not s.finance_channel:
            return FS, FG, phi
        total = seq_sum_cols(np.vstack([(self.row_finance0 * self.gdp / self.gdp0
                                         + self.programme_finance)[None, :], self.finance]))
        controlled = self.finance.T.copy()  # [i, j] = F[j -> i]
        given = controlled.copy()
        for l in range(len(s.lenders)):
            going = ~self.programme_suspended[l] & (self.programme_amount[l] > 0.0)
            blockable = self.programme_amount[l] + self.programme_catalysed[l]
            controlled = np.where(going[:, None],
                                  controlled + self.veto[l][None, :] * blockable[:, None], controlled)
            given = np.where(going[:, None],
                             given + self.grantor[l][None, :] * blockable[:, None], given)
        positive = total > 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            phi = np.where(positive, total / self.gdp, 0.0)
            FS = np.where(positive[:, None], np.minimum(1.0, controlled / total[:, None]), 0.0)
            FG = np.where(positive[:, None], np.minimum(1.0, given / total[:, None]), 0.0)
        np.fill_diagonal(FS, 0.0)
        np.fill_diagonal(FG, 0.0)
        return FS, FG, phi

    def update_interdependence(self):
        """§7.3 (phase 3): trade, gas and export shares, openness, gas dependence, finance
        shares, sensitivity, vulnerability by channel, leverage, Barbieri and Hirschman; the
        shortfall of §7.2.4.

        Code: T_i adds the actor's trade with the rest of the world as the flows phase left it
        (under structural gravity relaxed toward X*_iW + X*_Wi, §7.2.2), not T_RoW_i Y_i / Y0_i
        (§7.3's formula, which holds for partial gravity only); ES_ij = E_ji / M_i and the gas
        dependence eps_i = min(1, M_i c_gas / P_i) use the gas landed, M_i = E_RoW_i + sum_k E_ki,
        not the need D_i (§7.3's formula for ES and its sensitivity paragraph)."""
        s = self.spec
        X, E = self.trade, self.energy
        pair_trade = X + X.T
        bilateral = seq_sum_rows(pair_trade)
        exported_gas = seq_sum_rows(E)
        total_trade = self.row_trade + bilateral
        self.openness = total_trade / self.gdp
        gas_imports = seq_sum_cols(np.vstack([self.energy_outside[None, :], E]))
        self.energy_shortfall = np.maximum(0.0, self.energy_demand - gas_imports)
        with np.errstate(invalid="ignore", divide="ignore"):
            ed = np.where(s.primary_energy > 0.0,
                          np.minimum(1.0, gas_imports * EJ_PER_BCM / s.primary_energy), 0.0)
            TS = np.where(total_trade[:, None] > 0.0, pair_trade / total_trade[:, None], 0.0)
            ES = np.where(gas_imports[:, None] > 0.0, E.T / gas_imports[:, None], 0.0)
            # Sales counted as at least 1 % of the seller's export capacity (§7.3).
            sold = np.maximum(exported_gas, EXPORT_SHARE_CAPACITY_FLOOR * s.energy_export_capacity)
            XS = np.where(sold[:, None] > 0.0, E / sold[:, None], 0.0)
        self.gas_dependence = ed
        self.trade_share, self.energy_share, self.export_share = TS, ES, XS
        FS, FG, phi = self.finance_shares()
        self.finance_share, self.finance_given, self.finance_openness = FS, FG, phi
        O = self.openness[:, None]
        self.sensitivity = (O * TS + ed[:, None] * ES) + phi[:, None] * FS
        tv = O * partner_loss(TS, s.theta)
        ev = ed[:, None] * partner_loss(ES, (s.energy_substitution - 1.0)[:, None])
        fv = phi[:, None] * partner_loss(FS, s.finance_substitution[:, None])
        self.channel_vulnerability = np.stack([tv, ev, fv])
        self.vulnerability = (tv + ev) + fv
        self.leverage = self.vulnerability - self.vulnerability.T
        self.leverage_channels = np.moveaxis(self.channel_vulnerability
                                             - self.channel_vulnerability.transpose(0, 2, 1), 0, -1)
        self.barbieri = np.sqrt(TS * TS.T) * (1.0 - np.abs(TS - TS.T))
        self.hirschman = np.sqrt(seq_sum_rows(TS * TS))

    # -------------------------------------------------------------------- §7.4 decisions
    def shared_threat(self, R):
        """C_theta[i, j] = sum_k pi[i, k] H[i, k] H[j, k], H = max(0, -R) (§7.4.2)."""
        H = np.maximum(0.0, -R)
        return self.product(H * self.threat_weight, np.ascontiguousarray(H.T))

    def benefit_channels(self, R, threat=None):
        """§7.4.2: the five channels (trade, gas, shared threat, shared institutions, finance)
        with zero diagonals, from phase 3's shares, R and the current membership."""
        s = self.spec
        N = s.N
        C = np.zeros((len(CHANNELS), N, N))
        C[0] = self.trade_share
        C[1] = self.energy_share + self.export_share
        C[2] = self.shared_threat(R) if threat is None else threat
        if s.I > 0:
            m = self.membership.astype(np.float64)
            shared = np.zeros((N, N))
            for k in range(s.I):
                shared = shared + m[:, k, None] * m[None, :, k]
            C[3] = shared / float(s.I)
        C[4] = self.finance_given
        for c in range(len(CHANNELS)):
            np.fill_diagonal(C[c], 0.0)
        return C

    def benefit_targets(self, C):
        """§7.4.2: change of each channel since t0 (log ratio with the floor; the shared threat
        absolutely), weighed by the domain's channel weights in channel order, b = clip(r0 +
        tanh(g sigma))."""
        s = self.spec
        used = (s.channel_weight > 0.0).any(axis=0)
        change = np.zeros_like(C)
        for c in range(len(CHANNELS)):
            if not used[c]:
                continue
            if CHANNELS[c] == "threat":
                change[c] = C[c] - self.channel0[c]
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    change[c] = np.where(C[c] == self.channel0[c], 0.0, np.log(
                        (C[c] + CHANNEL_FLOOR) / (self.channel0[c] + CHANNEL_FLOOR)))
        target = np.zeros_like(self.x)
        for d in range(s.D):
            sigma = np.zeros((s.N, s.N))
            for c in range(len(CHANNELS)):
                weight = s.channel_weight[d, c]
                if weight > 0.0:
                    sigma = sigma + weight * change[c]
            shift = np.where(sigma == 0.0, 0.0, np.tanh(s.lambda_benefit_gain * sigma))
            target[d] = np.clip(self.x0[d] + shift, -1.0, 1.0)
        return target

    def drift_terms(self, x, R, fixed, out=None):
        """§7.4.3: the seven drift terms f[t, d, i, j] at relations x (overall R), with the
        quantities of §7.4.1 (`fixed`) held for the step, into `out` if given. Each term's
        leading factor is multiplied first, in the order of its formula (decide.cpp drift_row)."""
        s = self.spec
        N, D = s.N, s.D
        mu = s.responsiveness[None, :, None]
        f = np.empty((DRIFT_TERMS, D, N, N)) if out is None else out
        k = s.responsiveness[:, None] * ((s.lambda_benefit * s.interests) * float(D))  # [i, d]
        np.multiply(k.T[:, :, None], fixed["target"] - x, out=f[0])
        np.multiply(mu * s.lambda_reciprocity, x.transpose(0, 2, 1) - x, out=f[1])
        if s.lambda_pressure > 0.0:
            kp = -s.responsiveness * (s.lambda_pressure * (1.0 - s.risk))
            pressure_sum = self.product(fixed["leverage_plus"], np.maximum(0.0, -R))
            np.multiply(((kp[:, None] * pressure_sum) * 0.5)[None], 1.0 + x, out=f[2])
        else:
            f[2] = 0.0
        nu = max(1.0, float(N) - 2.0) if s.balance_normalize else 1.0
        scale = s.lambda_balance / nu
        if s.lambda_balance > 0.0:
            product = self.product(x, x)
            np.multiply(product * scale, mu, out=f[3])
        else:
            f[3] = 0.0
        if s.lambda_alignment > 0.0:
            W = fixed["influence"]
            aligned = self.product(W[None], x)
            self_view = np.diagonal(x, axis1=1, axis2=2)[:, None, :]  # r[d, j, j] at [d, ., j]
            np.multiply(mu * s.lambda_alignment,
                        ((aligned - W[None] * self_view) + W[None] * x) - x, out=f[4])
        else:
            f[4] = 0.0
        np.multiply((s.responsiveness * (s.lambda_anchor * s.inertia))[None, :, None],
                    self.x0 - x, out=f[5])
        np.multiply(((s.responsiveness * s.lambda_institutions)[:, None] * fixed["damping"])[None],
                    np.maximum(0.0, -x), out=f[6])
        diag = np.arange(N)
        f[:, :, diag, diag] = 0.0
        if s.self_appraisal == "evolve" and s.lambda_balance > 0.0:
            f[3][:, diag, diag] = s.responsiveness[None, :] * (product[:, diag, diag] * scale)
        return f

    def held_quantities(self):
        """§7.4.1: L+, the damping Gamma and the influence weights W, fixed during the step."""
        s = self.spec
        N = s.N
        fixed = {"leverage_plus": np.maximum(0.0, self.leverage)}
        damping = np.zeros((N, N))
        for k, inst in enumerate(s.institutions):
            if inst["damping"] <= 0.0:
                continue
            both = self.membership[:, k, None] & self.membership[None, :, k] & ~np.eye(N, dtype=bool)
            damping = np.where(both, damping + inst["damping"], damping)
        fixed["damping"] = damping
        if s.lambda_alignment > 0.0:
            if s.influence is not None:
                fixed["influence"] = s.influence
            else:
                Sx = np.where(np.eye(N, dtype=bool), 0.0, self.sensitivity)
                total = seq_sum_rows(Sx)
                with np.errstate(invalid="ignore", divide="ignore"):
                    fixed["influence"] = np.where(total[:, None] > 0.0, Sx / total[:, None],
                                                  np.eye(N))
        return fixed

    def noise(self, out):
        """§4.8, §7.4.5: sigma_i sqrt(dt) z[t, i, j, d] into out[d, i, j], z the keyed normal of
        (step, actor, partner, domain): the ziggurat on the hashes of the keys (stream 1, step,
        kappa(actor), kappa(partner), kappa(domain)) prefixed by 1 and 2. None on the diagonal,
        for passive actors or where sigma_i = 0.

        Code: each key is mixed as x' = (x + g) ^ (mix(x + g) + key), then mix(x' + g), g the
        splitmix64 increment and mix its output function: the "x ^= sm(x) + k" of §4.8 XORs
        the advanced state x + g, not x."""
        s = self.spec
        N, D = s.N, s.D
        sigma = s.noise * math.sqrt(s.dt)
        draws = ~s.passive[:, None] & ~np.eye(N, dtype=bool) & (sigma > 0.0)[:, None]
        if not draws.any():
            out.fill(0.0)
            return out
        step = self.step_index
        ak, dk = s.actor_key, s.domain_key

        def hashes(prefix):  # the hashes of (prefix, stream, step, actor, partner): [i, j]
            h = np.uint64(key_chain_int(self.root, prefix, NOISE_STREAM, step))
            h = key_mix_u64(np.full(N, h, dtype=np.uint64), ak)  # [i]
            return key_mix_u64(h[:, None], ak[None, :])  # [i, j]

        hu, tmp, z = self._hash_buffers
        hu[...] = hashes(1)[:, :, None]
        key_mix_inplace(hu, dk[None, None, :], tmp, z)  # [i, j, d]
        pair_v = hashes(2)
        flat_dk = np.broadcast_to(dk[None, None, :], (N, N, D)).ravel()
        flat_v = np.broadcast_to(pair_v[:, :, None], (N, N, D)).ravel()

        def hash_v_of(index):
            return key_mix_u64(flat_v[index], flat_dk[index])

        normal = keyed_normals(hu, hash_v_of)  # [i, j, d]
        normal *= sigma[:, None, None]
        np.copyto(out, normal.transpose(2, 0, 1))
        out *= draws[None]
        return out

    def decide(self):
        """§7.4: inputs held fixed (§7.4.1), benefit targets (§7.4.2), the drift (§7.4.3)
        integrated by Euler or RK4 (§7.4.4), then rate bound, noise, clamping and the
        contributions (§7.4.5); passive actors and (fixed) self-relations do not move."""
        s = self.spec
        dt = s.dt
        fixed = self.held_quantities()
        if s.lambda_benefit > 0.0:
            C = self.benefit_channels(self.R)
            fixed["target"] = self.benefit_targets(C)
        else:
            fixed["target"] = np.zeros_like(self.x)
        if s.integrator == "euler":
            increment = self.drift_terms(self.x, self.R, fixed, out=self._drift)
            increment *= dt
        else:
            def stage(k, h):
                y = self.x.copy()
                for t in range(DRIFT_TERMS):
                    y = y + h * k[t]
                return y
            k1 = self.drift_terms(self.x, self.R, fixed)
            y = stage(k1, 0.5 * dt)
            k2 = self.drift_terms(y, self.relation_overall(y), fixed)
            y = stage(k2, 0.5 * dt)
            k3 = self.drift_terms(y, self.relation_overall(y), fixed)
            y = stage(k3, dt)
            k4 = self.drift_terms(y, self.relation_overall(y), fixed)
            increment = (dt / 6.0) * (((k1 + 2.0 * k2) + 2.0 * k3) + k4)
        self.rate_bound_noise_clamp(increment)

    def rate_bound_noise_clamp(self, increment):
        """§7.4.5: Delta = sum of the terms' increments (in term order), bounded by B dt, plus
        noise, clipped; the contributions of every term, this step's impulses included (set, not
        added, each step). Passive actors and fixed self-relations keep their values."""
        s = self.spec
        bound = s.lambda_max_change_per_year * s.dt
        drift = increment.sum(axis=0)  # the first axis of a C-contiguous array: in term order
        bounded = np.where(np.abs(drift) > bound, np.copysign(bound, drift), drift)
        noise = self.noise(self._noise)
        moved = (self.x + bounded) + noise
        kept = np.clip(moved, -1.0, 1.0) if s.clamp else moved
        moves = self._moves
        c = self._contributions  # [term, d, i, j]
        if s.record_contributions:
            np.multiply(increment, moves, out=c[:DRIFT_TERMS])
            c[T_EVENT] = 0.0
            impulse_clamp = c[T_NOISE]  # scratch until the noise goes in
            impulse_clamp.fill(0.0)
            for frm, to, d, delta, clamp in self.impulses:
                c[T_EVENT, d, frm, to] += delta
                impulse_clamp[d, frm, to] += clamp
            cl = c[T_CLAMP]
            np.subtract(bounded, drift, out=cl)
            cl += kept - moved
            cl *= moves
            np.add(impulse_clamp, cl, out=cl)
            np.copyto(c[T_NOISE], noise)
        self.impulses = []
        self.x = np.where(moves > 0.0, kept, self.x)
        self.R = self.relation_overall(self.x)

    # -------------------------------------------------------------------- §7.5 institutions
    def months_of_step(self):
        """§7.5.1: the month indices [first, last) that begin within this step."""
        per_step = 12.0 / self.spec.steps_per_year
        first = math.floor(float(self.step_index) * per_step + 1e-9)
        last = math.floor(float(self.step_index + 1) * per_step + 1e-9)
        return first, last

    def summit_in_step(self, summit_month):
        if summit_month <= 0:
            return False
        first, last = self.months_of_step()
        return any((self.spec.start_month - 1 + m) % 12 + 1 == summit_month
                   for m in range(first, last))

    def review_programmes(self):
        """§7.3.2 'Reviews (phase 5)': a programme is suspended while opposing shareholders' votes
        reach the blocking share, and resumes when they do not."""
        s = self.spec
        changed = False
        first, last = self.months_of_step()
        for l, lender in enumerate(s.lenders):
            months = lender["review_months"]
            if months <= 0 or not any((m + 1) % months == 0 for m in range(first, last)):
                continue
            for i in range(s.N):
                if self.programme_amount[l, i] <= 0.0:
                    continue
                opposed = 0.0
                for k in range(s.N):
                    if k != i and (self.R[k, i] < lender["support_threshold"]
                                   or self.finance_cut_out[k, i] > 0.0):
                        opposed += lender["votes"][k]
                blocked = opposed >= lender["blocking_share"]
                changed = changed or blocked != self.programme_suspended[l, i]
                self.programme_suspended[l, i] = blocked
        if changed:
            self.record_programmes()

    def votes(self):
        """§7.5.2-7.5.3: at each institution's summit, every pending applicant (actor order) is
        voted on by the members and the members that are not actors; consensus, majority or a
        Probabilistic Condorcet Election with the keyed uniform of (step, institution,
        applicant). Admissions take effect at once."""
        s = self.spec
        for k, inst in enumerate(s.institutions):
            if not self.summit_in_step(inst["summit_month"]):
                continue
            for a in range(s.N):
                if not self.applicant[a, k]:
                    continue
                yes = no = 0
                strength_for = strength_against = 0.0
                for m in range(s.N):
                    if m == a or not self.membership[m, k]:
                        continue
                    utility = self.R[m, a] - inst["threshold"]
                    if utility >= 0.0:
                        yes += 1
                    else:
                        no += 1
                    salience = 0.0 if inst["domains"] else 1.0
                    for d in inst["domains"]:
                        salience += s.interests[m, d]
                    vote = s.military[m] * salience * utility
                    strength_for += max(0.0, vote)
                    strength_against += max(0.0, -vote)
                for o in inst["others"]:
                    if self.step_index < o["joined_step"] or self.step_index >= o["left_step"]:
                        continue
                    utility = o["stance"][a] - inst["threshold"]
                    if utility >= 0.0:
                        yes += 1
                    else:
                        no += 1
                    vote = o["military"] * o["salience"] * utility
                    strength_for += max(0.0, vote)
                    strength_against += max(0.0, -vote)
                if inst["rule"] == "consensus":
                    admitted = no == 0
                    probability = 1.0 if admitted else 0.0
                elif inst["rule"] == "majority":
                    admitted = yes + no == 0 or 2 * yes > yes + no
                    probability = 1.0 if admitted else 0.0
                else:
                    cf = math.pow(strength_for, inst["pce_exponent"])
                    ca = math.pow(strength_against, inst["pce_exponent"])
                    probability = cf / (cf + ca) if cf + ca > 0.0 else 0.5
                    draw = unit_int(key_chain_int(self.root, ADMISSION_STREAM, self.step_index,
                                                  inst["key"], int(s.actor_key[a])))
                    admitted = draw < probability
                self.admission_log.append((self.step_index, k, a, yes, no, probability, admitted))
                if admitted:
                    self.membership[a, k] = True
                    self.applicant[a, k] = False

    def run_institutions(self):
        """§7.5 (phase 5): programme reviews, then summits."""
        self.review_programmes()
        self.votes()

    # -------------------------------------------------------------------- §3 the step
    def step(self):
        """One step (§3; Simulation::step): events, flows, interdependence, decide,
        institutions; then the clock."""
        self.events_and_impulses()
        self.update_flows()
        self.update_interdependence()
        self.decide()
        self.run_institutions()
        self.step_index += 1
        self.time = self.spec.start + float(self.step_index) * self.spec.dt

    def frame(self):
        """The recorded datasets of the current state, in the run file's layout
        (docs/output-format.md)."""
        return {
            "time": np.array(self.time), "step": np.array(self.step_index),
            "relations": self.x.transpose(1, 2, 0), "relation_overall": self.R,
            "trade": self.trade, "energy": self.energy, "gdp": self.gdp,
            "energy_demand": self.energy_demand, "energy_shortfall": self.energy_shortfall,
            "sensitivity": self.sensitivity, "vulnerability": self.vulnerability,
            "leverage": self.leverage, "leverage_channels": self.leverage_channels,
            "finance": self.finance, "programme_finance": self.programme_finance,
            "barbieri": self.barbieri, "hirschman": self.hirschman,
            "membership": self.membership.astype(np.uint8),
            "contributions": self._contributions.transpose(2, 3, 1, 0),
            "network/route_cost": self.route,
            "network/corridor_open": self.corridor_open.astype(np.uint8),
        }


# ------------------------------------------------------------------------------------------------
# Command line

def _libm_check():
    """True when NumPy's exp, log, tanh and pow give glibc's bits (see the module docstring)."""
    rng = np.random.default_rng(7)
    v = rng.uniform(-3.0, 3.0, 512)
    p = np.abs(v) + 0.1
    return (all(np.exp(v) == [math.exp(a) for a in v]) and all(np.log(p) == [math.log(a) for a in p])
            and all(np.tanh(v) == [math.tanh(a) for a in v])
            and all(np.power(p, -4.0) == [math.pow(a, -4.0) for a in p]))


class _Diff:
    def __init__(self):
        self.max_abs = 0.0
        self.max_scaled = 0.0
        self.max_rel = 0.0
        self.first_bad = None
        self.compared = 0


# Datasets that are differences of larger quantities take their scale from those: the shortfall is
# the need minus the gas landed (§7.2.4).
SCALE_OF = {"energy_shortfall": "energy_demand"}


def _compare_values(name, ours, theirs, step, diffs, rtol, atol, scale_values=None):
    """One frame of one dataset. An element agrees when |ours - engine| <= atol * scale +
    rtol * |engine|, scale being the largest |value| of the dataset (or of the one SCALE_OF
    names, `scale_values`) in the engine's frame, at least 1: quantities near 0 that are
    computed from larger ones (a relation near 0, a shortfall) are held to the precision of what
    they are computed from."""
    ours = np.asarray(ours, dtype=np.float64)
    theirs = np.asarray(theirs, dtype=np.float64)
    if ours.shape != theirs.shape:
        raise ScenarioError(f"dataset '{name}' has shape {theirs.shape} in the run file, "
                            f"the reference has {ours.shape}")
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    with np.errstate(invalid="ignore"):
        delta = np.where(same, 0.0, np.abs(ours - theirs))
        magnitude = np.abs(theirs)
        scale_of = magnitude if scale_values is None else np.abs(scale_values)
        finite = scale_of[np.isfinite(scale_of)]
        scale = max(1.0, float(finite.max())) if finite.size else 1.0
        rel = np.where(same | (magnitude == 0.0), np.where(same, 0.0, np.inf),
                       delta / np.where(magnitude > 0.0, magnitude, 1.0))
        bad = ~same & ~(delta <= atol * scale + rtol * magnitude)
    d = diffs.setdefault(name, _Diff())
    d.compared += 1
    if delta.size:
        d.max_abs = max(d.max_abs, float(np.max(delta)))
        d.max_scaled = max(d.max_scaled, float(np.max(delta)) / scale)
        d.max_rel = max(d.max_rel, float(np.max(rel)))
    if bad.any() and d.first_bad is None:
        d.first_bad = step


def compare(spec, run_path, steps, rtol, atol, products):
    """--compare: steps the reference and compares every state dataset of the run file frame by
    frame; prints a table; returns the exit status (0 agree, 1 differ)."""
    try:
        import h5py
    except ImportError:
        raise ScenarioError("--compare needs h5py (Debian's python3-h5py)") from None
    try:
        f = h5py.File(run_path, "r")
    except OSError as e:
        raise ScenarioError(f"{run_path}: cannot open the run file: {e}") from None
    with f:
        text = lambda name: [v.decode() if isinstance(v, bytes) else str(v)  # noqa: E731
                             for v in f[name][:]]
        for name in ("actor", "domain", "step", "relations"):
            if name not in f:
                raise ScenarioError(f"{run_path}: not an interdep run file (no '{name}')")
        if text("actor") != spec.codes:
            raise ScenarioError(f"{run_path}: its actors {text('actor')} are not the scenario's "
                                f"{spec.codes}")
        if text("domain") != spec.domains:
            raise ScenarioError(f"{run_path}: its domains differ from the scenario's")
        if "institution" in f and text("institution") != [i["name"] for i in spec.institutions]:
            raise ScenarioError(f"{run_path}: its institutions differ from the scenario's")
        file_seed = int(f.attrs["seed"]) if "seed" in f.attrs else spec.seed
        if file_seed != spec.seed:
            raise ScenarioError(f"{run_path}: the run used seed {file_seed}, the scenario (with "
                                f"--seed) gives {spec.seed}; pass --seed {file_seed}")
        file_steps = int(f.attrs.get("steps", spec.steps))
        if file_steps != spec.steps:
            raise ScenarioError(f"{run_path}: the run has {file_steps} steps, the scenario (after "
                                f"--set) {spec.steps}: run both with the same time settings")
        frame_steps = f["step"][:].tolist()
        every = int(f.attrs.get("record_every", spec.record_every))  # frames span `every` steps
        if steps is None:
            steps = spec.steps
        if steps > spec.steps:
            raise ScenarioError(f"--steps {steps} is more than the scenario's {spec.steps}")
        if not _libm_check():
            print("warning: NumPy's exp/log/tanh/pow are not glibc's here (NumPy was imported "
                  "before NPY_DISABLE_CPU_FEATURES could be set); expect last-bit differences",
                  file=sys.stderr)
        t0 = _time.perf_counter()
        model = Model(spec, products)
        datasets = [k for k in model.frame() if k in f]
        skipped = [k for k in model.frame() if k not in f and k not in ("time", "step")]
        diffs = {}
        pending = None  # contributions summed since the last frame (output.every > 1)

        def check(frame_index, s):
            ours = model.frame()
            for name in datasets:
                value = ours[name]
                if name == "contributions" and pending is not None:
                    value = pending
                if name == "contributions" and s == 0:
                    value = np.zeros_like(value)
                scale_values = f[SCALE_OF[name]][frame_index] if name in SCALE_OF else None
                _compare_values(name, value, f[name][frame_index], s, diffs, rtol, atol,
                                scale_values)

        if frame_steps and frame_steps[0] == 0:
            check(0, 0)
        frame_of = {s: k for k, s in enumerate(frame_steps)}
        for s in range(1, steps + 1):
            model.step()
            if every > 1:
                step_contributions = model.frame()["contributions"]
                pending = step_contributions.copy() if pending is None \
                    else pending + step_contributions
            if s in frame_of:
                check(frame_of[s], s)
                pending = None
        # The logs: events applied and admission decisions, within the steps compared.
        log_rows = []
        if "events" in f and "step" in f["events"]:
            g = f["events"]
            file_rows = [(int(st), int(ix), str(t.decode() if isinstance(t, bytes) else t),
                          float(w)) for st, ix, t, w in zip(g["step"][:], g["event_index"][:],
                                                            g["target"][:], g["goldstein"][:])
                         if st < steps]
            ours_rows = list(model.event_log)
            log_rows.append(("events", len(ours_rows), file_rows == ours_rows))
        if "admissions" in f and "step" in f["admissions"]:
            g = f["admissions"]
            file_rows = [(int(st), str(ins.decode()), str(ap.decode()), int(y), int(n), float(p),
                          bool(ad)) for st, ins, ap, y, n, p, ad in zip(
                              g["step"][:], g["institution"][:], g["applicant"][:],
                              g["votes_for"][:], g["votes_against"][:], g["probability"][:],
                              g["admitted"][:]) if st < steps]
            ours_rows = [(st, spec.institutions[k]["name"], spec.codes[a], y, n, p, ad)
                         for st, k, a, y, n, p, ad in model.admission_log]
            same = len(file_rows) == len(ours_rows) and all(
                a[:5] == b[:5] and a[6] == b[6] and abs(a[5] - b[5]) <= atol + rtol * abs(b[5])
                for a, b in zip(ours_rows, file_rows))
            log_rows.append(("admissions", len(ours_rows), same))
        elapsed = _time.perf_counter() - t0
    print(f"reference {os.path.basename(spec.path)}: {spec.N} actors, {steps} steps compared "
          f"with {run_path} (products: {products}; rtol {rtol:g}, atol {atol:g}; {elapsed:.1f} s)")
    print(f"{'dataset':<24} {'frames':>6} {'max |diff|':>11} {'/scale':>11} {'relative':>11}"
          "  first step over tolerance")
    ok = True
    for name in datasets:
        d = diffs.get(name)
        if d is None:
            continue
        ok = ok and d.first_bad is None
        first = "-" if d.first_bad is None else str(d.first_bad)
        print(f"{name:<24} {d.compared:>6} {d.max_abs:>11.3e} {d.max_scaled:>11.3e} "
              f"{d.max_rel:>11.3e}  {first}")
    for name, rows, same in log_rows:
        ok = ok and same
        print(f"{'/' + name:<24} {rows:>6} rows {'identical' if same else 'DIFFER'}")
    if skipped:
        print("not in the run file: " + ", ".join(skipped))
    print("AGREE" if ok else "DIFFER")
    return 0 if ok else 1


def time_steps(spec, steps, repeat, products):
    """--time: the best of `repeat` runs of `steps` steps, loading and initialisation excluded."""
    if steps is None:
        steps = spec.steps
    if steps > spec.steps:
        raise ScenarioError(f"--steps {steps} is more than the scenario's {spec.steps}")
    best, init = math.inf, math.inf
    for _ in range(repeat):
        t0 = _time.perf_counter()
        model = Model(spec, products)
        t1 = _time.perf_counter()
        for _ in range(steps):
            model.step()
        t2 = _time.perf_counter()
        init = min(init, t1 - t0)
        best = min(best, (t2 - t1) / steps)
    print(json.dumps({"actors": spec.N, "steps": steps, "seconds_per_step": best,
                      "repeat": repeat, "initialize_seconds": init, "products": products,
                      "numpy": np.__version__, "libm_bits": _libm_check()}))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Independent NumPy reference of the interdependence model's step "
                    "(docs/model.md): compare it with an engine run, or time it.")
    parser.add_argument("scenario", help="scenario TOML file")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--compare", metavar="RUN.h5", help="engine run file of the same scenario")
    mode.add_argument("--time", action="store_true", help="time the steps, print one JSON line")
    parser.add_argument("--steps", type=int, help="steps to compare or time (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (best of)")
    parser.add_argument("--rtol", type=float, default=1e-12,
                        help="relative tolerance of an element (default 1e-12)")
    parser.add_argument("--atol", type=float, default=1e-14,
                        help="absolute tolerance, in units of the dataset's largest |value| in "
                             "the frame, at least 1 (default 1e-14)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a scenario key, as the engine's --set")
    parser.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    parser.add_argument("--products", choices=("blas", "ordered"), default="blas",
                        help="matrix products by BLAS (@) or summed in the engine's order")
    args = parser.parse_args(argv)
    try:
        if args.steps is not None and args.steps < 1:
            raise ScenarioError("--steps must be at least 1")
        if args.repeat < 1:
            raise ScenarioError("--repeat must be at least 1")
        try:
            spec = load_scenario(args.scenario, args.set, args.seed)
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            raise ScenarioError(f"{args.scenario}: cannot read the scenario: "
                                f"{type(e).__name__}: {str(e)[:200]}") from None
        if args.compare:
            return compare(spec, args.compare, args.steps, args.rtol, args.atol, args.products)
        return time_steps(spec, args.steps, args.repeat, args.products)
    except ScenarioError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        sys.exit(main())
