"""PyTorch as an implementation: scaled_dot_product_attention behind the protocol, numpy in and out.

`attnproof verify --impl torch` checks torch.nn.functional.scaled_dot_product_attention (SDPA)
against every claim it can answer. Where SDPA's own convention differs from the protocol, the
adapter implements the protocol faithfully and `native_findings()` reports what SDPA itself
does, measured on the installed torch rather than written down:

- `is_causal=True` aligns the mask top-left when L != S (query i sees keys j <= i), so a
  single decode query over a cache would see only the first key; the adapter passes a
  bottom-right boolean mask instead.
- a query row whose keys are all masked comes back as NaN from SDPA; the protocol asks for
  zeros, which the adapter writes.

Example:
    >>> import numpy as np
    >>> q = k = v = np.eye(2)
    >>> attention(q, k, v, causal=True).shape
    (2, 2)
"""

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812  (torch's own idiom)

from attnproof.oracle import admissible


def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    """The protocol's attention through SDPA, with the bottom-right causal mask built here."""
    allowed = None
    if mask is not None or causal:
        batch = q.shape[:-2]
        allowed = admissible(q.shape[-2], k.shape[-2], batch, mask, causal)  # (..., L, S)
    out = F.scaled_dot_product_attention(
        torch.from_numpy(np.ascontiguousarray(q)),
        torch.from_numpy(np.ascontiguousarray(k)),
        torch.from_numpy(np.ascontiguousarray(v)),
        attn_mask=None if allowed is None else torch.from_numpy(allowed),
        scale=scale,
        enable_gqa=enable_gqa,
    ).numpy()  # (..., L, Ev)
    if allowed is not None:
        out = np.where(allowed.any(axis=-1, keepdims=True), out, 0).astype(q.dtype)  # rows with no key: zeros
    return out


def native_findings() -> list[str]:
    """How SDPA itself behaves where its convention is not the protocol's, measured now."""
    findings = []
    q, k = torch.zeros(1, 4), torch.zeros(3, 4)
    v = torch.eye(3)  # (S, S): the output is the weights
    weights = F.scaled_dot_product_attention(q, k, v, is_causal=True)[0]
    if weights[1:].abs().sum() == 0:
        findings.append(
            "torch SDPA is_causal=True aligns the mask top-left when L != S: one decode query over "
            f"3 cached keys sees only key 0 (weights {weights.tolist()}); the protocol aligns it "
            "bottom-right, so the adapter passes its own mask"
        )
    masked = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(1, 3, dtype=torch.bool))[0]
    if torch.isnan(masked).any():
        findings.append(
            "torch SDPA returns NaN for a query whose keys are all masked; the protocol returns "
            "zeros, which the adapter writes"
        )
    return findings
