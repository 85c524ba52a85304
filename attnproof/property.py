"""A property: a check of one claim against an implementation, over inputs Hypothesis draws.

Example:
    >>> from hypothesis import strategies as st
    >>> @checks(st.integers(1, 4), needs=("sinusoidal_pe",))
    ... def first_row_alternates(impl, d):
    ...     '''PE[0] = (0, 1, 0, 1, ...): sin 0 and cos 0.'''
    >>> first_row_alternates.needs
    ('sinusoidal_pe',)
"""

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample


@dataclass(frozen=True)
class Property:
    """check(impl, case) must hold for every case the strategy draws.

    `once`, when given, runs once per claim before the examples: a fixed, seeded check, or a
    search for a counterexample that must exist (that a causal mask breaks permutation
    equivariance, say). `applies`, when given,
    returns why the claim cannot be checked on this implementation (it is skipped), or None.
    """

    check: Callable
    cases: st.SearchStrategy
    needs: tuple[str, ...]
    once: Callable | None = None
    applies: Callable | None = None

    @property
    def name(self) -> str:
        return self.check.__name__


def checks(cases: st.SearchStrategy, needs=("attention",), once: Callable | None = None, applies=None):
    """Decorate check(impl, case) into a Property drawing its cases from `cases`."""

    def wrap(check: Callable) -> Property:
        return Property(check, cases, tuple(needs), once, applies)

    return wrap


def must_find(cases: st.SearchStrategy, breaks: Callable, what: str, max_examples: int = 200):
    """Search for an input on which `breaks(input)` is True; fail with `what` if there is none.

    The search is derandomised, so the counterexample it finds is the same on every run.
    """
    __tracebackhide__ = True
    search = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,  # a slow implementation is not a counterexample; hangs are caught per call
        derandomize=True,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    try:
        return find(cases, breaks, settings=search)
    except NoSuchExample:
        raise AssertionError(f"no counterexample found in {max_examples} tries: {what}") from None
