#!/usr/bin/python3
"""Every number of a shipped scenario, sweep, calibration or checks file says where it comes from.

The rule (docs/testing.md, "The documents against the program"): a source beside every
number; a number from outside the documents names its statistic, publisher and year and says
"approx."; judgement says so. A number is cited when one of these holds:
  - its line's comment names a source: "source", "judgement", "design choice", "approx." or a
    facts.md tag such as [THESIS];
  - the block of comments right above it (above its table's header too) does;
  - its table has a `source = "..."` key (an observation, an event);
  - it is a fitted parameter (`model.` key) of a file written by `interdep calibrate`, whose
    header says how it was fitted.

Sweep, calibration and checks files hold claims about the world and choices as well as pure
settings. Their numbers need a source as above, except the pure settings, which say only how
much the program computes or records and claim nothing:
  - `replicates` (top level), and every key of the tables [design] (samples, levels, a CSV
    design's file), [record] (every, ...) and [optimizer] (max_evaluations, tolerance,
    restarts, ...).
Everything else needs a source or a "judgement" / "design choice" mark: a parameter's range or
distribution (min, max, mean, sd, values, start), a policy's settings, `seed` (a choice: say so,
e.g. "design choice: any seed"), a checks file's `agreement`, a check's dates and `threshold`, a
calibration's `[fit] until`, and any number a later version adds. Two differences from scenario
files: the comment on a table's header line, or right above the header, covers every number of
that table (a parameter's range is one claim); and a check's `source` covers its dates but not
its `threshold`, which is a judged size the record does not give (it needs its own mark).

    tests/scenario_sources.py [REPO] [FILE ...]    exit 1 listing each number without a source
"""
import pathlib
import re
import sys
import tomllib

CITED = re.compile(r"source|judgement|design choice|approx|fitted|"
                   r"\[(OUTLINE|SPUTNIK|GVS|THESIS|EXPANSION)\]", re.IGNORECASE)
# Sweep, calibration and checks files: the pure settings, which need no source (the header).
SETTING_KEYS = {"replicates"}
SETTING_TABLES = {"design", "record", "optimizer"}
# A check's `source` covers its numbers but these.
NOT_COVERED_BY_SOURCE = {"threshold"}
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


def dotted(name):
    """The parts of a dotted TOML key or table name, quotes removed."""
    parts, part, quote = [], "", None
    for c in name.strip():
        if quote:
            if c == quote:
                quote = None
            else:
                part += c
        elif c in "\"'":
            quote = c
        elif c == ".":
            parts.append(part.strip())
            part = ""
        elif not c.isspace():
            part += c
    parts.append(part.strip())
    return parts


def without_strings(code):
    return re.sub(r'"(\\.|[^"\\])*"|\'[^\']*\'', '""', code)


def uncited(path, file_kind="scenario"):
    """The numbers of the file without a source, as 'path:line: text'."""
    scenario = file_kind == "scenario"
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
    table_name = []  # the current table's dotted name ([]: the root)
    table_sourced = {}  # table start -> it has a source key
    table_cited = {}  # table start -> its header's comment, or the comments right above it, cite
    # First pass: which tables hold a `source =` key, and whose header cites.
    start = 0
    for i, line in enumerate(lines):
        code, comment = code_and_comment(line)
        stripped = code.strip()
        if stripped.startswith("["):
            start = i
            j = i - 1
            while j >= 0 and lines[j].lstrip().startswith("#"):
                j -= 1
            table_cited[start] = bool(CITED.search(" ".join(lines[j + 1:i] + [comment])))
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
            table_name = dotted(stripped.strip("[]"))
            continue
        if "=" not in stripped:
            continue
        key, value = stripped.split("=", 1)
        name = table_name + dotted(key)
        if not scenario and (name[0] in SETTING_TABLES or ".".join(name) in SETTING_KEYS):
            continue
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
        if table_sourced.get(table_start) and (scenario or name[-1] not in NOT_COVERED_BY_SOURCE):
            continue
        if not scenario and table_start > 0 and table_cited.get(table_start):
            continue
        if fitted_file and key.strip().startswith("model."):
            continue
        found.append(f"{path}:{i + 1}: {line.strip()[:100]}")
    return found


def main(argv):
    repo = pathlib.Path(argv[1] if len(argv) > 1 else ".")
    files = [pathlib.Path(f) for f in argv[2:]] or sorted((repo / "scenarios").rglob("*.toml"))
    problems, read = [], {}
    for path in files:
        with open(path, "rb") as f:
            document = tomllib.load(f)
        file_kind = kind(document)
        if file_kind is None:
            continue
        read[file_kind] = read.get(file_kind, 0) + 1
        problems += uncited(path, file_kind)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(read.items()))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} number(s) without a source in {sum(read.values())} file(s) ({counts})")
        return 1
    if not read:
        print("no scenario, sweep, calibration or checks files read")
        return 1
    print(f"ok: every number of {sum(read.values())} files ({counts}) has a source")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
