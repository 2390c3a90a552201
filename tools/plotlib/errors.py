"""The one kind of error a user can fix: a bad file or option (exit status 2); and text made safe
to print."""

import re

# What printing must not show as itself, as the engine's `printable` (the table of
# engine/text/control_chars.cpp, which this follows: tests/python/test_module.py compares the two
# over every code point; docs/scenario-format.md, "Names and text"). Control characters: C0
# (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F): a terminal acts on them (ESC recolours it or
# moves the cursor, BEL rings, CR overwrites the line); line feed and tab are kept. Invisible
# format characters and the rest of Unicode's default-ignorable code points: the bidirectional
# controls reorder the line on screen ("Trojan Source"), the others hide text (the Hangul fillers
# U+3164 and U+FFA0, reserved code points); what prose may hold is kept: the zero-width non-joiner
# and joiner (U+200C, U+200D), which Persian or Hindi and emoji need, variation selectors, U+2028,
# U+2029. Lone surrogates: bytes that were not UTF-8 (Python decodes file names and arguments with
# surrogateescape).
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u061c\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e00ff\U000e01f0-\U000e0fff"
    "\ud800-\udfff]")


def _escape(match):
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02X}"
    return f"\\U{code:08X}" if code > 0xFFFF else f"\\u{code:04X}"


def printable(text):
    """`text` with every control character but line feed and tab, and every invisible format
    character but U+200C and U+200D, written as its escape ("\\u001B", "\\u202E"), and bytes that
    were not UTF-8 as "\\xFF", as the engine shows them: for names and texts read from files, and
    for arguments echoed in messages."""
    return _REFUSED.sub(_escape, str(text))


class PlotInputError(Exception):
    """Bad input named by file and option; tools/plot prints it and exits with status 2."""

    def __init__(self, path, option, what):
        # path may be None for errors about an option alone (e.g. --domain with --quantity trade).
        where = f"{path}: {option}" if path is not None else option
        super().__init__(printable(f"{where}: {what}"))
