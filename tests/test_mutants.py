"""The suite finds real bugs: each mutant in the catalogue fails the claim it names."""

import re

import pytest

from attnproof.implementation import from_object
from attnproof.registry import by_id
from attnproof.runner import run_claim
from tests import mutants

CATALOGUE = mutants.catalogue()


def test_catalogue_is_large_enough():
    assert len(CATALOGUE) >= 20


@pytest.mark.parametrize("name", CATALOGUE)
def test_mutant_is_killed_by_its_claim(name, profile):
    mutant = mutants.load(name)
    claim = by_id(mutant.KILLED_BY)
    outcome = run_claim(claim, from_object(name, mutant), profile)
    assert outcome.status == "fail", f"mutant {name} survived {claim.id}"
    assert not re.match(r"[A-Z]\w*(Error|Exception): ", outcome.message), (
        f"{claim.id} crashed instead of reporting the bug: {outcome.message}"
    )
