"""Atomic writes of figures and data dumps: a temporary name in the target directory, fsync,
rename (as output/hdf5/hdf5_handle.hpp does for result files), so a figure appears whole or not at all.
"""

import itertools
import json
import math
import os

PNG_DPI = 150  # dots per inch of PNG figures: sharp on a projector, small enough to mail
FORMATS = {".png": "png", ".svg": "svg"}
_counter = itertools.count()


def figure_format(path):
    """'png' or 'svg' from the suffix of -o; None for any other suffix."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def _temporary_path(path):
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.tmp-{os.getpid()}-{next(_counter)}")


def _write_atomically(path, write):
    """Call write(file object) on a temporary file next to `path`, then rename it onto `path`."""
    temporary = _temporary_path(path)
    try:
        with open(temporary, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    # The rename is durable only once the directory entry is on disk.
    directory = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def save_figure(figure, path):
    """Write the figure as PNG (150 dpi) or SVG, chosen by the suffix of `path`."""
    kind = figure_format(path)
    assert kind is not None, "the command line checks the suffix of -o"
    # No creation date in the metadata: the same data gives the same file.
    metadata = {"Date": None} if kind == "svg" else {}
    _write_atomically(path, lambda stream: figure.savefig(stream, format=kind, dpi=PNG_DPI,
                                                          metadata=metadata))


def _plain(value):
    """JSON-ready value: numpy arrays and scalars as lists and floats, NaN and inf as null."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def save_dump(data, path):
    """Write the plotted data as JSON (--dump-data), so tests can compare it with the file."""
    text = json.dumps(_plain(data), indent=1, allow_nan=False) + "\n"
    _write_atomically(path, lambda stream: stream.write(text.encode("utf-8")))
