"""Which English words are common words rather than names, from how English writes them.

A capitalised single word that a gazetteer knows ("Police" in Poland, "Mobile" in Alabama, "Reading")
is most often just a capitalised word: a heading, a title, an organisation's name. English usage
tells them apart. spaCy's lookup data (``spacy-lookups-data``, MIT) ships the log-probability of a
million word forms, case kept: "police" is far more frequent than "Police", while "Paris" is more
frequent than "paris". A word whose lower-case form is the more frequent one is a common word; a
gazetteer-only match of such a word needs stronger evidence (the model's entity label, or a place
type such as a country or a river).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

MIN_LOG_PROB = -17.5  # rarer forms say little either way
FREQUENT_LOG_PROB = -13.0  # roughly the 20,000 most frequent forms
UNSEEN = -25.0


FREQUENT_NAME_LOG_PROB = -13.5  # "Mary", "Jordan", "Dallas": names heard every day, of people too


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(common, frequent) lower-case words and frequent capitalised words, read once per process."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        prob: dict[str, float] = json.load(f)
    common = frozenset(
        w
        for w, p in prob.items()
        if p > MIN_LOG_PROB and w.isalpha() and w.islower() and p > prob.get(w.capitalize(), UNSEEN)
    )
    frequent = frozenset(w for w in common if prob[w] > FREQUENT_LOG_PROB)
    names = frozenset(w for w, p in prob.items() if p > FREQUENT_NAME_LOG_PROB and w[:1].isupper())
    return common, frequent, names


def common_words() -> frozenset[str]:
    """Lower-case words that English writes in lower case more often than capitalised."""
    return _tables()[0]


def is_common_word(word: str) -> bool:
    return word.lower() in _tables()[0]


def is_frequent_word(word: str) -> bool:
    """A common word among English's most frequent ones ("church", "mass"; not "coot")."""
    return word.lower() in _tables()[1]


def is_frequent_name(word: str) -> bool:
    """A capitalised word English uses every day ("Mary", "Washington"): when the model reads it as a
    person, that reading stands; a rarer one ("Odessa", "Luxor") may still be a place."""
    return word in _tables()[2]
