"""The one kind of error a user can fix: a bad file or option (exit status 2)."""


class PlotInputError(Exception):
    """Bad input named by file and option; tools/plot prints it and exits with status 2."""

    def __init__(self, path, option, what):
        # path may be None for errors about an option alone (e.g. --domain with --quantity trade).
        where = f"{path}: {option}" if path is not None else option
        super().__init__(f"{where}: {what}")
