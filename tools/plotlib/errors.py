"""The one kind of error a user can fix: a bad file or option (exit status 2); and text made safe
to print."""

import re

# Control characters: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F). A terminal acts on
# them (ESC recolours it or moves the cursor, BEL rings, CR overwrites the line); line feed and
# tab are kept. The engine's rule (engine/text/control_chars.hpp, docs/scenario-format.md).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text):
    """`text` with every control character but line feed and tab written as its escape
    ("\\u001B"), as the engine shows them: for names and texts read from files, and for arguments
    echoed in messages."""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04X}", str(text))


class PlotInputError(Exception):
    """Bad input named by file and option; tools/plot prints it and exits with status 2."""

    def __init__(self, path, option, what):
        # path may be None for errors about an option alone (e.g. --domain with --quantity trade).
        where = f"{path}: {option}" if path is not None else option
        super().__init__(printable(f"{where}: {what}"))
