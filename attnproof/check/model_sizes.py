r"""Model sizes a text states in words: "80 layers, 64 query heads and 8 KV heads of size 128, in bf16".

Worked KV-cache numbers are products of a model's sizes; to tell which sizes a product uses, the checker
reads them from the prose (or the table row, `layers: 80 | KV heads: 8`) around the formula. Only what
the text says is read: a size it does not state stays None.

Example:
    >>> stated("Llama 2 70B: 80 layers, 64 query heads and 8 KV heads of size 128, in bf16.")
    ModelSizes(layers=80, heads=64, kv_heads=8, head_dim=128, width=None, batch=None, element_bytes=2)
    >>> stated("Falcon-7B (32 layers, 71 query heads of width 64, one shared KV head)").kv_heads
    1
    >>> stated("GPT-2 small: 12 blocks, 12 heads").layers
    12
    >>> stated("64 query and 8 KV heads").heads
    64
    >>> stated("For one query row, two blocks merge as follows.").describes_model()  # no layers, no heads
    False
"""

import re
from dataclasses import dataclass

WORDS = {"one": 1, "a single": 1, "single": 1, "two": 2, "four": 4, "eight": 8, "sixteen": 16}
NUMBER = r"(\d[\d,]*|one|a single|single|two|four|eight|sixteen)"
KV = r"(?:kv|k/v|key/value|key-value|key--value|key–value)"
PATTERNS = {  # prose ("80 layers"), table cells after their headers ("layers: 80"), config.json fields
    "layers": (rf"\b{NUMBER}\s+(?:transformer\s+|decoder\s+|attention\s+)?layers\b",
               r"\b(\d[\d,]*)\s+(?:transformer\s+|decoder\s+)?blocks\b",  # "12 blocks", not "two blocks merge"
               r"\b(?:layers|n_layers|num_layers|num_hidden_layers|n_layer)\s*[:=]\s*(\d[\d,]*)"),
    "kv_heads": (rf"\b{NUMBER}\s+(?:shared\s+)?{KV}\s+heads?\b", rf"\b{KV}\s+heads\s*:\s*(\d[\d,]*)",
                 r"\b(?:num_key_value_heads|num_kv_heads|n_kv_heads)\s*[:=]\s*(\d[\d,]*)"),
    "heads": (rf"\b{NUMBER}\s+(?:query\s+|attention\s+)?heads\b",
              rf"\b{NUMBER}\s+query\s+(?:and|or|/|,)",  # "64 query and 8 KV heads", not "one query row"
              r"(?<!kv )(?<!key/value )(?<!key-value )\b(?:query |attention )?heads\s*:\s*(\d[\d,]*)",
              r"\b(?:num_attention_heads|num_heads|n_heads|n_head)\s*[:=]\s*(\d[\d,]*)"),
    "head_dim": (r"\bheads?\s+of\s+(?:size|width|dimension|dim)?\s*(\d[\d,]*)",
                 r"\bhead\s+(?:dim|dimension|size|width)\s*(?:of|=|:)?\s*(\d[\d,]*)",
                 r"\b(\d[\d,]*)-dimensional heads\b", r"\bhead_dim\s*[:=]\s*(\d[\d,]*)",
                 r"\$d_\{?(?:head|h|\\text\{head\})\}?\$\s*:\s*(\d[\d,]*)"),  # a table's `$d_{head}$` column
    "width": (r"\b(?:hidden size|hidden dimension|hidden|hidden_size|model width|model dimension|embedding size|"
              r"d_model|residual width|residual stream)\s*(?:of|=|:|is)?\s*(\d[\d,]*)",),
    "batch": (r"\bbatch (?:size )?(?:of )?(\d[\d,]*)\b", rf"\b{NUMBER} (?:sequences|requests)\b"),
}
ELEMENT_BYTES = {
    2: r"\b(?:fp16|bf16|float16|bfloat16|half precision|16-bit|2 bytes|two bytes)\b",
    4: r"\b(?:fp32|float32|full precision|32-bit|4 bytes|four bytes)\b",
    1: r"\b(?:int8|fp8|8-bit|1 byte|one byte)\b",
}
SHARED_BY_ALL = r"\b(?:multi-query|mqa)\b"  # one KV head for all query heads
UNSHARED = (r"\b(?:no gqa|no kv sharing|no sharing|no grouping|full multi-head attention|standard multi-head attention"
            r"|mha)\b")


MODEL_SIZES = ("layers", "heads", "kv_heads", "head_dim", "width")  # the model's own, as against batch and element


@dataclass(frozen=True)
class ModelSizes:
    """The sizes of one model, as a text states them; None where it does not."""

    layers: int | None = None
    heads: int | None = None  # query heads
    kv_heads: int | None = None  # key/value heads (fewer than the query heads under GQA, one under MQA)
    head_dim: int | None = None
    width: int | None = None  # d_model, the hidden size
    batch: int | None = None  # sequences served at once
    element_bytes: int | None = None  # bytes per stored number: 2 for fp16/bf16

    def stated_sizes(self) -> dict[str, int]:
        """The sizes of the model itself it states (not the batch or the element type)."""
        return {size: value for size in MODEL_SIZES if (value := getattr(self, size)) is not None}

    def describes_model(self) -> bool:
        """Does it state any size of the model itself (not only the element type)?"""
        return bool(self.stated_sizes())

    def configuration(self) -> bool:
        """Does it state a model's configuration (two sizes or more), as a paragraph of its own would?"""
        return len(self.stated_sizes()) >= 2

    def part_of(self, model: "ModelSizes") -> bool:
        """Is every size it states the model's own ("plug in the 64 query heads" of a 64-head model)?"""
        return all(getattr(model, size) == value for size, value in self.stated_sizes().items())

    def completed(self, other: "ModelSizes") -> "ModelSizes":
        """These sizes, with any this leaves unknown taken from `other` (a table row's model, well known)."""
        return ModelSizes(**{name: value if value is not None else getattr(other, name)
                             for name, value in vars(self).items()})

    def describe(self) -> str:
        """`80 layers, 64 query heads, 8 KV heads of 128` for a counterexample."""
        parts = [f"{self.layers} layers" if self.layers else "", f"{self.heads} query heads" if self.heads else "",
                 f"{self.kv_heads} KV heads" if self.kv_heads else "",
                 f"heads of {self.head_dim}" if self.head_dim else "", f"width {self.width}" if self.width else "",
                 f"{self.element_bytes}-byte elements" if self.element_bytes else ""]
        return ", ".join(p for p in parts if p)


def stated(text: str) -> ModelSizes:
    """The sizes the text states; a size stated twice with different values is left unknown."""
    text = " ".join(text.lower().split())
    found = {role: single(value for pattern in patterns for value in re.findall(pattern, text))
             for role, patterns in PATTERNS.items()}
    if found["kv_heads"] is None and re.search(SHARED_BY_ALL, text):
        found["kv_heads"] = 1
    if found["kv_heads"] is None and found["heads"] is not None and re.search(UNSHARED, text):
        found["kv_heads"] = found["heads"]
    element = [size for size, pattern in ELEMENT_BYTES.items() if re.search(pattern, text)]
    return ModelSizes(**found, element_bytes=element[0] if len(element) == 1 else None)


def single(values) -> int | None:
    numbers = {WORDS[v] if v in WORDS else int(v.replace(",", "")) for v in values}
    return numbers.pop() if len(numbers) == 1 else None


def catalogue(rows: list[str]) -> dict[str, ModelSizes]:
    """A document's configuration table, by model name: `model: Mixtral 8x7B | layers: 32 | KV heads: 8` ->
    {"mixtral 8x7b": ModelSizes(layers=32, kv_heads=8, ...)}; rows that state no size are left out.

    Example:
        >>> table = catalogue(["model: Mixtral 8x7B | layers: 32 | query heads: 32 | KV heads: 8 | head dim: 128"])
        >>> table["mixtral 8x7b"]
        ModelSizes(layers=32, heads=32, kv_heads=8, head_dim=128, width=None, batch=None, element_bytes=None)
    """
    found = {}
    for row in rows:
        name = row.split(" | ")[0].split(": ", 1)[-1].strip().lower()
        sizes = stated(row)
        if name and sizes.describes_model():
            found[name] = sizes
    return found


def named_in(text: str, models: dict[str, ModelSizes]) -> ModelSizes | None:
    """The one model of the catalogue a text names: by its full name, or by a first word no other model shares."""
    text = " ".join(text.lower().replace("-", " ").split())
    full = [sizes for name, sizes in models.items() if name.replace("-", " ") in text]
    if len(full) == 1:
        return full[0]
    first = [name.replace("-", " ").split()[0] for name in models]
    named = [sizes for name, word, sizes in zip(models, first, models.values(), strict=True)
             if first.count(word) == 1 and re.search(rf"\b{re.escape(word)}\b", text)]
    return named[0] if len(named) == 1 else None


# The attention shapes of well-known open models, from their published configurations (config.json: num_hidden_layers,
# num_attention_heads, num_key_value_heads, head_dim, hidden_size), for a text that names a model but not its sizes.
KNOWN = {
    "llama 2 7b": ModelSizes(layers=32, heads=32, kv_heads=32, head_dim=128, width=4096),
    "llama 2 13b": ModelSizes(layers=40, heads=40, kv_heads=40, head_dim=128, width=5120),
    "llama 2 70b": ModelSizes(layers=80, heads=64, kv_heads=8, head_dim=128, width=8192),
    "llama 3 8b": ModelSizes(layers=32, heads=32, kv_heads=8, head_dim=128, width=4096),
    "llama 3 70b": ModelSizes(layers=80, heads=64, kv_heads=8, head_dim=128, width=8192),
    "llama 3.1 8b": ModelSizes(layers=32, heads=32, kv_heads=8, head_dim=128, width=4096),
    "llama 3.1 70b": ModelSizes(layers=80, heads=64, kv_heads=8, head_dim=128, width=8192),
    "llama 3.1 405b": ModelSizes(layers=126, heads=128, kv_heads=8, head_dim=128, width=16384),
    "mistral 7b": ModelSizes(layers=32, heads=32, kv_heads=8, head_dim=128, width=4096),
    "mixtral 8x7b": ModelSizes(layers=32, heads=32, kv_heads=8, head_dim=128, width=4096),
    "falcon 7b": ModelSizes(layers=32, heads=71, kv_heads=1, head_dim=64, width=4544),
    "qwen2 7b": ModelSizes(layers=28, heads=28, kv_heads=4, head_dim=128, width=3584),
    "qwen2.5 7b": ModelSizes(layers=28, heads=28, kv_heads=4, head_dim=128, width=3584),
    "qwen2 72b": ModelSizes(layers=80, heads=64, kv_heads=8, head_dim=128, width=8192),
    "qwen2.5 32b": ModelSizes(layers=64, heads=40, kv_heads=8, head_dim=128, width=5120),
    "gemma 7b": ModelSizes(layers=28, heads=16, kv_heads=16, head_dim=256, width=3072),
    "gemma 2 9b": ModelSizes(layers=42, heads=16, kv_heads=8, head_dim=256, width=3584),
    "gemma 2 27b": ModelSizes(layers=46, heads=32, kv_heads=16, head_dim=128, width=4608),
    "yi 34b": ModelSizes(layers=60, heads=56, kv_heads=8, head_dim=128, width=7168),
    "gpt 2 small": ModelSizes(layers=12, heads=12, kv_heads=12, head_dim=64, width=768),
    "gpt 2 medium": ModelSizes(layers=24, heads=16, kv_heads=16, head_dim=64, width=1024),
    "gpt 2 large": ModelSizes(layers=36, heads=20, kv_heads=20, head_dim=64, width=1280),
    "gpt 2 xl": ModelSizes(layers=48, heads=25, kv_heads=25, head_dim=64, width=1600),
}


def known(text: str) -> ModelSizes | None:
    """The one well-known model a text names in full (Llama-2-70B, "LLaMA 2 70B"), else None.

    Example:
        >>> known("Serving Llama-2-70B at 4K context").kv_heads
        8
        >>> known("Llama 2 7B or Llama 2 13B") is None  # two models: which one the product sizes is unclear
        True
    """
    text = " ".join(text.lower().replace("-", " ").split())
    named = [sizes for name, sizes in KNOWN.items() if re.search(rf"\b{re.escape(name)}\b", text)]
    return named[0] if len(named) == 1 else None
