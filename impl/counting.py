"""Counting what a numpy computation costs, by running it on arrays that count.

`count(fn, *arrays)` runs fn on views of the arrays as `Counted`, an ndarray subclass that
sees every matrix product (`@`, `np.matmul`, `np.dot`, two-operand `np.einsum`) and every
array an operation creates. It reports:

- flops: 2 * (multiply-adds) over all matrix products, the convention of the cost formulas
  (an (a x b) by (b x c) product costs 2abc); elementwise work (exp, max, division) is not
  in it;
- largest: the number of elements of the largest array any operation produced, the memory
  the computation needs at its peak beyond its inputs.

The counts are of what the code actually executed, not of a formula, so they can be held
against the formulas the derivations give.

Example:
    >>> a, b = np.ones((2, 3)), np.ones((3, 4))
    >>> cost = count(lambda x, y: np.tanh(x @ y), a, b)
    >>> cost.flops, cost.largest                    # 2 * 2 * 3 * 4, the (2, 4) product
    (48, 8)
"""

import string
from dataclasses import dataclass

import numpy as np


@dataclass
class Cost:
    """FLOPs of the matrix products, and the size of the largest array produced (elements)."""

    flops: int = 0
    largest: int = 0


class Counted(np.ndarray):
    """An ndarray whose operations add to the active Cost."""

    cost: Cost | None = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs, kwargs = _plain(inputs), _plain(kwargs)
        if ufunc is np.matmul and method == "__call__":
            _add_flops(_matmul_flops(*inputs[:2]))
        return _counted(getattr(ufunc, method)(*inputs, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        args, kwargs = _plain(args), _plain(kwargs)
        if func is np.dot:
            _add_flops(_matmul_flops(*args[:2]))
        elif func is np.einsum:
            _add_flops(_einsum_flops(args[0], args[1:]))
        return _counted(func(*args, **kwargs))


def count(fn, *arrays, **options) -> Cost:
    """Run fn(*arrays, **options) with the arrays viewed as Counted; return what it cost."""
    cost = Cost()
    previous, Counted.cost = Counted.cost, cost
    try:
        fn(*(np.asarray(a).view(Counted) for a in arrays), **options)
    finally:
        Counted.cost = previous
    return cost


def _add_flops(flops: int) -> None:
    if Counted.cost is not None:
        Counted.cost.flops += int(flops)


def _plain(value):
    """The same structure with every Counted turned back into a plain ndarray view."""
    if isinstance(value, Counted):
        return value.view(np.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _counted(result):
    if isinstance(result, tuple):
        return tuple(_counted(r) for r in result)
    if isinstance(result, np.ndarray):
        if Counted.cost is not None:
            Counted.cost.largest = max(Counted.cost.largest, int(result.size))
        return result.view(Counted)
    return result


def _matmul_flops(a, b) -> int:
    """2 m k n per product, times the broadcast batch; a 1-D operand is a single row or column."""
    a_shape, b_shape = np.shape(a), np.shape(b)
    if not a_shape or not b_shape:
        return 0  # a scalar product is elementwise
    m, k = (1, a_shape[0]) if len(a_shape) == 1 else a_shape[-2:]
    n = 1 if len(b_shape) == 1 else b_shape[-1]
    batch = np.broadcast_shapes(a_shape[:-2], b_shape[:-2])  # a 1-D operand has no batch dims
    return 2 * int(np.prod(batch, dtype=np.int64)) * m * k * n


def _einsum_flops(subscripts: str, operands) -> int:
    """2 x the product of every index size, for a two-operand einsum that contracts an index."""
    if not isinstance(subscripts, str) or len(operands) != 2:
        raise NotImplementedError("counting supports two-operand einsum with string subscripts only")
    inputs, _, output = subscripts.replace(" ", "").partition("->")
    free = iter(string.ascii_uppercase)
    widest = max(
        np.ndim(op) - len(spec.replace("...", "")) for spec, op in zip(inputs.split(","), operands, strict=True)
    )
    ellipsis = "".join(next(free) for _ in range(widest))
    sizes: dict[str, int] = {}
    for spec, operand in zip(inputs.split(","), operands, strict=True):
        letters = spec.replace("...", ellipsis[widest - (np.ndim(operand) - len(spec.replace("...", ""))) :])
        for letter, size in zip(letters, np.shape(operand), strict=True):
            sizes[letter] = max(sizes.get(letter, 1), size)
    contracted = set("".join(inputs.split(",")).replace("...", "")) - set(output)
    product = int(np.prod(list(sizes.values()), dtype=np.int64))
    return 2 * product if contracted else product
