"""Every claim's SymPy derivation goes through, step by step."""

import pytest

from attnproof.registry import CLAIMS
from proofs.derivation import Step


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_derivation_checks(claim):
    derivation = claim.derive()  # raises ProofError at the first step SymPy cannot confirm
    assert len(derivation.steps) >= 2, "a derivation is a chain of steps, not one opaque check"
    assert all(isinstance(step, Step) and step.reason and step.latex() for step in derivation.steps)
