r"""Split a formula's LaTeX into the tokens the grammar reads.

Control words are read whole (`\left(` is `\left` then `(`, never `\le`), spacing and sizing
commands are dropped, font commands keep their content, and `\text{...}` / `\mathrm{...}` become a
name when they hold one word and prose otherwise. A letter run that is a known word (softmax,
Attention, pos) is one name; any other run is one name per letter, as TeX reads `QK`. A command
the grammar does not know is an error, so nothing is silently dropped.

Example:
    >>> [(t.type, t.value) for t in tokenize(r"\mathrm{softmax}\left(QK^\top\right)")]
    [('FUNC', 'softmax'), ('LPAR', '('), ('LETTER', 'Q'), ('LETTER', 'K'), ('SUP', '^'), ('TOP', 'T'), ('RPAR', ')')]
"""

import re
import unicodedata
from collections.abc import Iterator

from lark import Token

from attnproof.check.errors import Unrecognised
from attnproof.check.macros import balanced

# Function names, by every spelling the tokenizer may see (lower-cased), to their canonical name.
FUNCTIONS = {
    "softmax": "softmax",
    "softargmax": "softmax",  # Goodfellow et al., Fleuret
    "argmax": "argmax",
    "argmin": "argmin",
    "onehot": "onehot",  # onehot(argmax_j s_j): the limit of the softmax as its temperature falls
    "attention": "attention",
    "attn": "attention",
    "selfattention": "attention",
    "sa": "attention",
    "selfattn": "attention",
    "selfatt": "attention",  # Qiu's NNDL
    "la": "linear_attention",
    "multihead": "multihead",
    "multiheadattention": "multihead",
    "mha": "multihead",
    "mhsa": "multihead",
    "msa": "multihead",  # ViT's multihead self-attention
    "mhattn": "multihead",
    "multiheadattn": "multihead",
    "att": "attention",
    "multiheadselfattention": "multihead",
    "multiheadedattention": "multihead",  # Wikipedia's
    "maskedattention": "attention",  # its mask is the M the formula adds
    "concat": "concat",
    "var": "Var",
    "cov": "Cov",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "tanh": "tanh",
    "log": "log",
    "ln": "log",
    "max": "max",
    "min": "min",
    "layernorm": "layernorm",
    "mask": "mask",
    "score": "score",
    "rope": "rope",
    "diag": "diag",
    "std": "std",
    "sd": "sd",
    "elu": "elu",
    "re": "Re",
    # the names lecture notes in other languages give them
    "atención": "attention", "atencion": "attention", "atenção": "attention", "attenzione": "attention",
    "aufmerksamkeit": "attention", "multicabeza": "multihead", "multicabeça": "multihead", "multitête": "multihead",
    "multitete": "multihead", "multitesta": "multihead", "multikopf": "multihead", "mehrkopf": "multihead",
}
CASED = {"LN": "layernorm"}  # a capital LN is layer norm; ln, \ln, \mathrm{ln} the logarithm


def function_named(word: str) -> str | None:
    r"""The function a word names, whatever its case (`\text{Softmax}`, `\mathrm{MHA}`), except where case tells two
    apart; None for a word that names none.

    Example:
        >>> function_named("MHA"), function_named("LN"), function_named("ln"), function_named("head")
        ('multihead', 'layernorm', 'log', None)
    """
    return CASED.get(word) or FUNCTIONS.get(word.lower())


# Words of other languages' notes for the words a name is made of: head_i, d_model.
TRANSLATED = {"cabeza": "head", "cabeça": "head", "tête": "head", "tete": "head", "testa": "head", "kopf": "head",
              "modelo": "model", "modèle": "model", "modele": "model", "modello": "model", "modell": "model"}
# Words that are names, not functions, when written as a letter run or in \text{...}.
WORDS = {"head", "pos", "model", "dim", "out", "emb", "ff", "kv", "seq", "len", "batch", "bytes", "layers", "heads",
         "PE", "RoPE", "FLOPs", "cache"}
GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
    "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}
VARIANTS = {"vartheta": "theta", "varepsilon": "epsilon", "varphi": "phi"}
RELATIONS = {
    "=": "=", "\\approx": "approx", "\\in": "in", "\\le": "le", "\\leq": "le", "\\leqslant": "le", "<": "lt",
    "\\ge": "ge", "\\geq": "ge", "\\geqslant": "ge", ">": "gt", "\\ne": "ne", "\\neq": "ne", "\\propto": "propto",
    "\\sim": "sim", "\\to": "to", "\\rightarrow": "to", "\\longrightarrow": "to", "\\mapsto": "to", "\\equiv": "=",
    "\\coloneqq": "=",
    ":=": "=", "\\leftarrow": "=", "\\gets": "=",  # an algorithm's assignment, S <- K^T Q
    "\\triangleq": "=", "\\doteq": "=", "\\simeq": "approx", "\\lt": "lt", "\\gt": "gt",
    "≤": "le", "≥": "ge", "≈": "approx", "≠": "ne", "∈": "in", "→": "to", "∝": "propto",
}
SIMPLE = {
    "\\cdot": ("CDOT", "cdot"), "·": ("CDOT", "cdot"), "\\times": ("TIMES", "times"), "×": ("TIMES", "times"),
    "\\odot": ("ODOT", "odot"), "⊙": ("ODOT", "odot"), "\\ast": ("AST", "ast"), "*": ("AST", "ast"),
    "\\circ": ("ODOT", "odot"), "\\oplus": ("OPLUS", "oplus"), "⊕": ("OPLUS", "oplus"), "\\frac": ("FRAC", "frac"),
    "\\dfrac": ("FRAC", "frac"),
    "\\tfrac": ("FRAC", "frac"), "\\sqrt": ("SQRT", "sqrt"), "\\sum": ("SUM", "sum"), "∑": ("SUM", "sum"),
    "\\lim": ("LIM", "lim"),
    "\\langle": ("LANGLE", "<"), "\\rangle": ("RANGLE", ">"), "⟨": ("LANGLE", "<"), "⟩": ("RANGLE", ">"),
    "\\infty": ("INFTY", "inf"), "∞": ("INFTY", "inf"), "\\top": ("TOP", "T"), "\\intercal": ("TOP", "T"),
    "\\dots": ("DOTS", "..."), "\\ldots": ("DOTS", "..."), "\\cdots": ("DOTS", "..."), "\\dotsc": ("DOTS", "..."),
    "\\dotsb": ("DOTS", "..."), "...": ("DOTS", "..."), "\\vdots": ("DOTS", "..."), "\\ddots": ("DOTS", "..."),
    "…": ("DOTS", "..."), "\\|": ("NORM", "||"), "\\Vert": ("NORM", "||"),
    "\\lVert": ("NORM", "||"), "\\rVert": ("NORM", "||"), "\\{": ("LBRACE", "{"), "\\}": ("RBRACE", "}"),
    "\\R": ("REALS", "R"), "\\Longrightarrow": ("TEXT", "so"), "\\implies": ("TEXT", "so"),
    "\\Rightarrow": ("TEXT", "so"), "\\iff": ("TEXT", "if"), "\\therefore": ("TEXT", "so"),
    "\\llbracket": ("LSQB", "["), "\\rrbracket": ("RSQB", "]"),
    "\\rfloor": ("RPAR", ")"), "\\rceil": ("RPAR", ")"),  # the left ones open a call: ROUNDING
    "\\prime": ("PRIME", "'"), "\\mid": ("BAR", "|"), "\\vert": ("BAR", "|"), "\\lvert": ("BAR", "|"),
    "\\rvert": ("BAR", "|"), "\\quad": ("SEP", "quad"), "\\qquad": ("SEP", "quad"), "\\\\": ("ROWSEP", "\\\\"),
    "\\forall": ("TEXT", "for all"), "−": ("MINUS", "-"),
    "\\ell": ("LETTER", "l"), "\\pm": ("PLUS", "+"), "\\partial": ("LETTER", "partial"), "\\_": ("SUBS", "_"),
}
ROUNDING = {"\\lfloor": "floor", "\\lceil": "ceil"}
DROPPED = {
    "\\left", "\\right", "\\big", "\\Big", "\\bigg", "\\Bigg", "\\bigl", "\\bigr", "\\Bigl", "\\Bigr", "\\biggl",
    "\\biggr", "\\Biggl", "\\Biggr", "\\middle", "\\,", "\\;", "\\:", "\\!", "\\ ", "\\enspace", "\\thinspace",
    "\\displaystyle", "\\textstyle", "\\limits", "\\nolimits", "\\nonumber", "\\notag", "~", "\\hspace",
    "\\label", "\\tag", "\\phantom", "\\hfill",
    "\\bf", "\\rm", "\\it", "\\sf", "\\tt", "\\cal",  # plain TeX's font switches: {\bf x} is x
}
FONTS = {"\\mathbf", "\\boldsymbol", "\\bm", "\\vec", "\\mathbfit", "\\mathit", "\\pmb", "\\mathnormal",
         "\\rc", "\\gc", "\\bc"}  # Bloem's \rc{i}, \gc{j}: an index in colour
DECORATIONS = {"\\hat": "hat", "\\tilde": "tilde", "\\bar": "bar", "\\overline": "bar", "\\dot": "dot",
               "\\widehat": "hat", "\\widetilde": "tilde"}
NAMED = {"\\mathrm", "\\text", "\\operatorname", "\\textrm", "\\textit", "\\mathsf", "\\texttt", "\\textbf",
         "\\mathtt", "\\textsf", "\\mbox", "\\operatorname*"}
UNIT_WORDS = {"B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "bytes"}
PROSE = {"if", "otherwise", "else", "for", "and", "where", "with", "when", "or", "all", "every", "any", "each", "to",
          "s.t."}
# The words of conditions in other languages' notes: M_{mn} = -\infty \text{ für } m < n.
PROSE_TRANSLATED = {"für": "for", "falls": "if", "wenn": "if", "sonst": "otherwise", "pour": "for", "si": "if",
                    "sinon": "otherwise", "para": "for", "cuando": "when", "quand": "when"}
MATRICES = {"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "array", "smallmatrix"}
QUOTES = {'"', "“", "”"}  # quotation marks an author closes inside the math: punctuation, as a full stop is
PUNCTUATION = {"(": "LPAR", ")": "RPAR", "[": "LSQB", "]": "RSQB", "{": "LBRACE_G", "}": "RBRACE_G",
               ",": "COMMA", "+": "PLUS", "-": "MINUS", "/": "SLASH", "^": "SUP", "_": "SUBS", "&": "AMP",
               "|": "BAR", "'": "PRIME", ";": "SEMI", ":": "COLON", "!": "BANG", ".": "PERIOD"}

LEXEME = re.compile(
    r"\\[A-Za-z]+\*?|\\[^A-Za-z]|:=|\.\.\.|[A-Za-z]+|\d+(?:\.\d+)?|\s+|[^\sA-Za-z\d]",
)
ONES = re.compile(r"\s*(?:\{\s*1\s*\}|1(?![0-9.,]))")  # \mathbf{1}, \bm 1
DECORATED = re.compile(r"\s*(?:\{\s*(?:\\(?:mathbf|boldsymbol|bm)\s*)?\{?\s*(\\?[A-Za-z]+)\s*\}?\s*\}|(\\?[A-Za-z]+))")
LONG_NAME = re.compile(r"\s*\{\s*([A-Za-z]{2,})\s*\}")
SCRIPTED_WORD = re.compile(r"([A-Za-z]+)_([A-Za-z0-9]+)")  # \mathrm{head_i}, \text{d_model}
UNBRACED = re.compile(r"\s*([A-Za-z])")
DECIMAL_COMMA = re.compile(r"\{,\}(\d+)(?![\d.])")  # German, French, Spanish notes: 0{,}245
DIGIT_GROUP = re.compile(r"(?:\\,|\{,\}|\\;|\\ |~|,)(\d{3})(?![\d.])")
BRACED = re.compile(r"\s*\{([^{}]*)\}")
TEXT_ARGUMENT = re.compile(r"\s*\{((?:[^{}]|\{[^{}]*\})*)\}")  # \text{Aten\c{c}\~{a}o}: accents have braces too
# TeX's accents in text, as the Unicode combining mark each puts on its letter: \c{c} is ç, \~{a} (or \tilde{a}) ã
ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "c": "\u0327", "v": "\u030c",
           "u": "\u0306", "acute": "\u0301", "grave": "\u0300", "hat": "\u0302", "ddot": "\u0308", "tilde": "\u0303"}
ACCENT = re.compile(r"\\(['`^\"~]|(?:c|v|u|acute|grave|hat|ddot|tilde)(?![A-Za-z]))"
                    r"\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
AFTER_NUMBER = re.compile(r"\d\}?(?:\s|~|\\[ ,;:!])*$")


OVER = re.compile(r"\\over(?![A-Za-z])")
BOLD_PRODUCT = re.compile(r"\\(mathbf|boldsymbol|bm)\s*\{\s*([QKVX])\s*([QKVX])\s*\}")  # \mathbf{QK}: Q times K
IDENTIFIER = re.compile(r"(?<![\\{A-Za-z0-9_])([A-Za-z][A-Za-z0-9]*(?:\\_[A-Za-z0-9]+)+)")  # num\_heads, in math
SOFT_ARG_MAX = re.compile(r"\[\s*\\text\{soft\}\s*\]\s*\(\s*\\text\{arg\}\s*\)\s*\\max\s*_\s*\{?\s*\\beta\s*\}?\s*"
                          r"(\\left\s*)?\(")  # the NYU course's [soft](arg)max_beta(x): softmax(beta x)
ARG_MAX = re.compile(r"\\arg\s*\\(max|min)(?![A-Za-z])")  # \arg\max_j s_j: one function, argmax
ANGLED = re.compile(r"\^\{\s*(?:<|\\langle)\s*([^{}<>\\]*?)\s*(?:>|\\rangle)\s*\}")  # Ng's x^{<t>}: as x^{(t)}


def plain_tex(latex: str) -> str:
    r"""`{QK^T \over \sqrt{d_k}}` as `\frac{QK^T}{\sqrt{d_k}}` (plain TeX's fraction, inside its braces),
    `k^{<i>}` as `k^{(i)}` (the Coursera courses' token superscript), `[\text{soft}](\text{arg})\max_\beta(x)` as
    `\mathrm{softmax}(\beta\, x)` (the NYU course's soft(arg)max at inverse temperature beta), a code identifier
    written in math, `num\_heads`, as one name, `\mathbf{QK}^T` as the product of two bold matrices, and `\arg\max`
    as one function, argmax."""
    latex = ANGLED.sub(r"^{(\1)}", latex)
    latex = IDENTIFIER.sub(r"\\mathrm{\1}", latex)
    latex = BOLD_PRODUCT.sub(r"\\\1{\2}\\\1{\3}", latex)
    latex = SOFT_ARG_MAX.sub(lambda m: rf"\mathrm{{softmax}}{m.group(1) or ''}(\beta\,", latex)
    latex = ARG_MAX.sub(r"\\mathrm{arg\1}", latex)
    while (match := OVER.search(latex)) is not None:
        opening = enclosing(latex, match.start())
        group = balanced(latex, opening + 1) if opening is not None else None
        if group is None:
            raise Unrecognised("\\over outside a braced group")
        closing = opening + 1 + len(group)  # the brace that closes it
        numerator, denominator = latex[opening + 1:match.start()], latex[match.end():closing]
        latex = latex[:opening] + rf"\frac{{{numerator}}}{{{denominator}}}" + latex[closing + 1:]
    return latex


def enclosing(latex: str, position: int) -> int | None:
    """Where the brace that encloses `position` opens."""
    depth = 0
    for index in range(position - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(latex[index], 0)
        if depth < 0:
            return index
    return None


def tokenize(latex: str) -> Iterator[Token]:
    """The grammar's tokens for `latex`; raises Unrecognised at a command it does not know."""
    latex = plain_tex(latex)
    position = 0
    while position < len(latex):
        match = LEXEME.match(latex, position)
        lexeme = match.group()
        position = match.end()
        if lexeme.isspace():
            continue
        if lexeme in DROPPED:
            if lexeme in {"\\hspace", "\\label", "\\tag", "\\phantom"}:
                position = skip_braced(latex, position)
            elif lexeme in {"\\left", "\\right", "\\middle"} and latex.startswith(".", position):
                position += 1
            continue
        if lexeme in ROUNDING:  # \lfloor h/g \rfloor is floor(h/g), never just (h/g)
            yield Token("FUNC", ROUNDING[lexeme], start_pos=match.start())
            yield Token("LPAR", "(", start_pos=match.start())
        elif lexeme in RELATIONS:
            yield Token("REL", RELATIONS[lexeme], start_pos=match.start())
        elif lexeme in SIMPLE:
            kind, value = SIMPLE[lexeme]
            yield Token(kind, value, start_pos=match.start())
        elif lexeme in NAMED:
            position, named_tokens = named(latex, position, match.start())
            yield from named_tokens
        elif lexeme in FONTS and (ones := ONES.match(latex, position)):
            position = ones.end()  # \mathbf{1}: the vector of ones
            yield Token("LETTER", "ones", start_pos=match.start())
        elif lexeme in FONTS and (word := LONG_NAME.match(latex, position)):
            position = word.end()  # \mathbf{sa}, \mathbf{MhSa}: one name, not letters multiplied
            function = function_named(word.group(1))
            yield Token("FUNC", function, start_pos=match.start()) if function else Token("WORD", word.group(1),
                                                                                            start_pos=match.start())
        elif lexeme in FONTS:
            continue  # \mathbf{q} is q: the braces that follow group as usual
        elif lexeme in DECORATIONS and DECORATIONS[lexeme] == "bar" and not DECORATED.match(latex, position):
            position, conjugated = conjugate(latex, position, match.start())  # \overline{(k e^{in\theta})}
            yield from conjugated
        elif lexeme in DECORATIONS:
            position, token = decorated(lexeme, latex, position, match.start())
            yield token
        elif lexeme in {"\\begin", "\\end"}:
            position, token = environment(lexeme, latex, position, match.start())
            yield token
        elif lexeme.startswith("\\mathbb") or lexeme.startswith("\\mathcal") or lexeme == "\\mathds":
            position, token = blackboard(lexeme, latex, position, match.start())
            yield from [token] if token else []
        elif lexeme.startswith("\\"):
            yield command(lexeme, match.start(), latex[position:position + 1])
        elif lexeme[0].isalpha():
            yield from letters(lexeme, latex, position, match.start())
        elif lexeme[0].isdigit():
            if "." not in lexeme and (comma := DECIMAL_COMMA.match(latex, position)) and \
                    (lexeme == "0" or len(comma.group(1)) != 3):
                lexeme, position = f"{lexeme}.{comma.group(1)}", comma.end()  # 0{,}245, 2{,}5: a decimal comma
            while group := DIGIT_GROUP.match(latex, position):  # 2\,147\,483\,648 is one number
                lexeme, position = lexeme + group.group(1), group.end()
            yield Token("NUMBER", lexeme, start_pos=match.start())
        elif lexeme in PUNCTUATION:
            yield Token(PUNCTUATION[lexeme], lexeme, start_pos=match.start())
        elif lexeme in QUOTES:
            yield Token("PERIOD", lexeme, start_pos=match.start())  # m." : a quotation closed inside the math
        else:
            raise Unrecognised(f"unexpected character {lexeme!r}")


def skip_braced(latex: str, position: int) -> int:
    match = BRACED.match(latex, position)
    return match.end() if match else position


def named(latex: str, position: int, start: int) -> tuple[int, list[Token]]:
    r"""\mathrm{softmax} is a function, \text{head} a name, \text{if } prose, \mathrm{head_i} a name with
    a subscript, \text{where head} prose then a name, \text{ KiB per token} a unit then prose."""
    match = TEXT_ARGUMENT.match(latex, position) or UNBRACED.match(latex, position)  # \mathsf T, \mathrm d
    if not match:
        raise Unrecognised("\\text or \\mathrm without a braced argument")
    content = accented(match.group(1)).replace("\\_", "_").replace("\\ ", " ").strip()
    squashed = content.replace("-", "").replace("_", "").replace(" ", "")
    if function_named(squashed) and " " not in content.strip():
        return match.end(), [Token("FUNC", function_named(squashed), start_pos=start)]
    words = [PROSE_TRANSLATED.get(word.lower(), word) for word in content.split()]
    if len(words) > 1 and words[0].lower() in PROSE and words[-1].lower() not in PROSE:
        return match.end(), [Token("TEXT", " ".join(words[:-1]), start_pos=start),
                             Token("WORD", words[-1], start_pos=start)]
    if len(words) > 1 and words[0] in UNIT_WORDS and AFTER_NUMBER.search(latex, 0, start):
        # 320 \text{ KiB per token}: the unit, then words about it; \text{bytes per token} = ... stays a name
        return match.end(), [Token("WORD", words[0], start_pos=start),
                             Token("TEXT", " ".join(words[1:]), start_pos=start)]
    unit = len(words) == 1 and words[0] in UNIT_WORDS
    if not unit and (not words or words[0].lower() in PROSE or match.group(1) != match.group(1).strip()):
        return match.end(), [Token("TEXT", " ".join(words), start_pos=start)]
    if content == "T":
        return match.end(), [Token("TOP", "T", start_pos=start)]
    if content == "i":
        return match.end(), [Token("LETTER", "imaginary_unit", start_pos=start)]  # \mathrm{i}: upright, not an index
    scripted = SCRIPTED_WORD.fullmatch(content)
    if scripted and (scripted.group(1).lower() in {"w", "d", "n"} or len(scripted.group(2)) == 1):
        suffix = scripted.group(2)  # \mathrm{head_i}, \text{d_model}; but head_size stays one name
        kind = "NUMBER" if suffix.isdigit() else "LETTER" if len(suffix) == 1 else "WORD"
        return match.end(), [Token("WORD", translated(scripted.group(1)), start_pos=start),
                             Token("SUBS", "_", start_pos=start), Token(kind, suffix, start_pos=start)]
    return match.end(), [Token("WORD", translated(" ".join(words)), start_pos=start)]


def accented(text: str) -> str:
    """Aten\\c{c}\\~{a}o -> Atenção: a word of another language as TeX spells its accented letters."""
    return unicodedata.normalize("NFC", ACCENT.sub(lambda m: (m.group(2) or m.group(3)) + ACCENTS[m.group(1)], text))


def translated(word: str) -> str:
    """\\mathrm{cabeza}, \\text{modelo}: the English word a name is made of."""
    return TRANSLATED.get(word.lower(), word)


def conjugate(latex: str, position: int, start: int) -> tuple[int, list[Token]]:
    r"""A bar over more than a letter, `\overline{k_{(i)} e^{in\theta_i}}`, is the complex conjugate of what it
    covers, and of nothing after it: conj( ... )."""
    opening = latex.find("{", position)
    if opening < 0 or latex[position:opening].strip():
        raise Unrecognised("\\overline over something other than a braced group")
    depth, closing = 0, opening
    for closing in range(opening, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[closing], 0)
        if depth == 0:
            break
    if depth:
        raise Unrecognised("\\overline with an unbalanced brace")
    inside = [Token(t.type, t.value, start_pos=opening + 1 + t.start_pos) for t in tokenize(latex[opening + 1:closing])]
    return closing + 1, [Token("FUNC", "conj", start_pos=start), Token("LPAR", "(", start_pos=opening), *inside,
                         Token("RPAR", ")", start_pos=closing)]


def decorated(lexeme: str, latex: str, position: int, start: int) -> tuple[int, Token]:
    r"""\bar{x} is a name of its own (x-bar), never x: the mean of x is not x."""
    match = DECORATED.match(latex, position)
    if not match:
        raise Unrecognised(f"{lexeme} over something other than a letter")
    letter = (match.group(1) or match.group(2)).lstrip("\\")
    return match.end(), Token("LETTER", f"{letter}_{DECORATIONS[lexeme]}", start_pos=start)


def blackboard(lexeme: str, latex: str, position: int, start: int) -> tuple[int, Token | None]:
    r"""\mathbb{R} (the reals), \mathbb{E} and \mathcal{O} (functions), other letters as names."""
    match = BRACED.match(latex, position) or re.compile(r"\s*([A-Za-z])").match(latex, position)
    if not match:
        raise Unrecognised("\\mathbb or \\mathcal without a letter")
    letter = match.group(1).strip()
    if letter == "1" and latex[match.end():].lstrip().startswith(("[", "\\llbracket")):
        return match.end(), None  # \mathbb{1}[s \le t]: the indicator is Iverson's bracket that follows
    if letter == "1":
        return match.end(), Token("LETTER", "ones", start_pos=start)
    if letter == "R" and lexeme.startswith("\\mathbb"):
        return match.end(), Token("REALS", "R", start_pos=start)  # \mathcal{R} is a name (a rotation, say)
    if letter in {"E", "O"}:
        return match.end(), Token("FUNC", letter, start_pos=start)
    if letter == "V" and lexeme.startswith("\\mathbb"):
        return match.end(), Token("FUNC", "Var", start_pos=start)  # \mathbb{V}[q \cdot k]
    return match.end(), Token("LETTER", letter, start_pos=start)


def environment(lexeme: str, latex: str, position: int, start: int) -> tuple[int, Token]:
    match = BRACED.match(latex, position)
    if not match:
        raise Unrecognised(f"{lexeme} without an environment name")
    name = match.group(1).strip().rstrip("*")
    position = match.end()
    if name == "cases" or name == "dcases":
        return position, Token("BEGIN_CASES" if lexeme == "\\begin" else "END_CASES", name, start_pos=start)
    if name in MATRICES:
        if lexeme == "\\begin" and name == "array":
            position = skip_braced(latex, position)  # the column specification {cc}
        return position, Token("BEGIN_MATRIX" if lexeme == "\\begin" else "END_MATRIX", name, start_pos=start)
    raise Unrecognised(f"environment {name} inside a formula")


def command(lexeme: str, start: int, following: str = "") -> Token:
    name = lexeme[1:]
    if name == "Theta" and following.startswith("("):
        return Token("FUNC", "O", start_pos=start)  # \Theta(n^2 d): a tight bound, read as its class
    if name == "imath":
        return Token("LETTER", "imaginary_unit", start_pos=start)
    if name == "Re":
        return Token("FUNC", "Re", start_pos=start)
    if name in GREEK:
        return Token("LETTER", VARIANTS.get(name, name), start_pos=start)  # \vartheta is a theta
    if function_named(name):
        return Token("FUNC", function_named(name), start_pos=start)
    raise Unrecognised(f"unknown command {lexeme}")


def letters(run: str, latex: str, end: int, start: int) -> Iterator[Token]:
    """A known word is one token; otherwise one letter each, as TeX multiplies `QK`.

    `O(` and `E[` are big-O and expectation; a prime after a letter belongs to it (j').
    """
    if function_named(run) and len(run) > 1:
        yield Token("FUNC", function_named(run), start_pos=start)
        return
    if run in WORDS:
        yield Token("WORD", run, start_pos=start)
        return
    following = latex[end:end + 1]
    for offset, letter in enumerate(run):
        last = offset == len(run) - 1
        if last and letter == "O" and following == "(":
            yield Token("FUNC", "O", start_pos=start + offset)
        elif last and letter == "E" and following == "[":
            yield Token("FUNC", "E", start_pos=start + offset)
        else:
            yield Token("LETTER", letter, start_pos=start + offset)
