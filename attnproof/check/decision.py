"""A rule's answer for one statement, and what the checker remembers across a document.

Example:
    >>> Decision(Verdict.OK, "qkv.shapes", "Q is X projected by W^Q", rung="numeric").verdict.value
    'ok'
"""

from dataclasses import dataclass, field
from fractions import Fraction

from attnproof.check import tree
from attnproof.check.definitions import Definition
from attnproof.check.finding import Verdict
from attnproof.check.model_sizes import ModelSizes


@dataclass(frozen=True)
class Decision:
    """What one rule concluded about one statement."""

    verdict: Verdict
    claim: str | None
    message: str
    hint: str | None = None  # the corrected statement, LaTeX
    counterexample: str | None = None
    rung: str | None = None  # shapes, symbolic, numeric, statistical, arithmetic


@dataclass
class Document:
    """Conventions and values a document fixes once and relies on later."""

    convention: str | None = None  # "row vectors" or "column vectors", from the first formula that tells
    convention_line: int = 0
    index_order: str | None = None  # "query first" or "key first" for A_ij, in a column-vector text
    index_order_line: int = 0  # 0 where the prose said it
    window_count: str | None = None  # what the text's window of w keys counts: the query's own, or keys before it
    window_count_line: int = 0
    bindings: dict[str, Fraction] = field(default_factory=dict)  # d_model = 512, h = 8, ...
    tuples: dict[tree.Node, tree.Group] = field(default_factory=dict)  # s = (2.0, 1.0, 0.1): a worked example's scores
    softmax_names: set[str] = field(default_factory=set)  # S, where S_j = e^{a_j} / sum_k e^{a_k} defines it
    line: int = 0  # the line of the formula being checked
    section: str = ""  # the title of the section the formula being checked stands in
    about_cache: bool = False  # has the text spoken of caching keys and values yet?
    element_bytes: int | None = None  # the bytes a cached value takes, as the text last said (fp16: 2)
    model: ModelSizes | None = None  # the model whose sizes the text last stated (80 layers, 8 KV heads, ...)
    models: dict[str, ModelSizes] = field(default_factory=dict)  # the document's configuration table, by name
    sines_then_cosines: bool = False  # does the text lay the sinusoidal encoding out in halves?
    total_widths: bool = False  # do d_k, d_v name all heads' widths together (each head d_v / h, as Weng writes)?
    cost_subject: str | None = None  # what the last big-O statement was the cost of ("self-attention", ...)
    letters: dict[str, str] = field(default_factory=dict)  # the text's own letters: H -> d_k, C -> Q (glossary)
    definitions: dict[tuple, Definition] = field(default_factory=dict)  # names earlier formulas defined
