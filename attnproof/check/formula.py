"""A formula found in a document: its LaTeX, where it is, and the prose around it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Formula:
    """One formula (one row, for align-like environments) as the extractor found it.

    Example:
        >>> Formula(r"Q = XW^Q", line=12, context="The queries are a projection of X.").latex
        'Q = XW^Q'
    """

    latex: str  # delimiters and environment stripped; one row of an align
    line: int  # 1-based line where it starts: in the file, or in the cell for notebooks
    cell: int | None = None  # notebook cell index (0-based, as in nbformat), None elsewhere
    context: str = ""  # the prose around it, the formula itself as "[formula]", others as "[math]"
    display: bool = False  # display math ($$..$$, \[..\], environments) rather than inline
    expanded: str = ""  # the latex with the document's own macros expanded (\vx -> \mathbf{x}); "" if none
    earlier: str = ""  # the prose of the paragraphs since the last one with a formula, before this one's
    section: str = ""  # the title of the section it stands in: a Markdown heading, \section{..}, \frametitle{..}

    @property
    def readable(self) -> str:
        """What the grammar reads: the formula with the document's macros expanded."""
        return self.expanded or self.latex
