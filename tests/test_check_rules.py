"""The checker's verdicts on single formulas: each rung, each claim it covers, right and wrong forms.

Test ids carry the claim id, so `pytest -k rope` selects the RoPE formulas here too.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

from attnproof import check, registry
from attnproof.check import check_text, coverage, equations, tree
from attnproof.check.checker import check_formulas
from attnproof.check.formula import Formula
from attnproof.check.parse import parse

SELF = "[formula]"
LLAMA_70B = f"Llama 2 70B has 80 layers, 64 query heads and 8 KV heads of size 128; its cache per token is {SELF}."
FALCON_7B = f"Falcon-7B: 32 layers, 71 query heads of width 64, one shared KV head. Cached per token: {SELF}."

PAIRS_TURNED = (r"\mathrm{Re}[\sum_{i=0}^{d/2-1} q_{(i)} e^{\mathrm{i} m\theta_i} "
                r"\overline{k_{(i)} e^{\mathrm{i} n\theta_i}}] = ")
PAIRS = r"\mathrm{Re}[\sum_{i=0}^{d/2-1} q_{(i)} \overline{k_{(i)}} e^{\mathrm{i}"  # ... (m -+ n)\theta_i}]

PE_BY_REMAINDER = (r"PE_{{(pos,i)}} = \begin{{cases}} \sin(pos/10000^{{i/d}}) & \text{{if }} i \text{{ mod }} 2={} \\ "
                   r"\cos(pos/10000^{{(i-1)/d}}) & \text{{otherwise}} \end{{cases}}")

# (claim, latex, context, verdict, rung)
CASES = [
    ("attention.definition", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
     "", "ok", "numeric"),
    ("attention.definition", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}(d_k^{-1/2} QK^T)V", "", "ok", "numeric"),
    ("attention.definition",
     r"\operatorname{Attn}(Q,K,V) = \mathrm{softmax}\left(\frac{1}{\sqrt{d_k}}QK^{\intercal}\right)V", "", "ok",
     "numeric"),
    ("attention.definition", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{d_k}\right)V",
     "", "wrong", "numeric"),
    ("attention.definition", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK}{\sqrt{d_k}}\right)V",
     "", "wrong", "shapes"),
    ("attention.definition",
     r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_{model}}}\right)V", "", "wrong",
     "numeric"),
    ("attention.definition", r"\mathrm{Attention}(Q,K,V) = d_k^{-1/2}\mathrm{softmax}(QK^T)V", "", "wrong", "numeric"),
    ("attention.definition", r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{n} \exp(e_{ik})}", "", "ok", "numeric"),
    # a token's input in a letter of its own: q_t = W^Q h_t (DeepSeek-V2), read as x_t
    ("qkv.shapes", r"\mathbf{q}_t = W^{Q}\mathbf{h}_t", "", "ok", "numeric"),
    ("qkv.shapes", r"q_i = W_K h_i", "", "wrong", "numeric"),  # the key's weight
    # score_{ij}: the score of tokens i and j, as score(x_i, x_j)
    ("attention.definition", r"\text{score}_{ij} = \frac{q_i \cdot k_j}{\sqrt{d_k}}", "", "ok", "numeric"),
    ("attention.definition", r"\text{score}_{i,j} = q_i \cdot k_j / d_k", "", "wrong", "numeric"),
    # a causal head written as a sum that stops at the query (DeepSeek-V2): the softmax runs over the sum's keys
    ("attention.definition", r"\mathbf{o}_{t} = \sum_{j=1}^{t} \operatorname{Softmax}_j\left(\frac{\mathbf{q}_{t}^{T}"
     r"\mathbf{k}_{j}}{\sqrt{d_k}}\right)\mathbf{v}_{j}", "", "ok", "numeric"),
    ("attention.definition", r"\mathbf{o}_{t} = \sum_{j=1}^{t} \operatorname{Softmax}_j\left(\frac{\mathbf{q}_{t}^{T}"
     r"\mathbf{k}_{j}}{d_k}\right)\mathbf{v}_{j}", "", "wrong", "numeric"),
    ("mask.causal", r"o_i = \sum_{j \le i} \frac{\exp(q_i^\top k_j/\sqrt{d_k})}{\sum_{l \le i}"
     r"\exp(q_i^\top k_l/\sqrt{d_k})} v_j", "", "ok", "numeric"),
    ("attention.definition", r"o_i = \sum_{j=1}^{i} \frac{\exp(q_i^\top k_j/\sqrt{d_k})}{\sum_{l=1}^{n}"
     r"\exp(q_i^\top k_l/\sqrt{d_k})} v_j", "", "wrong", "numeric"),  # cut, but normalised over every key
    ("attention.definition", r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{n} \exp(e_{kj})}", "", "wrong",
     "numeric"),
    ("attention.definition", r"z_i = \sum_j \alpha_{ij} v_j", "", "ok", "numeric"),
    # Hung-yi Lee's superscript tokens: q^1 is token 1's query, k^i token i's key
    ("attention.definition", r"s_{1,i} = \frac{q^1 \cdot k^i}{\sqrt{d_k}}", "", "ok", "numeric"),
    ("attention.definition", r"s_{1,i} = \frac{q^1 \cdot k^i}{d_k}", "", "wrong", "numeric"),
    # PyTorch's additive attn_bias B: a mask, so its claim is the mask's
    ("mask.causal", r"M_{ij} = -\infty \ \text{für}\ j > i", "", "ok", "numeric"),  # a German condition
    ("mask.causal", r"M_{ij} = -\infty \ \text{für}\ j < i", "", "wrong", "numeric"),
    # Raschka's omega_ij and Omega: unnormalised scores; omega with one index stays a frequency
    ("softmax.distribution",
     r"\alpha_{ij} = \frac{\exp(\omega_{ij}/\sqrt{d_k})}{\sum_{j'=1}^{T}\exp(\omega_{ij'}/\sqrt{d_k})}", "", "ok",
     "numeric"),
    ("softmax.distribution", r"\alpha_{ij} = \operatorname{softmax}_j\!\left(\omega_{ij} / d_k\right)", "", "wrong",
     "numeric"),
    ("attention.definition", r"\mathbf{Z} = \operatorname{softmax}(\boldsymbol{\Omega}/\sqrt{d_k})\mathbf{V}", "", "ok",
     "numeric"),
    ("positions.sinusoidal", r"\omega_k = 10000^{-2k/d}", "", "ok", "numeric"),
    # an entry of a matrix expression, (...)_{ij}: row i, column j (not one index i times j)
    ("mask.causal", r"\sum_{j=1}^{i} \mathrm{softmax}(QK^\top/\sqrt{d_k} + M)_{ij} = 1", "", "ok", "numeric"),
    ("mask.causal", r"\sum_{j=1}^{i-1} \mathrm{softmax}(QK^\top/\sqrt{d_k} + M)_{ij} = 1", "", "wrong", "numeric"),
    # a mask named as a word, with subscripts: its entry, query first as the weights' entries are
    ("mask.causal", r"\text{mask}_{qk} = [\,k \le q\,]", "", "ok", "numeric"),
    ("mask.causal", r"\text{mask}_{qk} = [\,k \ge q\,]", "", "wrong", "numeric"),
    ("mask.causal", r"\mathrm{out} = \mathrm{softmax}(QK^\top / \sqrt{d_k} + B) V", "", "ok", "numeric"),
    ("mask.causal", r"\mathrm{out} = \mathrm{softmax}(QK^\top / \sqrt{d_k} - B) V", "", "wrong", "numeric"),
    # a decoding step against its cache, K_{1:t}, V_{1:t}: causal attention's row t
    ("attention.definition", r"\mathbf{o}_t = \mathrm{softmax}(\mathbf{q}_t K_{1:t}^\top / \sqrt{d_k}) V_{1:t}", "",
     "ok", "numeric"),
    ("attention.definition", r"\mathbf{o}_t = \mathrm{softmax}(\mathbf{q}_t K_{1:t}^\top / d_k) V_{1:t}", "", "wrong",
     "numeric"),
    # Shaw et al.'s d_z is the head width; a size with a label the checker does not know is unread, not wrong
    ("qkv.shapes", r"e_{ij} = \frac{(x_i W^Q)(x_j W^K)^\top}{\sqrt{d_z}}", "", "ok", "numeric"),
    ("qkv.shapes", r"e_{ij} = \frac{(x_i W^Q)(x_j W^K)^\top}{\sqrt{d_y}}", "", "unrecognised", None),
    # Katharopoulos et al.: Q_i, K_j the i-th and j-th rows, written as column vectors
    ("efficient.linear_attention", r"V'_i = \frac{\phi(Q_i)^T \sum_{j=1}^{N}\phi(K_j)V_j^T}"
     r"{\phi(Q_i)^T \sum_{j=1}^{N}\phi(K_j)}", "", "ok", "numeric"),
    # one query q, alpha_t its weight on key t, d_attn its width (Phuong & Hutter's single-query attention)
    ("attention.definition", r"\alpha_t = \frac{\exp(q^\top k_t / \sqrt{d_{\mathrm{attn}}})}"
     r"{\sum_u \exp(q^\top k_u / \sqrt{d_{\mathrm{attn}}})}", "", "ok", "numeric"),
    ("attention.definition", r"\alpha_t = \frac{\exp(q^\top k_t / d_{\mathrm{attn}})}"
     r"{\sum_u \exp(q^\top k_u / d_{\mathrm{attn}})}", "", "wrong", "numeric"),
    ("softmax.distribution", r"\sum_j \alpha_{ij} = 1", "", "ok", "numeric"),
    # the dot product of two positions' encodings depends on their offset only
    ("positions.sinusoidal", r"p_n^\top p_{n'} = \sum_{i=0}^{D/2-1} \cos\big((n - n') \cdot 10000^{-2i/D}\big)", "",
     "ok", "numeric"),
    ("positions.sinusoidal", r"p_n^\top p_{n'} = \sum_{i=0}^{D/2-1} \cos\big((n + n') \cdot 10000^{-2i/D}\big)", "",
     "wrong", "numeric"),
    ("positions.sinusoidal",
     r"\mathbf{p}(t)^\top \mathbf{p}(t') = \sum_{k=0}^{d/2-1} \cos\big(\omega_k (t - t')\big)", "", "ok", "numeric"),
    # Swin's Omega: multiply-adds over an h x w map of C channels, M x M windows
    ("cost.attention", r"\Omega(\mathrm{MSA}) = 4hwC^2 + 2(hw)^2C", "", "ok", "symbolic"),
    ("cost.attention", r"\Omega(\mathrm{MSA}) = 4hwC^2 + 2hwC^2", "", "wrong", "symbolic"),
    ("efficient.sliding_window", r"\Omega(\text{W-MSA}) = 4hwC^2 + 2M^2hwC", "", "ok", "symbolic"),
    ("efficient.sliding_window", r"\Omega(\text{W-MSA}) = 4hwC^2 + 2MhwC", "", "wrong", "symbolic"),
    # a bare phi is an offset here, not linear attention's feature map
    ("positions.sinusoidal", r"p_t \cdot p_{t+\phi} = \sum_{k=0}^{d/2-1} \cos(\omega_k \phi)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"p_t \cdot p_{t+\phi} = \sum_{k=0}^{d/2-1} \sin(\omega_k \phi)", "", "wrong", "numeric"),
    # Bishop's Y(X): the multi-head layer's output for the input X
    ("multihead.concat_projection",
     r"\mathbf{Y}(\mathbf{X}) = \mathrm{Concat}\left[\mathbf{H}_1,\dots,\mathbf{H}_H\right]\mathbf{W}^{(o)}", "", "ok",
     "numeric"),
    ("multihead.concat_projection",
     r"\mathbf{Y}(\mathbf{X}) = \mathrm{Concat}\left[\mathbf{H}_1,\dots,\mathbf{H}_H\right]", "", "wrong",
     "shapes"),  # h d_v wide, not d_model
    # a condition on an index's remainder: i mod 2 = 0
    ("positions.sinusoidal", PE_BY_REMAINDER.format(0), "", "ok", "numeric"),
    ("positions.sinusoidal", PE_BY_REMAINDER.format(1), "", "wrong", "numeric"),
    # Johnson's sizes: N_X inputs (keys), N_Q queries, D_Q their width
    ("attention.definition", r"A_{i,j} = \frac{\exp(E_{i,j})}{\sum_{k=1}^{N_X} \exp(E_{i,k})}", "", "ok", "numeric"),
    ("attention.definition", r"A_{i,j} = \exp(E_{i,j}) / \sum_{k=1}^{N_Q} \exp(E_{k,j})", "", "wrong", "numeric"),
    # plain TeX's {\bf x} and Bloem's coloured indices \rc{i}, \gc{j}
    ("attention.definition", r"w'_{\rc{i}\gc{j}} = \frac{{\bf q}_\rc{i}^T{\bf k}_\gc{j}}{\sqrt{k}}", "", "ok",
     "numeric"),
    ("scaling.variance", r"\text{std}({\bf q}^T{\bf k}) = k", "", "wrong", "statistical"),
    # a quotation closed inside the math is punctuation
    ("attention.definition", r"\mathbf{Y} = \mathrm{Softmax}\left[\mathbf{Q}\mathbf{K}^{\mathrm{T}}/D_k\right]"
     r"\mathbf{V}." '"', "", "wrong", "numeric"),
    # an algorithm's assignment is an equation (Phuong & Hutter, column vectors)
    ("attention.definition", r"\bm{S} \leftarrow \bm{K}^\intercal\bm{Q}", "", "ok", "numeric"),
    ("attention.definition", r"\bm{S} \leftarrow \bm{K}\bm{Q}", "", "wrong", "shapes"),
    # heads numbered above their letter (Phuong & Hutter's Y^h), side by side, summed over a head index
    ("multihead.concat_projection", r"\tilde V = W_o \big[\, Y^1;\ Y^2;\ \dots;\ Y^H \,\big] + \bm b_o \bm 1^\intercal",
     "", "ok", "numeric"),
    ("multihead.concat_projection", r"\tilde V = \sum_{h=1}^{H} Y^h", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"Z = \big[\, Z_1 \;\; Z_2 \;\; \cdots \;\; Z_{n_{\text{heads}}} \,\big]\, W_o", "",
     "ok", "numeric"),
    ("multihead.concat_projection", r"\mathbf{y} = \frac{1}{h}\sum_{r=1}^{h}\mathbf{y}^r", "", "wrong", "shapes"),
    # one token's output from its heads' (Bloem, Hung-yi Lee, Raschka), read for every token at once
    ("multihead.concat_projection", r"{\bf y}_i = {\bf W}_o\left[{\bf y}^1_i; \ldots; {\bf y}^h_i\right]", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"{\bf y}_i = \frac{1}{h}\sum_{r=1}^{h}{\bf y}^r_i", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"b^{i} = W^{O} \begin{bmatrix} b^{i,1} \\ b^{i,2} \end{bmatrix}", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"\mathbf{z}^{(i)}_{\text{MHA}} = \left[\mathbf{z}^{(i)}_1, \mathbf{z}^{(i)}_2, "
     r"\mathbf{z}^{(i)}_3\right]\mathbf{W}_o", "", "ok", "numeric"),
    ("multihead.concat_projection", r"\mathbf{z}^{(i)}_{\text{MHA}} = \sum_{h=1}^{3} \mathbf{z}^{(i)}_h", "", "wrong",
     "shapes"),
    ("multihead.concat_projection", r"\mathbf{y}_i = \sum_{m=1}^{M} \mathbf{W}^{\mathrm{O}}_m \mathbf{z}_i^{(m)}", "",
     "ok", "numeric"),
    ("multihead.concat_projection", r"W_O \begin{bmatrix} r^{1} \\ \vdots \\ r^{8} \end{bmatrix} = "
     r"\sum_{h=1}^{8} W_O^h\, r^h", "", "ok", "numeric"),
    # head i's projections and W^O's blocks with the head's number above (a French course's W_Q^{(i)})
    ("multihead.concat_projection", r"Z_i = \mathrm{Attention}(W_Q^{(i)} X, W_K^{(i)} X, W_V^{(i)} X)", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"Z_i = \mathrm{Attention}(W_Q^{(i)} X, W_Q^{(i)} X, W_V^{(i)} X)", "", "wrong",
     "numeric"),
    ("multihead.concat_projection", r"\operatorname{MHA}(X) = \sum_{i=0}^{h-1} W_O^{(i)} \mathrm{head}_i", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"Z = \sum_{i=1}^{h} \mathrm{head}_i", "", "wrong", "shapes"),  # no W^O
    # the shift of one frequency's sine and cosine as a rotation, every letter a number (the UvA tutorial's omega)
    ("positions.sinusoidal", r"\begin{pmatrix} \sin(\omega(p+k)) \\ \cos(\omega(p+k)) \end{pmatrix} = \begin{pmatrix} "
     r"\cos(\omega k) & \sin(\omega k) \\ -\sin(\omega k) & \cos(\omega k) \end{pmatrix} \begin{pmatrix} "
     r"\sin(\omega p) \\ \cos(\omega p) \end{pmatrix}", "", "ok", "numeric"),
    ("positions.sinusoidal", r"\begin{pmatrix}\sin(\omega_i(p+k))\\ \cos(\omega_i(p+k))\end{pmatrix} =\begin{pmatrix}"
     r"\cos\omega_i k & -\sin\omega_i k\\ \sin\omega_i k & \cos\omega_i k\end{pmatrix} \begin{pmatrix}\sin\omega_i p\\ "
     r"\cos\omega_i p\end{pmatrix}", "", "wrong", "numeric"),  # the rotation's signs swapped
    # a mask drawn by its corners (Wikipedia's), and heads joined with a \cdots between (SLP3's)
    ("mask.causal", r"M = \begin{bmatrix} 0 & -\infty & -\infty & \dots & -\infty \\ "
     r"0 & 0 & -\infty & \dots & -\infty \\ \vdots & \vdots & \vdots & \ddots & \vdots \\ 0 & 0 & 0 & \dots & 0 "
     r"\end{bmatrix}", "", "ok", "numeric"),
    ("attention.definition", r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} + \begin{bmatrix} 0 & 0 & \dots & 0 \\ "
     r"-\infty & 0 & \dots & 0 \\ \vdots & \vdots & \ddots & \vdots \\ -\infty & -\infty & \dots & 0 \end{bmatrix}"
     r"\right)V", "", "wrong", "numeric"),  # the future allowed, the past masked: in row vectors, the transpose
    ("multihead.concat_projection", r"\text{MultiHeadAttention}(\mathbf{X}) = (\text{head}_1 \oplus \text{head}_2 "
     r"\cdots \oplus \text{head}_h)\mathbf{W}^{O}", "", "ok", "numeric"),
    # a code array's entry in brackets (nanoGPT's wei), masked: the scores' entry
    ("mask.causal", r"\text{wei}[t,t'] = -\infty \text{ for } t' > t", "", "ok", "numeric"),
    # NVIDIA's blog spells the sizes as code does (dim_head, hidden_size, sizeof(FP16))
    ("kv_cache.memory", r"\text{KV bytes per token} = 2 \times \text{num\_layers} \times (\text{num\_heads} \times "
     r"\text{dim\_head}) \times \text{precision\_in\_bytes}", "", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{total KV bytes} = \text{batch\_size} \times \text{sequence\_length} \times 2 \times "
     r"\text{num\_layers} \times \text{hidden\_size} \times \text{sizeof(FP16)}", "", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{KV} = \text{seq\_len} \times \text{num\_layers} \times \text{hidden\_size} \times 2\ "
     r"\text{bytes}", "", "wrong", "symbolic"),  # the keys only
    # Haiku's MultiHeadAttention names the key width key_size
    ("scaling.variance", r"\mathrm{Var}(q_t \cdot k_T / \sqrt{\texttt{key\_size}}) = 1", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q_t \cdot k_T / \sqrt{\texttt{key\_size}}) = 1/\sqrt{\texttt{key\_size}}", "",
     "wrong", "statistical"),
    # ONNX Runtime's attributes: the scale of hidden_size, the model's width, is the mistake head_size corrects
    ("attention.definition", r"\texttt{scale} = 1/\sqrt{\texttt{hidden\_size}}", "", "wrong", "symbolic"),
    ("attention.definition", r"\texttt{scale} = 1/\sqrt{\texttt{head\_size}}", "", "ok", "symbolic"),
    # Databricks' blog names the element size p_bytes
    ("kv_cache.memory", r"\text{KV bytes per token} = 2 \cdot n_\text{layers} \cdot (n_\text{heads} \cdot "
     r"d_\text{head}) \cdot p_\text{bytes}", "", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{KV bytes per token} = n_\text{layers} \cdot n_\text{heads} \cdot d_\text{head} \cdot "
     r"p_\text{bytes}", "", "wrong", "symbolic"),
    # a family defined by its index in the same formula (the survey's omega_i), entries PE(t)_i, "if i is even"
    ("positions.sinusoidal", r"\mathrm{PE}(t)_i = \begin{cases} \sin(\omega_i t) & \text{if } i \text{ is even},\\ "
     r"\cos(\omega_{i-1} t) & \text{if } i \text{ is odd}, \end{cases} \qquad \omega_i = 10000^{-i/D}", "", "ok",
     "numeric"),
    ("positions.sinusoidal", r"\mathrm{PE}(t)_i = \begin{cases} \sin(\omega_i t) & \text{if } i \text{ is even},\\ "
     r"\cos(\omega_{i-1} t) & \text{if } i \text{ is odd}, \end{cases} \qquad \omega_i = 10000^{-2i/D}", "", "wrong",
     "numeric"),  # every frequency squared
    # softmax attention's letter given to linear attention's product names it; equated with softmax, it is wrong
    ("efficient.linear_attention", r"\mathbf{Z} = \phi(\mathbf{Q})\left(\phi(\mathbf{K})^\top\mathbf{V}\right)", "",
     "unrecognised", None),
    ("efficient.linear_attention", r"\phi(Q)\left(\phi(K)^\top V\right) = \mathrm{softmax}(QK^\top)V", "", "wrong",
     "numeric"),
    # code identifiers written in math (a Korean textbook's num\_heads, seq\_len)
    ("multihead.concat_projection", r"d_k = d_{model} \times num\_heads", "", "wrong", "symbolic"),
    ("cost.attention", r"O(num\_heads \cdot seq\_len^2 \cdot d_{model})", "attention costs [formula]", "wrong",
     "symbolic"),
    # the Jacobian of softmax(beta s), the NYU course's soft(arg)max at inverse temperature beta
    ("softmax.saturation", r"\frac{\partial \boldsymbol{a}}{\partial \boldsymbol{s}} = \beta\left(\operatorname{diag}"
     r"(\boldsymbol{a}) - \boldsymbol{a}\boldsymbol{a}^\top\right)", "", "ok", "numeric"),
    ("softmax.saturation", r"\partial a_i / \partial s_j = \beta\, a_i (1 - a_j)", "", "wrong", "numeric"),
    ("softmax.saturation", r"\frac{\partial a}{\partial s} = \beta^2 \big(\diag(a) - a a^\top\big)", "", "wrong",
     "numeric"),
    # FlashAttention-2's rowmax and rowsum of block j's scores S^{(j)}; a bold \mathbf{QK} is Q times K
    ("efficient.online_softmax", r"m^{(j)} = \max\left(m^{(j-1)}, \operatorname{rowmax}(\mathbf{S}^{(j)})\right)", "",
     "ok", "numeric"),
    ("efficient.online_softmax", r"\ell^{(j)} = e^{m^{(j)} - m^{(j-1)}}\,\ell^{(j-1)} + \operatorname{rowsum}"
     r"(e^{\mathbf{S}^{(j)} - m^{(j)}})", "", "wrong", "numeric"),  # the old sum scaled up
    ("attention.definition", r"\text{Softmax}(\mathbf{QK}^T/\sqrt{d_k})\mathbf{V} = \mathrm{Attention}(Q, K, V)", "",
     "ok", "numeric"),
    # the Coursera lab's look_ahead mask of ones, by cases or by one condition
    ("mask.causal", r"\text{look\_ahead}_{ij} = \begin{cases} 1 & \text{if } j \le i \\ 0 & \text{otherwise} "
     r"\end{cases}", "", "ok", "numeric"),
    ("mask.causal", r"\text{look\_ahead}_{ij} = 1 \text{ for } j \ge i", "", "wrong", "numeric"),
    # Lin et al.'s survey names the model's width D_m
    ("multihead.concat_projection", r"\mathbf{W}^O \in \mathbb{R}^{H D_v \times D_m}", "", "ok", "numeric"),
    ("multihead.concat_projection", r"\mathbf{W}^O \in \mathbb{R}^{D_v \times D_m}", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(Q,K,V) = [Y^1; Y^b] W^O", "", "unrecognised", None),  # 1, b
    # Wikipedia's names, a Concat over the heads' index, Johnson's Jacobian of A by E
    ("multihead.concat_projection", r"\text{MultiheadedAttention}(Q, K, V) = \text{Concat}_{i \in [n_\text{heads}]}"
     r"\left(\text{Attention}(XW^Q_i, XW^K_i, XW^V_i)\right) W^O", "", "ok", "numeric"),
    ("multihead.concat_projection", r"\text{MultiheadedAttention}(Q, K, V) = \sum_{i} \text{Attention}(XW^Q_i, XW^K_i, "
     r"XW^V_i)", "", "wrong", "shapes"),
    ("mask.causal", r"\text{MaskedAttention}(Q, K, V) = \text{softmax}\left(M + \frac{QK^\mathrm{T}}{\sqrt{d_k}}\right)"
     r"V", "", "ok", "numeric"),
    ("softmax.saturation", r"\frac{\partial A_{i,j}}{\partial E_{i,k}} = A_{i,j}\left(\delta_{jk} - A_{i,k}\right)", "",
     "ok", "numeric"),
    ("softmax.saturation", r"\partial A_{i,j} / \partial E_{i,k} = A_{i,j}(1 - A_{i,k})", "", "wrong", "numeric"),
    # any letter differentiated by another is the softmax's output when the right side is written in it alone
    ("softmax.saturation", r"\frac{\partial s_n}{\partial x_m} = s_n(\delta_{nm} - s_m)", "", "ok", "numeric"),
    ("softmax.saturation", r"\frac{\partial s_n}{\partial x_m} = s_n(1 - s_m)", "", "wrong", "numeric"),
    # a rotation labelled by its angle, R_{m theta}, is R_m
    ("positions.rope", r"R_{m\theta}^\top R_{n\theta} = R_{(n-m)\theta}", "", "ok", "numeric"),
    ("positions.rope", r"R_{m\theta}^\top R_{n\theta} = R_{(m+n)\theta}", "", "wrong", "numeric"),
    # the query and key rotated to their positions, tilde q_m and tilde k_n, are R_m q and R_n k
    ("positions.rope", r"\tilde q_m^\top \tilde k_n = q^\top R_{(n-m)\theta}\, k", "", "ok", "numeric"),
    ("positions.rope", r"\tilde q_m^\top \tilde k_n = q^\top R_{(m-n)\theta}\, k", "", "wrong", "numeric"),
    # a new name whose right side is a product neither rows nor columns as tokens can form is wrong, whatever it names
    ("attention.definition", r"H = \mathrm{softmax}\left(\frac{Q^\top K}{\sqrt{D_k}}\right) V", "", "wrong", "shapes"),
    ("attention.definition", r"\text{matmul\_qk} = QK", "", "wrong", "shapes"),
    ("attention.definition", r"H = V \mathrm{softmax}\left(\frac{K^\top Q}{\sqrt{D_k}}\right)", "", "ok", "numeric"),
    # a new name for the layer's output: the heads summed or concatenated without W^O are the wrong width
    ("multihead.concat_projection", r"Y = \text{head}_0 + \text{head}_1 + \text{head}_2", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"\text{out} = \mathrm{Concat}(h_1, \dots, h_{n_{\text{head}}})", "", "wrong",
     "shapes"),
    ("multihead.concat_projection", r"Y = [\text{head}_0, \text{head}_1, \text{head}_2]\, W_O", "", "ok", "numeric"),
    # the output projection spelled out and split by head keeps its head index: W_{out, i} is W_{o, i}, W^{out}_i W^O_i
    ("multihead.concat_projection", r"\mathrm{MultiHead}(X) = \sum_{i=1}^{h} \mathrm{head}_i W_{\text{out}, i}", "",
     "ok", "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(X) = \sum_{i=1}^{h} \mathrm{head}_i W^{\text{output}}_i", "",
     "ok", "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(X) = \sum_{i=1}^{h} \mathrm{head}_i W_{\text{out}}", "",
     "wrong", "shapes"),
    # a tilde on the scores marks the masked ones only where some entries are cut; Gemma 2's soft cap is no mask
    (None, r"\tilde{s} = c \tanh(s / c)", "", "unrecognised", None),
    # names assigned one expression each, in order, by one equals sign (Schlag et al.)
    ("qkv.shapes", r"k, v, q = W_k x, W_v x, W_q x", "", "ok", "numeric"),
    ("qkv.shapes", r"k, v, q = W_k x, W_q x, W_v x", "", "wrong", "shapes"),
    # a linear layer's bias after its weight is left out of the claim about the weights; b labelled by an index is not
    ("multihead.concat_projection", r"\mathrm{MHA}(X) = \mathrm{Concat}(\mathrm{head}_1, \ldots, \mathrm{head}_{h})\, "
     r"W_o + b_o", "", "ok", "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(Q,K,V) = \sum_i \mathrm{head}_i + b^O", "", "wrong",
     "shapes"),
    ("qkv.shapes", r"Q = XW_Q + b_Q", "", "ok", "numeric"),
    # Qiu's NNDL: SelfAtt is attention; W_o [head_1; ...; head_h] stacks the heads under the output projection
    ("attention.permutation_equivariance", r"\mathrm{SelfAtt}(XP) = \mathrm{SelfAtt}(X)\,P", "", "ok", "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{SelfAtt}(XP) = \mathrm{SelfAtt}(X)", "", "wrong", "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(H) = W_o \big[\mathrm{head}_1; \cdots; \mathrm{head}_h\big]",
     "", "ok", "numeric"),
    # NNDL dots the query with the inputs x themselves; ETH writes the key width D_K
    ("scaling.variance", r"\mathrm{Var}(\boldsymbol{x}^\top \boldsymbol{q}) = D", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(\boldsymbol{x}^\top \boldsymbol{q}) = D^2", "", "wrong", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q^\top k / D_K) = 1", "", "wrong", "statistical"),
    # Bendersky's derivative operator: D_j S_i is entry (i, j) of the Jacobian, DS the whole of it
    ("softmax.saturation", r"D_j S_i = S_i(\delta_{ij} - S_j)", "", "ok", "numeric"),
    ("softmax.saturation", r"D_j S_i = \delta_{ij} S_i (1 - S_j)", "", "wrong", "numeric"),
    ("softmax.saturation", r"DS = S S^{T} - \operatorname{diag}(S)", "", "wrong", "numeric"),
    # a softmax written out over a letter of its own: S is the probabilities of a's scores (Bendersky)
    ("softmax.distribution", r"S_j = \frac{e^{a_j}}{\sum_{k=1}^{N} e^{a_k}}", "", "ok", "numeric"),
    ("softmax.distribution", r"S_j = \frac{e^{a_j}}{\sum_{k=1}^{N} e^{a_j}}", "", "wrong", "numeric"),
    # M labelled causal is the mask
    ("mask.causal", r"M_\text{causal} = \begin{bmatrix} 0 & -\infty \\ 0 & 0 \end{bmatrix}", "", "ok", "numeric"),
    ("mask.causal", r"M_\text{causal} = \begin{bmatrix} 0 & 0 \\ -\infty & 0 \end{bmatrix}", "", "wrong", "numeric"),
    # a worked number is right to half a unit of its last written digit
    (None, r"\cos\left(2/10000^{2/6}\right) = 0.995694", "", "ok", "arithmetic"),
    (None, r"\cos\left(2/10000^{2/6}\right) = 0.995699", "", "wrong", "arithmetic"),
    # limits in a temperature: one-hot as T -> 0+, uniform as T -> infinity; the Jacobian vanishes as one score wins
    ("softmax.saturation", r"\lim_{T \to 0^+} \mathrm{softmax}(z/T) = e_{i^\ast}", "", "ok", "numeric"),
    ("softmax.saturation", r"\lim_{T \to \infty} \mathrm{softmax}(z/T) = e_{i^\ast}", "", "wrong", "numeric"),
    ("softmax.saturation", r"\lim_{\tau \to 0^+} \text{softmax}(s / \tau) = \text{onehot}(\arg\max_j s_j)", "", "ok",
     "numeric"),
    ("softmax.saturation", r"\lim_{\tau \to 0^+} \text{softmax}(s / \tau) = "
     r"\text{one\_hot}(\operatorname{argmin}_j s_j)", "", "wrong", "numeric"),
    ("softmax.saturation", r"\lim_{T \to \infty} p(T) = \tfrac{1}{n}\,\mathbf{1}", "", "ok", "numeric"),
    ("softmax.saturation", r"\lim_{t \to \infty} \bm{J}(t\bm{z}) = \bm{0}", "", "ok", "numeric"),
    ("softmax.saturation", r"\lim_{t \to 0^{+}} \bm{J}(t\bm{z}) = \bm{0}", "", "wrong", "numeric"),
    # softmax written out, without its name: shifting by the maximum changes nothing, unless only one side shifts
    ("softmax.distribution", r"\frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - \max(x)}}{\sum_j e^{x_j - \max(x)}}", "",
     "ok", "numeric"),
    ("softmax.distribution", r"\frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - \max(x)}}{\sum_j e^{x_j}}", "", "wrong",
     "numeric"),
    ("rnn.serial_dependency", r"\mathrm{depth}_{\tanh\text{-RNN}}(L) = O(\log L)",
     f"The sequential depth of a recurrent network: {SELF}.", "wrong", "symbolic"),
    ("softmax.distribution", r"\sum_i \alpha_{ij} = 1", "", "wrong", "numeric"),
    ("softmax.distribution", r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}", "", "ok", "numeric"),
    # over the keys query i attends to; then with the scale outside the exponentials
    ("attention.definition", r"a_{ij} = \frac{\exp(\mathbf{q}_i \mathbf{k}_j^\top/\sqrt{d_k})}"
     r"{\sum_{r \in \mathcal{S}_i} \exp(\mathbf{q}_i \mathbf{k}_r^\top/\sqrt{d_k})}", "", "ok", "numeric"),
    ("attention.definition", r"a_{ij} = \frac{\exp(\mathbf{q}_i \mathbf{k}_j^\top)}"
     r"{\sqrt{d_k} \sum_{r \in \mathcal{S}_i} \exp(\mathbf{q}_i \mathbf{k}_r^\top)}", "", "wrong", "numeric"),
    ("softmax.distribution", r"\operatorname{softmax}(s + c\,\mathbf{1}) = \operatorname{softmax}(s) \quad "
     r"\text{for every } c \in \mathbb{R}", "", "ok", "numeric"),  # a quantifier, not a case
    ("softmax.distribution", r"\operatorname{softmax}(s + c\,\mathbf{1}) = e^{c} \operatorname{softmax}(s) \quad "
     r"\text{for all } c \in \mathbb{R}", "", "wrong", "numeric"),
    ("softmax.distribution", r"\mathrm{softmax}(x + c) = \mathrm{softmax}(x)", "", "ok", "numeric"),
    # an indicator mask (1 where a query may attend) and PyTorch's bias B with its condition after \iff
    ("mask.causal", r"m_{ts} = \mathbb{1}[s \le t]", "", "ok", "numeric"),
    ("mask.causal", r"m_{ts} = \mathbb{1}[s \ge t]", "", "wrong", "numeric"),
    ("mask.causal", r"B_{ij} = -\infty \iff j > i", "", "ok", "numeric"),
    ("mask.causal", r"B_{ij} = -\infty \iff j < i", "", "wrong", "numeric"),
    ("mask.causal", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} + M\right)V", "",
     "ok", "numeric"),
    ("mask.causal", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V + M", "",
     "wrong", "shapes"),
    ("mask.causal", r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} - M\right)V", "",
     "wrong", "numeric"),
    ("mask.causal", r"M_{ij} = \begin{cases} 0 & \text{if } j \le i \\ -\infty & \text{otherwise} \end{cases}", "",
     "ok", "numeric"),
    ("mask.causal", r"M_{ij} = \begin{cases} 0 & \text{if } j \ge i \\ -\infty & \text{otherwise} \end{cases}", "",
     "wrong", "numeric"),
    ("qkv.shapes", r"Q = XW^Q, K = XW^K, V = XW^V", "", "ok", "numeric"),
    ("qkv.shapes", r"Q = XW^K", "", "wrong", "numeric"),
    ("qkv.shapes", r"Q = W_Q X", "", "ok", "numeric"),
    ("qkv.shapes", r"Q \in \mathbb{R}^{n \times d_k}", "", "ok", "numeric"),
    ("qkv.shapes", r"QK^\top \in \mathbb{R}^{n \times d_k}", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"\text{head}_i = \text{Attention}(QW_i^Q, KW_i^K, VW_i^V)", "", "ok", "numeric"),
    # one head's output by its index on Q, K, V (it was read as token h's rows and called wrong)
    ("multihead.concat_projection", r"\mathrm{out}_h = \mathrm{softmax}(Q_h K_h^\top / \sqrt{d_k}) V_h", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"\mathrm{out}_h = \mathrm{softmax}(Q_h K_h^\top / d_k) V_h", "", "wrong",
     "numeric"),
    ("multihead.concat_projection", r"\mathrm{MHSA}(X) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O",
     "", "ok", "numeric"),
    ("multihead.concat_projection",
     r"\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)W^O", "", "ok", "numeric"),
    ("multihead.concat_projection",
     r"\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_0, \dots, \mathrm{head}_{h-1})W^O", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(Q, K, V) = \sum_{i=1}^h \mathrm{head}_i W_i^O", "", "ok",
     "numeric"),
    ("multihead.concat_projection", r"\mathrm{MultiHead}(Q, K, V) = \sum_{i=1}^h \mathrm{head}_i", "", "wrong",
     "shapes"),
    ("multihead.concat_projection",
     r"\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"W^O \in \mathbb{R}^{h d_v \times d_{model}}", "", "ok", "numeric"),
    ("multihead.concat_projection", r"W^O \in \mathbb{R}^{d_{model} \times h d_v}", "", "ok", "numeric"),
    ("multihead.concat_projection", r"W^{O} \in \mathbb{R}^{d_h n_h \times d}", "", "ok", "numeric"),  # DeepSeek's n_h
    ("multihead.concat_projection", r"W^{O} \in \mathbb{R}^{n_h \times d}", "", "wrong", "shapes"),
    # every head's W_i^Q: the free index i takes any head
    ("multihead.concat_projection", r"W_i^Q \in \mathbb{R}^{d_{model} \times d_k}", "", "ok", "numeric"),
    # unindexed and square: all h heads' projection at once (h d_k = d_model), as the TensorFlow tutorial holds it
    ("qkv.shapes", r"W^Q \in \mathbb{R}^{d_{model} \times d_{model}}", "", "ok", "shapes"),
    ("attention.definition", r"H = \mathrm{softmax}\!\left(\frac{XQ^\top K X^\top}{\sqrt{d}}\right) X V^\top "
     r"\in \mathbb{R}^{n \times d}",
     "", "ok", "numeric"),  # CS224n's Q, K, V are the projections: H is n x d
    ("qkv.shapes", r"H = \mathrm{softmax}\!\left(\frac{XQ^\top K X^\top}{\sqrt{d}}\right) X V^\top "
     r"\in \mathbb{R}^{n \times n}",
     "", "wrong", "shapes"),
    ("multihead.concat_projection", r"W^O \in \mathbb{R}^{d_{model} \times d_{model}}", "", "ok", "shapes"),
    ("multihead.concat_projection", r"W_i^Q \in \mathbb{R}^{d_{model} \times d_{model}}", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"W^O \in \mathbb{R}^{d_v \times d_{model}}", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"W_i^V \in \mathbb{R}^{d_{model} \times d_k}", "", "wrong", "shapes"),
    ("multihead.concat_projection", r"d_k = d_v = d_{model}/h", "", "ok", "symbolic"),
    ("multihead.concat_projection", r"d_k = d_{model} \cdot h", "", "wrong", "symbolic"),
    ("positions.sinusoidal", r"PE_{(pos,2i)} = \sin(pos / 10000^{2i/d_{\text{model}}})", "", "ok", "numeric"),
    ("positions.sinusoidal", r"PE_{(pos,2i+1)} = \cos(pos / 10000^{2i/d_{\text{model}}})", "", "ok", "numeric"),
    ("positions.sinusoidal", r"PE_{(pos,2i)} = \sin(pos / 10000^{i/d_{\text{model}}})", "", "wrong", "numeric"),
    ("positions.sinusoidal", r"PE_{(pos,2i)} = \cos(pos / 10000^{2i/d_{\text{model}}})", "", "wrong", "numeric"),
    # positions i and j, as Weng writes them, in RoFormer's R^d_{Theta, i}
    ("positions.rope", r"(\mathbf{R}^d_{\Theta, i}\mathbf{q})^\top (\mathbf{R}^d_{\Theta, j}\mathbf{k}) = "
     r"\mathbf{q}^\top \mathbf{R}^d_{\Theta, j-i}\mathbf{k}", "", "ok", "numeric"),
    ("positions.rope", r"(\mathbf{R}^d_{\Theta, i}\mathbf{q})^\top (\mathbf{R}^d_{\Theta, j}\mathbf{k}) = "
     r"\mathbf{q}^\top \mathbf{R}^d_{\Theta, i+j}\mathbf{k}", "", "wrong", "numeric"),
    ("positions.rope", r"\langle R_m q, R_n k \rangle = \langle q, R_{n-m} k \rangle", "", "ok", "numeric"),
    ("positions.rope", r"\langle R_m x, R_n y\rangle = \langle x, R_{n-m}\, y\rangle", "", "ok", "numeric"),  # labml
    ("positions.rope", r"\langle R_m x, R_n y\rangle = \langle x, R_{m+n}\, y\rangle", "", "wrong", "numeric"),
    ("positions.rope", r"(R_m q)^\top (R_n k) = q^\top R_{n-m} k", "", "ok", "numeric"),
    ("positions.rope", r"\langle R_m q, R_n k \rangle = \langle q, R_{m+n} k \rangle", "", "wrong", "numeric"),
    # complex form (RoFormer §3.2, Su's blog): a pair is a complex number, position m multiplies it by e^{i m theta}
    ("positions.rope", r"\langle f_q(\mathbf{x}_m, m), f_k(\mathbf{x}_n, n) \rangle = "
     r"g(\mathbf{x}_m, \mathbf{x}_n, m - n)", "", "ok", "numeric"),
    ("positions.rope", r"\langle f_q(\mathbf{x}_m, m), f_k(\mathbf{x}_n, n) \rangle = "
     r"g(\mathbf{x}_m, \mathbf{x}_n, m + n)", "", "wrong", "numeric"),
    ("positions.rope", r"f_q(\mathbf{x}_m, m) = (W_q \mathbf{x}_m)\, e^{i m \theta}", "", "ok", "numeric"),
    ("positions.rope", r"\langle \tilde q_m, \tilde k_n \rangle = \mathrm{Re}[q \bar{k} e^{i(m-n)\theta}]", "", "ok",
     "numeric"),
    ("positions.rope", r"\operatorname{Re}[(q e^{\mathrm{i} m\theta}) \overline{(k e^{\mathrm{i} n\theta})}] = "
     r"\operatorname{Re}[q \bar{k} e^{\mathrm{i}(m+n)\theta}]", "", "wrong", "numeric"),
    ("positions.rope", r"\langle f(q, m), f(k, n)\rangle = \operatorname{Re}[q k^{*} e^{i(m-n)\theta}]", "", "ok",
     "numeric"),
    ("positions.rope", r"f(q, m) = \begin{pmatrix} \cos m\theta & -\sin m\theta \\ \sin m\theta & \cos m\theta "
     r"\end{pmatrix} \begin{pmatrix} q_0 \\ q_1 \end{pmatrix}", "", "ok", "numeric"),
    ("positions.rope", PAIRS_TURNED + PAIRS + r"(m-n)\theta_i}]", "", "ok", "numeric"),
    ("positions.rope", PAIRS_TURNED + PAIRS + r"(m+n)\theta_i}]", "", "wrong", "numeric"),
    ("softmax.saturation", r"\frac{\partial \mathrm{softmax}(z)_i}{\partial z_j} = p_i(\delta_{ij} - p_j)", "", "ok",
     "numeric"),
    ("softmax.saturation", r"\frac{\partial \mathrm{softmax}(z)_i}{\partial z_j} = p_i(\delta_{ij} + p_j)", "", "wrong",
     "numeric"),
    ("softmax.saturation", r"\partial p_i / \partial z_j = -p_i p_j", "", "wrong", "numeric"),
    ("softmax.saturation", r"\frac{\partial \mathrm{softmax}(z)}{\partial z} = \mathrm{diag}(p) - pp^\top", "", "ok",
     "numeric"),
    ("attention.definition", r"\operatorname{Att}(Q, K, V) = \operatorname{softmax}(QK^\top / d_k) V", "", "wrong",
     "numeric"),
    ("multihead.concat_projection", r"\operatorname{MHAttn}(X) = \sum_{i=1}^{h} \operatorname{head}_i", "", "wrong",
     "shapes"),
    ("scaling.variance", r"\mathrm{Var}(q \cdot k) = d_k", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}\left(\frac{q \cdot k}{\sqrt{d_k}}\right) = 1", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q \cdot k) = d_k^2", "", "wrong", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q_i \cdot k_j) = d_k", "", "ok", "statistical"),  # query i, key j
    ("scaling.variance", r"\mathrm{Var}(q_i \cdot k_j) = 1", "", "wrong", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q_i k_i) = 1", "", "ok", "statistical"),  # two entries
    ("scaling.variance", r"\mathrm{Var}(q^\top k) = d_k\, \sigma_q^2 \sigma_k^2", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q^\top k) = d_k\, \sigma_q \sigma_k", "", "wrong", "statistical"),
    ("attention.permutation_equivariance", r"\mathrm{Attention}(PQ, PK, PV) = P\,\mathrm{Attention}(Q,K,V)", "", "ok",
     "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{Attention}(PQ, PK, PV) = \mathrm{Attention}(Q,K,V)", "", "wrong",
     "numeric"),
    # E added to the tokens is their positional encodings: permuted with them or not
    ("attention.permutation_equivariance", r"f(P(X + E)) = P f(X + E)", "", "ok", "numeric"),
    ("attention.permutation_equivariance", r"f(PX + E) = P f(X + E)", "", "wrong", "numeric"),
    # attention labelled causal (or masked) is not permutation equivariant: the mask ties outputs to earlier tokens
    ("attention.permutation_equivariance", r"\mathrm{SA}_{\text{causal}}(XP) = \mathrm{SA}_{\text{causal}}(X)P", "",
     "wrong", "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{SA}_{\text{kausal}}(XP) \neq \mathrm{SA}_{\text{kausal}}(X)P", "",
     "ok", "numeric"),
    ("attention.permutation_equivariance", r"f_{\mathrm{causal}}(PX) = P f_{\mathrm{causal}}(X)", "", "wrong",
     "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{MHA}_{\text{causal}}(PX) = P\,\mathrm{MHA}_{\text{causal}}(X)", "",
     "wrong", "numeric"),
    ("attention.permutation_equivariance",
     r"\mathrm{Attn}_{\mathrm{RoPE}}(\Pi X) = \Pi\,\mathrm{Attn}_{\mathrm{RoPE}}(X)", "", "wrong",
     "numeric"),  # positions: not equivariant either
    ("attention.permutation_equivariance", r"\mathrm{Attention}_{\text{masked}}(PQ, PK, PV) = "
     r"P\,\mathrm{Attention}_{\text{masked}}(Q, K, V)", "", "wrong", "numeric"),
    # Prince's projections of the tokens (columns): permuting the tokens permutes the queries
    ("attention.permutation_equivariance", r"\mathbf{Q}[\mathbf{X}\mathbf{P}] = \mathbf{Q}[\mathbf{X}]\mathbf{P}", "",
     "ok", "numeric"),
    ("attention.permutation_equivariance", r"\mathbf{Q}[\mathbf{X}\mathbf{P}] = \mathbf{Q}[\mathbf{X}]", "", "wrong",
     "numeric"),
    ("qkv.shapes", r"\mathbf{K}[\mathbf{X}]^\mathsf{T}\mathbf{Q}[\mathbf{X}] \in \mathbb{R}^{N \times N}", "", "ok",
     "numeric"),
    ("qkv.shapes", r"\mathbf{Q}[\mathbf{X}]\mathbf{K}[\mathbf{X}]^\mathsf{T} \in \mathbb{R}^{N \times N}", "", "wrong",
     "shapes"),
    # ViT's letters: z the input, \Pi the permutation, MSA the multi-head layer
    ("attention.permutation_equivariance", r"\mathrm{SA}(\Pi\mathbf{z}) = \Pi\,\mathrm{SA}(\mathbf{z})", "", "ok",
     "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{MSA}(\Pi\mathbf{z}) = \Pi\,\mathrm{MSA}(\mathbf{z})", "", "ok",
     "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{MSA}(\Pi\mathbf{z}) = \mathrm{MSA}(\mathbf{z})", "", "wrong",
     "numeric"),  # invariance
    ("cost.attention", r"O(n^2 \cdot d)", f"Self-attention has a per-layer complexity of {SELF} while", "ok",
     "symbolic"),
    ("cost.attention", r"O(n \cdot d^2)", f"Self-attention has a per-layer complexity of {SELF} while", "wrong",
     "symbolic"),
    ("cost.attention", r"O(n \cdot d^2)", f"A recurrent layer costs {SELF} per layer", "ok", "symbolic"),
    ("cost.kv_cache", r"O(n^3 d)", f"With a KV cache, generating n tokens costs {SELF}.", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(n^2 d)", f"With a KV cache, generating n tokens costs {SELF}.", "ok", "symbolic"),
    ("cost.kv_cache", r"O(n^2 d)", f"With a KV cache each new token still costs {SELF} per layer.", "wrong",
     "symbolic"),  # one step: O(n d)
    ("cost.kv_cache", r"O(t \cdot d)", f"With the cache, the new token at step t is one query against t keys, i.e. "
     f"{SELF} work per layer, instead of re-running attention over the prefix.", "ok", "symbolic"),
    ("cost.kv_cache", r"O(n d)", f"Cached, generating [math] tokens costs {SELF} in total.", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(n^3 d)", f"The KV cache turns decoding from {SELF} into [math] total work.", "ok",
     "symbolic"),  # the cost the cache improves on
    ("cost.attention", r"O(n^2 d)", f"Each layer attends to the previous w positions only (a sliding window), so it "
     f"costs [math] instead of {SELF}.", "ok", "symbolic"),
    ("rnn.serial_dependency", r"O(1)", f"The maximum path length in self-attention is {SELF}.", "ok", "symbolic"),
    ("kv_cache.memory", r"2 \times 32 \times 32 \times 128 \times 4096 \times 2 = 2\,147\,483\,648",
     f"The KV cache for a 7B model {SELF}", "ok", "arithmetic"),
    ("kv_cache.memory", r"2 \times 32 \times 32 \times 128 \times 4096 \times 2 = 1\,073\,741\,824",
     f"The KV cache for a 7B model {SELF}", "wrong", "arithmetic"),
    ("kv_cache.memory", r"\text{KV} = 2 \cdot L \cdot h \cdot d_{head} \cdot n \cdot b",
     f"The KV cache size is {SELF}", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{KV} = L \cdot h \cdot d_{head} \cdot n \cdot b", f"The KV cache size is {SELF}",
     "wrong", "symbolic"),
    ("kv_cache.memory",
     r"\text{KV cache} = 2 \times n_{\text{layers}} \times n_{\text{kv heads}} \times d_{\text{head}}"
     r" \times \text{seq\_len} \times 2 \text{ bytes}", "", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{KV cache} = n_{\text{layers}} \times n_{\text{kv heads}} \times d_{\text{head}}"
     r" \times \text{seq\_len} \times 2 \text{ bytes}", "", "wrong", "symbolic"),
    ("kv_cache.memory",
     r"M = 2 \times B \times T \times n_{\text{layers}} \times n_{\text{kv}} \times d_{\text{head}} \times s",
     f"The KV cache of a batch takes {SELF} bytes, s the size of one element", "ok", "symbolic"),
    # one layer's cache, where the text or the left side says so, has no factor for the layers
    ("kv_cache.memory", r"\text{bytes}_{\text{local layer}} = 2\, n_{\text{kv}}\, d\, b \cdot n",
     f"The KV cache of each layer: {SELF}.", "ok", "symbolic"),
    ("kv_cache.memory", r"\text{bytes} = 2\, n_{\text{kv}}\, d\, b \cdot n", f"The whole KV cache: {SELF}.", "wrong",
     "symbolic"),
    # worked KV-cache sizes: the factors matched to the model the text states
    ("kv_cache.memory", r"2 \cdot 80 \cdot 8 \cdot 128 \cdot 2\ \text{B} = 320\ \text{KiB}", LLAMA_70B, "ok",
     "arithmetic"),
    ("kv_cache.memory", r"2 \cdot 80 \cdot 64 \cdot 128 \cdot 2\ \text{B} = 2.5\ \text{MiB}", LLAMA_70B, "wrong",
     "arithmetic"),  # the query heads under GQA
    ("kv_cache.memory", r"80 \times 8 \times 128 \times 2\ \text{B} = 160\ \text{KiB}", LLAMA_70B, "wrong",
     "arithmetic"),  # K only
    ("kv_cache.memory", r"2 \cdot 32 \cdot 1 \cdot 64 \cdot 2\ \text{B} = 8\ \text{KiB}", FALCON_7B, "ok",
     "arithmetic"),
    ("kv_cache.memory", r"2 \cdot 32 \cdot 71 \cdot 64 \cdot 2\ \text{B} = 568\ \text{KiB}", FALCON_7B, "wrong",
     "arithmetic"),  # the query heads under MQA
    ("kv_cache.memory", r"2 \times 32 \times 4096 \times 4\ \text{B} = 1\ \text{MiB}",
     f"In fp32 the KV cache of a 32-layer model of width 4096 takes {SELF} per token.", "ok", "arithmetic"),
    ("kv_cache.memory", r"M_{\text{KV}}/\text{token} = 28 \times 4 \times 128 \times 2 = 28{,}672",
     f"Qwen2.5-7B has only 4 KV heads over 28 layers. A capacity sheet caches {SELF} bytes.", "wrong",
     "arithmetic"),  # keys only; the 4 is the KV heads, not a 4-byte element
    ("kv_cache.memory", r"2 \times 40 \times 40 \times 128 \times 2 \times 4096 \times 4\ \text{B} = 12.5\ \text{GiB}",
     f"Llama 2 13B: 40 layers, 40 heads (no grouping) of dimension 128; the KV cache of a batch of 4 sequences "
     f"of 4096 tokens in fp16 is {SELF}.", "ok", "arithmetic"),
    ("kv_cache.memory", r"40 \times 40 \times 128 \times 2 \times 4096 \times 4\ \text{B} = 6.25\ \text{GiB}",
     f"Llama 2 13B: 40 layers, 40 heads (no grouping) of dimension 128; the KV cache of a batch of 4 sequences "
     f"of 4096 tokens in fp16 is {SELF}.", "wrong", "arithmetic"),  # the batch of 4 is no 4-byte element
    ("kv_cache.memory", r"16 \times 128\ \text{KiB} = 1\ \text{MiB}", f"A 16-token block of the KV cache: {SELF}.",
     "wrong", "arithmetic"),  # 2 MiB: "1" is not a rounding of 2
    ("kv_cache.memory", r"2 \times 80 \times 8 \times 128 \times 2 = 327{,}680 \text{ B} = 320 \text{ KiB per token}",
     LLAMA_70B, "ok", "arithmetic"),  # a unit with words after it
    ("kv_cache.memory", r"2 \times 80 \times 8 \times 128 \times 2 = 327{,}680 \text{ B} = 300 \text{ KiB per token}",
     LLAMA_70B, "wrong", "arithmetic"),
    ("multihead.concat_projection", r"W^O \in \mathbb{R}^{64 \times 512}", "", "wrong", "shapes"),  # one head's width
    ("multihead.concat_projection", r"W_O \in \mathbb{R}^{4096 \times 3072}",
     f"Gemma 7B's 16 heads of width 256 are wider than its residual stream: {SELF}.", "ok", "shapes"),
    # a head's width divides the model width among the query heads, never the fewer KV heads
    ("multihead.concat_projection", r"d_h^{\text{Yi}} = d_{\text{model}}/h_{\text{kv}} = 7168/8 = 896", "", "wrong",
     "symbolic"),
    ("multihead.concat_projection",
     r"\text{head\_dim} = \text{hidden\_size} / \text{num\_key\_value\_heads} = 4096 / 8 = 512", "", "wrong",
     "symbolic"),
    ("multihead.concat_projection", r"d_h = d_{\text{model}}/h = 7168/56 = 128", "", "ok", "symbolic"),
    ("multihead.concat_projection", r"Z = \mathrm{Concat}(Z_0, Z_1, \ldots, Z_7)\, W^O", "", "ok", "numeric"),
    ("multihead.concat_projection", r"Z = Z_0 + Z_1 + \dots + Z_7", "", "wrong", "shapes"),  # summed, no W^O
    ("multihead.concat_projection", r"\text{MultiHeadAttn}(\mathbf{X}_q, \mathbf{X}_k, \mathbf{X}_v) = "
     r"[\text{head}_1; \dots; \text{head}_h]\,\mathbf{W}^o, \quad \text{where head}_i = "
     r"\text{attn}(\mathbf{X}_q\mathbf{W}^q_i, \mathbf{X}_k\mathbf{W}^k_i, \mathbf{X}_v\mathbf{W}^v_i)", "", "ok",
     "numeric"),  # Weng's inputs for queries, keys and values
    ("multihead.concat_projection", r"Y = [Y_1; \dots; Y_H]\,W_O", "", "ok", "numeric"),
    ("multihead.concat_projection", r"Y = W^{O} \begin{bmatrix} Y_1 \\ \vdots \\ Y_h \end{bmatrix}", "", "ok",
     "numeric"),  # column vectors: the heads stacked
    ("attention.definition", r"A = D^{-1} \exp(QK^{\top}/\sqrt{d_k}), \qquad D = \operatorname{diag}(\exp(QK^{\top}/"
     r"\sqrt{d_k})\,\mathbf{1}_n)", "", "ok", "numeric"),  # D, defined after its use, is not judged alone
    ("attention.definition", r"A = D^{-1} \exp(QK^{\top}/d_k), \qquad D = \operatorname{diag}(\exp(QK^{\top}/d_k)"
     r"\,\mathbf{1}_n)", "", "wrong", "numeric"),
    ("positions.rope", r"\Theta = \{\theta_i = 10000^{-2(i-1)/d}, i \in [1, 2, \ldots, d/2]\}", "", "ok", "numeric"),
    ("positions.rope", r"\Theta = \{\theta_i = 10000^{2(i-1)/d}, i \in [1, 2, \ldots, d/2]\}", "", "wrong", "numeric"),
    ("positions.rope", r"\theta_i = 10000^{-i/d}\ (i = 0, 1, \dots, d/2 - 1)", "", "wrong", "numeric"),  # i/d, not 2i/d
    ("scaling.variance", r"\mathrm{Var}(q^\top k) = \sum_{i=1}^{d_k} \mathbb{E}[q_i^2]\,\mathbb{E}[k_i^2] = d_k s^4",
     "", "ok", "statistical"),  # entries of standard deviation s
    ("scaling.variance", r"\operatorname{Var}(q^\top k) = d_k s^2", "", "wrong", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q k^{\top}) = \sum_{t=1}^{D_k} \mathrm{Var}(q_t k_t)", "", "ok", "statistical"),
    ("scaling.variance", r"\operatorname{Var}(\mathbf{q}^{\mathsf{T}}\mathbf{k}) = k^2", "", "wrong",
     "statistical"),  # Bloem writes k for the width
    ("scaling.variance", r"\mathrm{Var}(q_i^\top k_j) = d_k", "", "ok", "statistical"),
    ("positions.sinusoidal", r"PE_{(1,2)} = \sin(1/100)", "", "ok", "arithmetic"),  # d_model = 4, not stated
    ("positions.sinusoidal", r"PE_{(1,3)} = \cos(1/10000^{3/4})", "", "wrong", "arithmetic"),  # no width gives this
    # an entry written with a rounded angle or value, to its digits, for a customary width; a short decimal is exact
    ("positions.sinusoidal", r"PE_{(1,2)} = \sin(0.9647) = 0.8219", "", "ok", "arithmetic"),  # d_model = 512
    ("positions.sinusoidal", r"PE_{(1,2)} = \sin(0.9547)", "", "wrong", "arithmetic"),  # only d_model = 398 fits
    ("positions.sinusoidal", r"PE_{(3,2)} = \cos(0.3) \approx 0.9553", "", "wrong", "arithmetic"),
    # a whole row, as wide as it is written; sines and cosines interleaved or in halves when the text says neither
    ("positions.sinusoidal", r"PE_2 \approx [0.909,\ -0.416,\ 0.020,\ 1.000]", "", "ok", "arithmetic"),
    ("positions.sinusoidal", r"PE_2 \approx [0.909,\ -0.416,\ 0.0002,\ 1.000]", "", "wrong", "arithmetic"),
    ("positions.sinusoidal", r"PE_2 \approx [0.909,\ 0.020,\ -0.416,\ 1.000]", "", "ok", "arithmetic"),
    ("positions.sinusoidal", r"\mathbf{p}_1 = (\sin 1, \cos 1, \sin 0.1, \cos 0.1)", "", "wrong", "arithmetic"),
    ("positions.sinusoidal", r"e_{m,\,2i} = \sin(m\omega_i),\ e_{m,\,2i+1} = \cos(m\omega_i)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"e_{m,\,2i+1} = \cos(m \cdot 10000^{2i/D})", "", "wrong", "numeric"),  # times, not over
    ("softmax.distribution", r"\sum_{j \le i} A^h_{ij} = 1", "", "ok", "numeric"),  # head h's weights
    ("softmax.distribution", r"\sum_{i} A^h_{ij} = 1", "", "wrong", "numeric"),
    ("qkv.shapes", r"Q^\top = W^{Q\top} X^\top", "", "ok", "numeric"),  # a label and a transpose in one superscript
    ("attention.definition", r"w_{ji} = \frac{\exp(q_i^\top k_j / \sqrt{d_k})}{\sum_l \exp(q_i^\top k_l / \sqrt{d_k})}",
     "", "ok", "numeric"),  # a name of the text's own for the weights, indexed either way
    ("attention.definition", r"w_{ji} = \exp(q_i^\top k_j / \sqrt{d_k}) / \sum_{l} \exp(q_l^\top k_j / \sqrt{d_k})", "",
     "wrong", "numeric"),  # normalised over the queries
    ("scaling.variance", r"\sum_{l=1}^{d_k} \mathbb{E}[q_l^2]\,\mathbb{E}[k_l^2] = d_k", "", "ok", "symbolic"),
    ("scaling.variance", r"\sum_{l=1}^{d_k} \mathbb{E}[q_l^2]\,\mathbb{E}[k_l^2] = d_k^2", "", "wrong", "symbolic"),
    ("softmax.distribution", r"\mathrm{softmax}([2, 1, 0]) = [0.667, 0.333, 0]", "", "wrong", "arithmetic"),  # a list
    ("attention.definition", r"S^{(m)} = K^{(m)\mathsf T} Q^{(m)}", "", "ok", "numeric"),  # an index, a transpose
    ("attention.definition", r"\text{scale} = 1/\sqrt{E}", "", "ok", "symbolic"),  # PyTorch's E: the query width
    ("attention.definition", r"\texttt{sm\_scale} = 1/\sqrt{d_{model}} = 1/\sqrt{1024}", "", "wrong", "symbolic"),
    ("attention.definition", r"\text{scale} = 1/\sqrt{H d_k}", "", "wrong", "symbolic"),  # all heads' widths
    ("attention.definition", r"\text{scale} = 1/\sqrt{d_{model} / H}", "", "ok", "symbolic"),  # one head's width
    # an align row continuing Var(q^T k) = ...; attention's output with no left side, in a table
    ("scaling.variance",
     r"\sum_{l=1}^{d_k} \mathrm{Var}(q_l k_l) = \sum_{l=1}^{d_k} \mathbb{E}[q_l^2]\mathbb{E}[k_l^2]", "", "ok",
     "symbolic"),
    ("mask.causal",
     r"\mathrm{softmax}(\frac{QK^T}{\sqrt{d_k}} - M)V, \; M_{ij} = -\infty \text{ if } j > i", "", "wrong", "numeric"),
    ("positions.rope", r"\mathrm{RoPE}(x, m) = x \odot \cos(m\boldsymbol{\theta}) + \mathrm{rotate\_half}(x) \odot "
     r"\sin(m\boldsymbol{\theta})", "", "ok", "numeric"),  # Hugging Face's form
    ("positions.rope", r"\operatorname{rotate\_half}(\mathbf{x}) = [-\mathbf{x}_{d/2+1:d};\ \mathbf{x}_{1:d/2}]", "",
     "ok", "numeric"),
    ("positions.rope", r"\operatorname{rotate\_half}(\mathbf{x}) = [\mathbf{x}_{d/2+1:d};\ -\mathbf{x}_{1:d/2}]", "",
     "wrong", "numeric"),
    # the online softmax: running quantities (Milakov & Gimelshein) and block functions (FlashAttention)
    ("efficient.online_softmax", r"m_j = \max(m_{j-1},\, x_j)", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell_j = \ell_{j-1}\, e^{m_{j-1} - m_j} + e^{x_j - m_j}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell_j = \ell_{j-1} + e^{x_j - m_j}", "", "wrong", "numeric"),  # no rescaling
    ("efficient.online_softmax", r"\ell_j = \sum_{i \le j} e^{x_i - m_j}", "", "ok", "numeric"),  # from the first score
    ("efficient.online_softmax", r"m(x) = \max_i x_i, \qquad \ell(x) = \sum_i e^{x_i - m(x)}", "", "ok", "numeric"),
    # two blocks merged (FlashAttention): new is the whole row's, plain or (1) the first block's, tilde or (2) the next
    ("efficient.online_softmax", r"\ell^{\text{new}} = e^{m - m^{\text{new}}}\,\ell + e^{\tilde m - m^{\text{new}}}\,"
     r"\tilde \ell", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell^{\text{new}} = \ell^{(1)} + \ell^{(2)}", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"\ell^{\text{new}} = e^{m^{\text{new}} - m^{(1)}}\,\ell^{(1)} + "
     r"e^{m^{\text{new}} - m^{(2)}}\,\ell^{(2)}", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"\mathbf{o}^{\text{new}} = \frac{e^{m - m^{\text{new}}}\,\ell\,\mathbf{o} + "
     r"e^{\tilde m_j - m^{\text{new}}}\,\tilde{\mathbf{P}}_j \mathbf{V}_j}{\ell^{\text{new}}}", "", "ok", "numeric"),
    ("efficient.online_softmax",
     r"\mathbf{o}^{\text{new}} = \mathbf{o} + \tilde{\mathbf{P}}_j \mathbf{V}_j / \tilde\ell_j", "", "wrong",
     "numeric"),
    # one update written with primes: m' after the step, m before it, s and v arriving
    ("efficient.online_softmax", r"m' = \max(m, s)", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell' = \ell\, e^{m - m'} + e^{s - m'}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"o' = \frac{\ell\, e^{m - m'}\, o + e^{s - m'}\, v}{\ell'}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell' = \ell + e^{s - m'}", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"o' = \frac{\ell\, o + e^{s - m'}\, v}{\ell'}", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"\mathrm{acc}_j = e^{m_{j-1} - m_j} \mathrm{acc}_{j-1} + e^{x_j - m_j} v_j", "", "ok",
     "numeric"),
    ("efficient.online_softmax", r"\ell(x) = e^{m(x^{(1)}) - m(x)} \ell(x^{(1)}) + e^{m(x^{(2)}) - m(x)} \ell(x^{(2)})",
     "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell(x) = e^{m(x) - m(x^{(1)})} \ell(x^{(1)}) + e^{m(x) - m(x^{(2)})} \ell(x^{(2)})",
     "", "wrong", "numeric"),  # the rescaling's sign flipped
    # the arriving block's scores s_j merged into a plain running output o: normalised or not
    ("efficient.online_softmax", r"o^{\text{new}} = \frac{e^{m - m^{\text{new}}}\,\ell\, o + \sum_j "
     r"e^{s_j - m^{\text{new}}} v_j}{\ell^{\text{new}}}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\mathbf{o}_{\text{new}} = e^{m - m_{\text{new}}}\,\mathbf{o} + \sum_j e^{s_j - "
     r"m_{\text{new}}} \mathbf{v}_j", "", "ok", "numeric"),
    ("efficient.online_softmax", r"o^{\text{new}} = o + \frac{1}{\ell^{\text{new}}}\sum_j e^{s_j - m^{\text{new}}} v_j",
     "", "wrong", "numeric"),
    # one query row i after block t of keys J_t, as FlashAttention's tiled softmax is written
    ("efficient.online_softmax", r"m_i^{(t)} = \max\Big(m_i^{(t-1)},\ \max_{j \in J_t} s_{ij}\Big)", "", "ok",
     "numeric"),
    ("efficient.online_softmax", r"\ell_i^{(t)} = e^{m_i^{(t-1)} - m_i^{(t)}}\,\ell_i^{(t-1)} + \sum_{j \in J_t} "
     r"e^{s_{ij} - m_i^{(t)}}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell_i^{(t)} = \ell_i^{(t-1)} + \sum_{j \in J_t} e^{s_{ij} - m_i^{(t)}}", "",
     "wrong", "numeric"),  # not rescaled
    # two blocks numbered 1 and 2 merged into the plain (whole row's) statistics
    ("efficient.online_softmax", r"m = \max(m_1, m_2)", "", "ok", "numeric"),
    ("efficient.online_softmax", r"m = m_1 + m_2", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"\ell = e^{m_1 - m}\,\ell_1 + e^{m_2 - m}\,\ell_2", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell = e^{m - m^{(1)}}\, \ell^{(1)} + e^{m - m^{(2)}}\, \ell^{(2)}", "", "wrong",
     "numeric"),  # the rescaling's sign flipped
    ("efficient.online_softmax", r"\mathbf{o} = \frac{e^{m_1 - m}\,\ell_1\,\mathbf{o}_1 + e^{m_2 - m}\,\ell_2\,"
     r"\mathbf{o}_2}{\ell}", "", "ok", "numeric"),  # normalised outputs
    ("efficient.online_softmax", r"o = e^{m_1 - m} o_1 + e^{m_2 - m} o_2", "", "ok", "numeric"),  # unnormalised
    ("efficient.online_softmax", r"o = \frac{e^{m_1 - m} o_1 + e^{m_2 - m} o_2}{\ell}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"o = e^{m_1 - m}\ell_1 o_1 + e^{m_2 - m}\ell_2 o_2", "", "wrong",
     "numeric"),  # not divided by l
    ("efficient.online_softmax", r"\mathbf{o} = \tfrac{1}{2}(\mathbf{o}_1 + \mathbf{o}_2)", "", "wrong", "numeric"),
    # the same with blocks A and B of the keys
    ("efficient.online_softmax", r"\ell = e^{m_A - m}\,\ell_A + e^{m_B - m}\,\ell_B", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell = e^{m - m_A}\ell_A + e^{m - m_B}\ell_B", "", "wrong", "numeric"),
    ("efficient.online_softmax", r"o = (o_A/\ell_A + o_B/\ell_B)/2", "", "wrong", "numeric"),
    ("efficient.sliding_window", r"M_{ij} = \begin{cases} 0 & \text{if } i - w < j \le i \\ -\infty & \text{otherwise} "
     r"\end{cases}", "", "ok", "numeric"),
    ("efficient.sliding_window", r"M_{ij} = 0 \text{ for } |i - j| < w", "", "wrong", "numeric"),  # future keys too
    ("mask.causal", r"\tilde{S}_{ij} = \begin{cases} S_{ij}, & i \ge j \\ -\infty & \text{else} \end{cases}", "", "ok",
     "numeric"),  # a tilde: the masked scores
    ("mask.causal", r"\tilde{S}_{ij} = S_{ij} \text{ for } i \le j", "", "wrong", "numeric"),
    ("mask.causal", r"\tilde{S}_{ij} = \begin{cases} S_{ij}/\sqrt{d_k} & \text{if } j \le i \\ -\infty & \text{else} "
     r"\end{cases}", "", "ok", "numeric"),  # S before the scaling
    ("mask.causal", r"\tilde{s}_{ts} = s_{ts} + (1 - m_{ts}) \cdot (-10^{9})", "", "ok", "numeric"),  # Keras: 1 attends
    ("mask.causal", r"\tilde{s}_{ts} = s_{ts} + m_{ts} \cdot (-10^{9})", "", "wrong", "numeric"),
    ("multihead.concat_projection", r"\mathrm{MHA}(\mathbf{X}) = \sum_{i=1}^{h} \mathbf{H}_i \mathbf{W}_o^{(i)}", "",
     "ok", "numeric"),  # W_o^{(i)}: head i's block of W_o, in a sum over i
    ("mask.causal", r"M = -10^{10}\left(\mathbf{1}\mathbf{1}^T - \operatorname{tri}(n)\right)", "", "ok", "numeric"),
    ("mask.causal", r"M = -10^{10}\,\operatorname{tri}(n)", "", "wrong", "numeric"),  # masks the past
    ("attention.definition", r"A = \mathrm{softmax}(S/\sqrt{d_k}) \odot \mathrm{tril}(\mathbf{1})", "", "wrong",
     "numeric"),  # the mask after the softmax: rows no longer sum to 1
    ("efficient.sliding_window", r"M_{ij} = 0 \iff |i-j| < w", "", "wrong", "numeric"),  # iff: a condition
    ("cost.kv_cache", r"O(T^2 d)", f"A deck claimed that a decode step with the cache still costs {SELF} per layer.",
     "wrong", "symbolic"),
    ("softmax.saturation", r"\dfrac{\partial p}{\partial z}=\operatorname{diag}(p)-pp^{\top}", "", "ok", "numeric"),
    ("softmax.saturation", r"\frac{\partial p_i}{\partial z_j} = p_i(1 - p_j)", "", "wrong", "numeric"),  # no delta_ij
    # a column-wise softmax by name; Bishop's Y(X), the layer's output as a function
    ("attention.definition", r"Z(X)=V\sigma_{\mathrm{col}}(K^{\mathsf T}Q/\sqrt{d_k})", "", "ok", "numeric"),
    ("attention.permutation_equivariance", r"\mathbf{Y}(\mathbf{P}\mathbf{X}) = \mathbf{Y}(\mathbf{X})\mathbf{P}", "",
     "wrong", "shapes"),
    # punctuation inside the text; the query heads H_q in a GQA cache
    ("efficient.sliding_window", r"M_{ij}=\begin{cases}0, & i-w<j\le i,\\ -\infty, & \text{otherwise,}\end{cases}", "",
     "ok", "numeric"),
    ("kv_cache.memory", r"\text{KV}_{\text{GQA}} = 2\, N_\ell\, H_q\, d_h\, T\, p", "", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(n\,d)", f"``With the cache the total is {SELF}, linear in the length'' confuses the cost of "
     f"one step with the total.", "wrong", "symbolic"),  # the clause says total, the sentence both
    ("multihead.concat_projection", r"\text{MHA}(X) = (\text{head}_1 \oplus \cdots \oplus \text{head}_h)W^O", "", "ok",
     "numeric"),  # SLP3's concatenation sign
    # FlashAttention's chain of definitions, each with its shape; d the head dimension of queries and values alike
    ("attention.definition", r"S = QK^\top \in \mathbb{R}^{N \times N},\ P = \operatorname{softmax}(S) "
     r"\in \mathbb{R}^{N \times N},\ O = PV \in \mathbb{R}^{N \times d}", "", "ok", "numeric"),
    # a softmax over each column, by its subscript; the variance of k^T q
    ("attention.definition", r"\mathrm{Sa}[X] = V\operatorname{softmax}_{\mathrm{col}}(K^\intercal Q/\sqrt{d_k})", "",
     "ok", "numeric"),
    ("scaling.variance", r"\operatorname{Var}(\mathbf{k}^\intercal\mathbf{q}) = d_k^2", "", "wrong", "statistical"),
    ("scaling.variance", r"\mathrm{sd}(\bm{q}^{\top}\bm{k}) = d_k", "", "wrong", "statistical"),
    ("positions.sinusoidal", r"PE_{(pos, j)} = \begin{cases} \sin(pos / 10000^{j/d}) & j \text{ even,} \\ "
     r"\cos(pos / 10000^{(j-1)/d}) & j \text{ odd} \end{cases}", "", "ok", "numeric"),  # a condition in words
    # steps as superscripts, and FlashAttention-2's unnormalised output o
    ("efficient.online_softmax", r"\ell^{(j)} = \ell^{(j-1)} \exp(m^{(j)} - m^{(j-1)}) + \exp(s_j - m^{(j)})", "",
     "wrong", "numeric"),  # the rescaling inverted
    ("efficient.online_softmax", r"o^{(j)} = o^{(j-1)} \exp(m^{(j-1)} - m^{(j)}) + \exp(s_j - m^{(j)})\, v_j", "", "ok",
     "numeric"),
    ("kv_cache.memory", r"\text{KV} = 2 \cdot n_{\text{layers}} \cdot n_{\text{kv}} \cdot d_{\text{head}} \cdot L "
     r"\cdot b \cdot B", f"The KV cache takes {SELF} bytes for L tokens.", "ok", "symbolic"),  # L: tokens here
    # notations of particular sources
    ("qkv.shapes", r"q_i = Qx_i", "", "ok", "numeric"),  # CS224n: Q is the projection
    ("qkv.shapes", r"\mathbf{Q} = \mathbf{X}\mathbf{W}^{(q)}", "", "ok", "numeric"),  # Bishop, d2l
    ("multihead.concat_projection", r"\mathbf{H}_h = \mathrm{Attention}(\mathbf{Q}_h, \mathbf{K}_h, \mathbf{V}_h)", "",
     "ok", "numeric"),  # Bishop
    ("multihead.concat_projection",
     r"\mathbf{Y} = \mathrm{Concat}[\mathbf{H}_1, \ldots, \mathbf{H}_H]\mathbf{W}^{(o)}", "", "ok", "numeric"),
    ("attention.definition", r"Y = \mathrm{Softmax}\left[\frac{QK^\top}{\sqrt{D_k}}\right]V", "", "ok", "numeric"),
    ("attention.definition", r"a_{nm} = \frac{\exp(x_n^T x_m)}{\sum_{m'=1}^N \exp(x_n^T x_{m'})}", "", "ok",
     "numeric"),
    ("softmax.distribution", r"A = \mathrm{softmax}(E, \mathrm{dim}=1)", "", "ok", "numeric"),  # EECS 498
    # nanoGPT's names, and 1/head_size instead of its square root
    ("attention.definition",
     r"\text{out} = \mathrm{softmax}\left(\frac{q k^\top}{\text{head\_size}}\right) v", "", "wrong", "numeric"),
    ("attention.definition", r"z_1 = \sum_{j} \mathrm{softmax}_j\left(\frac{q_1 \cdot k_j}{\sqrt{d_k}}\right) v_j", "",
     "ok", "numeric"),
    # SLP3's score, scaled by d_k
    ("attention.definition",
     r"\text{score}(\mathbf{x}_i,\mathbf{x}_j) = \frac{\mathbf{q}_i \cdot \mathbf{k}_j}{d_k}", "", "wrong", "numeric"),
    ("attention.definition", r"S = \frac{1}{\sqrt{d_k}}QK^\top, \qquad \mathrm{Attention}(Q, K, V) = "
     r"\mathrm{diag}\big(e^{S}\mathbf{1}\big)^{-1} e^{S}\, V", "", "ok", "numeric"),
    # a where-clause; the denominator is not shifted
    ("softmax.distribution", r"\operatorname{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j},\; m = \max_j x_j", "",
     "wrong", "numeric"),
    ("softmax.distribution", r"0 \le \alpha_{ij} \le 1", "", "ok", "numeric"),
    ("softmax.distribution", r"\operatorname{softmax}(x / \tau) = \operatorname{softmax}(x)", "", "wrong", "numeric"),
    ("mask.causal", r"M_{ij} = -\infty \text{ if } j > i, \quad M_{ij} = 0 \text{ otherwise}", "", "ok", "numeric"),
    ("mask.causal",
     r"M = \begin{bmatrix} 0 & 0 & 0 \\ -\infty & 0 & 0 \\ -\infty & -\infty & 0 \end{bmatrix}", "", "wrong",
     "numeric"),
    ("positions.rope",
     r"R_m = \begin{pmatrix} \cos m\theta & -\sin m\theta \\ \sin m\theta & \cos m\theta \end{pmatrix}", "", "ok",
     "numeric"),
    # RoFormer's reading: q_m = R_m W_q x_m
    ("positions.rope",
     r"\bm{q}_m^\top \bm{k}_n = \bm{x}_m^\top \bm{W}_q^\top \bm{R}^d_{\Theta,m+n} \bm{W}_k \bm{x}_n", "", "wrong",
     "numeric"),
    ("positions.sinusoidal", r"PE(pos, 2i) = \sin(pos / 10000^{2i/d_{model}})", "", "ok", "numeric"),
    ("efficient.linear_attention", r"(\phi(Q)\phi(K)^T)V = \phi(Q)(\phi(K)^TV)", "", "ok", "numeric"),
    # row vectors of different widths: phi(k_j)^T v_j can only be an outer product (Weng's notation)
    ("efficient.linear_attention",
     r"v'_i = \frac{\phi(q_i) \sum_{j=1}^{L} \phi(k_j)^\top v_j}{\phi(q_i) \sum_{j=1}^{L} \phi(k_j)^\top}", "", "ok",
     "numeric"),
    ("efficient.linear_attention", r"v'_i = \phi(q_i) \sum_{j=1}^{L} \phi(k_j)^\top v_j", "", "wrong",
     "numeric"),  # not normalised
    ("efficient.linear_attention", r"\phi(q)^T\phi(k) = \exp(q^Tk/\sqrt{D})", "", "wrong", "numeric"),
    ("scaling.variance", r"\mathrm{Var}(q \cdot k) = \sum_{i=1}^{d_k} \mathrm{Var}(q_i k_i) = d_k", "", "ok",
     "statistical"),
    ("scaling.variance", r"\operatorname{std}(q \cdot k) = d_k", "", "wrong", "statistical"),
    ("softmax.saturation", r"J_{ij} = p_i(\delta_{ij} - p_j)", "", "ok", "numeric"),
    ("softmax.saturation", r"J = \mathrm{diag}(p) - p^\top p", "", "wrong", "numeric"),
    ("softmax.distribution",
     r"\mathrm{softmax}(x)_i = e^{(x_i - \max_j x_j)} / \sum_k e^{(x_k - \max_j x_j)}", "", "ok", "numeric"),
    ("softmax.distribution", r"\mathrm{softmax}(14, 12) \approx (0.88, 0.12)", "", "ok", "arithmetic"),
    ("softmax.distribution", r"\mathrm{softmax}(14, 12, 10) \approx (0.84, 0.11, 0.05)", "", "wrong", "arithmetic"),
    # CS224n: Q, K, V are the projections, and the first form has no scale
    ("attention.definition", r"H = \mathrm{softmax}\left(XQ^\top K X^\top\right) X V^\top", "", "ok", "numeric"),
    # a block row of heads
    ("multihead.concat_projection",
     r"\mathrm{MHA}(X) = \big[\,\mathrm{head}_0 \;\; \mathrm{head}_1 \;\; \cdots \;\; \mathrm{head}_{h-1}\,\big]\, W_O",
     "", "ok", "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{SA}(PX) = P\,\mathrm{SA}(X)", "", "ok", "numeric"),
    ("scaling.variance", r"\mathrm{Var}(q^\top k) = d\,\sigma^4", "", "ok", "statistical"),
    ("scaling.variance", r"\mathrm{Var}(q^\top k) = d\,\sigma^2", "", "wrong", "statistical"),
    ("positions.sinusoidal", r"p_t \cdot p_{t+\Delta} = \sum_{k=0}^{d/2-1} \cos(\omega_k \Delta)", "", "ok", "numeric"),
    ("efficient.online_softmax", r"O(N)", f"FlashAttention needs only {SELF} extra memory", "ok", "symbolic"),
    ("softmax.distribution", r"\sigma(0, \ln 2, \ln 3) = \tfrac{1}{5}(1, 2, 3)", "", "wrong", "arithmetic"),
    ("attention.definition", r"f(X) = \sigma\!\left(\frac{X W_Q W_K^\top X^\top}{\sqrt{d_k}}\right) X W_V", "", "ok",
     "numeric"),
    ("attention.permutation_equivariance", r"\mathrm{LA}(PX) = P\,\mathrm{LA}(X)", "", "ok", "numeric"),
    ("positions.rope", r"\mathcal{R}_m^{\top} \mathcal{R}_n = \mathcal{R}_{m+n}", "", "wrong", "numeric"),
    ("softmax.distribution", r"\sum_i \alpha'_{i,1} = 1", "", "wrong", "numeric"),  # Hung-yi Lee: alpha' = softmax
    (None, r"3rk^2 + rk^2 = 3rk^2", "", "wrong", "symbolic"),  # a step of a worked count
    ("attention.definition", r"A = \operatorname{softmax}(K^{\mathsf T} Q/\sqrt{d})", "", "ok", "numeric"),  # \mathsf T
    ("scaling.variance", r"\mathbb{V}[\bm{q} \cdot \bm{k}] = \sum_{i=1}^{K} \mathbb{V}[q_i k_i] = K", "", "ok",
     "statistical"),
    (None, r"e^{4}/(e^{8}+e^{4}+1) \approx 0.05", "", "wrong", "arithmetic"),
    ("softmax.distribution", r"a_{ij} = 0 \text{ whenever } j > i", "", "ok", "numeric"),  # masked weights
    # Prince, Understanding Deep Learning: tokens are columns, biases, functions of X in square brackets
    ("qkv.shapes", r"\mathbf{Q}[\mathbf{X}] = \bm{\beta}_q\mathbf{1}^T + \bm{\Omega}_q\mathbf{X}", "", "ok", "numeric"),
    ("attention.definition", r"\mathbf{Sa}[\mathbf{X}] = \mathbf{V}[\mathbf{X}]\cdot\mathbf{Softmax}\left["
     r"\frac{\mathbf{K}[\mathbf{X}]^T\mathbf{Q}[\mathbf{X}]}{\sqrt{D_q}}\right]", "", "ok", "numeric"),
    ("softmax.distribution", r"\sum_{n=1}^{N} a[\mathbf{x}_m, \mathbf{x}_n] = 1", "", "wrong", "numeric"),
    ("attention.permutation_equivariance", r"\mathbf{Sa}[\mathbf{X}\mathbf{P}] = \mathbf{Sa}[\mathbf{X}]\mathbf{P}", "",
     "ok", "numeric"),
    ("cost.multihead", r"h \cdot O(n^2 d)", f"Cost: h heads means {SELF}, i.e. h times one head", "wrong", "symbolic"),
    ("efficient.sliding_window", r"O(n \cdot w \cdot d)", f"Each query then meets w keys, so a layer costs {SELF}.",
     "ok", "symbolic"),
    ("cost.kv_cache", r"\sum_{t=1}^{n} O(t\,d) = O(n^2 d)", f"generating n tokens costs {SELF} with the cache", "ok",
     "symbolic"),
    # a bare sum runs over the axis its index picks (X's columns), not over the tokens; q_{ic} is entry c of q_i
    ("qkv.shapes", r"Q_{ij} = \sum_{c} X_{ic}\, W^{Q}_{cj}", "", "ok", "numeric"),
    ("qkv.shapes", r"Q_{ij} = \sum_{c} X_{ic}\, W^{K}_{cj}", "", "wrong", "numeric"),
    ("attention.definition", r"s_{ij} = \frac{1}{\sqrt{d_k}} \sum_{c} q_{ic}\, k_{jc}", "", "ok", "numeric"),
    # batch and head axes every quantity carries are mapped over
    ("attention.definition", r"\mathrm{scores}_{bhij} = \frac{1}{\sqrt{d_k}} \sum_{d} q_{bhid}\, k_{bhjd}", "", "ok",
     "numeric"),
    ("attention.definition", r"\mathrm{scores}_{bhij} = \frac{1}{d_k} \sum_{d} q_{bhid}\, k_{bhjd}", "", "wrong",
     "numeric"),
    ("attention.definition", r"o_{bhid} = \sum_{j} a_{bhij}\, v_{bhjd}", "", "ok", "numeric"),
    # leading batch and head axes hold one matrix per sequence and head
    ("qkv.shapes", r"A \in \mathbb{R}^{B \times h \times n \times n}", "", "ok", "numeric"),
    ("qkv.shapes", r"S \in \mathbb{R}^{B \times H \times L \times d_{\text{head}}}", "", "wrong", "shapes"),
    # the sinusoidal table in any notation: its name, index layout and count from 0 or 1 (shown by 2i - 1)
    ("positions.sinusoidal", r"[p_n]_{2i} = \sin\big(n / 10000^{2i/D}\big)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"[p_n]_{2i} = \sin\big(n / 10000^{i/D}\big)", "", "wrong", "numeric"),
    ("positions.sinusoidal", r"W_p[2i-1, t] = \sin\big(t / 10000^{2(i-1)/d_e}\big)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"W_p[2i, t] = \cos\big(t / 10000^{2(i-1)/d_e}\big)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"\mathrm{PE}(t)_{2i} = \sin\big(t \cdot 10000^{-2i/d}\big)", "", "ok", "numeric"),
    ("positions.sinusoidal", r"\mathrm{CP}_{(pos,\,2i+1)} = \sin\left(pos / 10000^{2i/d_\text{modelo}}\right)", "",
     "wrong", "numeric"),  # sine and cosine swapped: no 1-based count excuses it
    ("positions.sinusoidal", r"\theta(pos, j) = \frac{pos}{10000^{2\lfloor j/2 \rfloor / d}}", "", "ok", "numeric"),
    ("positions.sinusoidal", r"p_{i,2j+1} = \cos\left(\frac{i}{C^{2j/d}}\right)", "", "ok", "numeric"),  # C = 10000
    ("positions.sinusoidal", r"p_{i,2j} = \sin(i \cdot C^{2j/d})", "", "wrong", "numeric"),
    ("positions.sinusoidal", r"p_{2k}(t) = \sin(\omega_k t)", "", "ok", "numeric"),  # omega_k: pair k's frequency
    ("positions.sinusoidal", r"p_{2k}(t) = \sin(\omega_{2k} t)", "", "wrong", "numeric"),
    # the softmax's Jacobian whatever its output is called, and along one query's row
    ("softmax.saturation", r"\frac{\partial \sigma_i}{\partial z_j} = \sigma_i(\delta_{ij} - \sigma_j)", "", "ok",
     "numeric"),
    ("softmax.saturation", r"\frac{\partial \sigma_i}{\partial z_j} = \sigma_i(1 - \sigma_j)", "", "wrong", "numeric"),
    ("softmax.saturation", r"\frac{\partial a_{bhij}}{\partial s_{bhik}} = a_{bhij}(\delta_{jk} - a_{bhik})", "", "ok",
     "numeric"),
    ("softmax.saturation", r"\frac{\partial a_{bhij}}{\partial s_{bhik}} = a_{bhij}\delta_{jk}", "", "wrong",
     "numeric"),
    # RoPE as the components of the rotated vector: a subscript counts channels, m is the angles' position
    ("positions.rope", r"x'_{2i} = x_{2i}\cos m\theta_i - x_{2i+1}\sin m\theta_i", "", "ok", "numeric"),
    ("positions.rope", r"x'_{2i+1} = x_{2i}\cos m\theta_i + x_{2i+1}\sin m\theta_i", "", "wrong", "numeric"),
    ("positions.rope", r"\begin{pmatrix} q'_{2i-1} \\ q'_{2i} \end{pmatrix} = \begin{pmatrix} \cos m\theta_i & "
     r"-\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix} \begin{pmatrix} q_{2i-1} \\ q_{2i} "
     r"\end{pmatrix}", "", "ok", "numeric"),
    # causal linear attention's running sums and outputs; a matrix over a vector of normalisers, token by token
    ("efficient.linear_attention", r"S_i = \sum_{j=1}^{i} \phi(K_j) V_j^\top", "", "ok", "numeric"),
    ("efficient.linear_attention", r"S_i = \sum_{j=1}^{N} \phi(K_j) V_j^\top", "", "wrong", "numeric"),
    ("efficient.linear_attention", r"V'_i = \frac{\phi(Q_i)^\top S_i}{\phi(Q_i)^\top z_i}", "", "ok", "numeric"),
    ("efficient.linear_attention", r"V' = \frac{\phi(Q)\,\big(\phi(K)^{\top} V\big)}{\phi(Q)\,\big(\phi(K)^{\top} "
     r"\mathbf{1}_N\big)}", "", "ok", "numeric"),
    # Milakov & Gimelshein's running sum d_j; "not equal in general" shown by a point where the sides differ
    ("efficient.online_softmax", r"d_j = d_{j-1} e^{m_{j-1} - m_j} + e^{x_j - m_j}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"d_j = d_{j-1} + e^{x_j - m_j}", "", "wrong", "numeric"),
    ("softmax.distribution", r"\mathrm{softmax}(cx) \ne \mathrm{softmax}(x)", "", "ok", "numeric"),
    ("softmax.distribution", r"\mathrm{softmax}(x + c) \neq \mathrm{softmax}(x)", "", "wrong", "numeric"),
    # masks named *_mask: ones on either set (Keras or TensorFlow), zeros of an additive one on the allowed pairs
    ("mask.causal", r"\text{look\_ahead\_mask}_{ij} = \mathbb{1}[j > i]", "", "ok", "numeric"),
    ("mask.causal", r"\text{look\_ahead\_mask}_{ij} = \mathbb{1}[j < i]", "", "wrong", "numeric"),
    ("mask.causal", r"\text{causal\_mask}_{ij} = \begin{cases} 0 & j \le i \\ -\infty & j > i \end{cases}", "", "ok",
     "numeric"),
    ("mask.causal", r"\text{causal\_mask}_{ij} = \begin{cases} 0 & j > i \\ -\infty & j \le i \end{cases}", "",
     "wrong", "numeric"),
    # TensorFlow's tutorial: a mask of ones where a query may not attend, times -1e9, added to the logits
    ("mask.causal", r"S = \frac{QK^T}{\sqrt{d_k}} + \text{mask} \cdot (-10^{9})", "", "ok", "numeric"),
    ("mask.causal", r"S = \frac{QK^T}{\sqrt{d_k}} + \text{mask} \cdot 10^{9}", "", "wrong", "numeric"),
    # FLOP counts of one head's products: 2 m k p for an m x k by k x p product, d may stand for every width
    ("cost.attention", r"\mathrm{FLOPs}(QK^\top) = 2\,n^2\,d", "", "ok", "symbolic"),
    ("cost.attention", r"\mathrm{FLOPs}(QK^\top) = 2\,n\,d^2", "", "wrong", "symbolic"),
    ("cost.attention", r"\mathrm{FLOPs}(XW^Q) = 2 n d_{model} d_k", "", "ok", "symbolic"),
    ("cost.attention", r"\mathrm{FLOPs}(QK^\top) = 2\,n_{\text{ctx}}^2\,d_{\text{attn}}", "", "ok", "symbolic"),
    # a weight's sign is a claim, not an entry's value under a condition in words
    ("softmax.distribution", r"\alpha_{ij} \ge 0", "", "ok", "numeric"),
    ("softmax.distribution", r"\alpha_{ij} \le 0", "", "wrong", "numeric"),
    # d2l's score of a bare query and key; Bloem's w'_{ij} (scores, over sqrt(k), k the width) and w_{ij} (weights)
    ("attention.definition", r"a(\mathbf{q}, \mathbf{k}) = \mathbf{q}^\top \mathbf{k} / \sqrt{d}", "", "ok", "numeric"),
    ("attention.definition", r"a(\mathbf{q}, \mathbf{k}) = \mathbf{q}^\top \mathbf{k} / d", "", "wrong", "numeric"),
    ("attention.definition", r"w'_{ij} = \frac{\mathbf{q}_i^{\mathsf{T}} \mathbf{k}_j}{\sqrt{k}}", "", "ok", "numeric"),
    ("attention.definition", r"w'_{ij} = \frac{\mathbf{q}_i^{\mathsf{T}} \mathbf{k}_j}{k}", "", "wrong", "shapes"),
    ("attention.definition", r"\mathbf{y}_i = \sum_j w_{ij} \mathbf{v}_j", "", "ok", "numeric"),
    # RoPE's base may be any (Llama 3's 500000, Meta's theta_base); PyTorch's sqrt(E) is a width
    ("positions.rope", r"\theta_i = 500000^{-2i/d}", "", "ok", "numeric"),
    ("positions.rope", r"\theta_i = \theta_{\text{base}}^{-i/d}", "", "wrong", "numeric"),
    ("mask.causal", r"\mathrm{softmax}(QK^\top / \sqrt{E} + M)V", "", "ok", "numeric"),
    # a worked softmax in scientific notation, to the digits of each mantissa
    ("softmax.distribution", r"\operatorname{softmax}(20, 10, 0) \approx (0.99995, 4.5 \times 10^{-5}, "
     r"2.1 \times 10^{-9})", "", "ok", "arithmetic"),
    ("softmax.distribution", r"\operatorname{softmax}(20, 10, 0) \approx (0.99995, 5.5 \times 10^{-5}, "
     r"2.1 \times 10^{-9})", "", "wrong", "arithmetic"),
    # a cheat sheet's merge of the old statistics with an arriving block's scores s_j, the new ones subscripted
    ("efficient.online_softmax", r"m_{\text{new}} = \max\big(m, \max_j s_j\big)", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell_{\text{new}} = e^{m - m_{\text{new}}}\,\ell + "
     r"\sum_j e^{s_j - m_{\text{new}}}", "", "ok", "numeric"),
    ("efficient.online_softmax", r"\ell_{\text{new}} = \ell + \sum_j e^{s_j - m_{\text{new}}}", "", "wrong", "numeric"),
    # probabilities p_ts, query t and key s
    ("softmax.distribution", r"\sum_{s=1}^{n} p_{ts} = 1", "", "ok", "numeric"),
    ("softmax.distribution", r"\sum_{t=1}^{n} p_{ts} = 1", "", "wrong", "numeric"),
    # a cost attached to the subject after it: "O(1) for self-attention and [formula] for recurrent layers"
    ("rnn.serial_dependency", r"O(n)", f"The maximum path length is [math] for self-attention and {SELF} for "
     f"recurrent layers.", "ok", "symbolic"),
    ("cost.attention", r"O(n d^2)", f"The projection FLOPs stay {SELF} for any number of heads.", "ok", "symbolic"),
    # h heads of width d_k are the model's width: h n^2 d_k is n^2 d, h n^2 d_model is h times too much
    ("cost.attention", r"O(h n^2 d_k)", f"With h heads, multi-head attention costs {SELF} time.", "ok", "symbolic"),
    ("cost.attention", r"O(h n^2 d_{model})", f"With h heads, multi-head attention costs {SELF} time.", "wrong",
     "symbolic"),
    ("cost.kv_cache", r"O(t\, H\, d_{head})", f"One decoding step scores all H query heads against t cached keys, "
     f"{SELF} per layer.", "ok", "symbolic"),
    ("cost.kv_cache", r"O(n^3 d)", f"A submission claimed ``cached decoding is {SELF} overall'' --- that is the cost "
     f"of recomputing the prefix without a cache.", "wrong", "symbolic"),  # the quotation is the claim
    ("cost.kv_cache", r"O(T^3 d_h)", f"With no cache and no window at all, every step re-encodes the prefix, and the "
     f"stream costs {SELF} in total.", "ok", "symbolic"),
    # "step t" is one decoding step, "the whole stream" all of them
    ("cost.kv_cache", r"O(t^2 d)", f"False: ``with a KV cache, step [math] still costs {SELF}''.", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(t\,d)", f"With a KV cache, step [math] costs {SELF}.", "ok", "symbolic"),
    ("cost.kv_cache", r"O(T^2 d_h)", f"Recomputing everything costs {SELF} for the whole stream.", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(T^3 d_h)", f"Recomputing everything costs {SELF} for the whole stream.", "ok", "symbolic"),
    # a sentence that names nothing, followed by one that says what "the cost" was of
    ("efficient.linear_attention", r"O(n d^2)", f"One answer went off on a tangent, at cost {SELF}. The cost is "
     f"right for linear attention, but it is a different model.", "ok", "symbolic"),
    ("efficient.linear_attention", r"O(n^2 d^2)", f"One answer went off on a tangent, at cost {SELF}. The cost is "
     f"right for linear attention, but it is a different model.", "wrong", "symbolic"),
    # "without a cache" ends where its "cache" does: the sentence before is about recomputing
    ("cost.kv_cache", r"O(L^2 d)", f"Without a cache every step re-encodes the prefix. One student wrote that this "
     f"costs {SELF} in total as well.", "wrong", "symbolic"),
    ("cost.kv_cache", r"O(L^3 d)", f"Without a cache every step re-encodes the prefix. One student wrote that this "
     f"costs {SELF} in total as well.", "ok", "symbolic"),
    # a distance between two positions grows as the length does: self-attention's path is O(1), an RNN's O(t - s)
    ("rnn.serial_dependency", r"O(t - s)", f"The path length between positions t and s in self-attention is {SELF}.",
     "wrong", "symbolic"),
    ("rnn.serial_dependency", r"O(t - s)", f"The path length between positions t and s in an RNN is {SELF}.", "ok",
     "symbolic"),
]


def verdicts(text: str, kind: str = "markdown") -> list[str]:
    """The verdicts of a document's findings, in order."""
    return [finding.verdict.value for finding in check_text(text, kind)]


@pytest.mark.parametrize(("claim", "latex", "context", "verdict", "rung"), CASES,
                         ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_verdict(claim, latex, context, verdict, rung):
    (finding,) = check_formulas([Formula(latex, 1, context=context)], "notes.md")
    assert (finding.verdict.value, finding.claim, finding.rung) == (verdict, claim, rung), finding.message
    if verdict == "wrong":
        assert finding.counterexample and finding.hint is not None


def test_a_mention_or_a_setting_states_nothing():
    assert check_formulas([Formula("d_k", 1), Formula(r"QK^\top", 2), Formula("d_{ff} = 2048", 3)], "notes.md") == []


def test_a_worked_example_with_the_documents_own_numbers_is_checked_as_arithmetic():
    (finding,) = check_formulas([Formula(r"\frac{q_1 \cdot k_1}{\sqrt{64}} = \frac{112}{8} = 13", 1)], "notes.md")
    assert (finding.verdict.value, finding.rung) == ("wrong", "arithmetic")


def test_unreadable_relations_are_unrecognised_not_dropped():
    (finding,) = check_formulas([Formula(r"\mathrm{LayerNorm}(x) = \gamma \odot \frac{x-\mu}{\sigma} + \beta", 1)], "n")
    assert finding.verdict.value == "unrecognised"


def test_a_weight_shape_follows_the_document_convention():
    rows, transposed = Formula("Q = XW^Q", 1), Formula(r"W^O \in \mathbb{R}^{d_{model} \times h d_v}", 2)
    assert [f.verdict.value for f in check_formulas([rows, transposed], "notes.md")] == ["ok", "wrong"]


def test_a_letter_applied_to_something_is_a_function_not_a_product():
    (finding,) = check_formulas([Formula("f(s(x)) = s(f(x))", 1)], "notes.md")  # s shuffles the tokens (EECS 498)
    assert finding.verdict.value == "unrecognised", finding.message


def test_d2l_writes_the_encoding_entries_as_p_with_two_indices():
    formulas = [Formula(r"d = 32", 1), Formula(r"p_{2,2} = \sin\left(2/10000^{2/32}\right) \approx 0.9021", 2),
                Formula(r"p_{2,2} = \sin\left(2/10000^{1/32}\right) \approx 0.9975", 3)]  # the exponent halved
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong"]


def test_worked_encodings_use_the_documents_d_model():
    formulas = [Formula("d_{model} = 4", 1), Formula(r"PE_{(1,2)} = \sin(1/100)", 2),
                Formula(r"PE_{(1,3)} = \cos(1/10000^{3/4})", 3)]
    assert [(f.line, f.verdict.value) for f in check_formulas(formulas, "notes.md")] == [(2, "ok"), (3, "wrong")]
    said = [Formula("d_{model} = 512", 1), Formula("d_{model}", 2, context="Take a toy [formula] of 4 and pos 1:"),
            Formula(r"PE_{(1,2)} = \sin(0.01)", 3), Formula(r"PE_{(1,2)} = \sin(1/10000^{4/4})", 4)]
    assert [(f.line, f.verdict.value) for f in check_formulas(said, "notes.md")] == [(3, "ok"), (4, "wrong")]


def test_a_shape_in_numbers_is_checked_with_the_sizes_the_document_states():
    stated = [Formula("d_{model} = 512", 1), Formula("h = 8", 2), Formula("d_v = 64", 3)]
    right, wrong = Formula(r"W^O \in \mathbb{R}^{512 \times 512}", 4), Formula(r"W^O \in \mathbb{R}^{64 \times 512}", 5)
    assert [f.verdict.value for f in check_formulas([*stated, right, wrong], "notes.md")][-2:] == ["ok", "wrong"]
    (alone,) = check_formulas([Formula(r"W_O \in \mathbb{R}^{4096 \times 3072}", 1)], "notes.md")  # no sizes stated
    assert alone.verdict.value == "unrecognised"


def test_a_mask_written_the_way_code_writes_it_counts_as_infinite():
    (finding,) = check_formulas([Formula(
        r"M_{ij} = \begin{cases} 0 & \text{if } j \le i \\ -10^{10} & \text{if } j > i \end{cases}", 1)], "notes.md")
    assert finding.verdict.value == "ok", finding.message


def test_a_latex_documents_own_macros_are_expanded():
    text = "\\newcommand{\\vx}{\\mathbf{x}}\n\\newcommand{\\T}{\\top}\n$$a_{nm} = \\frac{\\exp(\\vx_n^\\T \\vx_m)}" \
           "{\\sum_{m'} \\exp(\\vx_n^\\T \\vx_{m'})}$$\n"
    (finding,) = check_text(text, "tex")
    assert (finding.verdict.value, finding.latex[:22]) == ("ok", r"a_{nm} = \frac{\exp(\v")  # shown as written


def test_a_macro_with_arguments_is_expanded_with_them():
    text = "\\newcommand{\\ip}[2]{\\langle #1, #2\\rangle}\n$$\\mathrm{Var}(\\ip{q}{k}) = d_k$$\n" \
           "$$\\mathrm{Var}(\\ip{q}{k}) = d_k^2$$\n"
    assert verdicts(text, "tex") == ["ok", "wrong"]


def test_plain_tex_fractions_and_angled_token_superscripts():
    over = r"Attention(Q, K, V) = softmax({QK^T\over{\sqrt{d_k}}})V"  # a Korean textbook's plain TeX
    ng = r"A(q, K, V) = \sum_{i} \frac{\exp(q \cdot k^{<i>}/\sqrt{d_k})}{\sum_{j} \exp(q \cdot k^{<j>}/\sqrt{d_k})} " \
        r"v^{<i>}"  # the Coursera lectures
    cases = [(over, "ok"), (over.replace(r"\sqrt{d_k}", "d_k"), "wrong"), (ng, "ok"),
             (ng.replace(r"\sqrt{d_k}", "d_k"), "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex
    (finding,) = check_formulas([Formula(r"a \over b = c", 1)], "notes.md")
    assert finding.verdict.value == "unrecognised" and "braced group" in finding.message


def test_the_nyu_softargmax_over_tokens_as_columns():
    prose = "the columns of the $n \\times t$ matrix $X$ are the tokens"
    first = Formula(r"\boldsymbol{h} = \boldsymbol{X} \boldsymbol{a}", 1, context=prose)
    right = Formula(r"\boldsymbol{a} = [\text{soft}](\text{arg})\max_\beta(\boldsymbol{X}^\top \boldsymbol{x})", 2)
    wrong = Formula(r"\boldsymbol{a} = [\text{soft}](\text{arg})\max_\beta(\boldsymbol{X} \boldsymbol{x}^\top)", 3)
    assert [f.verdict.value for f in check_formulas([first, right, wrong], "notes.md")] == ["ok", "ok", "wrong"]


def test_the_nyu_notation_for_the_layer_and_the_key_width():
    layer = Formula(r"\boldsymbol{H} = \boldsymbol{X}\boldsymbol{A}, \qquad \boldsymbol{A} = [\text{soft}](\text{arg})"
                    r"\max_\beta(\boldsymbol{X}^\top \boldsymbol{X})", 1)
    variance = [Formula(r"\operatorname{Var}(\boldsymbol{k}^\top\boldsymbol{q}) = d'", 2),
                Formula(r"\operatorname{Var}(\boldsymbol{k}^\top\boldsymbol{q}) = d'^2", 3)]
    assert [f.verdict.value for f in check_formulas([layer, *variance], "notes.md")] == ["ok", "ok", "wrong"]


def test_the_weights_as_a_function_of_the_input():
    weights = r"A(X)_{ij} = \frac{\exp(q_i \cdot k_j / \sqrt{d_k})}{\sum_{l} \exp(q_i \cdot k_l / \sqrt{d_k})}"
    assert [f.verdict.value for f in check_formulas([Formula(weights, 1)], "notes.md")] == ["ok"]
    assert [f.verdict.value for f in check_formulas([Formula(r"Y = A(XW^V)", 1)], "notes.md")] == ["ok"]  # a product


def test_a_document_keeps_one_vector_convention():
    rows, columns = Formula("Q = XW^Q", 1), Formula("K = W^K X", 2)
    first, second = check_formulas([rows, columns], "notes.md")
    assert (first.verdict.value, second.verdict.value) == ("ok", "wrong")
    assert "line 1 uses row vectors" in second.message
    alone = check_formulas([Formula("K = W^K X", 1)], "notes.md")
    assert alone[0].verdict.value == "ok"


def test_worked_numbers_use_the_values_the_document_states():
    formulas = [Formula("d_{model} = 512", 1), Formula("h = 8", 2), Formula("d_k = d_{model}/h = 64", 3),
                Formula("d_k = 32", 4)]
    verdicts = [(f.line, f.verdict.value) for f in check_formulas(formulas, "notes.md")]
    assert verdicts == [(3, "ok"), (4, "wrong")]


def test_worked_kv_cache_sizes_use_the_model_the_text_last_described():
    stated = Formula(r"2 \cdot 32 \cdot 8 \cdot 128 \cdot 2\ \text{B} = 128\ \text{KiB}", 1,
                     context=f"Llama-3-8B (32 layers, 32 query heads, 8 KV heads of width 128) caches {SELF}.")
    budget = Formula(r"16 \cdot 4096 \cdot (2 \cdot 32 \cdot 32 \cdot 128 \cdot 2)\ \text{B} = 32\ \text{GiB}", 3,
                     context=f"For 16 requests of 4096 tokens we budgeted {SELF}.")
    findings = check_formulas([stated, budget], "notes.md")
    assert [f.verdict.value for f in findings] == ["ok", "wrong"]
    assert findings[1].hint == r"16 \cdot 4096 \cdot 2 \cdot 32 \cdot 8 \cdot 128 \cdot 2\ \text{B} = 8\ \text{GiB}"


def test_an_output_projection_in_numbers_is_only_judged_when_one_side_is_a_heads_width():
    for declared in (r"W_O \in \mathbb{R}^{4096 \times 3072}",  # Gemma 7B: 16 heads of 256 into 3072
                     r"W_i^O \in \mathbb{R}^{64 \times 512}", r"W_O^h \in \mathbb{R}^{512 \times 64}"):  # one head's
        (finding,) = check_formulas([Formula(declared, 1)], "notes.md")
        assert finding.verdict.value == "unrecognised", declared


def test_a_conclusion_under_an_assumption_the_checker_cannot_impose_is_not_called_wrong():
    equal_lengths = (r"\|k_i\| = \rho \;\Longrightarrow\; \mathrm{softmax}_i(-\tfrac{1}{2}\|q - k_i\|^2) = "
                     r"\mathrm{softmax}_i(q^{\top} k_i)")
    (finding,) = check_formulas([Formula(equal_lengths, 1)], "notes.md")
    assert finding.verdict.value == "unrecognised" and "assumption" in finding.message
    (finding,) = check_formulas([Formula(r"Q = XW^Q \implies Q = XW^K", 1)], "notes.md")  # a premise that holds
    assert finding.verdict.value == "wrong"


def test_a_concatenated_width_worked_out_with_the_documents_own_head_size_is_arithmetic():
    formulas = [Formula(r"d_{\text{model}} = 128", 1), Formula(r"h \cdot d_k = 8 \cdot 128 = 1024", 2),
                Formula(r"h \cdot d_k = 8 \cdot 128 = 512", 3)]  # Keras: key_dim need not be d_model / h
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong"]


def test_sines_then_cosines_is_accepted_where_the_text_lays_the_encoding_out_in_halves():
    sines = r"PE_{(pos, i)} = \sin(pos / 10000^{i/(d/2)})"  # channel i < d/2
    told = f"The tutorial does not interleave sines and cosines; it concatenates them: {SELF}"
    assert [f.verdict.value for f in check_formulas([Formula(sines, 1, context=told)], "n.md")] == ["ok"]
    assert [f.verdict.value for f in check_formulas([Formula(sines, 1)], "n.md")] == ["wrong"]  # the paper's layout
    both = sines + r", \quad PE_{(pos, d/2 + i)} = \cos(pos / 10000^{i/(d/2)})"  # the cosines' index says it too
    assert [f.verdict.value for f in check_formulas([Formula(both, 1)], "n.md")] == ["ok"]


def test_a_column_vector_text_may_index_its_weights_key_first_but_only_one_way():
    columns = Formula(r"A = \operatorname{softmax}(K^{\mathsf T} Q / \sqrt{d})", 1)  # Flux: A is n_k x n_q
    per_query = Formula(r"\sum_{i=1}^{n_k} A_{ij} = 1", 2)  # each column, one query, sums to 1
    mask = Formula(r"M_{ij} = \begin{cases} 0, & i \le j, \\ -\infty, & i > j \end{cases}", 3)  # key i, query j
    lower = Formula(r"M_{ij} = 0 \text{ for } i \ge j", 4)  # a PyTorch mask copied without transposing it
    assert [f.verdict.value for f in check_formulas([columns, per_query, mask, lower], "n.tex")] == \
        ["ok", "ok", "ok", "wrong"]
    assert [f.verdict.value for f in check_formulas([per_query], "n.tex")] == ["wrong"]  # rows: query first


def test_a_chain_of_sizes_that_holds_states_their_values():
    formulas = [Formula(r"d_k = d_v = 512 / 8 = 64", 1), Formula(r"d_k = 512 \cdot 8 = 4096", 2)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong"]


def test_an_entrys_value_under_a_condition_in_words_is_not_judged():
    (finding,) = check_formulas([Formula(r"\alpha_{ij} = 0", 1, context=f"For a padded key j, {SELF}.")], "n.md")
    assert finding.verdict.value == "unrecognised"


def test_w_o_declared_with_all_heads_widths_where_each_head_gets_d_v_over_h():
    declared = r"$\mathbf{W}^O \in \mathbb{R}^{d_v \times d_\text{model}}$"
    total = f"Here each head gets $d_k/h$ and $d_v/h$ columns, and the output projection is {declared}."
    assert verdicts(total) == ["ok"]
    assert verdicts(f"Each head's output feeds {declared}.") == ["wrong"]


def test_a_head_width_worked_out_as_the_width_times_the_heads_is_wrong():
    text = ("GPT-2 splits its 768-dimensional projections into 12 heads of 64 each: $d_k = 768 / 12 = 64$. "
            "A commenter wrote $d_k = 768 \\times 12 = 9216$.")
    findings = check_text(text)
    assert [f.verdict.value for f in findings] == ["ok", "wrong"]
    assert findings[1].hint == "d_k = 768 / 12 = 64"


def test_a_table_row_names_a_well_known_model_whose_other_sizes_complete_the_row():
    header = ("KV cache per token, for each model:\n\n| Model | $N_L$ | $h$ / $h_{kv}$ | KV per token |\n"
              "|---|---|---|---|\n")
    rows = ("| Falcon-7B (MQA) | 32 | 71 / 1 | $2 \\cdot 32 \\cdot 71 \\cdot 64 \\cdot 2 = 581{,}632$ B |\n"
            "| Falcon-7B (MQA) | 32 | 71 / 1 | $2 \\cdot 32 \\cdot 1 \\cdot 64 \\cdot 2 = 8{,}192$ B |\n")
    findings = check_text(header + rows)
    assert [f.verdict.value for f in findings] == ["wrong", "ok"]
    assert "the 1 KV head," in findings[0].message


def test_a_row_label_names_the_model_a_worked_cache_size_is_of():
    rows = (r"\begin{align} \text{Mistral 7B:}\quad & 2 \cdot 32 \cdot 8 \cdot 128 \cdot 2~\text{B} = 128~\text{KiB},"
            "\\\\\n" r"\text{Qwen2-7B:}\quad & 2 \cdot 28 \cdot 28 \cdot 128 \cdot 2~\text{B} = 392~\text{KiB}."
            r" \end{align}")
    findings = check_text("Per token, in bf16, the KV cache takes\n\n" + rows, kind="tex")
    assert [f.verdict.value for f in findings] == ["ok", "wrong"]  # Qwen2-7B has 4 KV heads


def test_the_element_size_a_text_states_once_reads_its_later_worked_cache_sizes():
    fp16 = "Numbers are for fp16, 2 bytes per value, and the cache holds keys and values.\n\n"
    worked = ("OPT-30B has 48 layers and a width of 7168; for 2048 tokens the KV cache needs "
              "$4 \\cdot 48 \\cdot 7168 \\cdot 2048 = 2{,}818{,}572{,}288$ bytes.")
    assert verdicts(fp16 + worked) == ["ok"]  # 4 = 2 (K and V) x 2 bytes
    assert verdicts(worked) == ["wrong"]  # 4 bytes of fp32: one tensor only


def test_a_decoder_that_re_runs_on_its_prefix_costs_what_recomputing_does():
    rerun = Formula(r"O(\ell^3 d_e)", 1, context=f"Inference re-runs the whole decoder on the growing prefix at every "
                    f"step, so sampling l tokens costs {SELF}.")
    assert [f.verdict.value for f in check_formulas([rerun], "notes.md")] == ["ok"]


def test_a_worked_kv_cache_size_for_a_batch_needs_the_batch_as_a_factor():
    model = "The KV cache of GPT-2 small: 12 layers, 12 heads of size 64, float32.\n\n"
    one = r"2 \cdot 12 \cdot 12 \cdot 64 \cdot 1024 \cdot 4\ \text{B}"  # one sequence of 1024 tokens: 72 MiB
    sizes = {
        rf"For a batch of 8 prompts: $\text{{KV}}_{{B=8}} = {one} = 72\ \text{{MiB}}$.": "wrong",
        rf"So $\mathrm{{KV}}_{{\text{{batch of 8}}}} = {one} = 72\ \text{{MiB}}$.": "wrong",
        rf"For a batch of 8: ${one} \times 8 = 576\ \text{{MiB}}$.": "ok",
        rf"Per sequence, in a batch of 8: ${one} = 72\ \text{{MiB}}$.": "ok",
    }
    for sentence, verdict in sizes.items():
        (finding,) = check_text(model + sentence)
        assert finding.verdict.value == verdict, (sentence, finding)
    (finding,) = check_text(model + next(iter(sizes)))
    assert "batch" in finding.message and r"\cdot 8\ \text{B} = 576" in finding.hint


def test_a_worked_cache_size_per_layer_width_needs_the_pair_of_k_and_v():
    latex = r"""Per generated token, with 16-bit numbers, the key/value cache takes:

\begin{tabular}{lcc}
Model & Layers & Bytes per token \\ \hline
GPT-2 small & 12 & $%s$ \\
\end{tabular}
"""
    products = {r"12 \times 768 \times 2 = 18{,}432": "wrong", r"2 \times 12 \times 768 \times 2 = 36{,}864": "ok"}
    for product, verdict in products.items():
        assert verdicts(latex % product, kind="tex") == [verdict], product
    table = ("Per-token KV cache in fp16:\n\n| model | layers | kv heads | $d_{head}$ | bytes per token |\n"
             "|---|---|---|---|---|\n| BLOOM-176B | 70 | 112 | 128 | $%s$ |\n")
    assert verdicts(table % r"70 \cdot 14336 \cdot 2 = 2{,}007{,}040") == ["wrong"]
    assert verdicts(table % r"2 \cdot 70 \cdot 14336 \cdot 2 = 4{,}014{,}080") == ["ok"]


def test_a_worked_kv_cache_size_uses_the_configuration_table_of_the_model_it_names():
    text = ("| model | layers | query heads | KV heads | head dim |\n|---|---|---|---|---|\n"
            "| Mixtral 8x7B | 32 | 32 | 8 | 128 |\n\n"
            "The dashboard read num_attention_heads: $\\text{KV}^{\\text{Mixtral}} = 2 \\times 32 \\times 32 "
            "\\times 128 \\times 2\\ \\text{B} = 512\\ \\text{KiB}$ per token of cache.")
    (finding,) = check_text(text)
    assert finding.verdict.value == "wrong" and "8 KV heads" in finding.message


def test_a_cost_named_only_earlier_is_of_what_the_document_last_costed():
    formulas = [Formula(r"O(n \cdot d^2)", 1, context=f"A recurrent layer costs {SELF} per layer."),
                Formula(r"O(n^2 d)", 2, context=f"Stacked, the work grows like {SELF}.")]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong"]


def test_a_cost_in_a_section_about_a_specific_subject_is_of_that_subject():
    sentence = f"The summary is a d x d matrix shared by all queries, so the layer costs {SELF}."
    linear = Formula(r"O(L d^2)", 1, context=sentence, section="Linear attention")
    assert [f.verdict.value for f in check_formulas([linear], "notes.md")] == ["ok"]
    plain = Formula(r"O(L d^2)", 1, context=sentence, section="Costs")  # queries: self-attention, O(L^2 d)
    assert [f.verdict.value for f in check_formulas([plain], "notes.md")] == ["wrong"]
    named = Formula(r"O(n^2 d)", 1, context=f"With a KV cache, generating n tokens costs {SELF} in total.",
                    section="Linear attention")  # a specific subject in the sentence wins over the section's
    assert [f.verdict.value for f in check_formulas([named], "notes.md")] == ["ok"]


def test_a_cost_is_measured_by_what_its_own_clause_names():
    work = Formula(r"O(n d)", 1, context=f"The KV cache turns decoding from [math] into {SELF} total work, at the "
                   "price of memory that grows linearly with the context.")
    memory = Formula(r"O(n d)", 1, context=f"With a KV cache the memory grows to {SELF} for n tokens.")
    assert [f.verdict.value for f in check_formulas([work], "notes.md")] == ["wrong"]  # time, in total: O(n^2 d)
    assert [f.verdict.value for f in check_formulas([memory], "notes.md")] == ["ok"]


def test_a_cost_of_another_kind_of_layer_gets_no_verdict():
    formulas = [Formula(r"O(n^2 d)", 1, context=f"Self-attention costs {SELF}."),
                Formula(r"O(k n d^2)", 2, context=f"A convolution with kernel size k costs {SELF}.")]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "unrecognised"]


def test_a_cost_in_a_table_row_is_of_the_rows_subject_measured_by_its_own_column():
    text = ("| | training cost | sequential steps | decode cost of step $t$ |\n|---|---|---|---|\n"
            "| attention + KV cache | $O(L^2 D)$ | constant | $O(tD)$ |\n"
            "| tanh RNN | $O(LD^2)$ | $L$ | one mat-vec |\n"
            "| Mamba (selective SSM) | $O(LDN)$ | log L | D N work |\n"
            "| LSTM | $O(L^2 D)$ | $L$ | one mat-vec |\n")
    assert verdicts(text) == ["ok", "ok", "ok", "unrecognised", "wrong"]


def test_a_cache_size_labelled_mha_or_mqa_counts_that_attentions_kv_heads_in_a_text_about_gqa():
    context = ("Per token the KV cache holds, for $n_h$ heads of width $d_h$, $n_g$ GQA groups and $l$ layers, "
               f"{SELF} elements.")
    formulas = [Formula(r"N_{\text{MHA}} = 2\, n_h d_h l", 1, context=context),
                Formula(r"N_{\text{GQA}} = 2\, n_g d_h l", 2, context=context),
                Formula(r"N_{\text{MQA}} = 2\, d_h l", 3, context=context),
                Formula(r"N_{\text{MQA}} = d_h l", 4, context=context),
                Formula(r"N_{\text{GQA}} = 2\, n_h d_h l", 5, context=context)]
    verdicts = [f.verdict.value for f in check_formulas(formulas, "notes.md")]
    assert verdicts == ["ok", "ok", "ok", "wrong", "wrong"]


def test_a_scale_written_as_a_number_is_read_against_the_model_width_and_the_width_over_the_heads():
    text = ("GPT-2 small has width $d_{\\text{model}} = 768$ and $h = 12$ heads.\n\n"
            "$$s_{ij} = \\frac{q_i \\cdot k_j}{\\sqrt{64}}$$\n\n"  # 768 / 12 = 64, the head width
            "$$s_{ij} = \\frac{q_i \\cdot k_j}{8}$$\n\n"
            "$$s_{ij} = \\frac{q_i \\cdot k_j}{\\sqrt{768}}$$\n")  # the model's width: the usual mistake
    assert verdicts(text) == ["ok", "ok", "wrong"]


def test_a_rope_position_shifted_by_a_letter_the_setting_calls_a_vector_is_not_read():
    latex = r"\text{RoPE}(x, m)^\mathrm{T}\,\text{RoPE}(y, n) = \text{RoPE}(x, m + k)^\mathrm{T}\,\text{RoPE}(y, n + k)"
    (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
    assert finding.verdict.value == "unrecognised", finding.message  # k is a shift here, not the key vector


def test_a_transposed_entry_is_not_understood_so_a_per_head_index_is_never_called_wrong():
    # DeepSeek-V2's q_{t,i} is token t's query in head i; read as entry i of q_t, q_{t,i}^T would be a number
    latex = (r"\mathbf{o}_{t,i} = \sum_{j=1}^{t} \operatorname{Softmax}_j\left(\frac{\mathbf{q}_{t,i}^{T}"
             r"\mathbf{k}_{j,i}}{\sqrt{d_h}}\right)\mathbf{v}_{j,i}")
    (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
    assert finding.verdict.value == "unrecognised", finding.message


def test_a_cost_equal_to_a_sum_over_the_steps_is_the_total_even_in_a_sentence_about_one_step():
    sentence = "With a KV cache, step $t$ compares one query with $t$ cached keys, linear in $t$, and {}.\n\n"
    text = sentence.format(r"$\sum_{t=1}^{T} t\,d = O(T^2 d)$") + sentence.format(r"$\sum_{t=1}^{T} t\,d = O(T^3 d)$")
    assert verdicts(text) == ["ok", "wrong"]


def test_a_subject_named_in_contrast_after_a_cost_is_not_its_subject():
    stated = "Self-attention costs $O(n^2 d)$ per layer.\n\nThe operations run one after the other number {}.\n"
    right, wrong = (stated.format(f"${steps}$, against $O(n)$ for an RNN") for steps in ("O(1)", "O(n)"))
    assert verdicts(right) == ["ok", "ok", "ok"]
    assert verdicts(wrong) == ["ok", "wrong", "ok"]
    alone = "The operations run one after the other number $O(1)$, against $O(n)$ for an RNN.\n"
    assert verdicts(alone) == ["unrecognised", "ok"]  # the other subject is not said


def test_a_next_sentence_that_refers_back_to_a_specific_subject_outweighs_the_paragraphs_words():
    text = ("Without the softmax, the product is associative: the right-hand side never builds the $n \\times n$ "
            "matrix and costs {}. That's the trick behind linear attention.\n")
    assert verdicts(text.format("$O(n d^2)$")) == ["ok"]
    assert verdicts(text.format("$O(n^2 d)$")) == ["wrong"]


def test_a_cost_after_instead_of_the_is_the_baseline_the_clause_names():
    text = ("With the cache, producing $n$ tokens costs $O(n^2 d)$ in total, instead of the {} you would pay by "
            "re-running the whole prefix every step.\n")
    assert verdicts(text.format("$O(n^3 d)$")) == ["ok", "ok"]
    assert verdicts(text.format("$O(n^2 d)$")) == ["ok", "wrong"]


def test_a_portuguese_cost_table_names_its_rows_and_columns():
    text = ("| Tipo de camada | Complexidade por camada | Operações sequenciais |\n|---|---|---|\n"
            "| Autoatenção | $O(n^2 \\cdot d)$ | $O(1)$ |\n"
            "| Recorrente | $O(n^2 \\cdot d)$ | $O(n)$ |\n")
    assert verdicts(text) == ["ok", "ok", "wrong", "ok"]


def test_a_jacobian_with_a_temperature_or_of_a_loss_is_not_read_as_the_softmaxs():
    formulas = [Formula(r"\frac{\partial \alpha_{ij}}{\partial s_{il}} = \frac{1}{\tau} \alpha_{ij}(\delta_{jl} - "
                        r"\alpha_{il})", 1),
                Formula(r"\partial \mathcal{L} / \partial z = p - y", 2)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["unrecognised", "unrecognised"]


def test_weights_a_row_vector_text_indexes_key_first_keep_that_order_but_its_mask_need_not():
    formulas = [Formula(r"w_{ji} = \frac{\exp(q_i^\top k_j / \sqrt{d_k})}{\sum_{l} \exp(q_i^\top k_l / \sqrt{d_k})}",
                        1),
                Formula(r"o_i = \sum_{j} w_{ji} v_j", 2),
                Formula(r"o_i = \sum_{j} w_{ij} v_j", 3),
                Formula(r"M_{ij} = \begin{cases} 0 & j \le i \\ -\infty & j > i \end{cases}", 4)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "ok", "wrong", "ok"]


def test_a_worked_size_takes_the_unit_written_after_it_and_a_ratio_of_caches_is_no_cache_size():
    formulas = [Formula(r"4.5 \text{ MB} \times 2048 \approx 9.2", 1, context=f"For 2048 tokens this is {SELF} GB."),
                Formula(r"4.5 \text{ MB} \times 2048 \approx 92", 2, context=f"For 2048 tokens this is {SELF} GB."),
                Formula(r"\frac{2 L h d_h}{2 L d_h} = h", 3, context=f"MQA shrinks the KV cache by {SELF}.")]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong", "ok"]


def test_a_plain_d_in_a_declaration_may_be_the_models_width():
    formulas = [Formula(r"X \in \mathbb{R}^{n \times d}", 1), Formula(r"W_Q \in \mathbb{R}^{d \times d_k}", 2),
                Formula(r"W^Q \in \mathbb{R}^{d \times d}", 3), Formula(r"Q \in \mathbb{R}^{d \times n}", 4),
                Formula(r"W_Q \in \mathbb{R}^{d_k \times d}", 5)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "ok", "ok", "wrong", "wrong"]


def test_a_long_sentence_of_formulas_keeps_its_subject_in_view():
    text = ("The recurrent layer must compute each hidden state from the previous one, so it needs $n$ sequential "
            "steps, and the signal from position $1$ reaches position $n$ through a path of length $O(n)$; "
            "self-attention connects every pair of positions in a single step, path length $O(1)$. Per layer "
            "the RNN costs $O(n d^2)$, a $d \\times d$ matrix product at each of the $n$ steps, against "
            "$O(n^2 d)$ for self-attention, cheaper whenever the sequence is shorter than the width.\n")
    assert [f.verdict.value for f in check_text(text) if f.latex == "O(n)"] == ["ok"]  # a path, in an RNN


def test_a_unit_written_on_one_side_only_may_be_both_sides():
    formulas = [Formula(r"384 / 8 = 48\ \text{MiB}", 1), Formula(r"384 / 8 = 46\ \text{MiB}", 2),
                Formula(r"2 \times 32 \times 8 \times 128 \times 2 = 128\ \text{KiB}", 3),
                Formula(r"2 \times 32 \times 8 \times 128 \times 2 = 128\ \text{MiB}", 4)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong", "ok", "wrong"]


def test_a_grid_of_scores_indexed_key_first_keeps_that_order_and_no_vector_convention():
    formulas = [Formula(r"G_{ij} = \frac{\vec{K}_i \cdot \vec{Q}_j}{\sqrt{d_k}}", 1),
                Formula(r"A_{ij} = \frac{e^{G_{ij}}}{\sum_{i'=1}^{n} e^{G_{i'j}}}", 2),
                Formula(r"\sum_{i=1}^{n} A_{ij} = 1", 3), Formula(r"\sum_{j=1}^{n} A_{ij} = 1", 4),
                Formula(r"\text{Attention}(Q, K, V) = \text{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right) V", 5)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "ok", "ok", "wrong", "ok"]


def test_self_attention_applied_to_what_is_not_a_sequence_is_no_checker_failure():
    (finding,) = check_formulas([Formula(r"y = \text{att}\, v \in \mathbb{R}^{B \times n_h \times T \times h_s}", 1)],
                                "notes.md")
    assert finding.verdict.value != "error", finding.message  # att(v) multiplied v by W^Q: a numpy ValueError


def test_floor_and_ceiling_are_functions_not_parentheses():
    assert parse(r"\lfloor h/g \rfloor + \left\lceil i/B \right\rceil") == tree.Add(
        tree.Call("floor", (tree.Div(tree.Name("h"), tree.Name("g")),)),
        tree.Call("ceil", (tree.Div(tree.Name("i"), tree.Name("B")),)))


def test_a_bare_condition_on_a_query_and_a_key_is_judged_where_the_sentence_says_what_is_attended():
    formulas = [Formula(r"i - w < j \le i", 1, context=f"Query i attends exactly the keys j with {SELF}."),
                Formula(r"j < i", 2, context=f"Under the causal mask query i sees the keys j with {SELF}."),
                Formula(r"|i - j| \le w", 3, context=f"A causal sliding window is the band {SELF}."),
                Formula(r"j \le i", 4, context=f"The loop runs while {SELF}.")]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong", "wrong", "unrecognised"]


def test_a_limit_that_does_not_settle_is_not_judged():
    (finding,) = check_formulas([Formula(r"\lim_{T \to \infty} \mathrm{softmax}(z T) = e_{i^\ast}", 1)], "notes.md")
    assert finding.verdict.value == "ok"  # z T: the temperature's inverse, one-hot as T grows
    (finding,) = check_formulas([Formula(r"\lim_{T \to \infty} T\, p(T) = 0", 1)], "notes.md")
    assert finding.verdict.value == "unrecognised" and "does not settle" in finding.message


def test_a_mask_indexed_key_first_fixes_the_documents_index_order():
    text = ("Tokens are columns: $S = K^\\top Q$.\n\n$\\mathrm{Mask}[t_z, t_x] = [\\, t_z \\le t_x \\,]$, "
            "key $t_z$ and query $t_x$.\n\nA student wrote $\\mathrm{Mask}[t_z, t_x] = [\\, t_z \\ge t_x \\,]$.\n")
    findings = check_text(text)
    assert [f.verdict.value for f in findings] == ["ok", "ok", "wrong"], findings
    assert "key first" in findings[2].message


def test_a_document_counts_its_window_one_way():
    text = ("The window mask is $M_{ij} = \\begin{cases} 0 & i - w < j \\le i \\\\ -\\infty & "
            "\\text{otherwise} \\end{cases}$.\n\nSo query $i$ attends to the keys with $i - w < j \\le i$.\n\n"
            "A common transcription lets query $i$ see the keys with $0 \\le i - j \\le w$.\n")
    assert verdicts(text) == ["ok", "ok", "wrong"]


TOPICS = [t for t in vars(equations).values() if isinstance(t, equations.Topic)]


@pytest.mark.parametrize("topic", TOPICS, ids=[t.claim for t in TOPICS])
def test_every_hint_is_itself_judged_right(topic):
    findings = check_formulas([Formula(topic.hint, 1)], "hint.md")
    assert [f.verdict.value for f in findings] == ["ok"], findings
    assert registry.by_id(topic.claim)


def test_every_claim_is_checked_in_documents_or_says_why_not():
    ids = {c.id for c in registry.CLAIMS}
    assert coverage.covered() <= ids, coverage.covered() - ids
    assert set(coverage.NOT_IN_DOCUMENTS) <= ids
    assert coverage.covered() | set(coverage.NOT_IN_DOCUMENTS) == ids
    assert not coverage.covered() & set(coverage.NOT_IN_DOCUMENTS)


def test_every_claim_id_the_checker_names_is_in_the_registry():
    """A claim id is a string wherever a module assigns it to a finding; a typo there would name no claim."""
    ids = {c.id for c in registry.CLAIMS}
    topics = {i.split(".")[0] for i in ids}
    named = {node.value for path in Path(check.__file__).parent.glob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and re.fullmatch(r"[a-z_]+\.[a-z_]+", node.value) and node.value.split(".")[0] in topics}
    assert len(named) > 20 and named <= ids, named - ids


def test_a_running_state_is_judged_only_as_one_the_settings_know():
    state = r"S_i = S_{i-1} + \phi(K_i)\, V_i^\top, \qquad z_i = z_{i-1} + \phi(K_i)"  # causal linear attention's
    wrong = r"S_i = S_{i-1} + \phi(Q_i)\, V_i^\top"  # the query's features summed, not the key's
    assert [f.verdict.value for f in check_formulas([Formula(state, 1), Formula(wrong, 2)], "notes.md")] == \
        ["ok", "wrong"]
    unknown = r"c_i = c_{i-1} + \phi(K_i)"  # a running sum under a name no setting gives one
    (finding,) = check_formulas([Formula(unknown, 1)], "notes.md")
    assert finding.verdict.value == "unrecognised" and "previous value" in finding.message
    online = r"m_j = \max(m_{j-1}, x_j)"  # the online softmax's running maximum is still judged
    assert [f.verdict.value for f in check_formulas([Formula(online, 1)], "notes.md")] == ["ok"]


def test_sizes_set_as_a_tuple_size_each_heads_weights():
    text = (r"Our model has $(d_{\text{model}}, H, d_{\text{head}}) = (512, 8, 64)$, tokens as columns." "\n\n"
            r"Head $h$ has $W_Q^h \in \mathbb{R}^{64 \times 512}$ and $W_O^h \in \mathbb{R}^{512 \times 64}$." "\n\n"
            r"A slip: $W_O^h \in \mathbb{R}^{64 \times 512}$.")
    assert verdicts(text) == ["ok", "ok", "ok", "wrong"]
    assert check_text(r"$(d_{\text{model}}, h, d_k) = (512, 8, 32)$")[0].verdict.value == "wrong"  # 512 / 8 is 64


def test_a_column_vector_text_masks_its_key_first_weights_by_cases():
    columns = Formula(r"A = \operatorname{softmax}(K^{\mathsf T} Q / \sqrt{d_k})", 1)  # Prince: key m, query n
    scores = Formula(r"a_{mn} = \frac{\exp(\mathbf{k}_m^\intercal\mathbf{q}_n / \sqrt{d_k})}"
                     r"{\sum_{m'=1}^{N} \exp(\mathbf{k}_{m'}^\intercal\mathbf{q}_n / \sqrt{d_k})}", 2)  # n: an index
    future = Formula(r"a_{mn} = 0 \text{ whenever } m > n", 3)
    past = Formula(r"a_{mn} = 0 \text{ whenever } m < n", 4)
    assert [f.verdict.value for f in check_formulas([columns, scores, future, past], "n.tex")] == \
        ["ok", "ok", "ok", "wrong"]


def test_a_long_written_out_sum_is_no_worked_count_and_does_not_stall():
    (finding,) = check_formulas([Formula(r"\Delta\vec{E}_j = \sum_{h=1}^{96} \Delta\vec{E}_j^{(h)}", 1)], "notes.md")
    assert finding.verdict.value == "unrecognised"  # it ran into the 5 s limit in SymPy's simplify


def test_costs_for_a_batch_and_of_another_measure():
    formulas = [Formula(r"O(B N^2 D)", 1, context=f"Self-attention over a batch costs {SELF}."),
                Formula(r"O(b n^3 d)", 2, context=f"Generating n tokens with a KV cache costs {SELF} in total."),
                Formula(r"O(n d)", 3, context=f"With a KV cache, each decoding step costs {SELF}."),
                Formula(r"O(1)", 4, context=f"It needs {SELF} sequential steps.")]  # not a count decoding has
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong", "ok", "unrecognised"]


def test_a_scale_written_as_a_number_is_read_with_the_documents_head_width():
    text = ("We use $d_k = 256$.\n\n$s_{ij} = q_i^\\top k_j / \\sqrt{256} = q_i^\\top k_j / 16$\n\n"
            "$s_{ij} = q_i^\\top k_j / 256$\n\n$s_{ij} = q_i^\\top k_j / \\sqrt{64}$")
    assert verdicts(text) == ["ok", "wrong", "unrecognised"]
    assert check_text(r"$\mathrm{softmax}_1(x)_i = \frac{e^{x_i}}{1 + \sum_j e^{x_j}}$")[0].verdict.value == \
        "unrecognised"  # softmax_1 (a 1 added to the sum) is another function


def test_worked_softmaxes_with_a_masked_score_or_a_scaled_tuple():
    cases = [(r"\operatorname{softmax}(2.0, 1.0, 0.5, -\infty) = (0.6285,\ 0.2312,\ 0.1402,\ 0)", "ok"),
             (r"\operatorname{softmax}\left(\tfrac{(2, 1, 0)}{2}\right) = (0.506, 0.307, 0.186)", "ok"),
             (r"\operatorname{softmax}\left(\tfrac{(2, 1, 0)}{2}\right) = (0.867, 0.117, 0.016)", "wrong"),  # unscaled
             (r"\text{softmax}\left(\tfrac{1}{\sqrt{3}}\,(0, 0, 100, 100)\right) = (0, 0, 0.5, 0.5)", "ok")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_entries_indexed_in_brackets_as_arrays_are():
    column = r"\mathrm{softmax}(A)[t_z, t_x] = \frac{\exp A[t_z, t_x]}{\sum_{t} \exp A[t, t_x]}"  # Phuong & Hutter
    row = r"\mathrm{softmax}(A)[t_z, t_x] = \exp A[t_z, t_x] / \sum_{t} \exp A[t_z, t]"
    columns = Formula(r"\tilde{V} = V\,\mathrm{softmax}(K^\intercal Q/\sqrt{d_k})", 1)  # tokens as columns
    findings = check_formulas([columns, Formula(column, 2), Formula(row, 3)], "notes.md")
    assert [(f.verdict.value, f.claim) for f in findings[1:]] == [("ok", "softmax.distribution"),
                                                                   ("wrong", "softmax.distribution")]


def test_a_worked_softmax_written_out_in_steps_or_of_scores_named_before():
    steps = r"\mathrm{softmax}(1, 2, 3) = (e^{1}, e^{2}, e^{3}) / (e^{1} + e^{2} + e^{3}) \approx "
    cases = [(steps + "(0.0900, 0.2447, 0.6652)", "ok"),
             (steps + "(0.0900, 0.2447, 0.6552)", "wrong"),  # the last step's digits
             (r"\mathrm{softmax}(1, 2, 3) = (e^{1}, e^{2}, e^{3}) / (e^{1} + e^{2}) \approx (0.0900, 0.2447, 0.6652)",
              "wrong"),  # the exact form's denominator
             (r"\mathbf{softmax}\left[(1, 2, 3)^\mathsf{T}\right] = (0{,}090;\ 0{,}245;\ 0{,}665)^\mathsf{T}", "ok"),
             (r"\mathbf{softmax}\left[(1, 2, 3)^\mathsf{T}\right] = (0{,}167;\ 0{,}333;\ 0{,}5)^\mathsf{T}", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex
    named = [Formula(r"s = (2.0, 1.0, 0.1)", 1), Formula(r"\mathrm{softmax}(s) \approx (0.659, 0.242, 0.099)", 2),
             Formula(r"\mathrm{softmax}(s) \approx (0.645, 0.323, 0.032)", 3)]  # s / sum(s), no softmax
    assert [f.verdict.value for f in check_formulas(named, "notes.md")] == ["ok", "wrong"]
    numbered = [Formula(r"E_1 = (0.5,\ 0.5,\ 1.0), \qquad A_1 = \text{softmax}(E_1) = (0.2741,\ 0.2741,\ 0.4519)", 1),
                Formula(r"\text{softmax}(E_1) = (0.3021,\ 0.3021,\ 0.3958)", 2)]  # Johnson's: scores named E_1
    assert [f.verdict.value for f in check_formulas(numbered, "notes.md")] == ["ok", "wrong"]


def test_a_second_configuration_worked_out_as_model_width_over_heads_is_not_a_contradiction():
    formulas = [Formula(r"d_k = 64", 1), Formula(r"d_k = 128 / 8 = 16", 2), Formula(r"d_k = 128 / 8 = 32", 3)]
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["ok", "wrong"]  # d_k = 64 states nothing
    formulas = [Formula(r"d_k = 64", 1), Formula(r"d_k = 512 \cdot 8 = 4096", 2)]  # no working as d_model / h
    assert [f.verdict.value for f in check_formulas(formulas, "notes.md")] == ["wrong"]


def test_a_worked_kv_cache_size_for_a_well_known_model_named_in_the_text():
    named = "For Llama-2-70B the cache of one token is [formula]."
    query_heads = Formula(r"2 \times 80 \times 64 \times 128 \times 2 = 2{,}621{,}440", 1, context=named)
    kv_heads = Formula(r"2 \times 80 \times 8 \times 128 \times 2 = 327{,}680", 2, context=named)
    width = Formula(r"2 \times 80 \times 8192 \times 2\ \text{bytes} = 2.5\ \text{MiB}", 3, context=named)  # 64 x 128
    assert [f.verdict.value for f in check_formulas([query_heads, kv_heads, width], "notes.md")] == \
        ["wrong", "ok", "wrong"]


def test_a_worked_count_of_cached_values_needs_no_element_size():
    text = "A 15.5B model with 40 layers and 48 heads of dimension 128, in bfloat16, caches [formula]"
    values = Formula(r"2 \times 16\,000 \times 40 \times 48 \times 128 = 7.86 \times 10^{9}\ \text{values}", 1,
                     context=text)
    keys_only = Formula(r"16\,000 \times 40 \times 48 \times 128 = 3.93 \times 10^{9}\ \text{values}", 2, context=text)
    assert [f.verdict.value for f in check_formulas([values, keys_only], "notes.md")] == ["unrecognised", "wrong"]


def test_a_mask_given_as_a_set_of_index_pairs():
    cases = [(r"\mathcal{A}_{\text{causal}} = \{(i, j) : j \le i\}", "ok"),
             (r"\mathcal{A}_{\text{causal}} = \{(i, j) : j \ge i\}", "wrong"),
             (r"\mathcal{M} = \{(i, j) : j > i\}", "ok"),  # the masked pairs: the complement
             (r"\mathcal{A}_{w} = \{(i, j) : i - w < j \le i\}", "ok"),
             (r"\mathcal{A}_{w} = \{(i, j) : j \le i + w\}", "wrong"),
             (r"\mathcal{A}_{w} = \{(i, j) : |i - j| \le w\}", "unrecognised"),  # an encoder's two-sided window
             (r"\mathcal{S}_i = \{ j : i - w < j \le i \}", "ok"),  # the keys query i attends to (Weng)
             (r"\mathcal{S}_i = \{ j : j \ge i \}", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_a_configuration_in_a_paragraph_of_its_own_sizes_the_worked_cache_after_it():
    text = ("The KV cache stores keys and values.\n\nConfig: 40 layers, 40 attention heads, head width 128, fp16.\n\n"
            "| quantity | value |\n|---|---|\n"
            "| per token | $2 \\times 40 \\times 40 \\times 128 \\times 2 = 819{,}200$ |\n\n"
            "An erratum gave $40 \\times 40 \\times 128 \\times 2 = 409{,}600$, the keys only.\n\n"
            "A decoding step at position 4096 takes "
            "$4 \\times 4096 \\times 5120 \\times 40 = 3{,}355{,}443{,}200$ FLOPs.")
    assert verdicts(text) == ["ok", "wrong", "ok"]  # a count of FLOPs is no size


def test_a_tables_answer_key_column_names_no_attention_key():
    table = ("| layer | key | most common wrong match |\n|---|---|---|\n"
             "| self-attention | $O(n^2 d)$ | $O(n d^2)$ |\n| recurrent (RNN) | $O(n d^2)$ | $O(n^2 d)$ |\n")
    assert verdicts(table) == ["ok", "wrong", "ok", "wrong"]  # an answer key, no key
    by_column = "| measure | self-attention | RNN |\n|---|---|---|\n| time | $O(n^2 d)$ | $O(n d^2)$ |\n"
    assert verdicts(by_column) == ["ok", "ok"]  # headers that name the subjects


def test_a_sentence_that_restates_part_of_a_models_configuration_is_read_with_the_rest_of_it():
    table = ("| model | layers | query heads | KV heads | head dim | hidden |\n|---|---|---|---|---|---|\n"
             "| LLaMA-13B | 40 | 40 | 40 | 128 | 5120 |\n| Llama 3.1 70B | 80 | 64 | 8 | 128 | 8192 |\n\n")
    text = table + ("**LLaMA-13B** caches $2 \\times 5120 \\times 40 \\times 2 = 819{,}200$ bytes per token; a reader "
                    "emailed $5120 \\times 40 \\times 2 = 409{,}600$ bytes for it, the keys only.\n\n"
                    "**Llama 3.1 70B** caches $2 \\times 80 \\times 8 \\times 128 \\times 2 = 327{,}680$ bytes.\n\n"
                    "If you plug in the 64 query heads you get $2 \\times 80 \\times 64 \\times 128 \\times 2 = "
                    "2{,}621{,}440$ bytes.\n\n"
                    "Eight sequences of 8192 tokens: "
                    "$327{,}680 \\times 8192 \\times 8\\ \\text{bytes} = 20\\ \\text{GiB}$.")
    assert verdicts(text) == ["ok", "wrong", "ok", "wrong", "ok"]


def test_config_json_fields_state_a_model_and_a_later_sentences_hypothetical_does_not():
    text = ("The KV cache of Llama 2 70B: `hidden_size: 8192`, `num_attention_heads: 64`, "
            "`num_key_value_heads: 8`, `num_hidden_layers: 80`. One token costs "
            "$2 \\cdot 80 \\cdot 8 \\cdot 128 \\cdot 2\\ \\text{bytes} = 327{,}680\\ \\text{bytes}$.\n\n"
            "A capacity sheet estimated $2 \\cdot 80 \\cdot 64 \\cdot 128 \\cdot 2 \\cdot 4096\\ \\text{bytes} = "
            "10\\ \\text{GiB}$ for one sequence. Had the model used multi-query attention, a token would cost less.")
    assert verdicts(text) == ["ok", "wrong"]


def test_a_sum_of_indexed_items_is_only_read_as_heads_when_it_counts_heads():
    (finding,) = check_formulas([Formula(r"x = x_1 + x_2 + \dots + x_n", 1)], "notes.md")
    assert finding.verdict.value == "unrecognised"  # n items of x, not h heads


def test_a_decimal_comma_is_told_from_a_thousands_separator():
    cases = [(r"0{,}245", "0.245"), (r"2{,}5", "2.5"), (r"327{,}680", "327680"), (r"1{,}024{,}000", "1024000")]
    assert [(latex, parse(latex).text) for latex, _ in cases] == cases


def test_d2l_weights_and_scores_as_functions_of_the_query_and_a_key():
    text = ("A query $\\mathbf{q}$ attends over $m$ key–value pairs.\n\n"
            "$$a(\\mathbf{q}, \\mathbf{k}_i) = \\mathbf{q}^\\top \\mathbf{k}_i / \\sqrt{d}$$\n\n"
            "$$\\alpha(\\mathbf{q}, \\mathbf{k}_i) = \\frac{\\exp(\\mathbf{q}^\\top \\mathbf{k}_i / \\sqrt{d})}"
            "{\\sum_{j=1}^m \\exp(\\mathbf{q}^\\top \\mathbf{k}_j / \\sqrt{d})}$$\n\n"
            "$$\\alpha(\\mathbf{q}, \\mathbf{k}_i) = \\frac{\\exp(\\mathbf{q}^\\top \\mathbf{k}_i)}"
            "{\\sum_{j=1}^m \\exp(\\mathbf{q}^\\top \\mathbf{k}_j / \\sqrt{d})}$$\n")
    assert verdicts(text) == ["ok", "ok", "wrong"]  # m: the keys, as d2l counts them


def test_another_scoring_function_named_a_is_not_read_as_the_scaled_dot_product():
    (finding,) = check_formulas([Formula(r"a(\mathbf{q}, \mathbf{k}_i) = -\frac{1}{2} \|\mathbf{q} - \mathbf{k}_i\|^2",
                                         1)], "notes.md")
    assert finding.verdict.value != "wrong"  # d2l's Gaussian kernel score


def test_costs_in_a_german_text():
    text = ("Ein RNN braucht $\\mathcal{O}(N)$ sequentielle Schritte.\n\n"
            "Aufwand der Aufmerksamkeitsmatrix als $\\mathcal{O}(N D^2)$ angegeben.\n")
    assert verdicts(text) == ["ok", "wrong"]


def test_turners_layout_weights_indexed_key_first_by_their_own_indices():
    weight = r"A_{n,n'} = \frac{\exp(k_n^\top q_{n'} / \sqrt{K})}"
    cases = [(weight + r"{\sum_{n''=1}^{N} \exp(k_{n''}^\top q_{n'} / \sqrt{K})}", "ok"),  # key n, query n'; K: a width
             (weight + r"{\sum_{n''=1}^{N} \exp(k_{n}^\top q_{n''} / \sqrt{K})}", "wrong"),  # over the queries
             (r"q_n = U_q x_n", "ok")]  # Turner's (and ViT's) U for the projections
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_weights_with_one_row_per_query_in_a_text_of_token_columns():
    text = ("Tokens are the columns of $X$, and $Q, K, V$ are weight matrices acting on them.\n\n"
            "$$A(X) = \\mathrm{softmax}_{\\mathrm{row}}\\big(X^\\top Q^\\top K X / \\sqrt{d}\\big)$$\n\n"
            "$$\\mathrm{SA}(X) = V X A(X)^\\top$$\n\n$$\\mathrm{SA}(X) = V X A(X)$$\n\n"
            "$$A(X\\Pi) = \\Pi^\\top A(X)\\,\\Pi$$\n\n$$A(X\\Pi) = A(X)\\,\\Pi$$\n\n"
            "$$V X A(X)^\\top \\in \\mathbb{R}^{d \\times n}$$\n")
    assert [(f.claim, f.verdict.value) for f in check_text(text)] == [
        ("attention.definition", "ok"), ("attention.definition", "ok"), ("attention.definition", "wrong"),
        ("attention.permutation_equivariance", "ok"), ("attention.permutation_equivariance", "wrong"),
        ("qkv.shapes", "ok")]


def test_a_worked_matrix_of_numbers_is_not_checked_at_random_points():
    text = ("$$\\frac{QK^{\\top}}{\\sqrt{d_k}} = "
            "\\frac{1}{\\sqrt{2}}\\begin{bmatrix} 1 & 3 \\\\ 0 & 1 \\end{bmatrix}$$\n\n"
            "$$M = \\begin{bmatrix} 0 & -10^{9} \\\\ 0 & 0 \\end{bmatrix}$$\n")
    assert verdicts(text) == ["unrecognised", "ok"]  # the toy Q, K; a mask is structure


def test_scores_shifted_by_any_constant_give_the_same_attention():
    text = ("Scores $s_i = q \\cdot k_i / \\sqrt{d}$.\n\n"
            "$$\\frac{\\sum_i v_i e^{s_i}}{\\sum_j e^{s_j}} = "
            "\\frac{\\sum_i v_i e^{s_i - m}}{\\sum_j e^{s_j - m}}$$\n\n"
            "$$\\frac{\\sum_i v_i e^{s_i}}{\\sum_j e^{s_j}} = \\frac{\\sum_i v_i e^{s_i - m}}{\\sum_j e^{s_j}}$$\n")
    assert verdicts(text) == ["ok", "ok", "wrong"]


def test_rabe_and_staats_lazy_softmax_with_starred_sums_and_chunks_a_and_b():
    steps = [(r"s^*_i = s^*_{i-1}\, e^{m_{i-1} - m_i} + e^{s_i - m_i}", "ok"),
             (r"v^*_i = v^*_{i-1}\, e^{m_{i-1} - m_i} + v_i\, e^{s_i - m_i}", "ok"),
             (r"s^*_i = s^*_{i-1} + e^{s_i - m_i}", "wrong"),  # no rescaling
             (r"m = \max(m_a, m_b)", "ok"),
             (r"v^* = v^*_a\, e^{m_a - m} + v^*_b\, e^{m_b - m}", "ok"),
             (r"v^* = v^*_a\, e^{m - m_a} + v^*_b\, e^{m - m_b}", "wrong")]  # the exponents' signs swapped
    for latex, verdict in steps:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert (finding.claim, finding.verdict.value) == ("efficient.online_softmax", verdict), latex


def test_a_tokens_vector_numbered_above_is_indexed_by_that_number():
    cases = [(r"q^{(i)} = W_q^{\top} x^{(i)}", "ok"),  # MIT 6.390: row-shaped weights on a column token
             (r"q^{(i)} = W_q^{\top} x^{(j)}", "wrong"),  # and below: normalised without exp
             (r"a^{(i)}_j = \frac{{q^{(i)}}^{\top} k^{(j)}}{\sum_{l=1}^{n} {q^{(i)}}^{\top} k^{(l)}}", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_a_last_word_bytes_after_the_element_size_is_the_unit():
    sentence = "The KV cache takes [formula]."
    cases = [(r"M_{\text{KV}} = 2\, n_l\, B\, L\, n_{\text{kv}}\, d_h\, b \ \text{bytes}", "ok"),  # Pope et al.
             (r"M_{\text{KV}} = n_l\, B\, L\, n_{\text{kv}}\, d_h\, b \ \text{bytes}", "wrong")]  # no factor 2
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1, context=sentence)], "notes.md")
        assert (finding.claim, finding.verdict.value) == ("kv_cache.memory", verdict), latex


def test_a_sum_over_decoding_steps_is_not_read_as_the_caches_size():
    sentence = "Reading the KV cache at every step costs [formula]."
    latex = r"\sum_{t=1}^{L} 4\, n_l\, B\, t\, n_h\, d_h = 2\, n_l\, B\, L(L+1)\, n_h\, d_h"
    (finding,) = check_formulas([Formula(latex, 1, context=sentence)], "notes.md")
    assert finding.verdict.value != "wrong"  # a correct sum of per-step costs (Pope et al.)


def test_a_heads_width_named_d_head_may_be_the_values_width():
    cases = [(r"W_O \in \mathbb{R}^{d_{\text{model}} \times H d_{\text{head}}}", "ok"),  # Elhage et al., columns
             (r"W_O \in \mathbb{R}^{H d_{\text{head}} \times d_{\text{model}}}", "ok"),
             (r"W_O \in \mathbb{R}^{d_{\text{head}} \times d_{\text{model}}}", "wrong")]  # one head's width only
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_a_display_followed_by_a_capital_ends_its_sentence_in_latex():
    text = ("Per layer, step $t$ attends over $t$ cached keys and values:\n"
            "\\begin{align*}\n  \\text{with a KV cache:}\\quad & \\sum_{t=1}^{n} O(t\\,d) = O(n^2 d)\n\\end{align*}\n"
            "The recurrent layer needs $n$ sequential steps: $O(n)$ sequential operations, against $O(1)$ for a "
            "self-attention layer.\n")
    assert [(f.claim, f.verdict.value) for f in check_text(text, "tex")][-2:] == [
        ("rnn.serial_dependency", "ok"), ("rnn.serial_dependency", "ok")]  # not the cache's decoding cost


def test_a_size_labelled_by_two_letters_above_is_fleurets_key_width():
    weights = r"A_{q,k} = \mathrm{softmax}_k \left( \frac{Q_q \cdot K_k}{WIDTH} \right)"
    verdicts = [check_formulas([Formula(weights.replace("WIDTH", width), 1)], "notes.md")[0].verdict.value
                for width in (r"\sqrt{D^{QK}}", r"D^{QK}")]
    assert verdicts == ["ok", "wrong"]


def test_a_letter_scaled_to_a_large_negative_number_is_a_mask():
    logits = r"\text{logits} = \frac{QK^T}{\sqrt{d_k}} + (1 - L) \cdot \left(-10^{9}\right)"  # Coursera's look-ahead L
    (finding,) = check_formulas([Formula(logits, 1)], "notes.md")
    assert (finding.claim, finding.verdict.value) == ("mask.causal", "ok")
    after = r"\mathrm{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right) + (1 - L) \cdot \left(-10^{9}\right)"
    (finding,) = check_formulas([Formula(r"P = " + after, 1)], "notes.md")
    assert finding.verdict.value == "wrong"  # the mask added after the softmax


def test_q_k_v_declared_square_in_the_models_width_are_the_projection_matrices():
    cases = [(r"Q, K, V \in \mathbb{R}^{d \times d}", "ok"),  # CS224n: q_i = Q x_i
             (r"Q_\ell \in \mathbb{R}^{d \times d}", "wrong"),  # one head's is (d/h) x d
             (r"Q \in \mathbb{R}^{d_k \times d_k}", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_geron_names_the_sizes_with_plural_words():
    cases = [(r"\operatorname{Attention}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \operatorname{softmax}\left("
              r"\frac{\mathbf{Q}\mathbf{K}^\intercal}{\sqrt{d_{\text{keys}}}}\right)\mathbf{V}", "ok"),
             (r"\operatorname{Attention}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \operatorname{softmax}\left("
              r"\frac{\mathbf{Q}\mathbf{K}^\intercal}{d_{\text{keys}}}\right)\mathbf{V}", "wrong"),
             (r"\mathbf{Q}\mathbf{K}^\intercal \in \mathbb{R}^{n_{\text{queries}} \times n_{\text{keys}}}", "ok"),
             (r"\operatorname{Var}(\mathbf{q}\mathbf{k}^\intercal) = d_{\text{keys}}", "ok")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1, context="The scaled scores are [formula].")], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_the_softmax_jacobian_at_the_scores_with_the_probabilities_named_in_prose():
    text = ("For a score vector $x$ let $s$ be its softmax.\n\n$$J(x) = \\mathrm{diag}(s) - s s^\\top$$\n\n"
            "$$\\dfrac{\\partial s_i}{\\partial x_j} = s_i(1 - s_j)$$\n\n"
            "$$J \\;\\longrightarrow\\; \\mathrm{diag}(e_1) - e_1 e_1^\\top = 0$$\n")
    assert verdicts(text)[:2] == ["ok", "wrong"]  # the delta dropped


def test_the_variance_of_two_tokens_row_vectors_q_i_k_j_transposed():
    verdicts = [check_formulas([Formula(latex, 1)], "notes.md")[0].verdict.value
                for latex in (r"\mathrm{Var}(\bm{q}_i \bm{k}_j^\top) = d_k",
                              r"\mathrm{Var}(\bm{q}_i \bm{k}_j^\top) = \sqrt{d_k}")]
    assert verdicts == ["ok", "wrong"]


def test_two_softmaxes_of_written_numbers_are_compared():
    cases = [(r"\text{softmax}(1, 2, 3) = \text{softmax}(0.1, 0.2, 0.3)", "wrong"),  # scaling changes it
             (r"\text{softmax}(1, 2, 3) = \text{softmax}(11, 12, 13)", "ok")]  # a shift does not
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert (finding.claim, finding.verdict.value) == ("softmax.distribution", verdict), latex


def test_two_projected_pairs_side_by_side_multiply_as_complex_numbers():
    score = (r"\langle f_q(x_m, m), f_k(x_n, n) \rangle = \operatorname{Re}\left[ (W_q x_m)\, "
             r"\overline{(W_k x_n)}\; e^{i (OFFSET)\theta} \right]")  # RoFormer Eq. 13
    verdicts = [check_formulas([Formula(score.replace("OFFSET", offset), 1)], "notes.md")[0].verdict.value
                for offset in ("m-n", "m+n")]
    assert verdicts == ["ok", "wrong"]


def test_names_given_one_tuple_of_numbers_are_a_setting():
    setting = Formula(r"d = 2,\ \theta = 1,\ q = k = (1, 0)^\top", 1)
    assert check_formulas([setting], "notes.md") == []  # a setting states nothing, not that the query is the key
    binding = check_formulas([Formula(r"d_{model} = 512", 1), Formula("h = 8", 2), Formula("d_k = d_v = 32", 3)],
                             "notes.md")
    assert [f.verdict.value for f in binding] == ["wrong"]  # sizes given one number are still checked


def test_a_hypothetical_clause_after_a_worked_cache_size_states_no_model():
    sentence = ("The first table used the formula for Llama 3.1 8B with the hidden size, 4,096: [formula] which is "
                "what the model would need if it had 32 key/value heads; it has 8.")
    latex = r"2 \times 32 \times 4{,}096 \times 2 = 524{,}288 \text{ bytes per token}"
    (finding,) = check_formulas([Formula(latex, 1, context=sentence)], "notes.md")
    assert (finding.claim, finding.verdict.value) == ("kv_cache.memory", "wrong")  # 8 KV heads of 128, not 4096


def test_a_models_width_said_in_words_sizes_the_worked_encodings():
    entry = r"PE_{(2,2)} = \sin(2/10000^{1/4}) = \sin(0.2) \approx 0.1987"  # right only for a width of 8
    for prose, verdict in (("With a 4-dimensional model, a student wrote [formula].", "wrong"),
                           ("With an 8-dimensional model, a student wrote [formula].", "ok"),
                           ("Worked example for a model width of 4: one submission reported [formula].", "wrong")):
        (finding,) = check_formulas([Formula(entry, 1, context=prose)], "notes.md")
        assert (finding.claim, finding.verdict.value) == ("positions.sinusoidal", verdict), prose


def test_projections_labelled_by_whole_words_as_cs324_writes_them():
    layer = (r"\text{SelfAttention}(X) = W_{\text{value}} X\, \text{softmax}_{\text{col}}\!\left(\frac{X^\top "
             r"W_{\text{key}}^\top W_{\text{query}} X}{SCALE}\right)")
    verdicts = [check_formulas([Formula(layer.replace("SCALE", scale), 1)], "notes.md")[0].verdict.value
                for scale in (r"\sqrt{d_k}", "d_k")]
    assert verdicts == ["ok", "wrong"]


def test_a_letter_applied_to_the_tokens_and_to_the_permuted_tokens_is_the_layer():
    cases = [(r"h(xP) = h(x)\,P", "ok"), (r"h(xP) = h(x)", "wrong"),  # the circuits framework's head, tokens as columns
             (r"F(PX) = P F(X)", "ok"), (r"F(PX) = F(X)", "wrong"),
             (r"O(IP) = O(I)\, P", "ok"), (r"O(IP) = O(I)", "wrong")]  # Hung-yi Lee's output O of the input I
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert (finding.claim, finding.verdict.value) == ("attention.permutation_equivariance", verdict), latex


def test_probabilities_defined_from_any_score_letter_and_declared_as_a_vector():
    cases = [(r"p = \operatorname{softmax}(s) \in \mathbb{R}^n", "ok"),  # p of s, not of x
             (r"J = \mathrm{diag}(p) - p^\top p", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_a_new_name_for_a_softmax_of_named_scores_stands_for_their_probabilities():
    cases = [(r"w_j = e^{s_j} / \sum_{k=1}^{n} e^{s_k}", "ok"),  # the softmax of s, whatever w is called
             (r"w_j = e^{s_j} / \sum_{k=1}^{n} e^{s_j}", "wrong")]
    for latex, verdict in cases:
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == verdict, latex


def test_linear_attention_of_given_queries_keys_and_values_is_permutation_equivariant():
    verdicts = [check_formulas([Formula(latex, 1)], "notes.md")[0].verdict.value
                for latex in (r"\operatorname{LA}(PQ, PK, PV) = P \operatorname{LA}(Q, K, V)",
                              r"\operatorname{LA}(PQ, PK, PV) = \operatorname{LA}(Q, K, V)")]
    assert verdicts == ["ok", "wrong"]


def test_a_gradient_of_the_backward_pass_is_not_read_as_d_times_a_matrix():
    (finding,) = check_formulas([Formula(r"dS_{ij} = P_{ij}\,(dP_{ij} - D_i)", 1)], "notes.md")
    assert (finding.verdict.value, "gradients" in finding.message) == ("unrecognised", True)
    (scaled,) = check_formulas([Formula(r"S = d\, QK^\top", 1)], "notes.md")
    assert scaled.verdict.value == "wrong"  # d times the scores, not a gradient: scaled by d, not 1/sqrt(d)


def test_a_letter_a_softmax_written_out_defines_is_the_softmax_when_applied_to_numbers():
    text = "$$S_j = \\frac{e^{a_j}}{\\sum_{k=1}^{N} e^{a_k}}$$\n\nSo $S([1, 2, 3]) = [0.09003, 0.24473, 0.66524]$, " \
        "not $S([1, 2, 3]) = [0.1667, 0.3333, 0.5000]$."
    assert [(f.verdict.value, f.claim) for f in check_text(text)] == [("ok", "softmax.distribution"),
                                                                      ("ok", "softmax.distribution"),
                                                                      ("wrong", "softmax.distribution")]



def test_a_unit_written_after_the_formula_is_its_last_sides():
    assert verdicts(r"It holds $163{,}840 \times 32{,}768 = 5$ GiB of keys and values.") \
        == ["ok"]
    assert verdicts(r"It holds $163{,}840 \times 32{,}768 = 6$ GiB of keys and values.") \
        == ["wrong"]


def test_a_capital_ln_is_layer_norm_and_a_block_wiring_states_no_claim():
    for latex in (r"\mathbf{H} = \mathbf{X} + \text{MHA}(\text{LN}(\mathbf{X}))",
                  r"\mathbf{Z} = \operatorname{LN}\big(\mathbf{X} + \operatorname{MHA}(\mathbf{X})\big)"):
        (finding,) = check_formulas([Formula(latex, 1)], "notes.md")
        assert finding.verdict.value == "unrecognised", latex


def test_an_encoding_indexed_half_the_width_on_lays_sines_then_cosines():
    text = r"Then $\mathrm{PE}[t, i] = \sin(t / 10000^{2i/d}),\ \mathrm{PE}[t, d/2 + i] = \cos(t / 10000^{%s/d})$."
    assert verdicts(text % "2i") == ["ok"]
    assert verdicts(text % "i") == ["wrong"]


def test_a_column_vector_texts_own_softmax_symbol_and_its_transposed_row_form():
    text = (r"Tokens are the columns of $\mathbf{X}$, $\mathbf{Q} = \mathbf{W}_q\mathbf{X}$, and we write "
            r"$\mathcal{S}(\cdot)$ for the softmax applied to each column." "\n\n")
    forms = {r"$$\mathbf{Y} = \mathbf{V}\,\mathcal{S}\left(\frac{\mathbf{K}^\top\mathbf{Q}}{\sqrt{d_k}}\right)$$": "ok",
             r"$$\mathbf{Y} = \mathbf{V}\,\mathcal{S}(\mathbf{Q}^\top\mathbf{K}/\sqrt{d_k})$$": "wrong",
             r"$$\mathbf{Y}^\top = \operatorname{softmax}\!\left(\frac{\mathbf{Q}^\top\mathbf{K}}{\sqrt{d_k}}\right)"
             r"\mathbf{V}^\top$$": "ok",
             r"$$\mathbf{Y}^\top = \operatorname{softmax}\!\left(\frac{\mathbf{K}^\top\mathbf{Q}}{\sqrt{d_k}}\right)"
             r"\mathbf{V}^\top$$": "wrong"}
    for form, verdict in forms.items():
        assert verdicts(text + form)[-1] == verdict, form


def test_a_mask_written_as_a_function_of_query_and_key_is_its_entry():
    text = r"The causal mask: $\mathbf{Mask}(i, j) = \begin{cases} 0 & \text{if } j %s i \\ -\infty & " \
        r"\text{otherwise} \end{cases}$."
    assert verdicts(text % r"\le") == ["ok"]
    assert verdicts(text % r"\ge") == ["wrong"]


def test_a_merge_that_defines_the_new_maximum_beside_the_new_sum_is_checked():
    merge = r"Two blocks merge: $m = \max(m^{(1)}, m^{(2)}), \quad \ell = e^{%s}\ell^{(1)} + e^{%s}\ell^{(2)}$."
    assert verdicts(merge % ("m^{(1)} - m", "m^{(2)} - m")) == ["ok"]
    assert verdicts(merge % ("m - m^{(1)}", "m - m^{(2)}")) == ["wrong"]


def test_a_cost_of_the_whole_generation_with_a_cache_is_its_time():
    text = "With the KV cache, step $t$ attends to $t$ cached keys. So the cache makes the whole generation %s."
    assert verdicts(text % "$O(n^2 d)$") == ["ok"]
    assert verdicts(text % "$O(n d)$") == ["wrong"]  # the cache's memory, not its time


def test_weights_normalised_over_the_keys_up_to_the_query_are_a_causal_heads():
    weight = r"$$\alpha_{i,j} = \frac{\exp(q_i k_j^\top / \sqrt{d})}{\sum_{%s=0}^{i} \exp(%s / \sqrt{d})}$$"
    text = "For decoding, the output mixes the prefix values $\\sum_{j=0}^{i} \\alpha_{i,j} v_j$ with\n\n"
    assert verdicts(text + weight % ("j'", r"q_i k_{j'}^\top"))[-1] == "ok"
    assert verdicts(text + weight % ("i'", r"q_{i'} k_j^\top"))[-1] == "wrong"


def test_a_worked_cache_size_uses_the_head_width_the_configuration_sets():
    model = ("Mistral NeMo 12B has 40 layers, 32 query heads and 8 key/value heads of width 128; its residual width "
             "is 5120. Per token the KV cache holds\n\n")
    (wrong,) = check_text(model + r"$\text{KV bytes} = 2 \cdot 40 \cdot 8 \cdot 160 \cdot 2 = 204{,}800$")
    assert wrong.verdict.value == "wrong" and "5120 / 32 = 160" in wrong.message
    (right,) = check_text(model + r"$2 \cdot 40 \cdot 8 \cdot 128 \cdot 2 = 163{,}840$")
    assert right.verdict.value == "ok"


def test_attentions_flops_are_its_score_and_value_products():
    text = "Notation: $s$ sequence length, $h$ hidden size.\n\nThe attention term is $%s$."
    assert verdicts(text % r"\text{FLOPs}_{\text{attn}} = 4 s^2 h") == ["ok"]
    (swapped,) = check_text(text % r"\text{FLOPs}_{\text{attn}} = 4 s h^2")
    assert swapped.verdict.value == "wrong" and "2 n^2 d_k + 2 n^2 d_v" in swapped.message


def test_an_output_projection_labelled_out_is_w_o():
    text = "Whisper large has 20 heads of 64 and $d_{model} = 1280$. The output projection: $W_{\\text{out}} \\in " \
        "\\mathbb{R}^{%s \\times 1280}$."
    assert verdicts(text % "1280")[-1] == "ok"
    assert verdicts(text % "64")[-1] == "wrong"


def test_a_worked_encoding_row_indexed_as_numpy_indexes_it():
    text = "For a tiny model of width 4, $\\mathrm{PE}[1] \\approx [%s]$."
    assert verdicts(text % r"0.8415,\ 0.5403,\ 0.0100,\ 1.0000") == ["ok"]
    assert verdicts(text % r"0.5403,\ 0.8415,\ 1.0000,\ 0.0100") == ["wrong"]


def test_a_sums_index_stands_for_itself_inside_a_cost():
    text = "With the cache, step $i$ attends over $i$ keys, so generating $n$ tokens costs $%s$ per layer."
    assert verdicts(text % r"\sum_{i=1}^{n} O(i\,d) = O(n^2 d)") == ["ok"]
    assert verdicts(text % r"\sum_{i=1}^{n} O(i\,d) = O(n d)") == ["wrong"]


def test_a_quoted_general_cost_in_a_section_about_a_specific_subject_is_of_that_subject():
    text = ("## Linear attention\n\nReordering the products, $(\\phi(Q)\\phi(K)^\\top)V = \\phi(Q)(\\phi(K)^\\top V)$, "
            "never forms the n x n matrix.\n\nSeveral answers said the right-hand side \"still costs %s because "
            "every query meets every key\".")
    assert verdicts(text % "$O(n^2 d)$")[-1] == "wrong"
    assert verdicts(text % "$O(n d^2)$")[-1] == "ok"


def test_a_mask_written_out_in_ones_and_zeros_marks_the_allowed_or_the_masked_pairs():
    text = "The boolean mask: $$\\text{%s} = \\begin{pmatrix} %s \\end{pmatrix}$$"
    lower, upper = r"1 & 0 & 0 \\ 1 & 1 & 0 \\ 1 & 1 & 1", r"0 & 1 & 1 \\ 0 & 0 & 1 \\ 0 & 0 & 0"
    assert verdicts(text % ("mask", lower)) == ["ok"]  # np.tril: ones attend
    assert verdicts(text % (r"look\_ahead\_mask", upper)) == ["ok"]  # ones masked
    assert verdicts(text % ("mask", upper)) == ["wrong"]  # a mask's ones attend
    (transposed,) = check_text(text % (r"look\_ahead\_mask", r"1 & 1 & 1 \\ 0 & 1 & 1 \\ 0 & 0 & 1"))
    assert transposed.verdict.value == "wrong" and "row 1, column 2 is 1" in transposed.counterexample


def test_rotate_half_of_two_halves_and_a_position_named_p():
    halves = r"$\mathrm{rotate\_half}([x_1, x_2]) = [%s]$"
    assert verdicts(halves % "-x_2, x_1") == ["ok"]
    assert verdicts(halves % "x_2, -x_1") == ["wrong"]
    rotated = r"$x'_{i+d/2} = x_{i+d/2} \cos(p\theta_i) %s x_i \sin(p\theta_i)$"
    assert verdicts(rotated % "+") == ["ok"]
    assert verdicts(rotated % "-") == ["wrong"]


def test_queries_keys_and_values_marked_with_a_tilde_are_the_projected_ones():
    text = r"$\text{Attention}(\widetilde{Q}, \widetilde{K}, \widetilde{V}) = \text{softmax}(\widetilde{Q}" \
        r"\widetilde{K}^\intercal / %s)\widetilde{V}$"
    assert verdicts(text % r"\sqrt{d_\text{qk}}") == ["ok"]
    assert verdicts(text % r"d_\text{qk}") == ["wrong"]
    assert verdicts(r"$\operatorname{Var}(\tilde q^\intercal \tilde k) = d_k$") == ["ok"]
    defined = r"$\tilde V = W_o \big[Y^1; Y^2; \dots; Y^H\big] + b_o \mathbf{1}^\intercal, \qquad W_o \in " \
        r"\mathbb{R}^{d_\text{out} \times H d_\text{mid}}$"  # Phuong and Hutter's updated representation, not V
    assert verdicts(defined) == ["ok"]


def test_block_scores_under_a_bare_sum_over_the_blocks_keys():
    text = "Online softmax, block $t$ of scores $s^{(t)}$: $\\ell^{(t)} = %s + \\sum_j e^{s^{(t)}_j - m^{(t)}}$"
    assert verdicts(text % r"e^{m^{(t-1)} - m^{(t)}} \ell^{(t-1)}") == ["ok"]
    assert verdicts(text % r"\ell^{(t-1)}") == ["wrong"]


def test_a_notebooks_configuration_in_an_earlier_cell_sizes_a_later_cells_cache():
    cells = [nbformat.v4.new_markdown_cell("Running example: Qwen2.5-7B (28 query heads, 4 KV heads, 28 layers)."),
             nbformat.v4.new_markdown_cell("Scale: $\\texttt{scale} = 1/\\sqrt{\\texttt{head\\_size}}$."),
             nbformat.v4.new_markdown_cell("Per token in fp16: $2 \\cdot 28 \\cdot %s \\cdot 128 \\cdot 2 = %s\\ "
                                           "\\text{B}$.")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    text = nbformat.writes(notebook)
    assert verdicts(text % ("4", "57{,}344"), "notebook")[-1] == "ok"
    assert verdicts(text % ("28", "401{,}408"), "notebook")[-1] == "wrong"


def test_a_model_named_in_the_paragraph_before_a_worked_cache_size():
    text = ("**[Question] OOM building Llama-3.1-70B with max_seq_len 131072**\n\nBy my count the KV cache alone is "
            "$2 \\times 80 \\times %s \\times 128 \\times 2 \\times 131072\\ \\text{B} = %s\\ \\text{GiB}$.")
    assert verdicts(text % ("8", "40")) == ["ok"]
    assert verdicts(text % ("64", "320")) == ["wrong"]


def test_the_prose_says_which_index_of_the_weights_names_the_key():
    text = ("Tokens are columns: $\\operatorname{attention}(Q, K, V) = V \\operatorname{softmax}(K^\\top Q / "
            "\\sqrt{d_k})$. Let $\\alpha_{ji}$ be the weight of key $j$ for query $i$.\n\n"
            "$$\\alpha_{ji} = \\exp(s_{ji}) \\big/ \\sum_{%s=1}^{n} \\exp(s_{%s})$$")
    assert verdicts(text % ("j'", "j'i"))[-1] == "ok"
    (summed_over_queries,) = check_text(text % ("i'", "ji'"))[-1:]
    assert summed_over_queries.verdict.value == "wrong" and "the text indexes" in summed_over_queries.message


def test_a_softmax_and_a_mask_on_their_own_are_the_masked_weights():
    text = "Adding the mask after normalising, $\\operatorname{softmax}\\big(QK^{\\mathsf{T}}/\\sqrt{d_k}%s$, fails."
    assert [f.verdict.value for f in check_text(text % r" + M\big)")] == ["ok"]
    assert [f.verdict.value for f in check_text(text % r"\big) + M")] == ["wrong"]


def test_a_condition_that_counts_the_cached_keys_aligns_the_mask_bottom_right():
    text = "With $P$ keys in the cache, new query $i$ may attend key $j$ only if $%s$."
    assert verdicts(text % r"j \le P + i") == ["ok"]
    (one_ahead,) = check_text(text % r"j \le P + i + 1")
    assert one_ahead.verdict.value == "wrong" and "query 0 is position 3" in one_ahead.counterexample
    window = r"In the window, query $i$ sees keys $\texttt{past} + i - w < j \le \texttt{past} + i%s$."
    assert verdicts(window % "") == ["ok"]
    assert verdicts(window % " + 1") == ["wrong"]


def test_transformerlens_marks_the_head_above_and_the_projection_below():
    head = r"For a head $h$: $A^h = \text{softmax}\left(\frac{(x W_Q^h + b_Q^h)(x W_K^h + b_K^h)^T}{%s}\right)$"
    assert verdicts(head % r"\sqrt{d_\text{head}}") == ["ok"]
    assert verdicts(head % r"d_\text{head}") == ["wrong"]
    output = r"Head $h$ writes $z^h = A^h \,(x W_%s^h + b_%s^h)$ to the stream."
    assert verdicts(output % ("V", "V")) == ["ok"]
    assert verdicts(output % ("Q", "Q")) == ["wrong"]
    layer = r"$\text{attn\_out} = \sum_{h=0}^{n_\text{heads}-1} z^h W_O^h + b_O$"
    assert verdicts(layer) == ["ok"]
    circuits = r"$h(x) = W_O^h W_V^h\, x\, A^{h\top}$"  # Elhage et al.: tokens in columns, A^h query by key
    assert "wrong" not in verdicts(circuits)


def test_a_worked_encoding_entry_written_as_a_function_of_position_and_channel():
    text = r"For a model of width 4: $\mathrm{PE}(1, 1) = %s$."
    assert verdicts(text % r"\cos 1") == ["ok"]
    assert verdicts(text % r"\cos(1/100)") == ["wrong"]


def test_a_section_title_names_its_subject_around_a_parenthesised_aside():
    text = "## 4. Linear (kernel) attention\n\nThe sums are shared by all queries, giving $%s$ when $r$ is near $d$."
    assert verdicts(text % r"O(n d^2)") == ["ok"]
    assert verdicts(text % r"O(n^2 d)") == ["wrong"]


def test_a_mask_named_in_text_by_its_query_and_key_indices_t_and_capital_t():
    text = r"The causal mask, true where query $t$ may attend key $T$: $\texttt{mask}_{tT} = \mathbb{1}[%s]$."
    assert verdicts(text % r"T \le t") == ["ok"]
    assert verdicts(text % r"T \ge t") == ["wrong"]


def test_a_cache_size_for_a_model_supposed_to_be_multi_head_counts_every_head():
    table = ("Llama 2 70B uses grouped-query attention with 8 KV heads of width 128 shared by its 64 query heads:\n\n"
             "| model | KV bytes per token (16-bit) |\n|---|---|\n| Llama 2 70B%s | $2 \\cdot 80 \\cdot 64 \\cdot 128 "
             "\\cdot 2 = 2.5\\ \\text{MiB}$ |\n")
    assert verdicts(table % ", if it were MHA") == ["ok"]
    assert verdicts(table % "") == ["wrong"]


def test_the_online_softmaxs_output_written_as_a_capital():
    merged = "Merging two halves of the keys: $O = \\frac{%s}{%s}$"
    rescaled = (r"e^{m^{(1)} - m} O^{(1)} + e^{m^{(2)} - m} O^{(2)}", r"e^{m^{(1)} - m}\ell^{(1)} + e^{m^{(2)} - m}"
                r"\ell^{(2)}")
    assert verdicts(merged % rescaled) == ["ok"]
    assert verdicts(merged % (r"O^{(1)} + O^{(2)}", r"\ell^{(1)} + \ell^{(2)}")) == \
        ["wrong"]


def test_one_softmax_over_every_heads_projections_side_by_side_is_not_multi_head():
    text = r"One big matmul: $\text{MultiheadAttention}(Q, K, V) = %s\,W^O$"
    assert verdicts(text % r"\text{Concat}(\text{head}_1, \dots, \text{head}_h)") == ["ok"]
    assert verdicts(text % r"\text{Attention}(QW^Q, KW^K, VW^V)") == ["wrong"]
