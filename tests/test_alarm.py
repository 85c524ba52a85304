"""The time limit (attnproof/alarm.py) ends its block even when its first ring is swallowed.

A SIGALRM handler's exception raised inside a weakref callback or `__del__` is reported and dropped by
Python, and the block would then run on without a limit (seen once in CI: verify's float16 case).
"""

import signal
import time

import pytest

from attnproof.alarm import alarm


def spin_until(deadline: float) -> None:
    """Busy-wait until time.monotonic() passes `deadline`, so that a signal can land in this frame."""
    while time.monotonic() < deadline:
        pass


def test_a_swallowed_ring_is_followed_by_another():
    swallowed = []
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        with alarm(0.05, lambda: TimeoutError("too slow")):
            try:
                spin_until(start + 2.0)
            except TimeoutError as lost:  # what a finalizer does with the exception
                swallowed.append(lost)
            spin_until(start + 4.0)
    assert swallowed, "the first ring never came"
    assert time.monotonic() - start < 2.0, "the block ran on after the first ring was swallowed"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), "the alarm is still set after the block"


def test_a_block_that_finishes_in_time_is_left_alone():
    with alarm(1.0, lambda: TimeoutError("too slow")):
        total = sum(range(10))
    assert total == 45
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
