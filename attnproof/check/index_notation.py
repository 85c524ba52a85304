r"""Index notation with batch and head axes: `\mathrm{scores}_{bhij} = \frac{1}{\sqrt{d_k}} \sum_d q_{bhid} k_{bhjd}`.

An index letter that every indexed quantity of a formula carries and that no sum or softmax runs over (the batch b,
the head h, a leading `\dots`) is an axis the formula maps over: it states the same thing for each of its values. The
formula is read with those letters dropped, `\mathrm{scores}_{ij} = \frac{1}{\sqrt{d_k}} \sum_d q_{id} k_{jd}`,
which the settings evaluate. A letter some quantity lacks (the weights' `W^Q_{chd}` has no batch b) is kept, and
so is a quantity's last pair of indices: in `A_{ij} = \exp(s_{ij}) / \sum_l \exp(s_{il})` every quantity carries
the query i, which is no batch axis but one of the two the settings index.

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check.show import show
    >>> show(without_mapped_axes(parse(r"a_{bhij} = \mathrm{softmax}_j(s_{bhij})")))
    'a_{ij} = \\mathrm{softmax}_j(s_{ij})'
"""

from functools import reduce

from attnproof.check import tree
from attnproof.check.tree import walk


def without_mapped_axes(relation: tree.Relation) -> tree.Relation:
    """The relation with the letters every indexed quantity carries, and no sum or softmax runs over, dropped,
    leading ones first, as long as every quantity keeps two indices."""
    runs = [letters(node.sub[0]) for node in walk(relation) if isinstance(node, tree.Script) and len(node.sub) == 1]
    runs = [run for run in runs if run is not None and len(run) >= 2]
    if len(runs) < 2:
        return relation
    bound = {item for node in walk(relation) if isinstance(node, tree.Sum | tree.Call) for item in walk(node.sub)
             if isinstance(item, tree.Name)}  # \sum_d, \mathrm{softmax}_j
    shared = reduce(set.intersection, (set(run) for run in runs)) - bound
    mapped = set()
    for letter in sorted(shared, key=runs[0].index):  # the leading axes first: b, then h, then (if ever) i
        if any(len([part for part in run if part not in mapped | {letter}]) < 2 for run in runs):
            break
        mapped.add(letter)
    return dropped(relation, mapped) if mapped else relation


def letters(item: tree.Node) -> list[tree.Node] | None:
    """`bhij` (as juxtaposed one-letter names, perhaps after `\\dots`) as its letters; None for anything else."""
    if isinstance(item, tree.Mul) and item.op == "":
        left, right = letters(item.left), letters(item.right)
        return left + right if left is not None and right is not None else None
    if isinstance(item, tree.Name) and len(item.name) == 1 or isinstance(item, tree.Dots):
        return [item]
    return None


def dropped(node, shared: set[tree.Node]):
    if isinstance(node, tree.Script) and len(node.sub) == 1 and (run := letters(node.sub[0])) is not None \
            and len(run) >= 2:
        kept = [part for part in run if part not in shared and not isinstance(part, tree.Dots)]
        sub = reduce(lambda left, right: tree.Mul(left, right, ""), kept)
        return tree.Script(dropped(node.base, shared), (sub,), dropped(node.sup, shared) if node.sup else None)
    return tree.rebuilt(node, lambda child: dropped(child, shared))
