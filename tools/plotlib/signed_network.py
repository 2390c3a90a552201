"""The signed tie graph of one frame (docs/model.md, "Network analysis"), read from /network
when the file has it, else computed from relation_overall by the same rule as the engine
(engine/network/signed_graph.hpp): Rbar_ij = (R_ij + R_ji)/2, a positive tie when
Rbar > threshold, negative when Rbar < -threshold; factions are the structural-balance camps:
the split into at most two camps with the fewest frustrated ties (negative inside a camp,
positive between camps), ties broken by the smallest sum of |Rbar| over them, then camp 0 holds
the first actor and the lexicographically smallest assignment wins (engine/network/
balance_camps.hpp; Harary 1959, Aref & Wilson 2018); a triad is balanced when its three ties
are signed and their product is positive (Heider 1946; Cartwright & Harary 1956). Here the camps
are found by enumeration only, up to EXACT_CAMP_ACTORS actors; above that the engine's heuristic
is not repeated and the actors are left uncoloured."""

import itertools
import tomllib
from dataclasses import dataclass

import numpy as np

DEFAULT_TIE_THRESHOLD = 0.1  # engine/scenario/spec.hpp NetworkSpec::tie_threshold [1]
EXACT_CAMP_ACTORS = 16  # engine/network/balance_camps.hpp kExactCampActors
TIE_WEIGHT_UNITS_PER_ONE = 2 ** 24  # balance_camps.hpp kTieWeightUnitsPerOne: exact sums


@dataclass
class SignedNetwork:
    rbar: np.ndarray  # [i, j] symmetric relation (R_ij + R_ji)/2 [1]
    sign: np.ndarray  # [i, j] in {-1, 0, +1}, zero diagonal
    faction: np.ndarray  # [i] camp 0 or 1; None when not computed (too many actors)
    frustration: int  # frustrated ties of the camps; None when not computed
    balanced_share: float  # balanced / signed triads; NaN when no triad is signed
    signed_triads: int
    tie_threshold: float  # [1]
    from_file: bool  # True when sign, faction and balanced_share come from /network


def symmetric_relation(overall):
    return (overall + overall.T) / 2.0


def tie_signs(rbar, threshold):
    sign = np.where(rbar > threshold, 1, np.where(rbar < -threshold, -1, 0)).astype(np.int8)
    np.fill_diagonal(sign, 0)
    return sign


def tie_weight_units(rbar):
    """|Rbar| in integer units of 2^-24, rounded as the engine rounds (floor(x + 0.5))."""
    return np.floor(np.abs(rbar) * TIE_WEIGHT_UNITS_PER_ONE + 0.5).astype(np.int64)


def factions(sign, rbar):
    """(camp of each actor, frustrated ties) of the best split by exact enumeration of the
    2^(n-1) splits with actor 0 in camp 0; (None, None) above EXACT_CAMP_ACTORS actors."""
    n = sign.shape[0]
    if n > EXACT_CAMP_ACTORS:
        return None, None
    if n == 0:
        return np.zeros(0, dtype=np.int32), 0
    # Row k: actor i (i >= 1) is in camp bit (n-1-i) of k, so row order is lexicographic order
    # of the assignment and the first best row is the lexicographically smallest.
    rows = np.arange(2 ** (n - 1), dtype=np.int64)
    camp = np.zeros((rows.size, n), dtype=np.int8)
    for i in range(1, n):
        camp[:, i] = (rows >> (n - 1 - i)) & 1
    upper_i, upper_j = np.triu_indices(n, 1)
    tie_sign = sign[upper_i, upper_j].astype(np.int64)
    weight = np.where(tie_sign != 0, tie_weight_units(rbar[upper_i, upper_j]), 0)
    same = camp[:, upper_i] == camp[:, upper_j]
    frustrated = (same & (tie_sign < 0)) | (~same & (tie_sign > 0))
    count = frustrated.sum(axis=1)
    weighted = (frustrated * weight).sum(axis=1)
    best = np.lexsort((rows, weighted, count))[0]
    return camp[best].astype(np.int32), int(count[best])


def triad_census(sign):
    """(signed triads, balanced triads among them)."""
    signed = balanced = 0
    for i, j, k in itertools.combinations(range(sign.shape[0]), 3):
        product = int(sign[i, j]) * int(sign[j, k]) * int(sign[i, k])
        if product != 0:
            signed += 1
            balanced += product > 0
    return signed, balanced


def scenario_tie_threshold(scenario_text):
    """[network] tie_threshold of the run's scenario, or the engine's default."""
    try:
        table = tomllib.loads(scenario_text).get("network", {})
    except tomllib.TOMLDecodeError:
        return DEFAULT_TIE_THRESHOLD
    return float(table.get("tie_threshold", DEFAULT_TIE_THRESHOLD))


def signed_network(overall, network_group, frame, scenario_text):
    """The network at `frame`; overall is relation_overall[frame] (actor × partner)."""
    rbar = symmetric_relation(overall)
    if network_group is not None:
        sign = np.asarray(network_group["sign"][frame], dtype=np.int8)
        faction = np.asarray(network_group["faction"][frame], dtype=np.int32)
        frustration = int(network_group["frustration"][frame]) \
            if "frustration" in network_group else None
        share = float(network_group["balanced_share"][frame])
        threshold = float(network_group.attrs.get("tie_threshold", DEFAULT_TIE_THRESHOLD))
        signed, _ = triad_census(sign)
        return SignedNetwork(rbar, sign, faction, frustration, share, signed, threshold, True)
    threshold = scenario_tie_threshold(scenario_text)
    sign = tie_signs(rbar, threshold)
    signed, balanced = triad_census(sign)
    share = balanced / signed if signed else float("nan")
    faction, frustration = factions(sign, rbar)
    return SignedNetwork(rbar, sign, faction, frustration, share, signed, threshold, False)
