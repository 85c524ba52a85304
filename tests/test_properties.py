"""Every property holds on the bundled reference and on two implementations written apart from it."""

import pytest

from attnproof.implementation import load
from attnproof.registry import CLAIMS
from attnproof.runner import run_claim

CORRECT = ["impl", "tests.independent.loops", "tests.independent.einsum_extras"]


@pytest.mark.parametrize("target", CORRECT)
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_property_holds_on_correct_implementations(claim, target, profile):
    outcome = run_claim(claim, load(target), profile)
    assert outcome.status in ("pass", "skip"), outcome.message
    if target == "impl":
        assert outcome.status == "pass", "the reference provides the whole protocol"
        assert outcome.examples > 0
