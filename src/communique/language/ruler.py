"""spaCy's attribute ruler, the same annotations at a tenth of the cost, for parses read many times.

``en_core_web_sm``'s ``attribute_ruler`` maps each token's fine tag (and a few words) to its part
of speech and morphology with 179 patterns run by a ``Matcher`` over every token: 5 ms of a
question's 47 ms of parsing. 171 of the patterns are one token long and read only the token's tag,
lower-case form, dependency and whether it is a space, so the patterns one token matches are the
same for every token with those four values. ``FastAttributeRuler`` finds them once per distinct
four values (by the ruler's own matcher, on that token), runs the few longer patterns ("gon na",
"let 's", "there is") by a matcher of their own over the whole document, and sets the matched
attributes in the order the ruler does (by pattern, then position: a later pattern wins), with the
ruler's own setter. The annotations are identical by construction (``tests/test_ask_speed.py``
compares them token by token); a ruler whose one-token patterns read anything else is run as it is.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

__all__ = ["FastAttributeRuler", "fast_attribute_ruler"]

# what a one-token pattern may read for its matches to depend on these values alone
_KEYED = ("TAG", "LOWER", "DEP", "IS_SPACE")
MEMO_SIZE = 200_000  # distinct (tag, lower, dep, space) values kept; cleared whole past this


class FastAttributeRuler:
    """A pipeline component equivalent to the ``AttributeRuler`` it wraps (``__call__``, ``pipe``)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher
        from spacy.tokens._retokenize import set_token_attrs

        self.ruler = ruler
        self._set = set_token_attrs
        self._single = Matcher(ruler.vocab, validate=False)
        self._longer: Any = None
        self._memo: dict[tuple[int, int, int, int], tuple[int, ...]] = {}
        strings = ruler.vocab.strings
        self.usable = True
        for i in range(len(ruler.attrs)):
            key = str(i)
            patterns = ruler.matcher.get(key)[1]
            for pattern in patterns:
                if not -len(pattern) <= ruler.indices[i] < len(pattern):
                    self.usable = False  # the ruler raises its own error for such a pattern
                elif len(pattern) == 1 and set(pattern[0]) <= set(_KEYED):
                    self._single.add(key, [pattern])
                elif len(pattern) > 1 and all("OP" not in token for token in pattern):
                    if self._longer is None:
                        self._longer = Matcher(ruler.vocab, validate=False)
                    self._longer.add(key, [pattern])
                else:  # a pattern this does not model: the ruler runs itself
                    self.usable = False
        self._attr_id = {strings.add(str(i)): i for i in range(len(ruler.attrs))}

    def _single_ids(self, token: Any, key: tuple[int, int, int, int]) -> tuple[int, ...]:
        """The one-token patterns a token with these four values matches (found on ``token``)."""
        ids = self._memo.get(key)
        if ids is None:
            span = token.doc[token.i : token.i + 1]
            ids = tuple(sorted(self._attr_id[m] for m, _, _ in self._single(span, allow_missing=True)))
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = ids
        return ids

    def __call__(self, doc: Any) -> Any:
        if not self.usable:
            return self.ruler(doc)
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        # (pattern, match key, start, end): the ruler's order, in which a later pattern wins
        matches: list[tuple[int, int, int, int]] = []
        for i, row in enumerate(rows):
            key = (row[0], row[1], row[2], row[3])
            ids = self._memo.get(key)
            if ids is None:
                ids = self._single_ids(doc[i], key)
            for attr_id in ids:
                matches.append((attr_id, 0, i, i + 1))
        if self._longer is not None:
            for m, start, end in self._longer(doc, allow_missing=True):
                matches.append((self._attr_id[m], 0, start, end))
        matches.sort()
        ruler, set_attrs = self.ruler, self._set
        for attr_id, _, start, end in matches:
            index = ruler.indices[attr_id]
            set_attrs(doc[start + index if index >= 0 else end + index], ruler.attrs[attr_id])
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterator[Any]:
        for doc in docs:
            yield self(doc)


_wrapped: dict[int, FastAttributeRuler] = {}


def fast_attribute_ruler(ruler: Any) -> FastAttributeRuler:
    """The fast twin of a loaded pipeline's ruler, made once per ruler."""
    fast = _wrapped.get(id(ruler))
    if fast is None or fast.ruler is not ruler:
        fast = _wrapped[id(ruler)] = FastAttributeRuler(ruler)
    return fast
