"""A time limit per formula: SymPy can stall on an unlucky expression, and one formula must not stop a run.

The limit uses SIGALRM (attnproof/alarm.py), so it applies when the checker runs in the main thread of
a POSIX process (the command line, pytest); elsewhere formulas run without one.

Example:
    >>> with time_limit(1.0):
    ...     sum(range(10))
    45
"""

from attnproof.alarm import alarm

SECONDS = 5.0  # per formula


class TimeLimit(Exception):
    """The formula took longer than its limit."""


def time_limit(seconds: float | None = None):
    """Raise TimeLimit in the block after `seconds` (SECONDS when None, read at each call)."""
    seconds = SECONDS if seconds is None else seconds
    return alarm(seconds, lambda: TimeLimit(f"gave up after {seconds:g} s"))
