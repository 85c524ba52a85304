"""Running one claim's property against one implementation, and what came of it.

Example:
    >>> from attnproof import implementation, registry
    >>> outcome = run_claim(registry.by_id("qkv.shapes"), implementation.load("impl"), "dev")
    >>> outcome.status, outcome.examples > 0
    ('pass', True)
"""

import hashlib
import time
from dataclasses import dataclass

from hypothesis import given, seed

from attnproof.implementation import ImplementationHang
from attnproof.numerics import Evidence, evidence
from attnproof.profiles import profile_settings


@dataclass(frozen=True)
class Outcome:
    """The verdict on one claim: pass, fail or skip, with what was run and the counterexample."""

    claim: str
    status: str  # "pass" | "fail" | "skip"
    examples: int
    seconds: float
    message: str = ""
    largest_error: float = 0.0
    tolerance: float = 0.0


def claim_seed(claim_id: str) -> int:
    """A fixed seed per claim, so every run draws the same examples."""
    return int.from_bytes(hashlib.sha256(claim_id.encode()).digest()[:8], "big")


def run_claim(claim, impl, profile: str = "dev") -> Outcome:
    """Check claim.property on impl with the profile's settings; never raises for the impl's faults."""
    prop = claim.property
    missing = [name for name in prop.needs if not impl.provides(name)]
    if missing:
        return Outcome(claim.id, "skip", 0, 0.0, f"not provided: {', '.join(missing)}")
    reason = prop.applies(impl) if prop.applies is not None else None
    if reason:
        return Outcome(claim.id, "skip", 0, 0.0, reason)
    passed = 0

    def example(case):
        nonlocal passed
        prop.check(impl, case)
        passed += 1

    test = seed(claim_seed(claim.id))(profile_settings(profile)(given(prop.cases)(example)))
    collected = Evidence()
    token = evidence.set(collected)
    start = time.perf_counter()
    try:
        if prop.once is not None:
            prop.once(impl)
        test()
        status, message = "pass", ""
    except ImplementationHang as error:
        status, message = "fail", str(error)
    except Exception as error:  # the shrunk counterexample, re-raised by Hypothesis
        status, message = "fail", _describe_failure(error)
    finally:
        evidence.reset(token)
    seconds = time.perf_counter() - start
    return Outcome(claim.id, status, passed, seconds, message, collected.error, collected.tolerance)


def _describe_failure(error: Exception) -> str:
    text = str(error).strip()
    if isinstance(error, AssertionError) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
