"""Command line of tools/plot (docs/plotting.md). Exit status: 0 written, 2 bad input (usage,
file or option, an output that is an input or lies in a folder this user may not write; nothing
is written), 1 any other failure (e.g. a full disk), 130 interrupted (nothing is written)."""

import argparse
import os
import stat
import sys

from .errors import PlotInputError, printable
from .runfile import DEPENDENCE_MEASURES, PAIR_QUANTITIES
from .save import (FORMATS, Interrupted, WriteFailed, dump_writer, figure_format, figure_writer,
                   stop_on_signals, write_together)

PROGRAM = "tools/plot"
DEFAULT_BAND = (5.0, 95.0)  # percentiles of the sweep band [%]


def pair_argument(text):
    """'PAK:RUS' -> ('PAK', 'RUS'); the codes are checked against the file later."""
    parts = text.split(":")
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"'{text}': expected ACTOR:PARTNER, e.g. PAK:RUS")
    if parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"'{text}': an actor has no relation to itself")
    return parts[0], parts[1]


def _days_in_month(year, month):
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    return 29 if month == 2 and leap else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def date_argument(text):
    """A date as `interdep explain --from` takes it: 2030 (its start), 2030-06 (the month's
    start), 2030-06-15 (a day) or a decimal year 2030.5; as a decimal year, counted as the engine
    counts it (engine/text/text_format.cpp, decimal_year)."""
    if len(text) in (7, 10) and text[4:5] == "-" and text[:4].isdigit() and text[5:7].isdigit():
        year, month = int(text[:4]), int(text[5:7])
        if 1 <= month <= 12:
            if len(text) == 7:
                return year + (month - 1) / 12.0
            if text[7] == "-" and text[8:].isdigit() and 1 <= int(text[8:]) <= _days_in_month(
                    year, month):
                return year + (month - 1 + (int(text[8:]) - 1) / _days_in_month(year, month)) / 12.0
    elif text and all(c in "0123456789." for c in text) and text[0] != "." and text.count(".") <= 1:
        return float(text)
    raise argparse.ArgumentTypeError(
        f"'{text}': expected a date such as 2030, 2030-06, 2030-06-15 or 2030.5")


def actors_argument(text):
    """'PAK,RUS,CHN' -> ['PAK', 'RUS', 'CHN']: two or more codes, none twice; checked against the
    file later."""
    codes = [code.strip() for code in text.split(",")]
    if len(codes) < 2 or not all(codes):
        raise argparse.ArgumentTypeError(f"'{text}': expected two or more actor codes, e.g. "
                                         "PAK,RUS,CHN")
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise argparse.ArgumentTypeError(f"'{text}': {', '.join(twice)} given twice")
    return codes


def band_argument(text):
    """'5,95' -> (5.0, 95.0): percentiles 0 <= low < high <= 100."""
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': expected LOW,HIGH percentiles, e.g. 5,95")
    if not 0.0 <= low < high <= 100.0:
        raise argparse.ArgumentTypeError(f"'{text}': expected 0 <= LOW < HIGH <= 100")
    return low, high


def _kind_of(mode):
    """What a file that is not a regular one is, as the engine says it (engine/files)."""
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return f"is {kind}, not a regular file"
    return "is not a regular file"


LONGEST_FILE_NAME = 255  # NAME_MAX of Linux's file systems, bytes


def _link_target(path):
    """Where a file written at `path` goes: a symbolic link's target (links followed, as many as
    the system follows), `path` itself when it is no link (files::link_target)."""
    at = path
    for _ in range(40):  # Linux's MAXSYMLINKS
        if not os.path.islink(at):
            break
        try:
            following = os.readlink(at)
        except OSError:
            break
        at = following if os.path.isabs(following) else os.path.join(os.path.dirname(at),
                                                                      following)
    return at


def _read_only(folder):
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def not_an_output_file(path):
    """Why a result cannot be written at `path`, or "" when it can: the engine's check
    (files::not_an_output_file, engine/files/user_file.cpp), in its words, so that every writer
    of interdep refuses a path alike: a folder this user may not make files in, or on a
    read-only file system, and a write-protected file included. A folder that refuses the file
    all the same (/sys, even to root) is found when writing (exit 1)."""
    if not path:
        return "names no file"
    if "\0" in path:
        return "holds a NUL character"
    name_bytes = len(os.fsencode(os.path.basename(path)))
    if name_bytes > LONGEST_FILE_NAME:
        return (f"has a file name of {name_bytes} bytes, more than the {LONGEST_FILE_NAME} a file "
                "system allows: name a shorter file")
    try:
        st = os.stat(path)  # symbolic links followed
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "is a directory: name a file to write"
    # The folder the result goes to: the link's target's, for a symbolic link.
    target = _link_target(path)
    link = "" if target == path else f"is a symbolic link to {target}: "
    folder = os.path.dirname(target)
    if folder:
        try:
            if not stat.S_ISDIR(os.stat(folder).st_mode):
                return f"{link}cannot be written: {folder} is not a folder"
        except (FileNotFoundError, NotADirectoryError):
            return f"{link}cannot be written: the folder {folder} does not exist"
        except OSError:
            pass  # cannot be examined (permission): left to the writer to report
    # A folder this user may not make files in: said before any work.
    folder = folder or "."
    if not os.access(folder, os.W_OK | os.X_OK):
        shown = "here (.)" if folder == "." else folder
        return (f"{link}cannot be written: the folder {shown} "
                + ("is on a read-only file system" if _read_only(folder)
                   else "does not let this user make files in it"))
    if not os.path.basename(path):
        return "names a folder, not a file"
    if st is not None and not stat.S_ISREG(st.st_mode):
        return (_kind_of(st.st_mode)
                + ": the result would replace it; name a regular file or a new one")
    # A file its owner made read-only is kept: the rename replaces it all the same (the
    # folder's permission is what it asks).
    if st is not None and not os.access(path, os.W_OK) and not _read_only(folder):
        return (f"is write-protected (mode {stat.S_IMODE(st.st_mode):04o}): it is kept; make it "
                "writable (chmod u+w) to replace it, or name another file")
    return ""


def same_file(a, b):
    """Whether `a` and `b` name one file, as files::same_file: the same file when both exist
    (links, hard links and other spellings included), else the same absolute path once "." and
    ".." and symbolic links are resolved."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def outputs_over_inputs(arguments):
    """Why the outputs cannot be written, or "": an output that is a file the command reads
    (-o or --dump-data over a run file, the baseline or the sweep), or two outputs that are one
    file, in the engine's words (tools/cli/command.cpp, refuse_outputs_over_inputs). Asked
    before any work: the figure drawn over its own run file turned it into an image."""
    inputs = list(getattr(arguments, "runs", None) or [])
    for name in ("run", "baseline", "sweep"):
        if getattr(arguments, name, None):
            inputs.append(getattr(arguments, name))
    outputs = [("-o", arguments.output)]
    if arguments.dump_data:
        outputs.append(("--dump-data", arguments.dump_data))
    for k, (option, path) in enumerate(outputs):
        for given in inputs:
            if same_file(path, given):
                return (f"{option} {path} is {given}, which this command reads: name another "
                        "file to write")
        for earlier, earlier_path in outputs[:k]:
            if same_file(path, earlier_path):
                return f"{earlier} and {option} name the same file ({path})"
    return ""


def file_to_write(text):
    """A path a file can be written at (bad input, refused before any figure is drawn)."""
    why = not_an_output_file(text)
    if why:
        raise argparse.ArgumentTypeError(f"'{text}' {why}")
    return text


def output_argument(text):
    if figure_format(text) is None:
        raise argparse.ArgumentTypeError(
            f"'{text}': the suffix chooses the format, expected one of {', '.join(FORMATS)}")
    return file_to_write(text)


def add_common(parser):
    parser.add_argument("-o", "--output", required=True, type=output_argument,
                        metavar="OUT.png|OUT.svg", help="figure to write (PNG 150 dpi or SVG)")
    parser.add_argument("--dump-data", metavar="FILE.json", type=file_to_write,
                        help="also write the plotted numbers as JSON (for checks)")


def add_one_frame(parser):
    """Arguments of the figures of one run at one time: RUN.h5, --time, -o, --dump-data."""
    parser.add_argument("run", metavar="RUN.h5")
    parser.add_argument("--time", type=date_argument, metavar="DATE",
                        help="2030, 2030-06, 2030-06-15 or 2030.5; the nearest recorded frame is "
                             "drawn (default: last)")
    add_common(parser)


def add_actors(parser, help_text):
    """--actors CODE,CODE,...: the figures of one frame that can show some actors only."""
    parser.add_argument("--actors", type=actors_argument, metavar="CODE,CODE,...",
                        help=help_text)


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors echo arguments as printable text (errors.printable);
    the subcommands' parsers are of this class too."""

    def error(self, message):
        super().error(printable(message))


def build_parser():
    parser = Parser(
        prog=PROGRAM, description="Figures from interdep result files (docs/plotting.md).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    trajectories = commands.add_parser(
        "trajectories", help="a quantity over time for actor pairs",
        description="A quantity over time for actor pairs, one panel per pair; several run "
                    "files overlay as lines labelled by scenario name.")
    trajectories.add_argument("runs", nargs="+", metavar="RUN.h5", help="run result files")
    trajectories.add_argument("--pair", action="append", required=True, type=pair_argument,
                              metavar="ACTOR:PARTNER",
                              help="pair to draw, e.g. PAK:RUS (repeat for more panels)")
    trajectories.add_argument("--quantity", default="relations", metavar="QUANTITY",
                              help="pair array to draw: relations (the default), "
                                   + ", ".join(PAIR_QUANTITIES[1:])
                                   + " or any other actor x partner dataset of the file, e.g. "
                                     "barbieri")
    trajectories.add_argument("--domain", metavar="overall|DOMAIN",
                              help="relations only: overall (relation_overall, the default) or "
                                   "a domain of the file, e.g. security")
    trajectories.add_argument("--baseline", metavar="BASE.h5",
                              help="baseline run: drawn dashed, the difference shaded")
    trajectories.add_argument("--sweep", metavar="SWEEP.h5",
                              help="sweep with series: ensemble median and percentile band")
    trajectories.add_argument("--label", action="append", metavar="TEXT",
                              help="legend label of a run, in the order of the files (repeat; "
                                   "default: each file's own label, the scenario's name with "
                                   "the overrides that made the run)")
    trajectories.add_argument("--baseline-label", metavar="TEXT",
                              help="legend label of the baseline (default: its file's label)")
    trajectories.add_argument("--share-y", action="store_true",
                              help="one y axis for all panels (default: each fits its data)")
    trajectories.add_argument("--band", type=band_argument,
                              metavar="LOW,HIGH", help="percentiles of the band (default 5,95)")
    add_common(trajectories)

    heatmap = commands.add_parser(
        "heatmap", help="actor x partner matrix of a dependence measure at one time",
        description="Sensitivity, vulnerability or leverage as an actor x partner matrix at the "
                    "frame nearest --time (default: the last); row = affected actor.")
    add_one_frame(heatmap)
    heatmap.add_argument("--measure", required=True, choices=DEPENDENCE_MEASURES)
    add_actors(heatmap, "draw these actors only, in this order (beyond 20 actors the cells "
                        "carry colour alone)")

    network = commands.add_parser(
        "network", help="signed network of overall relations at one time",
        description="Signed network at the frame nearest --time (default: the last): positive "
                    "and negative ties, structural-balance camps, share of balanced triads.")
    add_one_frame(network)
    add_actors(network, "draw these actors only, in this order around the circle, and the ties "
                        "between them; camps and balanced triads stay those of all the run's "
                        "actors")
    return parser


def make_figure(arguments):
    """(figure, plotted data) for the parsed command line; PlotInputError for bad input."""
    # Imported only now: matplotlib takes about a second to load, which usage errors and
    # --help need not wait for.
    from . import heatmap as heatmap_figure
    from . import network as network_figure
    from . import style
    from . import trajectories as trajectories_figure

    style.apply()
    if arguments.command == "trajectories":
        domain = arguments.domain
        if domain is not None and domain != "overall" and arguments.quantity != "relations":
            raise PlotInputError(None, f"--domain {domain}",
                                 f"only relations have domains; --quantity "
                                 f"{arguments.quantity} is one value per pair")
        request = trajectories_figure.TrajectoryRequest(
            runs=arguments.runs, pairs=arguments.pair, quantity=arguments.quantity,
            domain=None if domain in (None, "overall") else domain,
            baseline=arguments.baseline, sweep=arguments.sweep, band=arguments.band,
            labels=arguments.label, baseline_label=arguments.baseline_label,
            share_y=arguments.share_y)
        if arguments.label and len(arguments.label) > len(arguments.runs):
            raise PlotInputError(None, "--label", f"{len(arguments.label)} labels for "
                                 f"{len(arguments.runs)} run files: give at most one per file")
        return trajectories_figure.draw(request)
    if arguments.command == "heatmap":
        return heatmap_figure.draw(heatmap_figure.HeatmapRequest(
            arguments.run, arguments.measure, arguments.time, arguments.actors))
    assert arguments.command == "network"
    return network_figure.draw(network_figure.NetworkRequest(arguments.run, arguments.time,
                                                             arguments.actors))


def main(argv):
    parser = build_parser()
    arguments = parser.parse_args(argv)  # usage errors: message and exit status 2
    if arguments.command == "trajectories":
        if arguments.band is not None and arguments.sweep is None:
            parser.error("argument --band: the band is drawn from a sweep: give --sweep SWEEP.h5")
        arguments.band = arguments.band or DEFAULT_BAND
    refused = outputs_over_inputs(arguments)
    if refused:
        print(printable(f"{PROGRAM}: error: {refused}"), file=sys.stderr)
        return 2
    stop_on_signals()
    try:
        try:
            figure, data = make_figure(arguments)
        except PlotInputError as error:
            print(f"{PROGRAM}: error: {error}", file=sys.stderr)
            return 2
        writes = [(arguments.output, figure_writer(figure, arguments.output))]
        if arguments.dump_data:
            writes.append((arguments.dump_data, dump_writer(data)))
        try:
            # Both or neither: the figure is not replaced when its --dump-data cannot be written.
            write_together(writes)
        except WriteFailed as error:
            print(printable(f"{PROGRAM}: error: {error}"), file=sys.stderr)
            return 1
    except (Interrupted, KeyboardInterrupt) as stop:
        if getattr(stop, "complete", False):
            print(f"{PROGRAM}: interrupted while its outputs were put in place: they are complete",
                  file=sys.stderr)
        else:
            print(f"{PROGRAM}: interrupted; no output was written", file=sys.stderr)
        return 130
    for path, _ in writes:
        print(printable(f"Wrote {path}"))
    return 0
