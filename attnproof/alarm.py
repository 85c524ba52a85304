"""A time limit on a block of code, for calls into a user's implementation and for checking one formula.

It uses SIGALRM, so it applies in the main thread of a POSIX process (the command line, pytest);
elsewhere the block runs without a limit. A signal handler's exception is lost when the signal lands
in code that swallows exceptions (a weakref callback or `__del__` run by the garbage collector), so
the alarm rings again every RING_AGAIN seconds until the exception leaves the block.

Example:
    >>> with alarm(1.0, lambda: TimeoutError("too slow")):
    ...     sum(range(10))
    45
"""

import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager

RING_AGAIN = 0.05  # seconds between rings once the limit has passed


@contextmanager
def alarm(seconds: float, expired: Callable[[], Exception]):
    """Raise `expired()` inside the block once it has run `seconds` (no limit when seconds <= 0)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, RING_AGAIN)
        raise expired()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
