r"""A source's own notation read into the settings' names: the rewrites a formula goes through before it is
evaluated (`equations.decide` applies them by topic). Each keeps what it does not recognise as it is.

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check.show import show
    >>> show(positions_added(parse(r"Y = \mathrm{SA}(X + E)")))
    'Y = \\mathrm{Attention}(X + \\mathrm{E_positions})'
"""

from attnproof.check import tree
from attnproof.check.naming import names, pair
from attnproof.check.parse import factors
from attnproof.check.settings import SCORE_VECTORS
from attnproof.check.tokens import FUNCTIONS, GREEK
from attnproof.check.tree import walk

ROTATED = {"x'": "x", "q'": "q", "k'": "k"}


def angle_subscripts(node: tree.Node) -> tree.Node:
    r"""`R_{m\theta}^\top R_{n\theta} = R_{(n-m)\theta}`: a rotation labelled by its angle, position times theta;
    read as labelled by the position, `R_m^\top R_n = R_{n-m}`, as RoFormer writes it."""
    match node:
        case tree.Script(tree.Name("R") as base, (tree.Mul(position, tree.Name("theta"), ""),), sup):
            return tree.Script(base, (tree.ungrouped(position),), sup)
    return tree.rebuilt(node, angle_subscripts)


def rotated_tildes(node: tree.Node) -> tree.Node:
    r"""`\tilde q_m^\top \tilde k_n = q^\top R_{n-m} k`: the query and key rotated to their positions, read as
    `(R_m q)^\top (R_n k)` (outside the complex form, where `\tilde q_m = q e^{i m \theta}` has its own reading)."""
    match node:
        case tree.Script(tree.Name("q_tilde" | "k_tilde") as name, (position,), None):
            return tree.Group((tree.Mul(tree.Script(tree.Name("R"), (position,), None),
                                        tree.Name(name.name.removesuffix("_tilde")), ""),), "(")
    return tree.rebuilt(node, rotated_tildes)


TILDED = {f"{letter}_tilde": letter for letter in ("Q", "K", "V", "q", "k", "v")}


def plain_tildes(node: tree.Node) -> tree.Node:
    r"""`\mathrm{Attention}(\widetilde{Q}, \widetilde{K}, \widetilde{V}) = \mathrm{softmax}(\widetilde{Q}
    \widetilde{K}^\intercal / \sqrt{d_{qk}}) \widetilde{V}`: queries, keys and values marked as projected (Equinox's
    documentation), read as Q, K, V where the formula has no plain Q, K, V beside them. A tilde on a name with a
    subscript is kept: `\tilde q_m` is the query rotated to position m; and so is a formula that defines the tilde
    name: `\tilde V = W_o [Y^1; \ldots; Y^H]` is Phuong and Hutter's updated representation, not the values."""
    found = names(node)
    table = {tree.Name(tilded): tree.Name(plain) for tilded, plain in TILDED.items() if plain not in found}
    if isinstance(node, tree.Relation) and node.items[0] in table:
        return node
    return _untilded(node, table) if table.keys() & {tree.Name(name) for name in found} else node


def _untilded(node: tree.Node, table: dict) -> tree.Node:
    if isinstance(node, tree.Name):
        return table.get(node, node)
    if isinstance(node, tree.Script) and node.sub and node.base in table:  # \tilde q_m: a rotated query
        return node
    return tree.rebuilt(node, lambda child: _untilded(child, table))


def rotated_components(relation: tree.Relation) -> tree.Relation:
    r"""`x'_{2i} = x_{2i} \cos m\theta_i - x_{2i+1} \sin m\theta_i`, or the same pair as a 2 x 2 rotation: components
    of the rotated vector x' = R_m x, m the position the angles are of; read as (R_m x)_{2i} and (x)_{2i}, so that
    a subscript counts channels rather than positions."""
    primed = {n.base.name for n in walk(relation) if isinstance(n, tree.Script) and isinstance(n.base, tree.Name)
              and n.base.name in ROTATED and len(n.sub) == 1}
    positions = {n.left for n in walk(relation) if isinstance(n, tree.Mul) and isinstance(n.left, tree.Name) and
                 isinstance(n.right, tree.Script) and n.right.base == tree.Name("theta")}
    if len(primed) != 1 or len(positions) != 1:
        return relation
    (name,), (position,) = primed, positions
    plain = tree.Name(ROTATED[name])
    rotated = tree.Group((tree.Mul(tree.Script(tree.Name("R"), (position,), None), plain, ""),), "(")

    def read(child):
        if isinstance(child, tree.Script) and len(child.sub) == 1 and child.sup is None and \
                child.base in {tree.Name(name), plain}:
            return tree.Script(rotated if child.base == tree.Name(name) else tree.Group((plain,), "("), child.sub, None)
        return tree.rebuilt(child, read)

    return read(relation)


def any_base(relation: tree.Relation) -> tree.Relation:
    r"""`\theta_i = 500000^{-2i/d}`: Llama 3's base, or any other, for RoPE's frequencies; the relative-position
    property holds for every base (`\theta_{\text{base}}` too), so the base is read as the setting's and the exponent
    is what is checked."""
    if not (len(relation.items) == 2 and isinstance(relation.items[0], tree.Script) and
            relation.items[0].base == tree.Name("theta")):
        return relation

    def read(child):
        if isinstance(child, tree.Script) and isinstance(child.base, tree.Num) and child.sup is not None and \
                float(child.base.text) >= 100 and tree.Name("d") in set(walk(child.sup)):
            return tree.Script(tree.Name("base"), child.sub, child.sup)
        if isinstance(child, tree.Script) and child.base == tree.Name("theta") and child.sub == (tree.Name("base"),):
            base = tree.Name("base")  # \theta_{\text{base}}, as Meta's reference code names it
            return base if child.sup is None else tree.Script(base, (), read(child.sup))
        return tree.rebuilt(child, read)

    return read(relation)


def positions_added(node: tree.Node) -> tree.Node:
    """`X + E`: a matrix added to the tokens is their positional encodings (n x d_model), not the scores E."""
    if isinstance(node, tree.Add) and tree.Name("E") in {node.left, node.right}:
        other = node.right if node.left == tree.Name("E") else node.left
        if "X" in names(other):  # X + E, PX + E
            return tree.Add(*(POSITIONS if side == tree.Name("E") else side for side in (node.left, node.right)))
    return tree.rebuilt(node, positions_added)


POSITIONS = tree.Name("E_positions")


def positional_calls(node: tree.Node) -> tree.Node:
    r"""`\mathrm{Attn}_{\mathrm{RoPE}}(\Pi X)`: self-attention labelled with a positional scheme sees where each token
    stands; read as attention of the tokens with their positions added, `\mathrm{Attn}(\Pi X + E)`, which is what
    equivariance turns on (the scheme itself does not matter to it)."""
    match node:
        case tree.Call(name, (argument,), (mark,), None) if name in SELF_ATTENTION and mark in POSITIONAL_MARKS:
            return tree.Call(name, (tree.Add(positional_calls(argument), POSITIONS),), (), None)
    return tree.rebuilt(node, positional_calls)


POSITIONAL_MARKS = {tree.Name(word) for word in ("rope", "RoPE", "PE", "pe", "pos", "ALiBi", "alibi", "abs")}


SELF_ATTENTION = {"attention", "multihead", "linear_attention"}
PERMUTATIONS = {"P", "pi", "Pi"}


PROJECTED = {"q", "k", "v"}  # a token's query, key and value
PROJECTIONS = {"W_q", "W_k", "W_v"}  # the weights that make them
TOKEN_INPUTS = {"x", "q", "k", "v", "o", "z", "y", "e", "s", "a", "w"}  # letters with a meaning of their own


def inputs_named_otherwise(node: tree.Node) -> tree.Node:
    r"""`q_t = W^Q h_t` (DeepSeek-V2), `q_i = W_Q h_i` (a column-vector course): a token's query, key or value made
    from a vector of another letter by a projection weight; that vector is the token's input, read as x_t (so that
    `q_i = W_K h_i`, the key's weight, is wrong)."""
    if not (isinstance(node, tree.Relation) and len(node.items) == 2 and isinstance(node.items[1], tree.Mul) and
            node.items[1].op == ""):
        return node
    left, product = node.items
    if not (isinstance(left, tree.Script) and isinstance(left.base, tree.Name) and left.base.name in PROJECTED and
            len(left.sub) == 1 and left.sup is None):
        return node
    for vector, weight in ((product.right, product.left), (product.left, product.right)):
        if isinstance(vector, tree.Script) and isinstance(vector.base, tree.Name) and vector.sub == left.sub and \
                vector.sup is None and len(vector.base.name) == 1 and vector.base.name.islower() and \
                vector.base.name not in TOKEN_INPUTS and names(weight) & PROJECTIONS:
            return tree.Relation((left, tree.replaced(product, {vector.base: tree.Name("x")})), node.ops)
    return node


WEIGHT_LETTERS = {tree.Name("A"), tree.Name("P")}  # the weights, as a function of the input: A(X)
INPUT = tree.Group((tree.Name("X"),), "(")


def weights_of_input(node: tree.Node) -> tree.Node:
    r"""`A(X)`, `A(X)_{ij}`, `V X A(X)^\top` (Geshkovski et al.'s weights as a function of the tokens): the weights of
    the input X, read as A; of a permuted input, `A(X\Pi)`, the weights function applied to it. Applied to anything
    else (A(XW_V), the weights times the values) it is left a product."""
    if isinstance(node, tree.Mul) and node.op == "":
        before, letter = (node.left.left, node.left.right) if isinstance(node.left, tree.Mul) and \
            node.left.op == "" else (None, node.left)  # V X A(X)^T: the product's last factor is applied
        if letter in WEIGHT_LETTERS and (applied := weights_applied(letter, node.right)) is not None:
            return applied if before is None else tree.Mul(weights_of_input(before), applied, "")
    return tree.rebuilt(node, weights_of_input)


def weights_applied(letter: tree.Name, argument: tree.Node) -> tree.Node | None:
    """A applied to (X), (X)_{ij}, (X)^T, or a permuted (X Pi); None for any other argument."""
    if argument == INPUT:
        return letter
    if isinstance(argument, tree.Script) and argument.base == INPUT:
        return tree.Script(letter, argument.sub, argument.sup)
    if isinstance(argument, tree.Transpose) and argument.arg == INPUT:
        return tree.Transpose(letter)
    if isinstance(argument, tree.Group) and len(argument.items) == 1 and \
            names(argument.items[0]) - PERMUTATIONS == {"X"} and names(argument.items[0]) & PERMUTATIONS:
        return tree.Call("weights", argument.items)
    return None


def self_attention_input(node: tree.Node) -> tree.Node:
    r"""`\mathrm{MSA}(\mathbf{z})`, `\mathrm{SA}(\Pi z)`: the one argument of self-attention is the input sequence,
    whatever letter the text gives it (ViT's z); read it as X. Left alone unless every such call takes the same
    letter (maybe permuted) and nothing else in the formula is X."""
    letters = set()
    for call in walk(node):
        if isinstance(call, tree.Call) and call.name in SELF_ATTENTION and len(call.args) == 1:
            argument = call.args[0]
            if isinstance(argument, tree.Mul) and names(argument.left) <= PERMUTATIONS:
                argument = argument.right  # \Pi z: the permuted input
            letters.add(argument.name if isinstance(argument, tree.Name) else None)
    if len(letters) != 1 or None in letters or "X" in names(node):
        return node
    (letter,) = letters

    def as_input(child):
        return tree.Name("X") if child == tree.Name(letter) else tree.rebuilt(child, as_input)

    return as_input(node)


def starred_indices(node: tree.Node) -> tree.Node:
    r"""`e_{i^\ast}`, `[j = j^\ast]`: in a limit of the softmax, a starred index letter is the index of the largest
    score (the parser reads `i^\ast` as a conjugate, which an index never needs)."""
    match node:
        case tree.Call("conj", (tree.Name(letter),), (), None) if len(letter) == 1:
            return tree.Name("star")
    return tree.rebuilt(node, starred_indices)


ENCODINGS = {tree.Name(name) for name in ("p", "P", "PE", "e")}  # a position's encoding vector


def encodings_applied(node: tree.Node) -> tree.Node:
    r"""`\mathbf{p}(t)^\top \mathbf{p}(t')`: an encoding written as a function of its position, read as `p_t^\top
    p_{t'}` (the parser reads each application as a product with the group after it); `\mathrm{PE}(t)_i`, its
    entry i, as `PE_{t, i}`."""
    if not (isinstance(node, tree.Mul) and all(op == "" for op, _ in factors(node))):
        return tree.rebuilt(node, encodings_applied)
    parts, merged = [factor for _, factor in factors(node)], []
    while parts:
        part = parts.pop(0)
        argument = parts[0].arg if parts and isinstance(parts[0], tree.Transpose) else parts[0] if parts else None
        if part in ENCODINGS and isinstance(argument, tree.Group) and argument.bracket == "(" and \
                len(argument.items) == 1:
            applied = tree.Script(part, argument.items, None)
            part = tree.Transpose(applied) if isinstance(parts.pop(0), tree.Transpose) else applied
        elif part in ENCODINGS and isinstance(argument, tree.Script) and isinstance(argument.base, tree.Group) and \
                argument.base.bracket == "(" and len(argument.base.items) == 1 and len(argument.sub) == 1 and \
                argument.sup is None:  # \mathrm{PE}(t)_i: entry i of the encoding of position t
            part = tree.Script(part, (*argument.base.items, *argument.sub), None)
            parts.pop(0)
        merged.append(encodings_applied(part))
    product = merged[0]
    for part in merged[1:]:
        product = tree.Mul(product, part, "")
    return product


SCORE_ARGUMENTS = {tree.Group((tree.Name(letter),), "(") for letter in SCORE_VECTORS}


ATTENTION_LETTERS = {"q", "k", "v", "Q", "K", "V", "x", "X", "p"}  # letters with a meaning of their own in a setting


def softmax_letters(relation: tree.Node) -> tree.Node:
    r"""`S_j = \frac{e^{a_j}}{\sum_k e^{a_k}}` (Bendersky's notes): a softmax written out over a letter of its own
    defines its left side as the probabilities of that letter's scores, whatever either is called; read as
    `p_j = e^{x_j} / \sum_k e^{x_k}`, the letters the softmax's setting evaluates."""
    defined = softmax_definition(relation)
    if defined is None:
        return relation
    output, scores = (tree.Name(letter) for letter in defined)
    return tree.replaced(relation, {output: tree.Name("p"), scores: tree.Name("x")})


def softmax_definition(relation: tree.Node) -> tuple[str, str] | None:
    r"""The letters of a softmax written out over a letter of its own, `S_j = \frac{e^{a_j}}{\sum_k e^{a_k}}`:
    ('S', 'a'), the probabilities and their scores; None for any other statement."""
    if not (isinstance(relation, tree.Relation) and len(relation.items) == 2 and relation.ops == ("=",)):
        return None
    left, right = relation.items
    if not (isinstance(left, tree.Script) and isinstance(left.base, tree.Name) and one_index(left) and
            isinstance(right, tree.Div)):
        return None  # a vector's entry: alpha_{ij} = exp(e_{ij}) / ... is attention's, with its own letters
    scores = exponent_letter(right.num)
    sums = [n for n in walk(right.den) if isinstance(n, tree.Sum)]
    if scores is None or len(sums) != 1 or exponent_letter(sums[0].body) != scores:
        return None
    output = left.base.name
    if output == scores or {output, scores} & ATTENTION_LETTERS or names(relation) & {"p", "x"}:
        return None
    return output, scores


def exponent_letter(node: tree.Node) -> str | None:
    """The letter of a lone exponential's one-index exponent: e^{a_j} and exp(a_j) -> 'a'."""
    match node:
        case tree.Script(tree.Name("e"), (), tree.Script(tree.Name(letter), _, None) as exponent) | \
                tree.Call("exp", (tree.Script(tree.Name(letter), _, None) as exponent,), (), None):
            return letter if one_index(exponent) else None
    return None


def one_index(node: tree.Script) -> bool:
    """a_j, S_n: an entry of a vector, by one single-letter index."""
    return node.sup is None and len(node.sub) == 1 and isinstance(node.sub[0], tree.Name) and \
        len(node.sub[0].name) == 1


def jacobian_at_scores(node: tree.Node) -> tree.Node:
    r"""`J(x) = \mathrm{diag}(s) - s s^\top`: the softmax's Jacobian written at the scores it is taken at; read as J.
    J at anything else (`J(\tfrac{1}{n}\mathbf{1})`, a point) is left a product."""
    if isinstance(node, tree.Mul) and node.op == "" and node.left == tree.Name("J") and node.right in SCORE_ARGUMENTS:
        return node.left
    return tree.rebuilt(node, jacobian_at_scores)


def permuted_calls(node: tree.Node) -> tree.Node:
    r"""`h(xP) = h(x)\,P`, `F(PX) = P F(X)`, `O(IP) = O(I) P`: a letter applied to the tokens and to the permuted
    tokens is the layer, whatever the text calls it (the circuits framework's head h, Hung-yi Lee's output O of the
    input I); read as f, the checker's attention layer, and the tokens as X."""
    applied = [(letter, argument) for n in walk(node) for letter, argument in applications(n)]
    inputs = {letter for letter, argument in applied if argument in TOKENS}
    permuted = {letter for letter, argument in applied if letter in inputs and names(argument) & PERMUTATIONS and
                names(argument) & {token.name for token in TOKENS}}
    if len(permuted) != 1:
        return node
    (letter,) = permuted

    def read(child):
        if child == tree.Name(letter):
            return tree.Name("f")
        if isinstance(child, tree.Call) and child.name == letter:
            return tree.Call("f", tuple(read(argument) for argument in child.args), child.sub, child.sup)
        return tree.Name("X") if child == tree.Name("I") else tree.rebuilt(child, read)

    return read(node)


def applications(node: tree.Node) -> list[tuple[str, tree.Node]]:
    """h(x) -> [("h", x)], also as the last factor of a product, P h(x), or read as a call, O(I); a one-letter name
    applied to one argument."""
    if isinstance(node, tree.Call) and len(node.name) == 1 and node.name not in LAYER_EXCLUDED and \
            len(node.args) == 1 and not node.sub and node.sup is None:
        return [(node.name, node.args[0])]
    if not (isinstance(node, tree.Mul) and node.op == "" and isinstance(node.right, tree.Group) and
            node.right.bracket == "(" and len(node.right.items) == 1):
        return []
    letter = node.left.right if isinstance(node.left, tree.Mul) and node.left.op == "" else node.left
    if not (isinstance(letter, tree.Name) and len(letter.name) == 1 and letter.name not in LAYER_EXCLUDED):
        return []
    return [(letter.name, node.right.items[0])]


TOKENS = {tree.Name(letter) for letter in ("x", "X", "I")}  # the tokens, as inputs (Hung-yi Lee's I)
LAYER_EXCLUDED = {"f", "A", "P", "Q", "K", "V", "W", "X", "x", "M", "S"}  # letters that are something else here


RESERVED = {"Q", "K", "V", "X", "S", "A", "M", "m", "d", "n"}  # letters that name something else in every text


def masks_by_use(node: tree.Node) -> tree.Node:
    r"""`(1 - L) \cdot (-10^{9})`, `P \times (-10^{9})`: a letter whose ones and zeros a large negative number scales
    is a mask, whatever the text calls it (the Coursera lab's look-ahead mask L); read as M. Left alone when the
    formula has an M already or scales more than one letter so."""
    letters = {letter for n in walk(node) if isinstance(n, tree.Mul) and (letter := scaled_letter(n)) is not None}
    if len(letters) != 1 or "M" in names(node):
        return node
    (letter,) = letters
    return tree.replaced(node, {letter: tree.Name("M")})


BIAS_LABELS = {"o", "O", "out", "proj", "q", "k", "v", "Q", "K", "V"}  # the layer a bias belongs to


def biases_dropped(node: tree.Node) -> tree.Node:
    r"""`\mathrm{Concat}(\ldots) W_o + b_o`, `Q = X W_Q + b_Q`: a linear layer's bias (PyTorch's nn.Linear has one)
    added after its weight; the claims are about the weights, so the bias is read as left out. A `b` with no label
    of a layer, or labelled by an index (b_i, b_{ij}: a position bias), is kept."""
    if isinstance(node, tree.Add) and bias(node.right):
        return biases_dropped(node.left)
    return tree.rebuilt(node, biases_dropped)


def bias(node: tree.Node) -> bool:
    """b_o, b^O, b_{out}: a bias labelled with the layer it belongs to; b_h^Q: head h's, of its query projection."""
    if not (isinstance(node, tree.Script) and node.base == tree.Name("b")):
        return False
    labels = [*node.sub, *([node.sup] if node.sup is not None else [])]
    layers = [label for label in labels if isinstance(label, tree.Name) and label.name in BIAS_LABELS]
    return len(layers) == 1 and (len(labels) == 1 or len(labels) == 2 and node.sup == layers[0] and
                                 isinstance(node.sub[0], tree.Name))


def head_superscripts(node: tree.Node) -> tree.Node:
    r"""`A^h = \mathrm{softmax}((x W_Q^h + b_Q^h)(x W_K^h + b_K^h)^T / \sqrt{d_{head}})`, `\sum_h z^h W_O^h`: head h
    marked above and the projection's label below (TransformerLens, as ARENA writes it); read as the checker's
    W_h^Q, b_h^Q, A_h, z_h. A formula with no projection so marked is left as it is, and so is one that projects a
    column of tokens, `W_V^h x` (the circuits framework's convention, whose A^h indexes query by key in columns)."""
    marked = [n for n in walk(node) if isinstance(n, tree.Script) and n.base == tree.Name("W") and len(n.sub) == 1
              and n.sub[0] in HEAD_LABELS and isinstance(n.sup, tree.Name) and len(n.sup.name) == 1]
    indices = {n.sup for n in marked}
    if len(indices) != 1 or any(projects_columns(n, marked) for n in walk(node)):
        return node
    index = indices.pop()

    def lowered(child):
        if isinstance(child, tree.Script) and child.sup == index and len(child.sub) <= 1:
            return tree.Script(child.base, (index,), child.sub[0] if child.sub else None)
        return tree.rebuilt(child, lowered)
    return lowered(node)


HEAD_LABELS = {tree.Name(label) for label in ("Q", "K", "V", "O")}


def projects_columns(node: tree.Node, weights: list[tree.Node]) -> bool:
    """Is the node a product in which one of the weights multiplies the tokens x from the left (W x)?"""
    found = [factor for _, factor in factors(node)] if isinstance(node, tree.Mul) else []
    return any(left in weights and right in {tree.Name("x"), tree.Name("X")} for left, right in
               zip(found, found[1:], strict=False))


def scaled_letter(node: tree.Mul) -> tree.Name | None:
    """L in `L (-10^9)` or `(1 - L)(-10^9)`, either order."""
    for side, other in ((node.left, node.right), (node.right, node.left)):
        if not large_negative(other):
            continue
        if isinstance(side, tree.Group) and len(side.items) == 1 and isinstance(side.items[0], tree.Sub) and \
                side.items[0].left == tree.Num("1"):
            side = side.items[0].right
        if isinstance(side, tree.Name) and len(side.name) == 1 and side.name not in RESERVED:
            return side
    return None


def large_negative(node: tree.Node) -> bool:
    """-10^9, (-10^{9}), -1e9 written as a power of ten: the number a masked score is pushed to."""
    while isinstance(node, tree.Group) and len(node.items) == 1:
        node = node.items[0]
    return isinstance(node, tree.Neg) and isinstance(node.arg, tree.Script) and node.arg.base == tree.Num("10")


CAUSAL_MARKS = {tree.Name(word) for word in ("causal", "masked", "kausal", "causale", "maskiert")}


def bracket_entries(node: tree.Node) -> tree.Node:
    r"""`A[t_z, t_x]`, `\mathrm{softmax}(A)[t_z, t_x]` (Phuong & Hutter's pseudocode), `\text{wei}[t, t']`: a matrix's
    entry, indexed in brackets as arrays are, read as the subscripted A_{t_z t_x}."""
    if isinstance(node, tree.Mul) and node.op == "" and isinstance(node.right, tree.Group) and \
            node.right.bracket == "[" and len(node.right.items) == 2 and all(map(index_like, node.right.items)) and \
            (isinstance(node.left, tree.Name) and len(node.left.name) == 1 or isinstance(node.left, tree.Call)):
        return tree.Script(bracket_entries(node.left), node.right.items, None)
    if isinstance(node, tree.Call) and len(node.name) > 1 and node.name not in KNOWN_FUNCTIONS | GREEK and \
            len(node.args) == 2 and all(isinstance(arg, tree.Name) and index_like(arg) for arg in node.args) and \
            not node.sub and node.sup is None:
        return tree.Script(tree.Name(node.name), node.args, None)  # nanoGPT's wei[t, t']: an array's entry
    return tree.rebuilt(node, bracket_entries)


KNOWN_FUNCTIONS = set(FUNCTIONS.values()) | {"score", "sim", "mask"}  # what a call means, whatever its arguments


def score_entries(node: tree.Node) -> tree.Node:
    r"""`\text{score}_{ij}`: the score of tokens i and j, read as score(x_i, x_j) (Alammar's GPT-2 walk-through)."""
    if isinstance(node, tree.Script) and isinstance(node.base, tree.Call) and node.base.name in {"score", "sim"} and \
            not node.base.args and not node.base.sub and node.sup is None and (indices := pair(node.sub)) and \
            all(map(index_like, indices)):
        return tree.Call(node.base.name, tuple(tree.Script(tree.Name("x"), (i,), None) for i in indices))
    return tree.rebuilt(node, score_entries)


def index_like(node: tree.Node) -> bool:
    """i, t', t_z, 3, i + 1: what an index in brackets may be."""
    if isinstance(node, tree.Add | tree.Sub):
        return index_like(node.left) and index_like(node.right)
    return isinstance(node, tree.Num) or isinstance(node, tree.Name) and len(node.name.rstrip("'")) == 1 or \
        isinstance(node, tree.Script) and isinstance(node.base, tree.Name) and len(node.base.name) == 1 and \
        node.sup is None and len(node.sub) == 1 and isinstance(node.sub[0], tree.Name) and len(node.sub[0].name) == 1


def causal_calls(node: tree.Node) -> tree.Node:
    r"""`f_{\mathrm{causal}}(PX)`: a function labelled causal (or masked), applied; read as a call that keeps the
    label, as `\mathrm{SA}_{\text{causal}}(X)` is read, so that it is evaluated under the causal mask."""
    match node:
        case tree.Mul(tree.Script(tree.Name(name), (mark,), None), tree.Group(items, "("), "") if mark in CAUSAL_MARKS:
            return tree.Call(name, tuple(causal_calls(item) for item in items), (mark,), None)
        case tree.Mul(tree.Mul(left, tree.Script(tree.Name(), (mark,), None) as function, op),
                      tree.Group(bracket="(") as group, "") if mark in CAUSAL_MARKS:  # P f_causal(X): the last factor
            return tree.Mul(causal_calls(left), causal_calls(tree.Mul(function, group, "")), op)
    return tree.rebuilt(node, causal_calls)


RUNNING = {"m", "l", "o", "acc"}  # the online softmax's running state
ARRIVING = {"s", "x", "v"}  # the score and value that arrive at a step


STATISTICS = {"m", "l", "ell", "o"}  # a block's maximum, its sum of shifted exponentials and its output
NEW = tree.Name("new")
FIRST, SECOND = (tree.Group((tree.Num(block),), "(") for block in ("1", "2"))
NUMBERS = {tree.Num("1"): FIRST, tree.Num("2"): SECOND,  # m_1, m_2: the blocks m^{(1)}, m^{(2)}
           tree.Name("a"): FIRST, tree.Name("b"): SECOND,  # m_a, m_b: Rabe & Staats's chunks a and b
           tree.Name("A"): FIRST, tree.Name("B"): SECOND}  # m_A, m_B: blocks A and B of the keys


def block_statistics(node: tree.Node) -> bool:
    r"""Does the formula merge two blocks' statistics: `m^{new}` beside `\tilde m` or `m^{(1)}`, `\ell^{(2)}`, or
    beside a plain `m` and the arriving block's scores `s_j` (`m_{new} = \max(m, \max_j s_j)`)? An output `o` is
    read normalised, unnormalised, or divided at the end (equations.OUTPUTS): the formula does not say which."""
    node = new_marked(node)
    found = [n for n in walk(node) if isinstance(n, tree.Script) and n.base in {tree.Name(s) for s in STATISTICS}]
    blocks = any(n.sup in {FIRST, SECOND} for n in found) or bool(names(node) & {"m_tilde", "l_tilde", "ell_tilde"})
    plain = bool(names(node) & STATISTICS) and bool(arriving(node))
    return (blocks or plain) and any(n.sup == NEW for n in found)


def numbered_blocks(node: tree.Node) -> tree.Node:
    r"""`m = \max(m_1, m_2)`, `\ell = e^{m_1 - m} \ell_1 + e^{m_2 - m} \ell_2` (or `m^{(1)}`, `\ell^{(2)}`): two
    blocks' statistics numbered 1 and 2, merged into the plain ones, which are the whole row's; read as FlashAttention's
    merge, `m^{new}` of `m^{(1)}` and `m^{(2)}`. A formula with no plain statistic, or one already marked new, is left
    as it is: `m^{(2)} = \max(m^{(1)}, \ldots)` is FlashAttention-2's running maximum after the second block."""
    found = [n for n in walk(node) if isinstance(n, tree.Script) and n.base in {tree.Name(s) for s in STATISTICS}]
    numbered = {NUMBERS[n.sub[0]] for n in found if n.sup is None and len(n.sub) == 1 and n.sub[0] in NUMBERS} | \
        {n.sup for n in found if not n.sub and n.sup in {FIRST, SECOND}}
    bare = sum(isinstance(n, tree.Name) and n.name in STATISTICS for n in walk(node)) > len(found)  # m, not m_1
    if numbered != {FIRST, SECOND} or not bare or any(n.sup == NEW or n.sub in {(NEW,), (WORD_NEW,)} for n in found):
        return node

    def read(child):
        match child:
            case tree.Script(tree.Name(name) as base, (number,), None) if name in STATISTICS and number in NUMBERS:
                return tree.Script(base, (), NUMBERS[number])
            case tree.Script(tree.Name(name), _, _) if name in STATISTICS:
                return child
            case tree.Name(name) if name in STATISTICS:
                return tree.Script(child, (), NEW)
        return tree.rebuilt(child, read)

    return read(node)


WORD_NEW = tree.Mul(tree.Mul(tree.Name("n"), tree.Name("e"), ""), tree.Name("w"), "")  # new, as letters


def new_marked(node: tree.Node) -> tree.Node:
    """`m_{new}`, `m^{new}` (letters or a word): the statistic after the merge, as `m^{new}`."""
    if isinstance(node, tree.Script) and node.base in {tree.Name(s) for s in STATISTICS} and (
            node.sup in {NEW, WORD_NEW} and not node.sub or node.sup is None and node.sub in {(NEW,), (WORD_NEW,)}):
        return tree.Script(node.base, (), NEW)
    return tree.rebuilt(node, new_marked)


def arriving(node: tree.Node) -> list[tree.Script]:
    """The arriving block's scores and values, `s_j` and `v_j`, indexed by a letter."""
    return [n for n in walk(node) if isinstance(n, tree.Script) and n.base in {tree.Name("s"), tree.Name("v")} and
            len(n.sub) == 1 and isinstance(n.sub[0], tree.Name) and n.sup is None]


def merged_blocks(node: tree.Node) -> tree.Node:
    r"""FlashAttention's merge, `\ell^{new} = e^{m - m^{new}} \ell + e^{\tilde m - m^{new}} \tilde\ell`: the new
    statistics (maximum, sum, output o) are the whole row's, m(x); the plain or first block's are m(x^{(1)}); the
    tilde or second block's m(x^{(2)}), whose shifted exponentials are \tilde P_j and values V_j (a block index, j,
    names the block that arrives)."""
    halves = {None: FIRST, FIRST: FIRST, SECOND: SECOND, NEW: None}

    def of(statistic: str, block) -> tree.Node:
        argument = tree.Name("x") if block is None else tree.Script(tree.Name("x"), (), block)
        return tree.Mul(tree.Name("l" if statistic == "ell" else statistic), tree.Group((argument,), "("), "")

    def read(child):
        match child:
            case tree.Script(tree.Name("s" | "v" as name), (tree.Name() as index,), None):
                block = tree.Script(tree.Name("x" if name == "s" else "V"), (), SECOND)  # the arriving block's
                return tree.Script(tree.Group((block,), "("), (index,), None)
            case tree.Script(tree.Name("P_tilde"), _, None):
                return tree.Name("P_tilde")  # \tilde P_j: the arriving block's shifted exponentials
            case tree.Script(tree.Name("V"), (tree.Name(),), None) | tree.Script(tree.Name("V"), (), tree.Group()):
                return tree.Script(tree.Name("V"), (), SECOND if child.sup in {None, SECOND} else FIRST)
            case tree.Name(name) if name in STATISTICS:
                return of(name, FIRST)
            case tree.Name(name) if name in {"m_tilde", "l_tilde", "ell_tilde"}:
                return of(name.split("_")[0], SECOND)
            case tree.Script(tree.Name(name), _, sup) if name in STATISTICS and sup in halves:
                return of(name, halves[sup])
            case tree.Script(tree.Name(name), _, None) if name in {"m_tilde", "l_tilde", "ell_tilde"}:
                return of(name.split("_")[0], SECOND)
        return tree.rebuilt(child, read)

    return read(new_marked(node))


def capital_outputs(node: tree.Node) -> tree.Node:
    r"""`O_j = e^{m_{j-1} - m_j} O_{j-1} + e^{S_j - m_j} V_j`, `O = \frac{O^{(1)} + O^{(2)}}{\ell^{(1)} + \ell^{(2)}}`:
    the online softmax's output written as a capital (ONNX Runtime's), beside its running maximum or sum; read as o
    where the formula has no lowercase o, and no queries and keys whose product O would be a layer's output."""
    found = names(node)
    if "O" not in found or "o" in found or not found & {"ell", "l", "m"} or found & {"Q", "K", "softmax", "W_o"}:
        return node

    def read(child):
        return tree.Name("o") if child == tree.Name("O") else tree.rebuilt(child, read)
    return read(node)


def one_query_row(node: tree.Node) -> tree.Node:
    r"""`m_i^{(t)} = \max(m_i^{(t-1)}, \max_{j \in J_t} s_{ij})`: the running statistics of one query's row i after
    block t, as FlashAttention's tiled softmax writes them; read for that one row, as m^{(t)} and s_j."""
    rows = {n.sub[0] for n in walk(node) if isinstance(n, tree.Script) and n.base in STATES and len(n.sub) == 1
            and isinstance(n.sup, tree.Group) and n.sup.bracket == "(" and isinstance(n.sub[0], tree.Name)}
    if len(rows) != 1:
        return node
    (row,) = rows

    def read(child):
        match child:
            case tree.Script(base, (index,), sup) if base in STATES and index == row:
                return tree.Script(base, (), sup)
            case tree.Script(tree.Name("s" | "x") as base, (tree.Mul(first, key, ""),), None) if first == row:
                return tree.Script(base, (key,), None)
            case tree.Script(tree.Name("s" | "x") as base, (first, key), None) if first == row:
                return tree.Script(base, (key,), None)
        return tree.rebuilt(child, read)

    return read(node)


STATES = {tree.Name(name) for name in STATISTICS | RUNNING}  # a block's statistics and the running state


STARRED = {tree.Call("conj", (tree.Name("s"),)): tree.Name("l"),  # s^*: the running sum of exponentials
           tree.Call("conj", (tree.Name("v"),)): tree.Name("o")}  # v^*: the running sum of weighted values


def starred_sums(node: tree.Node) -> tree.Node:
    r"""`s^*_i = s^*_{i-1} e^{m_{i-1} - m_i} + e^{s_i - m_i}`, `v^*_i = \ldots + v_i e^{s_i - m_i}`: Rabe & Staats's
    lazy softmax names its running sum s^* and its running numerator v^* beside the running maximum m; read as the
    online softmax's l and (unnormalised) o. A star without an m is left alone (a conjugate, in RoPE's complex form)."""
    if "m" not in names(node) or not any(n in STARRED for n in walk(node)):
        return node

    return tree.replaced(node, STARRED)


SCORE_NAMES = {tree.Name(letter) for letter in ("s", "x", "S")}  # a block's scores


def block_scores(node: tree.Node) -> tree.Node:
    r"""`\max_j s^{(t)}_j`, `\sum_j e^{s^{(t)}_j - m^{(t)}} v_j`: score j of block t, under a max or a sum over j
    alone; read as the keys of block t, `\sum_{j \in J_t} e^{s_j - m^{(t)}} v_j`, so that j counts keys as v_j does."""
    match node:
        case tree.Sum((tree.Name() as index,), None, body) | tree.Call("max", (body,), (tree.Name() as index,), None) \
                if (block := _block_of(body, index)) is not None:
            within = (tree.Relation((index, tree.Script(tree.Name("J"), (block,), None)), ("in",)),)
            body = _unnumbered(body, index)
            return tree.Sum(within, None, body) if isinstance(node, tree.Sum) else tree.Call("max", (body,), within)
    return tree.rebuilt(node, block_scores)


def _block_of(body: tree.Node, index: tree.Name) -> tree.Node | None:
    """The block t of the scores s^{(t)}_j the body takes by this index, if they all name one block."""
    blocks = {n.sup.items[0] for n in walk(body) if isinstance(n, tree.Script) and n.base in SCORE_NAMES and
              n.sub == (index,) and isinstance(n.sup, tree.Group) and n.sup.bracket == "(" and len(n.sup.items) == 1}
    return blocks.pop() if len(blocks) == 1 else None


def _unnumbered(node: tree.Node, index: tree.Name) -> tree.Node:
    if isinstance(node, tree.Script) and node.base in SCORE_NAMES and node.sub == (index,):
        return tree.Script(node.base, node.sub, None)  # s^{(t)}_j: s_j, a key of block t
    return tree.rebuilt(node, lambda child: _unnumbered(child, index))


def primed_steps(node: tree.Node) -> tree.Node:
    r"""`m' = \max(m, s)`, `\ell' = \ell e^{m - m'} + e^{s - m'}`: a text that writes one update of the online
    softmax with primes means the state after step j (m'), the state before it (m), and the score and value that
    arrive at j (s, v); read as m_j, m_{j-1}, s_j, v_j. A formula without a primed state is left as it is."""
    if not {f"{name}'" for name in RUNNING} & names(node):
        return node
    step = tree.Name("j")

    def indexed(child):
        match child:
            case tree.Name(name) if name.endswith("'") and name[:-1] in RUNNING:
                return tree.Script(tree.Name(name[:-1]), (step,), None)
            case tree.Name(name) if name in RUNNING:
                return tree.Script(child, (tree.Sub(step, tree.Num("1")),), None)
            case tree.Name(name) if name in ARRIVING:
                return tree.Script(child, (step,), None)
            case tree.Script(tree.Name(name), _, _) if name.rstrip("'") in RUNNING | ARRIVING:
                return child  # m_j, v_j: already indexed
        return tree.rebuilt(child, indexed)

    return indexed(node)


QUERY_KEY_FUNCTIONS = {"alpha": "alpha", "a": "score"}  # d2l: a(q, k_i) the scoring function, alpha(q, k_i) the weight


ONE_QUERY_CALLS = {"A", "attention"}  # Ng's A(q, K, V): attention's output for one query q


def query_call(relation: tree.Relation) -> tree.Relation:
    r"""`A(q, K, V) = \sum_i \frac{\exp(q \cdot k^{<i>})}{\ldots} v^{<i>}` (the Coursera lectures): attention of one
    query vector q over all the keys, read for a query t as the output's row z_t, with q as q_t."""
    calls = [n for n in walk(relation) if isinstance(n, tree.Call) and n.name in ONE_QUERY_CALLS and
             n.args == (tree.Name("q"), tree.Name("K"), tree.Name("V"))]
    if not calls:
        return relation
    token = next(tree.Name(t) for t in ("t", "u", "r", "p", "s") if tree.Name(t) not in set(walk(relation)))

    def read(child):
        if child in calls:
            return tree.Script(tree.Name("z"), (token,), None)
        if child == tree.Name("q"):
            return tree.Script(tree.Name("q"), (token,), None)
        return tree.rebuilt(child, read)

    return read(relation)


def one_query(relation: tree.Relation) -> tree.Relation:
    r"""d2l's `\alpha(\mathbf{q}, \mathbf{k}_i)` and `a(\mathbf{q}, \mathbf{k}_i)`: the weight and the score of key i
    for the one query q, functions of the pair; read for a query t as \alpha_{ti} and score(q_t, k_i), q as q_t.
    A score of a bare q and k, `a(\mathbf{q}, \mathbf{k}) = \mathbf{q}^\top\mathbf{k} / \sqrt{d}`, is read for any
    query t and key u as score(q_t, k_u)."""
    calls = [n for n in walk(relation) if isinstance(n, tree.Call) and n.name in QUERY_KEY_FUNCTIONS and
             len(n.args) == 2 and n.args[0] == tree.Name("q") and (isinstance(n.args[1], tree.Script) and
             n.args[1].base == tree.Name("k") and len(n.args[1].sub) == 1 or n.args[1] == tree.Name("k") and
             QUERY_KEY_FUNCTIONS[n.name] == "score")]
    if not calls or any(isinstance(n, tree.Norm) for n in walk(relation)):
        return relation  # a(q, k_i) = -||q - k_i||^2 / 2: another scoring function, the Gaussian kernel's
    bare = {tree.Name("q")} | ({tree.Name("k")} if any(call.args[1] == tree.Name("k") for call in calls) else set())
    free = [tree.Name(t) for t in ("t", "u", "r", "p", "s") if tree.Name(t) not in set(walk(relation))]
    token, key = tree.Script(tree.Name("q"), (free[0],), None), tree.Script(tree.Name("k"), (free[1],), None)

    def read(child):
        if isinstance(child, tree.Call) and child in calls:
            if QUERY_KEY_FUNCTIONS[child.name] == "score":
                return tree.Call("score", (token, key if child.args[1] == tree.Name("k") else child.args[1]))
            return tree.Script(tree.Name("alpha"), (token.sub[0], child.args[1].sub[0]), None)
        if child in bare:
            return token if child == tree.Name("q") else key  # a(q, k) = q^T k / sqrt(d): any query and key
        return tree.rebuilt(child, read)

    return read(relation)


def weights_named_w(relation: tree.Relation) -> tree.Relation:
    r"""Bloem's `w_{ij}` (the weights) and `w'_{ij}` (the raw scores they are the softmax of), and probabilities
    `p_{ts}` (JAX's notes), each indexed by two letters, in a formula with no window w and no sinusoid (d2l's
    encoding p_{i, 2j}): read as alpha_{ij} and s_{ij}."""
    read_as = {tree.Name("w"): "alpha", tree.Name("w'"): "s"} if tree.Name("w") not in unindexed(relation) else {}
    found = names(relation)
    if not found & {"sin", "cos"} and (found & {"softmax", "exp", "v", "V"} or tree.Num("1") in relation.items):
        read_as[tree.Name("p")] = "alpha"  # a probability: normalised, exponentiated or weighing values
    scripts = [n for n in walk(relation) if isinstance(n, tree.Script) and n.base in read_as]
    if not scripts or not all(n.sup is None and (pair(n.sub) is not None and all(
            isinstance(index, tree.Name) and len(index.name) == 1 for index in pair(n.sub))) for n in scripts) or \
            {s.base for s in scripts} & unindexed(relation):  # p alone: another p
        return relation

    def read(child):
        if isinstance(child, tree.Script) and child in scripts:
            return tree.Script(tree.Name(read_as[child.base]), child.sub, None)
        return tree.rebuilt(child, read)

    return read(relation)


def unindexed(relation: tree.Relation) -> set[tree.Name]:
    """The names that stand on their own, not as the base of a script (w, the window, beside w_{ij})."""
    bases = {id(n.base) for n in walk(relation) if isinstance(n, tree.Script)}
    return {n for n in walk(relation) if isinstance(n, tree.Name) and id(n) not in bases}
