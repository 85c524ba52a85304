r"""Worked KV-cache sizes: does a product of numbers use the factors the cache is made of?

The cache holds K and V (a factor 2) for every layer, KV head, head dimension and position, at so many
bytes an element (proofs/kv_cache_memory.py). A worked size such as `2 \cdot 80 \cdot 8 \cdot 128 \cdot 2\ B`
is a product of the model's sizes; with the sizes the text around it states (model_sizes), each factor
is matched to its role. Two mistakes are caught: the query heads used where a GQA or MQA model caches
fewer KV heads, and a missing factor 2 for keys and values (then the product has one 2 fewer than the
roles need, whatever the text states). Whether the arithmetic holds is the arithmetic rung's business.

Example:
    >>> from attnproof.check.parse import parse
    >>> text = "Llama 2 70B: 80 layers, 64 query heads and 8 KV heads of size 128. Its KV cache per token:"
    >>> decide(parse(r"2 \cdot 80 \cdot 64 \cdot 128 \cdot 2\ \text{B} = 2.5\ \text{MiB}"), text, Document()).message
    'under grouped-query or multi-query attention the cache holds the 8 KV heads, not the 64 query heads'
    >>> decide(parse(r"80 \cdot 8 \cdot 128 \cdot 2\ \text{B} = 160\ \text{KiB}"), text, Document()).hint
    '2 \\cdot 80 \\cdot 8 \\cdot 128 \\cdot 2\\ \\text{B} = 320\\ \\text{KiB}'
"""

import math
import re
from collections import Counter
from dataclasses import replace

from attnproof.check import tree
from attnproof.check.costs import SENTENCE_END, around
from attnproof.check.decision import Decision, Document
from attnproof.check.extract import SELF
from attnproof.check.finding import Verdict
from attnproof.check.model_sizes import ModelSizes, known, named_in, stated
from attnproof.check.scalars import UNITS, in_unit_of
from attnproof.check.show import show
from attnproof.check.tree import walk

CLAIM = "kv_cache.memory"
BYTES = {"B", "bytes", "byte"}
COUNTED_WORK = r"\[formula\],? (?:flops?|g?flop|multiply-adds?|macs|operations)\b"
CACHE_WORDS = r"cach|\bkv\b|key/value|key-value|key--value|\bkeys? and (?:one |a )?values?\b"


def decide(relation: tree.Relation, context: str, document: Document) -> Decision | None:
    """A verdict on the factors of a worked KV-cache size in bytes; None when it is not one, or fits.
    A text that states no sizes around the formula means the model it last described."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) < 2 or not about_cache(context, document):
        return None
    if re.search(COUNTED_WORK, context.lower()):  # [formula] FLOPs: a count of operations, not of bytes
        return None
    numbers = next((found for item in relation.items if (found := product_of_numbers(item)) is not None), None)
    if numbers is None or len(numbers) < 3:
        return None
    sizes = remembered(stated(through_sentence(context)), document, context + " " + show(relation), show(relation))
    cached = sizes.kv_heads * sizes.head_dim if sizes.kv_heads and sizes.head_dim else None  # K's width in a layer
    if len(numbers) < 4 and not (sizes.layers in numbers and {sizes.width, cached} & set(numbers)):
        return None  # 8 x 4096 x 320 KiB: a per-token size times tokens; 5120 x 40 x 2: width (h d) x layers x bytes
    factors = Counter(numbers)
    in_bytes = any(isinstance(n, tree.Name) and n.name.split(" ")[0] in BYTES for n in walk(relation)) or \
        "byte" in context.lower() or any(factors[s] for s in (sizes.layers, sizes.heads, sizes.kv_heads) if s)
    if not in_bytes:  # a product of the model's sizes is a size in bytes, with or without its unit
        return None
    if counts_query_heads(factors, sizes) and not SUPPOSED_MHA.search(context[: max(context.find(SELF), 0)].lower()):
        return query_heads(relation, numbers, sizes)  # (not under "Llama 2 70B, if it were MHA": every head cached)
    if (width := grouped_width(factors, sizes)) is not None:
        return model_width(relation, numbers, sizes, width)
    if (share := width_share(factors, sizes)) is not None:
        return head_width(relation, numbers, sizes, share)
    if (batch := batch_named(relation, context)) and not factors[batch]:
        return missing_batch(relation, numbers, batch)
    for size in (sizes.layers, sizes.kv_heads, sizes.head_dim, sizes.width, sizes.batch,
                 *(() if cached == sizes.width else (cached,))):
        if size is not None and factors[size]:
            factors[size] -= 1  # 4 KV heads, a batch of 4: sizes the text states, not the element size
    element = 1 if counted(relation, context) else \
        sizes.element_bytes or document.element_bytes or (4 if factors[4] else 2)  # fp16 unless a 4 says fp32
    if factors[2] < 1 + (element == 2) and not (element == 2 and factors[4]):  # a 4 may be the pair's 2 x 2 bytes
        return missing_pair(relation, numbers, element)
    return None


SUPPOSED_MHA = re.compile(r"\bif (?:it|the model|they) (?:were|was|used) (?:plain |full )?(?:mha|multi-head)\b"
                          r"|\bhypothetical (?:mha|multi-head)\b")  # said before the formula: all heads cached
ELEMENTS = {"values", "elements", "numbers", "entries", "floats", "scalars"}
COUNTED_ELEMENTS = re.compile(r"\[formula\],?\s+(?:" + "|".join(sorted(ELEMENTS)) + r")\b")


def counted(relation: tree.Relation, context: str) -> bool:
    r"""`2 \times 16\,000 \times 40 \times 48 \times 128 = 7.86 \times 10^9\ \text{values}`: a count of the cache's
    elements, not of its bytes, so no factor for the element size."""
    return any(isinstance(n, tree.Name) and n.name.split(" ")[0] in ELEMENTS for n in walk(relation)) or \
        bool(COUNTED_ELEMENTS.search(context.lower()))


def through_sentence(context: str) -> str:
    """The context up to the end of the formula's sentence: a later one ("Had the model used multi-query
    attention, ...") speaks of another configuration, and so does a hypothetical clause after the formula
    ("what the model would need if it had 32 key/value heads")."""
    mark = context.find(SELF)
    if mark < 0:
        return context
    return context[:mark] + HYPOTHETICAL.split(SENTENCE_END.split(context[mark:])[0])[0]


HYPOTHETICAL = re.compile(r"\b(?:would need|if (?:it|the model|they) (?:had|used|were))\b")


BATCH_LETTERS = {tree.Name(letter) for letter in ("B", "b", "batch", "bs")}
PER_SEQUENCE = r"\b(?:per|each|one|a single) (?:sequence|request|prompt|user|token)\b"


def batch_named(relation: tree.Relation, context: str) -> int | None:
    r"""A batch of more than one sequence the formula's own sentence speaks of ("for a batch of 8 prompts"), or its
    left side names (`\text{KV}_{B=8}`, `\mathrm{KV}_{\text{batch of 8}}`); None where the sentence or the left side
    is about one sequence's or token's share ("per sequence", `\text{per token}`)."""
    sentence = around(context)
    if re.search(PER_SEQUENCE, (show(relation.items[0]) + " " + sentence).lower()):
        return None
    given = [int(n.items[1].text) for n in walk(relation.items[0]) if isinstance(n, tree.Relation) and
             n.ops == ("=",) and n.items[0] in BATCH_LETTERS and isinstance(n.items[1], tree.Num) and
             n.items[1].text.isdigit()]
    batch = given[0] if given else stated(show(relation.items[0]) + " " + sentence).batch
    return batch if batch and batch > 1 else None


def about_cache(context: str, document: Document) -> bool:
    """Does the text around the formula, or the document before it, speak of caching keys and values?"""
    if re.search(CACHE_WORDS, context.lower()):
        document.about_cache = True
    return document.about_cache


def remembered(sizes: ModelSizes, document: Document, text: str, formula: str = "") -> ModelSizes:
    """The sizes the text around the formula states; else those of a model of the document's configuration
    table that the formula or its text names (KV^{Mixtral}); else a well-known model the formula names
    (`M_{KV}^{\text{Qwen2-7B}}`), or its text and row label; else the model the text last described."""
    listed, well_known = named_in(text, document.models), known(formula) or known(text)  # the text's own table first
    if listed is not None and well_known is not None:
        listed = listed.completed(well_known)  # "Falcon-7B (MQA)": the row says one KV head, the model the rest
    model = listed or well_known or document.model
    if sizes.describes_model():
        if model is not None and sizes.part_of(model):  # "plug in the 64 query heads": the same model, in part
            return replace(model, batch=sizes.batch or model.batch,
                           element_bytes=sizes.element_bytes or model.element_bytes)
        document.model = sizes
        return sizes
    if model is None:
        return sizes
    return replace(model, element_bytes=sizes.element_bytes or model.element_bytes)


def product_of_numbers(node: tree.Node) -> list[int] | None:
    """The whole-number factors of a product (a byte unit among them is dropped), else None."""
    leaves = flattened(node)
    if leaves is None:
        return None
    numbers = [leaf for leaf in leaves if not (isinstance(leaf, tree.Name) and leaf.name in BYTES)]
    if not all(isinstance(n, tree.Num) and n.text.isdigit() for n in numbers):
        return None
    return [int(n.text) for n in numbers]


def flattened(node: tree.Node) -> list[tree.Node] | None:
    match node:
        case tree.Mul(left, right, op) if op in {"", "cdot", "times"}:
            left, right = flattened(left), flattened(right)
            return None if left is None or right is None else left + right
        case tree.Group((item,), "("):
            return flattened(item)
        case tree.Num() | tree.Name():
            return [node]
    return None


def counts_query_heads(factors: Counter, sizes: ModelSizes) -> bool:
    """Does the product count the query heads of a model that caches fewer KV heads?"""
    if sizes.heads is None or sizes.kv_heads is None or sizes.heads <= sizes.kv_heads:
        return False
    if sizes.kv_heads > 1 and factors[sizes.kv_heads] > 0:
        return False
    return factors[sizes.heads] > (sizes.heads == sizes.layers) + (sizes.heads == sizes.head_dim)


def grouped_width(factors: Counter, sizes: ModelSizes) -> int | None:
    """The model's width (all h query heads of d_head) used for a GQA or MQA model's cached width, or None."""
    if not (sizes.heads and sizes.kv_heads and sizes.head_dim) or sizes.kv_heads >= sizes.heads:
        return None
    width = sizes.width or sizes.heads * sizes.head_dim
    if width != sizes.heads * sizes.head_dim or not factors[width] or factors[sizes.kv_heads] and sizes.kv_heads > 1:
        return None
    return width


def width_share(factors: Counter, sizes: ModelSizes) -> int | None:
    """The model's width over its query heads, used for the head width of a model whose configuration sets another
    (Mistral NeMo: 5120 / 32 = 160, but heads of 128; Gemma 2 9B: 3584 / 16 = 224, but 256), or None."""
    if not (sizes.width and sizes.heads and sizes.head_dim) or sizes.width % sizes.heads:
        return None
    share = sizes.width // sizes.heads
    return share if share != sizes.head_dim and factors[share] and not factors[sizes.head_dim] else None


def head_width(relation: tree.Relation, numbers: list[int], sizes: ModelSizes, share: int) -> Decision:
    return replaced(relation, numbers, numbers.index(share), [sizes.head_dim],
                    f"the model's heads are {sizes.head_dim} wide, as its configuration sets them, not its width over "
                    f"its heads ({sizes.width} / {sizes.heads} = {share})",
                    f"with the model the text states ({sizes.describe()}): {product_text(numbers)} bytes caches "
                    f"{share} values a head for K and for V, where each head holds {sizes.head_dim}")


def model_width(relation: tree.Relation, numbers: list[int], sizes: ModelSizes, width: int) -> Decision:
    return replaced(relation, numbers, numbers.index(width), [sizes.kv_heads, sizes.head_dim],
                    f"under grouped-query or multi-query attention the cache holds the {sizes.kv_heads} KV "
                    f"head{'s' * (sizes.kv_heads != 1)} of {sizes.head_dim}, not the model's width {width} (all "
                    f"{sizes.heads} query heads)",
                    f"with the model the text states ({sizes.describe()}): {product_text(numbers)} bytes caches "
                    f"{width} values a layer for K and for V; the cache is {sizes.heads // sizes.kv_heads}x smaller")


def query_heads(relation: tree.Relation, numbers: list[int], sizes: ModelSizes) -> Decision:
    last = len(numbers) - 1 - numbers[::-1].index(sizes.heads)  # layers, when equal, come before the heads
    return replaced(relation, numbers, last, [sizes.kv_heads],
                    f"under grouped-query or multi-query attention the cache holds the {sizes.kv_heads} KV "
                    f"head{'s' * (sizes.kv_heads != 1)}, not the {sizes.heads} query heads",
                    f"with the model the text states ({sizes.describe()}): {product_text(numbers)} bytes counts "
                    f"{sizes.heads} heads; the cache is {sizes.heads // max(sizes.kv_heads, 1)}x smaller")


def replaced(relation: tree.Relation, numbers: list[int], place: int, by: list[int], message: str,
             counterexample: str) -> Decision:
    """Wrong: the product's factor at `place` should be the factors `by`; the hint is the product with them."""
    return Decision(Verdict.WRONG, CLAIM, message, hint=written(numbers[:place] + by + numbers[place + 1:],
                                                                relation.items[-1]),
                    counterexample=counterexample, rung="arithmetic")


def missing_batch(relation: tree.Relation, numbers: list[int], batch: int) -> Decision:
    return Decision(
        Verdict.WRONG, CLAIM,
        f"every one of the batch's {batch} sequences caches its own keys and values: the product needs the batch "
        f"{batch} as a factor",
        hint=written([*numbers, batch], relation.items[-1]),
        counterexample=f"{product_text(numbers)} bytes is one sequence's cache; a batch of {batch} takes "
        f"{product_text([*numbers, batch])} bytes",
        rung="arithmetic",
    )


def missing_pair(relation: tree.Relation, numbers: list[int], element: int) -> Decision:
    return Decision(
        Verdict.WRONG, CLAIM,
        f"the cache stores both K and V: the product needs a factor 2 for the pair besides the {element} bytes "
        "of each element, and has only one 2",
        hint=written([2, *numbers], relation.items[-1]),
        counterexample=f"{product_text(numbers)} bytes is one of the two tensors; K and V together take "
        f"{product_text([2, *numbers])} bytes",
        rung="arithmetic",
    )


def product_text(numbers: list[int]) -> str:
    return " x ".join(map(str, numbers))


def written(numbers: list[int], unit_side: tree.Node) -> str:
    r"""`2 \cdot 80 \cdot 8 \cdot 128 \cdot 2\ \text{B} = 320\ \text{KiB}`, in the unit the formula used."""
    value = math.prod(numbers)
    unit = next((n.name for n in walk(unit_side) if isinstance(n, tree.Name) and n.name in UNITS), None)
    total = in_unit_of(float(value), unit_side) if unit else str(value)
    return r" \cdot ".join(map(str, numbers)) + r"\ \text{B} = " + total


