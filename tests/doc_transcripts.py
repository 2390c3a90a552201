#!/usr/bin/python3
"""Runs the command-line transcripts of the documentation pages and requires what they show.

A transcript is a fenced block whose lines start with "$ " (a command, as a user types it:
`interdep ...` or `build/interdep ...`) followed by what it printed. Each command runs in a
temporary folder that has the repository's `scenarios/` and the binary as `interdep` and
`build/interdep`; its standard output and error, merged, must be the lines shown, except:

- a sweep's progress lines ("sweep: 35/768 runs, ...") and wall times ("in 00:01"), which
  depend on the machine and the moment;
- a shown line that is "..." alone stands for any number of lines;
- "/tmp/" in a command and its output is the temporary folder;
- a command that is not literal (it holds "..." or ends with a remark in parentheses, such as
  "(last lines)") is not run.

Files a page's transcripts read but no transcript writes are made first by the page's setup
commands (SETUP below, as its text tells the reader to make them).

    tests/doc_transcripts.py build/interdep .            # every page that has transcripts
    tests/doc_transcripts.py build/interdep . docs/sweeps.md
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# The commands a page tells the reader to run before its transcripts (docs/explain-compare.md's
# first block; the grid sweep docs/sweeps.md's discover example reads, shown further down).
SETUP = {
    "docs/explain-compare.md": [
        "interdep run scenarios/sanctions.toml -o sanctions.h5 --seed 20250101",
        "interdep run scenarios/baseline.toml -o baseline.h5 --seed 20250101",
    ],
    "docs/sweeps.md": ["interdep sweep scenarios/sweeps/brics-grid.toml -o bg.h5 -q"],
}

PROGRESS = re.compile(r"^sweep: \d+/\d+ runs, ")
NOT_LITERAL = re.compile(r"\.\.\.|\s{2,}\([^)]*\)\s*$")


def transcripts(page_text):
    """(line number, command, shown lines) for every "$ " command of the page's fenced blocks."""
    found, in_block, command = [], False, None
    for number, line in enumerate(page_text.splitlines(), 1):
        if line.startswith("```"):
            if in_block and command:
                found.append(command)
            in_block, command = not in_block, None
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            if command:
                found.append(command)
            command = (number, line[2:].strip(), [])
        elif command:
            command[2].append(line)
    return found


def normalised(lines, work):
    out = []
    for line in lines:
        line = line.replace(str(work) + "/", "/tmp/").rstrip()
        if PROGRESS.match(line):
            continue
        out.append(re.sub(r" in \d\d:\d\d(:\d\d)?$", " in <time>", line))
    while out and not out[-1]:
        out.pop()
    return out


def matches(shown, got):
    """True when `got` is `shown` with each "..." line standing for any number of lines."""
    if not shown:
        return not got
    if shown[0].strip() == "...":
        return any(matches(shown[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and shown[0] == got[0] and matches(shown[1:], got[1:])


def run(command, work, env):
    done = subprocess.run(["bash", "-c", command], cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    return done.returncode, done.stdout.splitlines()


def parse_arguments(argv):
    """(binary, source tree, pages) from the command line; usage errors exit 2 (argparse)."""
    parser = argparse.ArgumentParser(
        prog="tests/doc_transcripts.py",
        description="Runs the command-line transcripts of the documentation pages (a \"$ "
                    "interdep ...\" line and what it printed) and requires the lines shown. "
                    "Exit status: 0 every transcript prints what its page shows, 1 one does "
                    "not, 2 bad usage.",
        epilog="example: tests/doc_transcripts.py build/interdep . docs/sweeps.md")
    parser.add_argument("binary", metavar="INTERDEP", help="the interdep program to run, "
                        "e.g. build/interdep")
    parser.add_argument("source", metavar="SOURCE_DIR",
                        help="the repository's root (README.md, docs/ and scenarios/)")
    parser.add_argument("pages", nargs="*", default=[], metavar="PAGE",
                        help="pages to check, relative to SOURCE_DIR (default: README.md and "
                             "every page of docs/ that has transcripts)")
    arguments = parser.parse_args(argv)
    binary, src = Path(arguments.binary).resolve(), Path(arguments.source).resolve()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        parser.error(f"argument INTERDEP: '{arguments.binary}' is not an executable file")
    if not (src / "README.md").is_file():
        parser.error(f"argument SOURCE_DIR: '{arguments.source}' has no README.md: not the "
                     "repository's root")
    for page in arguments.pages:
        if not (src / page).is_file():
            parser.error(f"argument PAGE: '{page}' is not a file under {src}")
    return binary, src, arguments.pages


def main(argv=None):
    binary, src, pages = parse_arguments(sys.argv[1:] if argv is None else argv)
    pages = pages or sorted(
        str(p.relative_to(src)) for p in [src / "README.md", *sorted((src / "docs").rglob("*.md"))]
        if transcripts(p.read_text(encoding="utf-8")))
    failures = checked = 0
    for page in pages:
        with tempfile.TemporaryDirectory(prefix="interdep-transcripts-") as tmp:
            work = Path(tmp)
            (work / "scenarios").symlink_to(src / "scenarios")
            (work / "bin").mkdir()
            (work / "bin" / "interdep").symlink_to(binary)
            (work / "build").mkdir()
            (work / "build" / "interdep").symlink_to(binary)
            env = dict(os.environ, PATH=f"{work / 'bin'}:{os.environ.get('PATH', '')}")
            for command in SETUP.get(page, []):
                status, lines = run(command, work, env)
                if status != 0:
                    print(f"FAIL: {page}: setup '{command}' exited {status}:", *lines, sep="\n  ")
                    return 1
            for number, command, shown in transcripts((src / page).read_text(encoding="utf-8")):
                if NOT_LITERAL.search(command):
                    continue
                checked += 1
                _, lines = run(command.replace("/tmp/", f"{work}/"), work, env)
                got = normalised(lines, work)
                want = normalised(shown, work)
                if matches(want, got):
                    continue
                failures += 1
                print(f"FAIL: {page}:{number}: $ {command}")
                sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(
                    want, got, "as the page shows", "as printed now", lineterm=""))
    if failures:
        print(f"{failures} of {checked} transcripts print other lines than their pages show")
        return 1
    print(f"ok: {checked} transcripts in {len(pages)} pages print what their pages show")
    return 0


if __name__ == "__main__":
    sys.exit(main())
