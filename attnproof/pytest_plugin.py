"""A pytest plugin: `pytest --attnproof-impl=mypackage.attention` runs every claim as a test.

Installed with attnproof (entry point pytest11), it does nothing unless --attnproof-impl is
given; then each claim becomes one test item, `attnproof[<claim id>]`, which passes, fails with
the shrunk counterexample, or is skipped with its reason. The options are the same objects
`attnproof verify` uses, prefixed with --attnproof-.

Example (in a user's project):
    pytest --attnproof-impl=my_attention.py --attnproof-claims=mask,positions.rope
"""

import pytest

from attnproof import implementation
from attnproof.cli import select_claims
from attnproof.errors import InputError
from attnproof.options import VERIFY_OPTIONS
from attnproof.runner import run_claim

PREFIX = "attnproof-"


def pytest_addoption(parser):
    group = parser.getgroup("attnproof", "check an attention implementation against attnproof's claims")
    for option in VERIFY_OPTIONS:
        option.add_to(group.addoption, prefix=PREFIX)


def pytest_collection_modifyitems(session, config, items):
    target = config.getoption("attnproof_impl")
    if target == VERIFY_OPTIONS[0].default and not _given(config, "--attnproof-impl"):
        return
    try:
        impl = implementation.load(target, call_timeout=config.getoption("attnproof_timeout"))
        claims = select_claims(config.getoption("attnproof_claims"))
    except InputError as error:
        raise pytest.UsageError(str(error)) from None
    profile = config.getoption("attnproof_profile")
    items.extend(
        ClaimItem.from_parent(session, name=f"attnproof[{c.id}]", claim=c, impl=impl, profile=profile) for c in claims
    )


def _given(config, flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in config.invocation_params.args)


class ClaimItem(pytest.Item):
    """One claim checked against the implementation named on the command line."""

    def __init__(self, *, claim, impl, profile, **kwargs):
        super().__init__(**kwargs)
        self.claim, self.impl, self.profile = claim, impl, profile

    def runtest(self):
        outcome = run_claim(self.claim, self.impl, self.profile)
        if outcome.status == "skip":
            pytest.skip(outcome.message)
        if outcome.status == "fail":
            raise ClaimFailed(outcome.message)

    def repr_failure(self, excinfo):
        return f"{self.claim.id} failed on {self.impl.name}: {excinfo.value}"

    def reportinfo(self):
        return self.claim.proof.replace(".", "/") + ".py", None, f"attnproof[{self.claim.id}]"


class ClaimFailed(AssertionError):
    """A claim's property failed; its message is the shrunk counterexample."""
