"""Loading an implementation under test, and calling it safely.

An implementation is a module (dotted name, or path to a .py file), a built-in adapter (`torch`,
`jax`) or any object exposing a subset of PROTOCOL: `attention`, `rope`, `sinusoidal_pe`, and the
optional pieces some claims need (multi-head attention, the KV cache, a learned position table,
an RNN, the cheaper attentions). Every call goes through a guard that turns what a
faulty implementation does (raise, hang, return the wrong shape, dtype or NaN) into a failure
of the claim being checked, in domain words, instead of a crash of attnproof.

Example:
    >>> impl = load("impl")
    >>> impl.name, impl.provides("attention")
    ('impl', True)
    >>> load("no_such_module_xyz")
    Traceback (most recent call last):
    ...
    attnproof.errors.LoadError: cannot import implementation 'no_such_module_xyz': ...
"""

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from attnproof.alarm import alarm
from attnproof.errors import LoadError

PROTOCOL = (
    "attention",
    "rope",
    "sinusoidal_pe",
    "multi_head_attention",
    "KVCache",
    "LearnedPositions",
    "elman_rnn",
    "sliding_window_attention",
    "linear_attention",
    "online_attention",
)
DEFAULT_CALL_TIMEOUT = 10.0


class ImplementationError(AssertionError):
    """The implementation raised, or broke the protocol (shape, dtype, NaN): the claim fails."""


class ImplementationHang(BaseException):
    """A call outlived its time limit. A BaseException so Hypothesis stops at once instead of
    shrinking the example by calling the hanging function again and again."""


class Implementation:
    """An implementation under test: its protocol functions, each wrapped by a guard."""

    def __init__(self, name: str, source: object, call_timeout: float = DEFAULT_CALL_TIMEOUT):
        self.name = name
        self.call_timeout = call_timeout
        self._functions = {fn: getattr(source, fn) for fn in PROTOCOL if callable(getattr(source, fn, None))}
        self._findings = getattr(source, "native_findings", None)

    def findings(self) -> list[str]:
        """What a built-in adapter measured of its library's own conventions, where they differ from the protocol."""
        return list(self._findings()) if callable(self._findings) else []

    def provides(self, function: str) -> bool:
        return function in self._functions

    def call(self, function: str, *args, **kwargs):
        """Call a protocol function under the time limit; re-raise its errors as ImplementationError."""
        __tracebackhide__ = True
        with time_limit(self.call_timeout, f"{self.name}.{function}{describe_call(args, kwargs)}"):
            try:
                return self._functions[function](*args, **kwargs)
            except (ImplementationError, ImplementationHang):
                raise
            except Exception as error:
                raise ImplementationError(
                    f"{function}{describe_call(args, kwargs)} raised {type(error).__name__}: {error}"
                ) from error

    def checked(self, function: str, shape: tuple, dtype, *args, **kwargs) -> np.ndarray:
        """Call a protocol function and hold its output to the protocol: shape, dtype, finite."""
        __tracebackhide__ = True
        out = self.call(function, *args, **kwargs)
        return checked_array(out, shape, dtype, f"{function}{describe_call(args, kwargs)}")

    def attention(self, q, k, v, **options) -> np.ndarray:
        """attention(q, k, v, **options), checked for shape (..., L, Ev), q's dtype and finiteness."""
        __tracebackhide__ = True
        return self.checked("attention", q.shape[:-1] + v.shape[-1:], q.dtype, q, k, v, **options)

    def rope(self, x, positions, base=10000.0) -> np.ndarray:
        __tracebackhide__ = True
        return self.checked("rope", x.shape, x.dtype, x, positions, base=base)

    def sinusoidal_pe(self, n: int, d: int, base=10000.0) -> np.ndarray:
        __tracebackhide__ = True
        return self.checked("sinusoidal_pe", (n, d), None, n, d, base=base)

    def multi_head_attention(self, x, w_q, w_k, w_v, w_o, **options) -> np.ndarray:
        __tracebackhide__ = True
        return self.checked(
            "multi_head_attention", x.shape[:-1] + w_o.shape[-1:], x.dtype, x, w_q, w_k, w_v, w_o, **options
        )

    def elman_rnn(self, x, w_xh, w_hh, b, h0=None) -> np.ndarray:
        __tracebackhide__ = True
        return self.checked("elman_rnn", x.shape[:-1] + w_hh.shape[-1:], x.dtype, x, w_xh, w_hh, b, h0=h0)

    def sliding_window_attention(self, q, k, v, window: int, **options) -> np.ndarray:
        __tracebackhide__ = True
        shape = q.shape[:-1] + v.shape[-1:]
        return self.checked("sliding_window_attention", shape, q.dtype, q, k, v, window=window, **options)

    def linear_attention(self, q, k, v) -> np.ndarray:
        __tracebackhide__ = True
        return self.checked("linear_attention", q.shape[:-1] + v.shape[-1:], q.dtype, q, k, v)

    def online_attention(self, q, k, v, block_size: int, **options) -> np.ndarray:
        __tracebackhide__ = True
        shape = q.shape[:-1] + v.shape[-1:]
        return self.checked("online_attention", shape, q.dtype, q, k, v, block_size=block_size, **options)

    def kv_cache(self, n_layers: int):
        return self.call("KVCache", n_layers)

    def learned_positions(self, table: np.ndarray):
        return self.call("LearnedPositions", table)


def checked_array(out, shape: tuple, dtype, call: str) -> np.ndarray:
    """The protocol's promise on every output: an ndarray of the right shape and dtype, no NaN."""
    __tracebackhide__ = True
    if not isinstance(out, np.ndarray):
        raise ImplementationError(f"{call} returned {type(out).__name__}, but should return a numpy array")
    if out.shape != tuple(shape):
        raise ImplementationError(f"{call} returned shape {out.shape}, but should be {tuple(shape)}")
    if dtype is not None and out.dtype != dtype:
        raise ImplementationError(f"{call} returned dtype {out.dtype}, but should be {np.dtype(dtype)} like q")
    if not np.isfinite(out).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise ImplementationError(f"{call} returned {out[bad]} at index {bad} from finite inputs")
    return out


def describe_call(args: tuple, kwargs: dict) -> str:
    """A call in domain words: arrays by shape and dtype, other arguments by value."""
    parts = [_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items() if v is not None]
    return "(" + ", ".join(parts) + ")"


SHOWN_SIZE = 8  # arrays this small are shown in full, so a counterexample can be replayed


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= SHOWN_SIZE:
            shown = np.array2string(value, separator=", ", floatmode="unique").replace("\n", "")
            return f"<{value.dtype} {value.shape} {' '.join(shown.split())}>"
        if value.dtype == bool:
            return f"<bool {value.shape}, {int(value.sum())} True>"
        return f"<{value.dtype} {value.shape}>"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def time_limit(seconds: float, call: str):
    """Raise ImplementationHang if the block runs longer than `seconds` (main thread, Unix)."""
    return alarm(seconds, lambda: ImplementationHang(f"{call} did not return within {seconds:g} s"))


def load(target: str, call_timeout: float = DEFAULT_CALL_TIMEOUT) -> Implementation:
    """Load an implementation from a dotted module name or a path to a .py file.

    Raises LoadError (one line, naming the problem) when the target cannot be used.
    """
    if target in ADAPTERS:
        module = _import_adapter(target)
    else:
        module = _import_file(Path(target)) if target.endswith(".py") else _import_module(target)
    impl = Implementation(target, module, call_timeout)
    if not any(impl.provides(fn) for fn in PROTOCOL):
        raise LoadError(f"implementation '{target}' defines none of {', '.join(PROTOCOL)}")
    _check_signatures(target, impl._functions)
    return impl


def from_object(name: str, source: object, call_timeout: float = DEFAULT_CALL_TIMEOUT) -> Implementation:
    """Wrap an already-imported module or object (as the test suite does for mutants)."""
    return Implementation(name, source, call_timeout)


ADAPTERS = {"torch": "attnproof.adapters.torch", "jax": "attnproof.adapters.jax"}  # imported only when asked for


def _import_adapter(name: str) -> ModuleType:
    try:
        return importlib.import_module(ADAPTERS[name])
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] == name:
            raise LoadError(
                f"the {name} adapter needs {name}, which is not installed: pip install 'attnproof[{name}]'"
            ) from None
        raise


def _import_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except SyntaxError as error:
        raise LoadError(f"cannot import implementation '{name}': {_syntax_error(error)}") from None
    except Exception as error:
        raise LoadError(f"cannot import implementation '{name}': {error}") from None


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise LoadError(f"implementation file '{path}' does not exist")
    name = f"attnproof_user_impl_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise LoadError(f"cannot load implementation '{path}': {_syntax_error(error)}") from None
    except Exception as error:
        raise LoadError(f"cannot load implementation '{path}': {type(error).__name__}: {error}") from None
    return module


def _syntax_error(error: SyntaxError) -> str:
    return f"syntax error at {Path(error.filename or '?').name}:{error.lineno}: {error.msg}"


PROTOCOL_CALLS = {
    "attention": (("q", "k", "v"), ("mask", "causal", "scale", "enable_gqa")),
    "rope": (("x", "positions"), ("base",)),
    "sinusoidal_pe": (("n", "d"), ("base",)),
}


def _check_signatures(target: str, functions: dict[str, Callable]) -> None:
    """The protocol passes arrays by position and options by keyword: both must bind."""
    for name, (positional, keywords) in PROTOCOL_CALLS.items():
        if name not in functions:
            continue
        try:
            signature = inspect.signature(functions[name])
        except (TypeError, ValueError):
            continue  # a builtin without a signature: let the calls tell
        try:
            signature.bind(*positional, **{keyword: None for keyword in keywords})
        except TypeError as error:
            expected = ", ".join(positional + tuple(f"{k}=..." for k in keywords))
            raise LoadError(
                f"{target}: {name}{signature} does not match the protocol {name}({expected}): {error}"
            ) from None
