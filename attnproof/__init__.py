"""attnproof: check the mathematics of Transformer self-attention.

`attnproof.check_text(text, kind="markdown", name="<text>")` checks the attention equations of a
document's text (see `attnproof.check`); it is loaded on first use, so `import attnproof` stays light.
"""

__all__ = ["check_text"]


def __getattr__(name: str):
    if name == "check_text":
        from attnproof.check import check_text

        return check_text
    raise AttributeError(f"module 'attnproof' has no attribute {name!r}")
