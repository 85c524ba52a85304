"""Meta-tests: every claim in the registry has all its parts, and nothing is written twice."""

import importlib
import re

import pytest

from attnproof.implementation import PROTOCOL
from attnproof.registry import CLAIMS, by_id
from tests import mutants

CLAIM_IDS = [c.id for c in CLAIMS]


def test_claim_ids_are_unique_and_dotted():
    assert len(set(CLAIM_IDS)) == len(CLAIM_IDS)
    assert all(re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", claim_id) for claim_id in CLAIM_IDS)


def test_properties_and_proofs_are_not_shared_between_claims():
    assert len({c.property.check for c in CLAIMS}) == len(CLAIMS)
    assert len({c.proof for c in CLAIMS}) == len(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=CLAIM_IDS)
def test_claim_has_every_part(claim):
    assert claim.title and claim.statement
    assert set(claim.property.needs) <= set(PROTOCOL)
    assert claim.property.check.__doc__, "a property's docstring states what it checks"
    module = importlib.import_module(claim.proof)
    assert callable(module.derive)


@pytest.mark.parametrize("claim", CLAIMS, ids=CLAIM_IDS)
def test_proof_docstring_states_the_registry_strength(claim):
    """The proof module says in words how strong it is; the registry says the same."""
    doc = importlib.import_module(claim.proof).__doc__
    stated = re.search(r"^Strength: (symbolic|fixed sizes|numeric)", doc, re.MULTILINE)
    assert stated, f"{claim.proof} has no 'Strength:' line"
    assert stated.group(1) == claim.strength.value


@pytest.mark.parametrize("claim", CLAIMS, ids=CLAIM_IDS)
def test_every_claim_has_a_mutant_it_must_kill(claim):
    """A property no mutant targets could be one that cannot fail."""
    assert any(mutants.load(name).KILLED_BY == claim.id for name in mutants.catalogue())


def test_by_id_names_the_known_claims_when_asked_for_an_unknown_one():
    with pytest.raises(KeyError, match="qkv.shapes"):
        by_id("no.such_claim")
