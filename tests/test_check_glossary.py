"""A document's own letters for its sizes (glossary): read from its prose, used in its formulas."""

import pytest

from attnproof.check import check_text
from attnproof.check.glossary import (
    function_symbols,
    head_width_letters,
    named_sizes,
    permutation_letters,
    probability_letters,
    role_letters,
)

JAX = "Shapes: `q` is `[B, T, N, H]`, where `T` is the query length, `N` the number of heads, `H` the head dim.\n\n"
PYTORCH = ("Here $L$ is the target (query) length, $S$ the source (key/value) length, $E$ the query/key embedding size "
           "and $E_v$ the value size.\n\n")


@pytest.mark.parametrize("prose, sizes", [
    (JAX, {"T": "n", "N": "h", "H": "d_k"}),
    (PYTORCH, {"L": "n", "S": "n", "E": "d_k", "E_v": "d_v"}),
    ("For a sequence of length $L$ the score matrix is square.", {"L": "n"}),
    ("head dimension $D$; $N$ positions", {"D": "d_k"}),  # "N positions" defines nothing
    ("With $r$ heads, each head", {"r": "h"}),  # Bloem's r
    ("Shapes follow the video: batch `B`, time `T`, channels `C`.", {"C": "d_model"}),  # nanoGPT's
    ("Use $M$ heads; $H$ heads; $G$ heads per group", {"M": "h"}),  # H is read as h already; "per group" is a ratio
    ("with $C$ denoting the dimension of the keys", {"C": "d_k"}),
    ("sequence length $L$, head dim `H`, `T` tokens", {"H": "d_k", "L": "n"}),  # a list: `T` is not the head dim
    ("If the sentence has $m$ words, X has m rows.", {"m": "n"}),  # a count of the sequence
    ("`embed_dim` is the total dimension of the model, $E$.", {"E": "d_model"}),  # PyTorch's docs
    ("$b$ batch size, $h$ hidden size, $a$ attention heads", {"h": "d_model", "a": "h"}),  # EleutherAI's
    ("| `M` | number of queries |\n| `K` | embedding size per head, for query and key |\n"
     "| `J` | embedding size per head, for value |", {"M": "n", "K": "d_k", "J": "d_v"}),  # xFormers' table
])
def test_letters_defined_in_prose_are_read(prose, sizes):
    assert named_sizes([prose]) == sizes


@pytest.mark.parametrize("prose", [
    "queries and keys of length $d$ and values of length $v$",  # a vector's length is no sequence length
    "$g$ is the number of query heads per KV head",  # a ratio, not the number of heads
    "Split the head dimension $d$ into $d/2$ pairs.",  # d means whichever width a section is about
    "$n$ is the sequence length and $d_k$ the key dimension",  # the checker's own names already
    "$m$ is the sequence length. Later, $m$ is the head size.",  # defined two ways: left alone
    "Each query sees the most recent $w$ tokens, a window of $k$ tokens.",  # a window, not the sequence
    "a sliding window of $W$ tokens; in a sequence of $N$ tokens",  # W and N are sizes the checker reads already
    "with the number of heads, $E$ the width of the model",  # a comma ends a list item here, not an apposition
    "sliced into $n_h$ heads of $d_h$ entries each",  # the heads are counted by n_h, not by d_h
    "$w$ is the number of keys each query attends to",  # a window's keys, not the sequence's
    "$d_h$ the dimension per head",  # d_h is a head's width already, of its keys and of its values
])
def test_phrases_that_do_not_define_a_size_letter_are_left_alone(prose):
    assert named_sizes([prose]) == {}


def test_a_sequence_counted_in_words_names_the_length_of_a_score_matrix():
    prose = "If the sentence has $m$ words, the scores are\n\n"
    right = r"$QK^\top \in \mathbb{R}^{m \times m}$"
    wrong = r"$QK^\top \in \mathbb{R}^{m \times d_k}$"
    assert [f.verdict.value for f in check_text(prose + right + "\n\n" + wrong)] == ["ok", "wrong"]
    assert [f.verdict.value for f in check_text(right)] == ["unrecognised"]  # m means nothing without the prose


def test_a_formula_is_read_in_the_documents_letters():
    right = (r"$\mathrm{attn}(\mathbf{q}, \mathbf{k}, \mathbf{v}) = "
             r"\mathrm{softmax}(\mathbf{q}\mathbf{k}^{\mathsf T} / \sqrt{H})\mathbf{v}$")
    wrong = right.replace(r"\sqrt{H}", "H")
    assert [f.verdict.value for f in check_text(JAX + right + "\n\n" + wrong)] == ["ok", "wrong"]
    assert [f.verdict.value for f in check_text(right)] == ["unrecognised"]  # H means nothing without the prose


def test_pytorch_letters_scale_by_the_query_key_width():
    right = r"$\mathrm{out} = \mathrm{softmax}(QK^\top / \sqrt{E}) V$"
    wrong = r"$\mathrm{out} = \mathrm{softmax}(QK^\top / \sqrt{E_v}) V$"
    assert [f.verdict.value for f in check_text(PYTORCH + right + "\n\n" + wrong)] == ["ok", "wrong"]


def test_a_text_that_softmaxes_alpha_into_alpha_prime_calls_the_scores_alpha():
    lee = (r"$\alpha_{1,i} = \frac{q^1 \cdot k^i}{\sqrt{d_k}}$" "\n\n"
           r"$\alpha'_{1,i} = \frac{\exp(\alpha_{1,i})}{\sum_j \exp(\alpha_{1,j})}$" "\n\n"
           r"$\alpha_{1,i} = \frac{q^1 \cdot k^i}{d_k}$")
    assert [f.verdict.value for f in check_text(lee)] == ["ok", "ok", "wrong"]
    assert check_text(lee.split("\n\n")[0])[0].verdict.value == "wrong"  # elsewhere alpha is the weights


def test_a_size_letter_raised_to_a_power_is_the_size_raised():
    scaled = (r"$\mathrm{softmax}((H^{-1/2}\mathbf{q})\mathbf{k}^{\mathsf T}) = "
              r"\mathrm{softmax}(\mathbf{q}\mathbf{k}^{\mathsf T} / \sqrt{H})$")
    assert [f.verdict.value for f in check_text(JAX + scaled)] == ["ok"]  # it crashed the checker once


def test_the_tensorflow_tutorials_names_are_read_where_a_text_uses_them():
    text = (r"Each head has $\text{depth} = d_{model} / \text{num\_heads}$." "\n\n"
            r"$\sum_{j} \text{attention\_weights}_{ij} = 1$" "\n\n" r"$\sum_{i} \text{attention\_weights}_{ij} = 1$")
    assert [f.verdict.value for f in check_text(text)] == ["ok", "ok", "wrong"]
    assert check_text(r"$\sum_{j} \text{attention\_weights}_{ij} = 1$")[0].verdict.value == "unrecognised"


def test_a_text_that_gives_its_queries_another_letter_is_read_in_it():
    spanish = ("Queries are *consultas* and keep the letter $C$: each token gives a query $c_i = x_i W^C$.\n\n"
               "$$\\mathrm{Atención}(C, K, V) = \\mathrm{softmax}\\left(\\frac{C K^\\top}{\\sqrt{d_k}}\\right) V$$\n\n"
               "$$\\mathrm{Atención}(C, K, V) = "
               "\\mathrm{softmax}\\left(C K^\\top / \\sqrt{d_\\text{modelo}}\\right) V$$\n")
    assert role_letters([spanish], []) == {"C": "Q", "c": "q"}
    assert [f.verdict.value for f in check_text(spanish)][-2:] == ["ok", "wrong"]


@pytest.mark.parametrize("prose", [
    "the query $x_i$ attends to every key",  # no weight W^x: x is the token, not a letter for queries
    "the queries $Q = XW^Q$ and keys $K = XW^K$",  # the usual letters
])
def test_a_letter_near_the_word_query_is_not_taken_for_the_queries_without_a_weight_for_it(prose):
    assert role_letters([prose], []) == {}


def test_other_languages_names_for_attention_and_heads_are_read():
    text = ("$$\\mathrm{MultiCabeza}(X) = "
            "\\mathrm{Concat}(\\mathrm{cabeza}_1, \\ldots, \\mathrm{cabeza}_h)\\, W^O$$\n\n"
            "$$\\mathrm{MultiCabeza}(X) = \\sum_{i=1}^{h} \\mathrm{cabeza}_i$$\n")
    assert [f.verdict.value for f in check_text(text)] == ["ok", "wrong"]


def test_the_model_width_set_off_by_a_comma_sizes_the_output_projection():
    prose = "`embed_dim` is the total dimension of the model, $E$. There are $h$ heads.\n\n"
    right, wrong = r"$W^O \in \mathbb{R}^{E \times E}$", r"$W^O \in \mathbb{R}^{(E/h) \times E}$"
    assert [f.verdict.value for f in check_text(prose + right + "\n\n" + wrong)] == ["ok", "wrong"]


def test_a_name_with_tex_accents_is_read_as_the_word_it_spells():
    right = r"$$\mathrm{Aten\c{c}\tilde{a}o}(Q, K, V) = \mathrm{softmax}(QK^\top / \sqrt{d_k})V$$"
    wrong = r"$$\mathrm{Aten\c c\~ao}(Q, K, V) = \mathrm{softmax}(QK^\top / d_k)V$$"
    assert [f.verdict.value for f in check_text(right + "\n\n" + wrong)] == ["ok", "wrong"]


def test_a_symbol_the_prose_calls_the_softmax_is_read_as_softmax_where_it_is_applied():
    murphy = ("Bold letters are column vectors, $\\mathcal{S}$ is the softmax.\n\n"
              "$$\\mathrm{Attn}(Q, K, V) = \\mathcal{S}\\left(\\frac{QK^\\mathsf{T}}{\\sqrt{d_k}}\\right)V$$\n\n"
              "$$\\mathrm{Attn}(Q, K, V) = \\mathcal{S}\\left(\\frac{K^\\mathsf{T}Q}{\\sqrt{d_k}}\\right)V$$\n")
    assert function_symbols([murphy]) == {"\\mathcal{S}": "\\mathrm{softmax}"}
    assert [f.verdict.value for f in check_text(murphy)] == ["ok", "wrong"]


def test_softargmax_is_the_softmax():
    text = "$$Y = \\operatorname{softargmax}(QK^\\top / \\sqrt{d_k})\\, V$$\n"
    assert [f.verdict.value for f in check_text(text)] == ["ok"]


@pytest.mark.parametrize("prose, letters", [
    ("$f(s(x)) = s(f(x))$ for any permutation $s$", {"s": "pi"}),  # Johnson's EECS 498
    ("where $s$ is a permutation of the tokens", {"s": "pi"}),
    ("where $\\sigma$ is a permutation of the tokens", {}),  # \\sigma stays the softmax's letter
    ("Let $T$ be any permutation matrix.", {"T": "pi"}),
    ("for every permutation matrix $P$", {}),  # P already is one
    ("attention is permutation equivariant: $s$ is the score", {}),  # "equivariant", not a permutation letter
])
def test_letters_the_prose_calls_a_permutation(prose, letters):
    assert permutation_letters([prose]) == letters


def test_a_permutation_named_in_prose_is_read_as_one():
    prose = "Self-attention is permutation equivariant: {} for any permutation $s$.\n\n"
    text = prose.format("$f(s(X)) = s(f(X))$") + prose.format("$f(s(X)) = f(X)$")
    assert [(f.verdict.value, f.claim) for f in check_text(text)] == \
        [("ok", "attention.permutation_equivariance"), ("wrong", "attention.permutation_equivariance")]


def test_nanogpt_scores_scaled_by_the_channels_rather_than_the_head_size_are_wrong():
    prose = "Shapes follow the video: batch `B`, time `T`, channels `C`.\n\n"
    text = prose + r"$\text{wei} = \frac{q k^\top}{\sqrt{\text{head\_size}}}$ and not " \
        r"$\text{wei} = q k^\top \cdot C^{-1/2}$"
    assert [(f.verdict.value, f.claim) for f in check_text(text)] == [("ok", "attention.definition"),
                                                                      ("wrong", "attention.definition")]


def test_the_embedding_size_is_the_models_width_even_in_bold():
    assert named_sizes(["- the **Embedding Size** $E$ (called $d_{model}$ in the paper),"]) == {"E": "d_model"}
    assert named_sizes(["the per-head embedding size $E$"]) == {"E": "d_k"}


def test_a_bold_letter_or_a_shorthand_for_one_the_prose_calls_the_softmax_is_its_output():
    assert probability_letters([r"Let $\mathbf{s}$ be the softmax of $\mathbf{x}$."]) == {"s": "p"}
    text = "\\newcommand{\\vs}{\\mathbf{s}}\\newcommand{\\vx}{\\mathbf{x}}\n" \
        "Let $\\vs$ be the softmax of $\\vx$. Then\n" \
        "\\begin{equation}\n\\mathbf{J}(\\vx) = \\mathrm{diag}(\\vs) - \\vs\\vs^\\top\n\\end{equation}\n" \
        "but not \\begin{equation}\n\\mathbf{J}(\\vx) = \\mathrm{diag}(\\vs) - \\mathbf{1}\\vs^\\top\n\\end{equation}\n"
    assert [(f.verdict.value, f.claim) for f in check_text(text, "tex")] == [("ok", "softmax.saturation"),
                                                                             ("wrong", "softmax.saturation")]


def test_a_letter_defined_as_the_width_over_the_heads_is_the_head_width():
    assert head_width_letters([r"A = C / n_{\text{heads}} = 48 / 3 = 16", r"h = d / H"]) == {"A": "d_k"}
    text = r"Each head is $A = C / n_{\text{heads}}$ wide. Scores: $S = \frac{QK^\top}{\sqrt{A}}$, " \
        r"not $S = \frac{QK^\top}{A}$."
    assert [(f.verdict.value, f.claim) for f in check_text(text)][1:] == [("ok", "attention.definition"),
                                                                          ("wrong", "attention.definition")]


def test_heads_counted_as_self_attention_heads_name_the_head_count():
    assert named_sizes(["The Transformer runs $M$ self-attention heads in parallel"]) == {"M": "h"}
    assert named_sizes(["with $N$ heads per group"]) == {}



def test_a_notation_table_names_the_sizes_of_the_formulas_after_it():
    table = ("| symbol | meaning |\n|---|---|\n| `M` | number of queries |\n| `N` | number of keys |\n"
             "| `K` | embedding size per head, for query and key |\n\n")
    formulas = r"$q \in \mathbb{R}^{M \times K}$, $\sum_{i=0}^{M-1} a_{ij} = 1$. Attention costs $O(M N K)$ a head."
    assert [f.verdict.value for f in check_text(table + formulas)] == ["ok", "wrong", "ok"]


def test_a_text_whose_h_is_the_hidden_size_costs_its_heads_in_it():
    prose = "Notation: $s$ sequence length, $h$ hidden size, $a$ attention heads.\n\n"
    costs = {r"Each head works in $d_{\text{head}} = h/a$ dimensions.": "ok",
             r"Without a cache, generating $n$ tokens costs $\sum_{t \le n} t^2 h = O(n^3 h)$.": "ok",
             r"A common slip is to write the multi-head attention cost as $O(a s^2 h)$.": "wrong"}
    for sentence, verdict in costs.items():
        assert [f.verdict.value for f in check_text(prose + sentence)] == [verdict], sentence


def test_a_size_letter_the_prose_names_leaves_its_subscripted_names_alone():
    text = ("With hidden dimension $D$ and input length $T$, attention costs $O(T^2 D)$.\n\n"
            r"Each head computes $\mathrm{softmax}(QK^\top / \sqrt{D_k})V$ with $D_k = D / H$.")
    assert [f.verdict.value for f in check_text(text)][:2] == ["ok", "ok"]


def test_the_letter_the_prose_calls_the_attention_bias_is_the_mask():
    prose = "The operator adds $b$ to the scores, where $b$ is the `attn_bias` materialised as a matrix. Causal:\n\n"
    mask = r"$b_{ij} = \begin{cases} 0 & j %s i \\ -\infty & \text{otherwise} \end{cases}$"
    assert [f.verdict.value for f in check_text(prose + mask % r"\le")] == ["ok"]
    assert [f.verdict.value for f in check_text(prose + mask % r"\ge")] == ["wrong"]
