"""A time limit per formula: SymPy can stall on an unlucky expression, and one formula must not stop a run.

The limit uses SIGALRM, so it applies when the checker runs in the main thread of a POSIX process
(the command line, pytest); elsewhere formulas run without one.

Example:
    >>> with time_limit(1.0):
    ...     sum(range(10))
    45
"""

import signal
import threading
from contextlib import contextmanager

SECONDS = 5.0  # per formula


class TimeLimit(Exception):
    """The formula took longer than its limit."""


@contextmanager
def time_limit(seconds: float | None = None):
    """Raise TimeLimit in the body after `seconds` (SECONDS when None, read at each call)."""
    seconds = SECONDS if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeLimit(f"gave up after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
