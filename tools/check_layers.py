#!/usr/bin/python3
"""Folders are layers: every #include "a/b.hpp" of a library's source must name a header of the
same library or of one it links (directly or through others), as its CMakeLists.txt declares.

    tools/check_layers.py [SOURCE_DIR]

Reads each library folder's CMakeLists.txt (interdep_library, add_executable and the interdep::
targets they link), then every .hpp/.cpp below the folder. Prints each include
that runs up or sideways and exits 1; exits 0 with a one-line summary when there is none.
tests/ and bench/ sit above everything and are not checked."""

import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
# Library folders, bottom to top, as the top-level CMakeLists.txt adds them.
FOLDERS = re.findall(r"^\s*add_subdirectory\(([\w/]+)\)", (ROOT / "CMakeLists.txt").read_text(),
                     re.M)
FOLDERS = [f for f in FOLDERS if f not in ("tests", "bench")]


def target_of(folder):
    text = (ROOT / folder / "CMakeLists.txt").read_text()
    m = re.search(r"(?:interdep_library|add_library|add_executable|pybind11_add_module)\((\w+)", text)
    return m.group(1).removeprefix("interdep_") if m else None


def links_of(folder):
    """interdep:: targets named in the folder's interdep_library call or target_link_libraries."""
    text = (ROOT / folder / "CMakeLists.txt").read_text()
    links = set()
    for block in re.findall(r"(?:interdep_library|target_link_libraries)\((.*?)\)", text, re.S):
        links.update(re.findall(r"interdep::(\w+)", block))
    return links - {"warnings", "sanitizers"}


targets = {target_of(f): f for f in FOLDERS}
direct = {target_of(f): links_of(f) for f in FOLDERS}
reach = {}


def reachable(target, seen=()):
    if target in reach:
        return reach[target]
    if target in seen:
        sys.exit(f"check_layers: a link cycle through {target}")
    out = set()
    for dep in direct.get(target, ()):
        out |= {dep} | reachable(dep, seen + (target,))
    reach[target] = out
    return out


def owner(path):
    """The library whose folder holds `path` (the longest matching folder), or None."""
    best = None
    for folder in FOLDERS:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return target_of(best) if best else None


problems, checked = [], 0
for folder in FOLDERS:
    me = target_of(folder)
    allowed = {me} | reachable(me)
    for source in sorted((ROOT / folder).rglob("*")):
        if source.suffix not in (".hpp", ".cpp") or "node_modules" in source.parts:
            continue
        if owner(str(source.relative_to(ROOT))) != me:
            continue  # a nested library folder checks its own files
        for number, line in enumerate(source.read_text().splitlines(), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            checked += 1
            theirs = owner(m.group(1))
            if theirs is not None and theirs not in allowed:
                problems.append(f"{source.relative_to(ROOT)}:{number}: {me} includes {m.group(1)} "
                                f"of {theirs}, which {me} does not link")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"check_layers: {checked} includes in {len(FOLDERS)} libraries, none runs up or sideways")
