"""The errors a user's input can cause. Each is reported on one line, with exit status 2."""


class InputError(Exception):
    """Bad input from the user (arguments, an implementation, a path): one line, exit status 2."""


class UsageError(InputError):
    """Arguments that do not make sense together, or name what does not exist."""


class LoadError(InputError):
    """The implementation could not be loaded: a bad path, an import error, a bad signature."""


class ReportError(InputError):
    """The report cannot be written where asked."""
