"""Bytes to text: detect the encoding of an input file, never crash on it.

Order of attempts: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32), strict UTF-8, BOM-less
UTF-16 recognised by its zero bytes, then Windows-1252. Binary files (NUL bytes in what is not
UTF-16, or mostly control characters) are refused with a reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["decode_bytes", "DecodeFailure"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Bytes undefined in Windows-1252: their presence means the text is not cp1252 either.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


class DecodeFailure(ValueError):
    """The bytes are not text in any encoding we accept."""


def _looks_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from its zero bytes: the high byte of every ASCII character (spaces,
    digits, punctuation) is zero, so zeros gather on one side of each pair. Latin text gives many;
    Korean, whose syllables have no zero byte, still gives one per space (a few in a hundred)."""
    sample = data[: 4096 - 4096 % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros >= max(2, 0.02 * half) and even_zeros * 5 <= odd_zeros:
        return "utf-16-le"
    if even_zeros >= max(2, 0.02 * half) and odd_zeros * 5 <= even_zeros:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """Text decoded from a guess holds assigned, non-private characters (a wrong guess does not)."""
    sample = text[:4096]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return odd <= 0.01 * max(1, len(sample))


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw file bytes.

    Returns:
        ``(text, encoding)`` where encoding names what was detected.
    Raises:
        DecodeFailure: the bytes are binary or undecodable.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeFailure(f"invalid {name} after its byte-order mark ({exc.reason})") from None
            return _check_text(text), name.replace("-sig", " with BOM") if "sig" in name else f"{name} with BOM"
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            decoded = data.decode(utf16)
        except UnicodeDecodeError:
            decoded = None
        if decoded is not None and _plausible(decoded):
            return _check_text(decoded), utf16
    if b"\x00" in data[:65536]:
        raise DecodeFailure("binary content (NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if any(b in _CP1252_UNDEFINED for b in data[:65536]):
        raise DecodeFailure("not valid UTF-8, UTF-16 or Windows-1252 text")
    return _check_text(data.decode("cp1252")), "windows-1252"


def _check_text(text: str) -> str:
    if _control_ratio(text) > 0.05:
        raise DecodeFailure("binary content (control characters), not text")
    return text
