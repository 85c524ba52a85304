"""The mutant catalogue: copies of the reference implementation, each with one realistic bug.

Every non-underscore module here is a mutant. It exposes the whole protocol (`attention`,
`rope`, `sinusoidal_pe`, `multi_head_attention`, `KVCache`, `LearnedPositions`, `elman_rnn`,
`sliding_window_attention`, `linear_attention`, `online_attention`), correct except for one
piece, and names in `KILLED_BY` the claim expected to catch it. Its docstring says the bug in
plain words, where it has been seen (public issue trackers, tutorials) and why it is wrong. The
modules are built with `_compose.mutant`, which swaps one piece of the reference for a buggy one.

A claim suite earns its keep by failing on each mutant for the claim it names, while passing on
the reference and on the independent implementations in tests/independent/.

Example:
    >>> names = catalogue()
    >>> "causal_triu" in names and names == sorted(names)
    True
    >>> load("causal_triu").KILLED_BY
    'mask.causal'
    >>> import impl
    >>> load("causal_triu").online_attention is impl.online_attention   # untouched: the reference's own
    True
"""

import importlib
import pkgutil
from types import ModuleType


def catalogue() -> list[str]:
    """The mutant module names (no package prefix), sorted: every non-underscore module here."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def load(name: str) -> ModuleType:
    """Import one mutant by its catalogue name."""
    return importlib.import_module(f"{__name__}.{name}")
