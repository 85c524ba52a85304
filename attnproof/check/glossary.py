r"""The letters a document's prose gives its sizes: "where $H$ is the head dimension", "`E` the embedding
dimension of the query and key", "$L$ the target sequence length", "$N$ heads".

Sources name their sizes with their own letters, and these collide with the checker's: PyTorch's documentation
writes E for the query/key width and L, S for the two lengths, JAX's H is the head width and N the number of
heads. A statement is read in the document's letters: each letter the prose defines as one of the sizes below
is renamed to the checker's name for it before the statement is judged. Only the head width (d_k), the value
width (d_v), the sequence length (n), the number of heads (h) and the model's channels (d_model) are renamed, and
never the letter d: texts use it for whichever width the section is about (the head's in a RoPE section, the
model's in the next on sinusoids), and the checker already reads it either way.

Example:
    >>> named_sizes(["Here $E$ is the embedding dimension of the query and key, and $L$ the target length."])
    {'E': 'd_k', 'L': 'n'}
    >>> named_sizes(["with sequence length `T` and head dimension `H`"])
    {'H': 'd_k', 'T': 'n'}
    >>> named_sizes(["If the sentence has $m$ words, X has m rows; a window covers the last $w$ tokens."])
    {'m': 'n'}
    >>> named_sizes(["| `M` | number of queries |\n| `K` | embedding size per head, for query and key |"])
    {'K': 'd_k', 'M': 'n'}
"""

import re

from attnproof.check import tree
from attnproof.check.errors import Unrecognised
from attnproof.check.parse import parse
from attnproof.check.symbolic import SIZES, SPELLINGS, spelling

# A size's letter as prose mentions it: $H$, `H`, $d_{head}$, `head_dim`.
SYMBOL = (r"(?:\$\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{{\s*)?(?P<{0}>[A-Za-z](?:_\{{?[A-Za-z]+\}}?)?)\s*\}}?\s*\$"
          r"|`(?P<{0}2>[A-Za-z](?:_[A-Za-z]+)?)`)")  # $s$, $\mathbf{s}$ or `s`: one symbol, maybe bold
MEANINGS = (  # the first that matches names the size; the more specific phrases first
    ("d_k", r"(?:embedding\s+)?dim(?:ension)?\s+of\s+(?:the\s+)?(?:query\s+and\s+key|queries\s+and\s+keys|keys|queries)"
            r"|(?:per-head|head|query/key|query-key|key/query|key|query|attention)\s+(?:embedding\s+)?"
            r"(?:dim(?:ension)?|size|width|depth)"
            r"|dim(?:ension)?\s+of\s+(?:each|one|a|every)\s+head|(?:size|width)\s+of\s+(?:each|one|a|every)\s+head"
            r"|(?:embedding\s+)?(?:dim(?:ension)?|size|width)\s+per\s+head(?!,?\s+(?:for\s+)?(?:the\s+)?values?\b)"),
    ("d_v", r"(?:embedding\s+)?dim(?:ension)?\s+of\s+(?:the\s+)?values?|value\s+(?:embedding\s+)?"
            r"(?:dim(?:ension)?|size|width|depth)|(?:embedding\s+)?(?:dim(?:ension)?|size|width)\s+per\s+head,?\s+"
            r"for\s+(?:the\s+)?values?"),
    ("h", r"number\s+of\s+(?:attention\s+|query\s+)?heads(?!\s+per\b)|head\s+count"
          r"|(?<=\$\s)(?:self-attention\s+|attention\s+)?heads\b(?!\s+per\b)"),  # "runs $M$ self-attention heads"
    # nanoGPT's "time T, channels C"; Doshi's "Embedding Size E" (an embedding dimension is as often a head's)
    ("d_model", r"channels|(?<!head )(?<!per-head )(?<!query )(?<!key )embedding\s+size"
                r"(?!\s+(?:of\s+(?:the\s+)?(?:quer|key|value|each|one|a|every)\w*|per\s+head))"
                r"|(?:total\s+)?dim(?:ension)?\s+of\s+the\s+model"  # PyTorch: "the total dimension of the model"
                r"|hidden\s+(?:size|dim(?:ension)?|width)"),  # EleutherAI's "h hidden size, a attention heads"
    ("n", r"(?:target|source|input|query|key|key/value|output|sequence|context)\s+(?:\([^()]{1,20}\)\s+)?length"
          r"|number\s+of\s+tokens|sequence\s+of\s+length|key[-–/]value\s+pairs"  # d2l: "m key-value pairs"
          r"|number\s+of\s+(?:queries|keys)(?!\s+(?:each|per|that|which|a|every|in|within|attended)\b)"),
)
SIZE_NAMES = {size for size, _ in MEANINGS}  # the checker's names for the sizes prose may give letters

# "$E$ is the ...", "`H` head dim", "$L$, the target length", "$E$ (the embedding dimension)", a notation table's
# "| `M` | number of queries |"; and "head dim `H`"
HEAD_COUNTS = {"h", "H", "n_h", "n_heads", "n_head", "heads", "N_h"}  # the names the checker reads as h already
LINK = r"\s*(?:is|are|denotes|denoting|stands\s+for|for|=|:|\(|,(?=\s*the\b)|—|–|\|)?\s*(?:the|a|its)?\s*"
# After the words, Markdown's emphasis may close: **Embedding Size** $E$; a comma may set the letter off when the
# sentence ends with it: "the total dimension of the model, $E$."
LINK_BACK = r"[*_]*\s*(?:of\s+|=\s*|is\s+|,\s*(?=(?:\$[^$]{1,30}\$|`[^`]{1,30}`)\s*[.;]))?"
# "the sentence has $m$ words": a count of the sequence, in a letter the checker reads as no size; not "the most
# recent $w$ tokens" or "a window of $k$ tokens" (a window), nor "for all $t$ tokens" (a step)
SEQUENCE_COUNT = re.compile(r"\b(?<!window\s)(?:has|have|with|of|on|contains?)\s+" + SYMBOL.format("a") +
                            r"\s+(?:tokens|words)\b", re.I)


def named_sizes(sources: list[str]) -> dict[str, str]:
    """The document's letters for sizes, each with the checker's name for that size; the first definition of a
    letter holds, and a letter defined as two different sizes is left out."""
    found: dict[str, set[str]] = {}
    for source in sources:
        text = " ".join(source.split())
        for size, meaning in MEANINGS:
            forward = re.compile(SYMBOL.format("a") + LINK + r"(?:" + meaning + r")\b", re.I)
            # not after a letter: in "$n_h$ heads of $d_h$ entries" the heads are counted by the letter before them
            backward = re.compile(r"(?<!\$\s)\b(?:" + meaning + r")" + LINK_BACK + SYMBOL.format("a"), re.I)
            for pattern in (forward, backward):
                for match in pattern.finditer(text):
                    letter = match.group("a") or match.group("a2")
                    found.setdefault(spelled(letter), set()).add(size)
        for match in SEQUENCE_COUNT.finditer(text):
            letter = spelled(match.group("a") or match.group("a2"))
            if letter not in SPELLINGS:  # N, T, L: already the length
                found.setdefault(letter, set()).add("n")
    return {letter: sizes.pop() for letter, sizes in found.items()
            if len(sizes) == 1 and letter not in sizes and letter != "d" and
            not (sizes == {"h"} and letter in HEAD_COUNTS) and  # "$H$ heads": H is read as h, and H_h as head h
            not (sizes == {"d_k"} and letter in SIZES["d_head"])}  # d_h "per head": a head's keys' and values' width


def size_name(name: str) -> tree.Node:
    """The node the grammar builds for a size's name: d_k for "d_k", n for "n"."""
    base, _, label = name.partition("_")
    return tree.Script(tree.Name(base), (tree.Name(label),), None) if label else tree.Name(base)


def spelled(letter: str) -> str:
    """d_{head} -> d_head: as the grammar names it."""
    return letter.replace("{", "").replace("}", "")


# alpha'_{1,i} = exp(alpha_{1,i}) / sum_j exp(alpha_{1,j}): the primed alpha is the weight, the plain one the score
PRIMED_WEIGHTS = re.compile(r"\\alpha(?:'|\^\{?\\prime\}?)[^=]*=[^=]*(?:\\exp|e\^|softmax)[^=]*\\alpha(?!')")


def weight_names(formulas: list[str]) -> dict[str, str]:
    r"""A text that softmaxes alpha into alpha' (Hung-yi Lee's lectures) calls the scores alpha and the weights
    alpha': read them as the checker's s and alpha.

    Example:
        >>> weight_names([r"\alpha'_{1,i} = \exp(\alpha_{1,i}) / \sum_j \exp(\alpha_{1,j})"])
        {'alpha': 's', "alpha'": 'alpha'}
    """
    if any(PRIMED_WEIGHTS.search(latex) for latex in formulas):
        return {"alpha": "s", "alpha'": "alpha"}
    return {}


WIDTH_OVER_HEADS = re.compile(r"\s*[A-Za-z]\s*=[^=/]{1,40}/")  # A = C / n_heads: the only formulas worth parsing
SHORT = 80  # characters: a definition of a width is short, and this parse runs before the per-formula time limit


def head_width_letters(formulas: list[str]) -> dict[str, str]:
    r"""A letter a formula defines as the model's width over the heads (LLM Visualization's `A = C / n_{\text{heads}}`)
    is the head width, d_k, wherever the document uses it (`\sqrt{A}`); not d, h, n or a letter already a size.

    Example:
        >>> head_width_letters([r"A = C / n_{\text{heads}} = 48 / 3 = 16"])
        {'A': 'd_k'}
    """
    found = {}
    for latex in (f for f in formulas if len(f) <= SHORT and WIDTH_OVER_HEADS.match(f)):
        try:
            statement = parse(latex)
        except Unrecognised:
            continue
        if not (isinstance(statement, tree.Relation) and statement.ops[0] == "=" and len(statement.items) > 1):
            continue
        letter, width = statement.items[:2]
        if isinstance(letter, tree.Name) and len(letter.name) == 1 and isinstance(width, tree.Div) and \
                spelling(width.num) in SIZES["d_model"] and spelling(width.den) in SIZES["h"] and \
                letter.name not in SPELLINGS:
            found[letter.name] = "d_k"
    return found


# The TensorFlow tutorial's names ("Transformer model for language understanding"), as texts quote them in math.
TENSORFLOW = {"attention_weights": "A", "scaled_attention_logits": "S", "depth": "d_k", "depth_v": "d_v",
              "num_heads": "h", "seq_len_q": "n", "seq_len_k": "n", "seq_len_v": "n", "seq_len": "n"}


def code_names(sources: list[str]) -> dict[str, str]:
    r"""The TensorFlow tutorial's names, for a text that uses at least two of them (one alone, `depth`, may mean the
    number of layers).

    Example:
        >>> code_names([r"Here $\text{depth} = d_{model} / \text{num\_heads}$."])["depth"]
        'd_k'
        >>> code_names(["a network of depth 12"])
        {}
    """
    text = " ".join(sources).replace("\\_", "_")
    used = [name for name in TENSORFLOW if re.search(rf"\b{name}\b", text)]
    return dict(TENSORFLOW) if len(used) >= 2 else {}


ROLES = {"q": r"\bquer(?:y|ies)\b", "k": r"\bkeys?\b", "v": r"\bvalues?\b"}
USUAL_LETTERS = {"q", "k", "v", "o", "x"}  # "the keys K and values V of W^Q": the usual letters, whatever is near
WEIGHT = r"W\s*(?:\^|_)\s*\{{?\s*(?:\\(?:mathrm|text)\{{)?{0}(?![A-Za-z])"  # W^C, W_{c}, W^{\mathrm{C}}
FIRST_LETTER = r"[^.$]{0,60}?\$\s*(?:\\mathbf\{|\\boldsymbol\{|\\bm\{)?([A-Za-z])(?![A-Za-z])"


def role_letters(sources: list[str], formulas: list[str]) -> dict[str, str]:
    r"""The letters a text gives queries, keys or values when they are not q, k, v: a Spanish lecture's
    consultas keep the letter C ("a query $c_i$", weights $W^C$). A letter counts only when the prose calls it
    a query (key, value) and the text also projects with a weight labelled by it (W^C), so the x of "the query
    $x_i$" in a text without W^x stays x.

    Example:
        >>> role_letters(["each token gives a query $c_i$ through $W^C$"], [r"C = XW^C"])
        {'C': 'Q', 'c': 'q'}
    """
    text = " ".join(" ".join(sources).split())
    everything = text + " " + " ".join(formulas)
    found = {}
    for role, word in ROLES.items():
        letters = {m.group(1).lower() for m in re.finditer(word + FIRST_LETTER, text, re.I)} - USUAL_LETTERS
        projected = [letter for letter in letters if re.search(WEIGHT.format(letter), everything, re.I)]
        if len(projected) == 1:
            found |= {projected[0].upper(): role.upper(), projected[0]: role}
    return found


# "where $b$ is the `attn_bias`", "$B$ denotes the additive mask": a letter the prose makes the mask added to the scores
MASK_LETTER = re.compile(SYMBOL.format("a") + r"\s+(?:is|denotes)\s+(?:the\s+|an\s+|a\s+)?(?:`attn_bias`|(?:attn_bias|"
                         r"attention\s+bias|additive\s+(?:attention\s+)?mask|(?:causal\s+|attention\s+)?mask)\b)", re.I)


def mask_letters(sources: list[str]) -> dict[str, str]:
    r"""The letter the prose calls the mask added to the scores (xFormers' b, the `attn_bias`), read as M.

    Example:
        >>> mask_letters(["where $b$ is the `attn_bias` materialised as a matrix"])
        {'b': 'M'}
    """
    letters = {spelled(m.group("a") or m.group("a2")) for source in sources
               for m in MASK_LETTER.finditer(" ".join(source.split()))} - {"M", "m"}
    return {letters.pop(): "M"} if len(letters) == 1 else {}


# "for any permutation $s$", "a permutation matrix `P`", "$s$ is a permutation": a letter the prose makes a permutation
PERMUTATION_WORDS = r"permutations?(?:\s+(?:matrix|matrices|function|operator|map))?"
PERMUTING = (re.compile(PERMUTATION_WORDS + r"\s+" + SYMBOL.format("a")),
             re.compile(SYMBOL.format("a") + r"\s+(?:is|be|denotes)\s+(?:a|any|some|the)\s+" + PERMUTATION_WORDS))


def permutation_letters(sources: list[str]) -> dict[str, str]:
    r"""The letters the prose calls a permutation ("for any permutation $s$", Johnson's lecture), each read as the
    checker's \pi; P and \pi already are.

    Example:
        >>> permutation_letters(["Self-attention is equivariant: $f(s(x)) = s(f(x))$ for any permutation $s$."])
        {'s': 'pi'}
        >>> permutation_letters(["for every permutation matrix $P$"])
        {}
    """
    found = {spelled(m.group("a") or m.group("a2")) for source in sources for pattern in PERMUTING
             for m in pattern.finditer(" ".join(source.split()))}
    return {letter: "pi" for letter in sorted(found - {"P"})}


# "let $s$ be its softmax", "$a$ is the softmax of $z$": a letter the prose makes the softmax's probabilities
PROBABILITIES = re.compile(SYMBOL.format("a") + r"\s+(?:be|is|denotes)\s+(?:its|the)\s+softmax\b")


def probability_letters(sources: list[str]) -> dict[str, str]:
    r"""The letter the prose gives the softmax's output, each read as the checker's p (IFT6135's s).

    Example:
        >>> probability_letters(["For a score vector $x$ of length $n$ let $s$ be its softmax."])
        {'s': 'p'}
    """
    found = {spelled(m.group("a") or m.group("a2")) for source in sources
             for m in PROBABILITIES.finditer(" ".join(source.split()))}
    return {letter: "p" for letter in sorted(found - {"p"})}


# "the mask is indexed (key, query)"; "let $s_{ji}$ be the score of key $j$ against query $i$": the order in which
# the text's entries of the weights (scores, mask) name a key and a query
INDEXED = re.compile(r"\bindexed\s+\(\s*(key|query)\s*,\s*(key|query)\s*\)", re.I)
ENTRY = r"\$\s*\\?[A-Za-z]+_\{?\s*([a-z])\s*,?\s*([a-z])\s*\}?\s*\$"  # $s_{ji}$, $\alpha_{j,i}$
ROLE = r"(key|query)\s+\$\s*([a-z])\s*\$"
ENTRY_OF_ROLES = re.compile(ENTRY + r"[^$.;]{0,80}?\bof\s+(?:the\s+)?" + ROLE +
                            r"\s+(?:against|for|with|on|to|from|and)\s+(?:the\s+)?" + ROLE, re.I)


def index_order(sources: list[str]) -> str | None:
    r"""The order, "key first" or "query first", in which the prose says the text's entries of the weights name a
    key and a query (column-vector texts index them either way); None where it does not say, or says both.

    Example:
        >>> index_order(["Let $s_{ji}$ be the scaled score of key $j$ against query $i$."])
        'key first'
        >>> index_order(["In the column convention the mask is indexed (query, key)."])
        'query first'
    """
    orders = set()
    for source in sources:
        text = " ".join(source.split())
        orders |= {f"{m.group(1).lower()} first" for m in INDEXED.finditer(text) if m.group(1) != m.group(2)}
        for m in ENTRY_OF_ROLES.finditer(text):
            first, second, (role, letter), (other, other_letter) = m.group(1), m.group(2), m.group(3, 4), m.group(5, 6)
            if role.lower() != other.lower() and (letter, other_letter) in {(first, second), (second, first)}:
                orders.add(f"{(role if letter == first else other).lower()} first")
    return orders.pop() if len(orders) == 1 else None


# "$\mathcal{S}$ is the softmax", "$\operatorname{sm}$ denotes the softmax": a function the text names with a symbol
SOFTMAX_SYMBOL = re.compile(r"\$\s*(\\(?:mathcal|mathscr|mathrm|operatorname)\{[A-Za-z]+\})\s*"
                            r"(?:\(\s*(?:\\cdot)?\s*\))?\s*\$\s*"  # $\mathcal{S}$, or $\mathcal{S}(\cdot)$
                            r"(?:is|denotes|for|stands for)\s+(?:the\s+)?softmax\b")
APPLIED = r"(?=\s*(?:_|\(|\\left|\[|\\!))"  # the symbol applied to something, maybe with a subscript first


def function_symbols(sources: list[str]) -> dict[str, str]:
    r"""The symbols a text's prose defines as the softmax (Murphy's PML writes \mathcal{S}), each with the LaTeX
    the grammar reads as softmax.

    Example:
        >>> function_symbols([r"Bold letters are vectors, $\mathcal{S}$ is the softmax."])
        {'\\mathcal{S}': '\\mathrm{softmax}'}
        >>> function_symbols([r"We write $\mathcal{S}(\cdot)$ for the softmax applied to each column."])
        {'\\mathcal{S}': '\\mathrm{softmax}'}
    """
    found = {m.group(1) for source in sources for m in SOFTMAX_SYMBOL.finditer(" ".join(source.split()))}
    return {symbol: r"\mathrm{softmax}" for symbol in sorted(found)}


def with_symbols(latex: str, symbols: dict[str, str]) -> str:
    r"""`\mathcal{S}(QK^T)` -> `\mathrm{softmax}(QK^T)` where the text defines \mathcal{S} as the softmax; the symbol
    is replaced only where it is applied (followed by an argument or a subscript)."""
    for symbol, meaning in symbols.items():
        latex = re.sub(re.escape(symbol) + APPLIED, lambda _, to=meaning: to, latex)
    return latex


PROJECTION_LABELS = {tree.Name(label) for label in ("q", "k", "v", "o", "Q", "K", "V", "O")}
OUTPUT_LABELS = {tree.Name(label) for label in ("out", "output")}


def projections_as_w(node):
    r"""`U_q`, `U_k`, `U_v`, `U_o`: Turner's (and ViT's) letter for the projections, read as W_q, W_k, W_v, W_o;
    `\sqrt{K}`, `\sqrt{k}`, `\sqrt{E}`: keys (or scores) have no square root, so under one is the key width
    (Turner's K, Bloem's k, PyTorch's E), d_k; `W_{\text{out}}`, `W^{\text{output}}`: the output projection, W_o."""
    if isinstance(node, tree.Script) and node.base == tree.Name("U") and len(node.sub) == 1 and \
            node.sub[0] in PROJECTION_LABELS:
        return tree.Script(tree.Name("W"), node.sub, node.sup)
    if isinstance(node, tree.Script) and node.base == tree.Name("W") and node.sub and node.sub[0] in OUTPUT_LABELS:
        return tree.Script(tree.Name("W"), (tree.Name("o"),) + node.sub[1:], node.sup)  # W_{out, i} as W_{o, i}
    if isinstance(node, tree.Script) and node.base == tree.Name("W") and node.sup in OUTPUT_LABELS:
        return tree.Script(tree.Name("W"), node.sub, tree.Name("O"))  # W^{out}_i as W^O_i
    if isinstance(node, tree.Sqrt) and node.arg in {tree.Name("K"), tree.Name("k"), tree.Name("E")} and \
            node.index is None:  # sqrt(E): PyTorch's embedding dimension per head, not the scores E
        return tree.Sqrt(size_name("d_k"), None)
    return tree.rebuilt(node, projections_as_w)


def renamed(node, names: dict[str, str]):
    """`node` with each of the document's own letters (for sizes, roles, weights) replaced by the checker's name."""
    if not names:
        return node
    if isinstance(node, tree.Name | tree.Script) and (spelled_as := spelling(node)) in names:
        return size_name(names[spelled_as])
    if isinstance(node, tree.Call) and node.name in names and not node.sub and node.sup is None:  # s(x): as pi(x)
        group = tree.Group(tuple(renamed(arg, names) for arg in node.args), "(")
        return tree.Mul(size_name(names[node.name]), group, "")
    if isinstance(node, tree.Script) and not node.sub and isinstance(node.base, tree.Name) and \
            node.base.name in names:  # H^{-1/2}: the size, raised to a power
        size = size_name(names[node.base.name])
        sup = renamed(node.sup, names)
        return tree.Script(size.base, size.sub, sup) if isinstance(size, tree.Script) else tree.Script(size, (), sup)
    if isinstance(node, tree.Script) and node.sub and isinstance(node.base, tree.Name) and \
            names.get(node.base.name) in SIZE_NAMES:  # D_k is a size of its own, whatever size D alone is
        return tree.Script(node.base, tuple(renamed(item, names) for item in node.sub), renamed(node.sup, names))
    return tree.rebuilt(node, lambda child: renamed(child, names))
