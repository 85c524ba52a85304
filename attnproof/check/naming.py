"""What a formula names: its quantities' names as the settings spell them, and a pair of indices.

Example:
    >>> from attnproof.check.parse import parse
    >>> sorted(names(parse(r"\\alpha_{ij} = \\mathrm{softmax}(q_i^\\top k_j)")))
    ['alpha', 'k', 'q', 'softmax']
"""

from attnproof.check import tree
from attnproof.check.tree import walk


def names(node: tree.Node) -> set[str]:
    """Base names, labelled names (W_q) and function names in a tree; not what stands in subscripts (the k of
    d_k, the i of q_i), which name indices and labels rather than quantities."""
    subscripted = {id(part) for n in walk(node) if isinstance(n, tree.Script) for item in n.sub
                   for part in walk(item)}
    found = set()
    for child in walk(node):
        if id(child) in subscripted:
            continue
        if isinstance(child, tree.Name):
            found.add(child.name)
        elif isinstance(child, tree.Call):
            found.add(child.name)
        elif isinstance(child, tree.Script) and isinstance(child.base, tree.Name):
            sup = tree.ungrouped(child.sup)
            label = sup.name.lower() if isinstance(sup, tree.Name) else None
            sub_labels = [s.name.lower() for s in child.sub if isinstance(s, tree.Name)]
            for candidate in [label, *sub_labels]:
                if candidate in {"q", "k", "v", "o"}:
                    found.add(f"{child.base.name}_{candidate}")
    return found


def pair(sub: tuple[tree.Node, ...]) -> tuple[tree.Node, tree.Node] | None:
    """A subscript of two indices, written `n, n'` or juxtaposed as `ji`; None for any other."""
    if len(sub) == 2:
        return sub
    if len(sub) == 1 and isinstance(sub[0], tree.Mul) and sub[0].op == "" and \
            all(isinstance(part, tree.Name) for part in (sub[0].left, sub[0].right)):
        return sub[0].left, sub[0].right
    return None
