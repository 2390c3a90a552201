#!/usr/bin/env python3
"""Writes a scenario of many actors that lists few pairs, for measuring what loading a large
world costs (docs/testing.md, "Size"): bench/large_world.py ACTORS DOMAINS > world.toml"""
import sys

actors = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
domains = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def code(i):
    letters = ""
    i += 26 * 26  # three letters at least: "BAA", ...
    while i:
        letters = chr(ord("A") + i % 26) + letters
        i //= 26
    return letters


print(f'name = "large-world-{actors}"')
print("[time]\nyears = 1\n[output]\nnetwork = false")
for d in range(domains):
    print(f"[domains.d{d}]\ntrade = 1.0")
interests = ", ".join(f"d{d} = {1 / domains!r}" for d in range(domains))
for i in range(actors):
    print(f'[actors.{code(i)}]\ngdp = {100 + i % 50}\ninterests = {{ {interests} }}')
# A ring of trade: one partner each, so the file grows with the actors, not their pairs.
print("[trade]")
for i in range(actors):
    print(f"{code(i)}.{code((i + 1) % actors)} = 1.0")
