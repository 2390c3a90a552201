"""The signed tie graph of one frame (docs/model.md, "Network analysis"), read from /network
when the file has it, else computed from relation_overall by the same rule as the engine
(engine/network/signed_graph.hpp): Rbar_ij = (R_ij + R_ji)/2, a positive tie when
Rbar > threshold, negative when Rbar < -threshold; factions are the connected components of the
positive-tie graph numbered by their lowest actor index; a triad is balanced when its three ties
are signed and their product is positive (Heider 1946; Cartwright & Harary 1956)."""

import itertools
import tomllib
from dataclasses import dataclass

import numpy as np

DEFAULT_TIE_THRESHOLD = 0.1  # engine/spec.hpp NetworkSpec::tie_threshold [1]


@dataclass
class SignedNetwork:
    rbar: np.ndarray  # [i, j] symmetric relation (R_ij + R_ji)/2 [1]
    sign: np.ndarray  # [i, j] in {-1, 0, +1}, zero diagonal
    faction: np.ndarray  # [i] faction number 0..
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


def factions(sign):
    """Connected components of the positive-tie graph, numbered in order of lowest member."""
    n = sign.shape[0]
    faction = np.full(n, -1, dtype=np.int32)
    count = 0
    for start in range(n):
        if faction[start] >= 0:
            continue
        faction[start] = count
        stack = [start]
        while stack:
            i = stack.pop()
            for j in np.flatnonzero(sign[i] > 0):
                if faction[j] < 0:
                    faction[j] = count
                    stack.append(j)
        count += 1
    return faction


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
        share = float(network_group["balanced_share"][frame])
        threshold = float(network_group.attrs.get("tie_threshold", DEFAULT_TIE_THRESHOLD))
        signed, _ = triad_census(sign)
        return SignedNetwork(rbar, sign, faction, share, signed, threshold, True)
    threshold = scenario_tie_threshold(scenario_text)
    sign = tie_signs(rbar, threshold)
    signed, balanced = triad_census(sign)
    share = balanced / signed if signed else float("nan")
    return SignedNetwork(rbar, sign, factions(sign), share, signed, threshold, False)
