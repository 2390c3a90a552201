#!/usr/bin/python3
"""Runs the worked example of docs/python.md and compares what it prints with the output the
page shows under it, line for line. Only what depends on the moment is masked: the temporary
folder of a sweep and its wall time. A change that moves the example's numbers must update the
page with them.

    PYTHONPATH=build/python /usr/bin/python3 tests/python/doc_example.py docs/python.md
"""
import difflib
import io
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path


def blocks_after(text, heading):
    """The first ```python block after the heading and the ```text block that follows it."""
    start = text.index(heading)
    code = re.search(r"^```python\n(.*?)^```$", text[start:], re.S | re.M)
    if code is None:
        raise SystemExit(f"no python block after {heading!r}")
    shown = re.search(r"^```text\n(.*?)^```$", text[start + code.end():], re.S | re.M)
    if shown is None:
        raise SystemExit(f"no text block after the python block of {heading!r}")
    return code.group(1), shown.group(1)


def masked(output):
    output = re.sub(r"'[^']*/interdep-sweep-[^/']+/", "'<tmp>/", output)
    return re.sub(r"(runs, \d+ failed), [0-9.]+ s>", r"\1, <time> s>", output)


def main():
    page = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/python.md")
    code, shown = blocks_after(page.read_text(encoding="utf-8"), "## A worked example")
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(code, f"{page} (worked example)", "exec"), {"__name__": "__doc_example__"})
    # pandas pads a header line with spaces; a page's lines lose them.
    got = [line.rstrip() for line in masked(printed.getvalue()).splitlines()]
    want = [line.rstrip() for line in masked(shown).splitlines()]
    if got != want:
        sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(
            want, got, f"{page}, as shown", "as printed now", lineterm=""))
        print(f"FAIL: the worked example of {page} prints other lines than the page shows")
        return 1
    print(f"ok: the worked example of {page} prints what the page shows ({len(got)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
