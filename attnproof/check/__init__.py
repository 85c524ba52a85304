"""Check the attention equations in teaching material: `attnproof check PATH...`.

Extraction (`extract`) finds the formulas of Markdown, LaTeX and notebooks; the checker decides each
one against the claims of the registry; `render` prints the findings.
"""

from dataclasses import replace
from pathlib import Path

from attnproof.check.documents import DocumentError, discover, read
from attnproof.check.extract import formulas, table_rows, written
from attnproof.check.finding import Finding
from attnproof.check.glossary import (
    code_names,
    function_symbols,
    head_width_letters,
    index_order,
    mask_letters,
    named_sizes,
    permutation_letters,
    probability_letters,
    role_letters,
    weight_names,
    with_symbols,
)
from attnproof.check.model_sizes import catalogue


def check_text(text: str, kind: str = "markdown", name: str = "<text>") -> list[Finding]:
    r"""The findings for the formulas of one document's text; kind is "markdown", "tex" or "notebook".

    Raises DocumentError, naming the document, for a notebook that cannot be read.

    Example:
        >>> [(f.line, f.verdict.value, f.claim) for f in check_text("Queries: $Q = XW^Q$.")]
        [(1, 'ok', 'qkv.shapes')]
    """
    from attnproof.check.checker import check_formulas  # SymPy and the grammar load only when checking

    try:
        found = formulas(text, kind)
        models = catalogue(table_rows(text, kind))
        prose = written(text, kind)
        if symbols := function_symbols(prose):  # "$\mathcal{S}$ is the softmax": read \mathcal{S}(...) as softmax
            found = [replace(f, expanded=with_symbols(f.readable, symbols)) for f in found]
        latex = [f.readable for f in found]
        letters = code_names(prose) | named_sizes(prose) | weight_names(latex) | role_letters(prose, latex) | \
            permutation_letters(prose) | probability_letters(prose) | head_width_letters(latex) | mask_letters(prose)
    except DocumentError as error:
        raise DocumentError(error.problem, name) from None
    return check_formulas(found, name, models, letters, index_order(prose))


def check_paths(paths: list[Path]) -> tuple[list[Finding], list[DocumentError]]:
    """The findings for every document the paths name (see `discover`), and the documents that cannot be read.

    Example:
        >>> findings, unreadable = check_paths([Path("missing.md")])
        >>> findings, [str(error) for error in unreadable]
        ([], ['missing.md: no such file'])
    """
    findings: list[Finding] = []
    unreadable: list[DocumentError] = []
    for path in discover(paths):
        try:
            kind, text = read(path)
            findings += check_text(text, kind, str(path))
        except DocumentError as error:
            unreadable.append(error)
    return findings, unreadable
