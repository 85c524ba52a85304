"""The checker scored on the labelled corpus of teaching material (tests/check_corpus, see its README).

The issue's targets are recall >= 95% on wrong equations, false alarms <= 2% on correct ones, and a
verdict on >= 90% of in-scope equations; the checker does not meet them yet (README.md gives the
figures). The floors below are what it measured when this test was written, so a change that makes
it worse fails here: dev was developed against; each held-out split was written by someone who had not
seen the checker, scored once, and then used to fix general causes (README.md gives each first score).
The clean estimates of this round are the first scores of heldout25 (course and book material, on b5e6a5d: 39/46,
3/80, 110/126) and heldout26 (web and practitioner material, on b5e6a5d: 25/48, 4/81, 84/129), written at the same time
by two people who had not seen the checker; the fixes after them came from their misses and from formulas written for
the purpose. Those of the rounds before were heldout23 (on 453aa49: 32/54, 3/73, 98/127), heldout24 (on 8df9a39:
34/50, 4/76, 85/126), heldout21 (on b7817e3: 32/48, 6/76, 92/124), heldout22 (on 09aaadb:
21/43, 4/67, 60/110), heldout19 (on 840ce92: 33/48, 5/68, 90/116), heldout20 (on 840ce92: 26/51, 7/78, 83/129),
heldout16 (on 3577985: 29/46, 11/83, 100/129), heldout17 (on e8146c4: 26/46, 2/66, 81/112) and heldout18 (on 48fdb3b:
27/43, 6/80, 90/123).
"""

import pytest

from tests.corpus_score import score

# split: (wrong caught, correct flagged, in-scope given a verdict, out-of-scope flagged), measured 2026-11-29
MEASURED = {
    "dev": (58, 0, 147, 0),
    "heldout": (43, 2, 119, 0),
    "heldout2": (40, 0, 106, 0),
    "heldout3": (37, 1, 102, 0),
    "heldout4": (27, 0, 73, 0),
    "heldout5": (39, 0, 94, 0),
    "heldout6": (37, 0, 96, 0),
    "heldout7": (38, 1, 86, 0),
    "heldout8": (33, 1, 93, 1),
    "heldout9": (35, 1, 98, 1),
    "heldout10": (54, 3, 184, 0),
    "heldout11": (42, 2, 114, 0),
    "heldout12": (50, 0, 123, 0),
    "heldout13": (35, 1, 109, 0),
    "heldout14": (49, 1, 119, 0),
    "heldout15": (34, 1, 114, 0),
    "heldout16": (33, 0, 106, 0),
    "heldout17": (36, 0, 94, 0),
    "heldout18": (29, 3, 93, 1),
    "heldout19": (40, 2, 101, 0),
    "heldout20": (33, 2, 98, 1),
    "heldout21": (38, 3, 108, 0),
    "heldout22": (30, 0, 73, 1),
    "heldout23": (36, 0, 103, 0),
    "heldout24": (40, 1, 103, 1),
    "heldout25": (44, 0, 118, 0),
    "heldout26": (37, 2, 104, 0),
}


@pytest.fixture(scope="module", params=sorted(MEASURED))
def scored(request):
    return request.param, score(request.param)


def test_wrong_equations_are_caught(scored):
    split, result = scored
    assert result.caught >= MEASURED[split][0], result.summary() + "\n" + "\n".join(result.misses)


def test_correct_equations_are_not_flagged(scored):
    split, result = scored
    assert result.false_alarms <= MEASURED[split][1], "\n".join(m for m in result.misses if "got wrong" in m)


def test_in_scope_equations_get_a_verdict(scored):
    split, result = scored
    assert result.decided >= MEASURED[split][2], result.summary()


def test_out_of_scope_equations_are_rarely_called_wrong(scored):
    split, result = scored
    assert result.out_of_scope_flagged <= MEASURED[split][3], "\n".join(m for m in result.misses if "out_of_scope" in m)
