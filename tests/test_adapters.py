"""The built-in PyTorch and JAX adapters: every applicable claim, and what each library does natively.

Known deviations of a library (claims it may fail, and why) are kept in adapter_deviations.json,
not in code. Each adapter's test is skipped, with the install command, only when its library is
not installed; CI installs both extras.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from attnproof.cli import main
from attnproof.implementation import load
from attnproof.registry import CLAIMS
from attnproof.runner import run_claim

DEVIATIONS = json.loads((Path(__file__).parent / "adapter_deviations.json").read_text())


def installed(library: str):
    return pytest.mark.skipif(
        importlib.util.find_spec(library) is None,
        reason=f"{library} is not installed: pip install 'attnproof[{library}]'",
    )


@pytest.mark.parametrize("library", [pytest.param(name, marks=installed(name)) for name in DEVIATIONS])
def test_adapter_passes_every_claim_the_library_follows(library):
    impl = load(library)
    known = DEVIATIONS[library]
    outcomes = {c.id: run_claim(c, impl, "smoke") for c in CLAIMS}
    failed = {claim_id for claim_id, outcome in outcomes.items() if outcome.status == "fail"}
    unexpected = {claim_id: outcomes[claim_id].message for claim_id in failed - set(known["may_fail"])}
    assert not unexpected
    assert set(known.get("must_fail", [])) <= failed, "a recorded deviation no longer shows: update the data file"
    assert any(o.status == "pass" for o in outcomes.values())
    findings = " ".join(impl.findings())
    assert all(phrase in findings for phrase in known["findings"]), findings


@installed("torch")
def test_verify_prints_the_native_findings(capsys):
    assert main(["verify", "--impl", "torch", "--claims", "mask.causal", "--profile", "smoke"]) == 0
    out = capsys.readouterr().out
    assert "pass  mask.causal" in out and "note  torch SDPA is_causal=True aligns the mask top-left" in out
