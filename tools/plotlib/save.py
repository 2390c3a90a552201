"""Atomic writes of figures and data dumps: a temporary name in the target directory, fsync,
rename (as output/hdf5/hdf5_handle.hpp does for result files), so a figure appears whole or not at
all; the figure and its --dump-data renamed only once both are written, so that they appear
together or neither (as `interdep export` commits its two tables).
"""

import errno
import itertools
import json
import math
import os
import signal

PNG_DPI = 150  # dots per inch of PNG figures: sharp on a projector, small enough to mail
FORMATS = {".png": "png", ".svg": "svg"}
_counter = itertools.count()


def figure_format(path):
    """'png' or 'svg' from the suffix of -o; None for any other suffix."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def _temporary_path(path):
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.tmp-{os.getpid()}-{next(_counter)}")


def write_failure(error):
    """What a failed write with OSError `error` means, as the end of a sentence: the system's
    message, and for want of room its usual cause, in the engine's words (files::write_failure,
    engine/files/user_file.cpp): "No space left on device (the disk is full)"."""
    text = error.strerror or str(error)
    if error.errno == errno.EFBIG:
        text += " (the limit on a file's size was reached: see `ulimit -f`)"
    elif error.errno == errno.ENOSPC:
        text += " (the disk is full)"
    elif error.errno == errno.EDQUOT:
        text += " (the disk quota is used up)"
    return text


class WriteFailed(Exception):
    """An output that could not be written: `path` as the user named it, `error` the OSError
    (which names the temporary file, not `path`). Nothing was renamed: every output is as it was."""

    def __init__(self, path, error):
        super().__init__(f"cannot write {path}: {write_failure(error)}")
        self.path, self.error = path, error


def _write_temporary(path, write):
    """write(file object) into a new temporary file next to `path`, flushed to disk; its name.
    Removed again if anything fails."""
    temporary = _temporary_path(path)
    try:
        with open(temporary, "xb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(temporary):
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass


class Interrupted(BaseException):
    """SIGINT (Ctrl-C), SIGTERM or SIGHUP arrived (stop_on_signals): a BaseException, so that
    nothing between here and the command line takes it for an error. `complete`: it arrived
    while write_together put the outputs in place, which it finished first."""

    def __init__(self, signal_number, complete=False):
        super().__init__(signal_number)
        self.signal_number, self.complete = signal_number, complete


_committing = {"now": False, "deferred": None}  # write_together's renames; a signal held


def _on_stop_signal(signal_number, frame):
    if _committing["now"]:
        _committing["deferred"] = signal_number  # acted on once every output is in place
        return
    raise Interrupted(signal_number)


def stop_on_signals():
    """From now on SIGINT, SIGTERM and SIGHUP (a closed terminal) raise Interrupted, so that the
    temporary files are removed (SIGTERM ended the process at once and left them), each unless
    it was ignored when the program started (nohup's SIGHUP), as the engine does
    (output/hdf5/read_fault.hpp, stop_on_interrupt)."""
    for stopping in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(stopping) != signal.SIG_IGN:
            signal.signal(stopping, _on_stop_signal)


def write_together(writes):
    """Writes every (path, write(file object)) of `writes` together: each to a temporary file
    in its path's folder (flushed to disk), and only once all are whole renamed onto their paths,
    so that a failure or an interruption changes no path: the figure is not replaced when its
    --dump-data cannot be written. On failure the temporary files are removed and WriteFailed
    names the path; an interruption (Interrupted, KeyboardInterrupt) passes through, the
    temporary files removed too. A stopping signal that arrives while the files are renamed
    waits until all are: then Interrupted(complete=True)."""
    temporaries = []
    try:
        for path, write in writes:
            try:
                temporaries.append((_write_temporary(path, write), path))
            except OSError as error:
                raise WriteFailed(path, error) from error
        _committing["now"] = True
        try:
            # The renames, in one folder each, do not fail for want of room.
            while temporaries:
                temporary, path = temporaries[0]
                try:
                    os.replace(temporary, path)
                except OSError as error:
                    raise WriteFailed(path, error) from error
                temporaries.pop(0)
            # The renames are durable only once the directory entries are on disk.
            for folder in sorted({os.path.dirname(os.path.abspath(path)) for path, _ in writes}):
                directory = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
        finally:
            _committing["now"] = False
    finally:
        for temporary, _ in temporaries:
            _remove(temporary)
    deferred, _committing["deferred"] = _committing["deferred"], None
    if deferred is not None:
        raise Interrupted(deferred, complete=True)


def figure_writer(figure, path):
    """write(file object) of the figure as PNG (150 dpi) or SVG, chosen by the suffix of `path`,
    for write_together."""
    kind = figure_format(path)
    assert kind is not None, "the command line checks the suffix of -o"
    # No creation date in the metadata: the same data gives the same file.
    metadata = {"Date": None} if kind == "svg" else {}
    return lambda stream: figure.savefig(stream, format=kind, dpi=PNG_DPI, metadata=metadata)


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


def dump_writer(data):
    """write(file object) of the plotted data as JSON (--dump-data), so tests can compare it
    with the file, for write_together."""
    text = json.dumps(_plain(data), indent=1, allow_nan=False) + "\n"
    return lambda stream: stream.write(text.encode("utf-8"))
