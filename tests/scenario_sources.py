#!/usr/bin/python3
"""Every number of a shipped scenario file says where it comes from.

The rule (docs/testing.md, "The documents against the program"): a source beside every
number; a number from outside the documents names its statistic, publisher and year and says
"approx."; judgement says so. A number is cited when one of these holds:
  - its line's comment names a source: "source", "judgement", "approx." or a facts.md tag
    such as [THESIS];
  - the block of comments right above it (above its table's header too) does;
  - its table has a `source = "..."` key (an observation, an event);
  - it is a fitted parameter (`model.` key) of a file written by `interdep calibrate`, whose
    header says how it was fitted.
Sweep, calibration and checks files name design choices (samples, seeds, dates to compare),
not facts, and are not read.

    tests/scenario_sources.py [REPO] [FILE ...]    exit 1 listing each number without a source
"""
import pathlib
import re
import sys
import tomllib

CITED = re.compile(r"source|judgement|approx|fitted|\[(OUTLINE|SPUTNIK|GVS|THESIS|EXPANSION)\]",
                   re.IGNORECASE)
# The kinds interdep tells apart (engine/scenario/file_kind.cpp), in its order.
MARKERS = [("fit", "calibration"), ("optimizer", "calibration"), ("checks", "checks"),
           ("design", "sweep"), ("parameters", "sweep"), ("actors", "scenario"),
           ("domains", "scenario"), ("relations", "scenario"), ("events", "scenario"),
           ("base", "scenario")]


def kind(document):
    for key, name in MARKERS:
        if key in document:
            return name
    return None


def code_and_comment(line):
    """The line split at its first '#' outside a string."""
    quote = None
    k = 0
    while k < len(line):
        c = line[k]
        if quote:
            if c == "\\" and quote == '"':
                k += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[:k], line[k + 1:]
        k += 1
    return line, ""


def without_strings(code):
    return re.sub(r'"(\\.|[^"\\])*"|\'[^\']*\'', '""', code)


def uncited(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    header = []  # the file's leading comments
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    fitted_file = any("Fitted by interdep calibrate" in h for h in header)
    found = []
    in_multiline = None
    table_start = 0  # line index of the current table's header (0: the root)
    table_sourced = {}  # table start -> it has a source key
    # First pass: which tables hold a `source =` key.
    start = 0
    for i, line in enumerate(lines):
        code, _ = code_and_comment(line)
        stripped = code.strip()
        if stripped.startswith("["):
            start = i
        elif re.match(r"source\s*=", stripped):
            table_sourced[start] = True
    for i, line in enumerate(lines):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        code, comment = code_and_comment(line)
        for delimiter in ('"""', "'''"):
            if code.count(delimiter) % 2 == 1:
                in_multiline = delimiter
        stripped = code.strip()
        if stripped.startswith("["):
            table_start = i
            continue
        if "=" not in stripped:
            continue
        key, value = stripped.split("=", 1)
        if not re.search(r"(?<![A-Za-z_\"])[-+]?\.?\d", without_strings(value)):
            continue
        if CITED.search(comment):
            continue
        # The comments right above, and above the table's header when the key is its first.
        j = i - 1
        while j >= 0 and (lines[j].lstrip().startswith("#") or (j == table_start and j > 0)):
            j -= 1
        if CITED.search(" ".join(lines[j + 1:i])):
            continue
        if table_sourced.get(table_start):
            continue
        if fitted_file and key.strip().startswith("model."):
            continue
        found.append(f"{path}:{i + 1}: {line.strip()[:100]}")
    return found


def main(argv):
    repo = pathlib.Path(argv[1] if len(argv) > 1 else ".")
    files = [pathlib.Path(f) for f in argv[2:]] or sorted((repo / "scenarios").rglob("*.toml"))
    problems, read = [], 0
    for path in files:
        with open(path, "rb") as f:
            document = tomllib.load(f)
        if kind(document) != "scenario":
            continue
        read += 1
        problems += uncited(path)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} number(s) without a source in {read} scenario file(s)")
        return 1
    if read == 0:
        print("no scenario files read")
        return 1
    print(f"ok: every number of {read} scenario files has a source")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
