"""Name keys that survive how 1940s texts (and GeoNames) spell places.

``normalize`` folds a name to a compact lookup key: case, diacritics, apostrophes and hyphens go
(``Yan'an``, ``Yan’an``, ``Yan-an`` and ``Yanan`` are one key), word spacing goes too (so
``Nikolayevsk-on-Amur`` and ``Nikolayevsk on Amur`` meet), ``Mt.`` reads ``Mount``, ``Harbour``
reads ``Harbor``, a leading "the" is dropped, and common variants of Russian romanisation are folded
(``kh``/``h``, ``ye``/``e``, ``-ski``/``-sky``/``-skiy``/``-skii`` -> ``-sk``, ``-iy``/``-yy``/``-yi``
endings). The folding is applied to both sides of every comparison, so a fold that merges two
spellings never loses a match; it only risks merging two different names, which ranking then sorts.

Other scripts and letters are folded with ``anyascii`` (``Москва`` -> ``moskva``, ``Łódź`` -> ``lodz``).
Arabic articles ("al-", "el-", "Al "...) are not dropped from ``normalize``'s key, since "El Salvador" is
not Salvador; ``bare_key`` gives the key without them, which the sources index as a second key and a
query falls back to (so "Al-Basrah" finds Basrah and "Kut-el-Amara" finds "Kut al Amara").

``abbreviation_key`` is the one case-sensitive key: "U.S." and "US" are the United States, "us" is not.
``skeleton`` is the consonant outline the restricted spelling fallback compares ("Bassora" ~ "Basra").

``split_generic`` separates a generic word ("River", "Province", "County", "Mount"...) so that
"the Ussuri" finds the Ussuri River while "Raohe County" prefers the county over the town.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_APOSTROPHES = "'’ʼ‘`´ʻʹ′ʿʾ\u02bc"
_SEPARATORS = '-‐‑‒–—−_/.,;:()[]{}"“”„«»!?&+*\u00a0\u2009\u202f\\|'
_TRANSLATE = str.maketrans(
    {**{c: None for c in _APOSTROPHES}, **{c: " " for c in _SEPARATORS}, "ß": "ss", "æ": "ae", "ø": "o",
     "ł": "l", "đ": "d", "ı": "i", "œ": "oe", "þ": "th", "ð": "d"}
)  # fmt: skip

# Abbreviations and spelling variants, word by word (after case folding, periods already gone).
_WORD_MAP = {
    "mt": "mount",
    "mtn": "mountain",
    "mts": "mountains",
    "st": "saint",
    "ste": "sainte",
    "ft": "fort",
    "harbour": "harbor",
    "pt": "port",
}

# Generic words and the feature type they announce. Trailing ones ("Ussuri River") and leading ones
# ("Mount Paektu", "Lake Khanka") are both recognised.
GENERIC_SUFFIXES: dict[str, str] = {
    "river": "river",
    "province": "province",
    "prov": "province",
    "oblast": "province",
    "krai": "province",
    "kray": "province",
    "county": "county",
    "district": "county",
    "region": "region",
    "mountain": "mountain",
    "mountains": "mountain",
    "sea": "sea",
    "ocean": "ocean",
    "lake": "lake",
    "island": "island",
    "islands": "island",
    "city": "settlement",
}
GENERIC_PREFIXES: dict[str, str] = {"mount": "mountain", "lake": "lake", "river": "river"}

_SK_ENDING = re.compile(r"(sk|ck|zk)(?:iy|ii|ij|yi|yj|y|i)$")
_Y_ENDING = re.compile(r"(?:iy|yy|ij|yj|yi)$")
_I_BEFORE_CONSONANT = re.compile(r"(?:iy|ij|ii)(?=[^aeiouy])")


def _fold_word(w: str) -> str:
    w = _WORD_MAP.get(w, w)
    if len(w) >= 4 and w.isascii():
        if "kh" in w:
            w = w.replace("kh", "h")
        if "ye" in w:
            w = w.replace("ye", "e")
        if w[-1] in "iyj":  # the regexes only ever change such words; skip them otherwise
            w = _SK_ENDING.sub(r"\1", w)
            w = _Y_ENDING.sub("y", w)
        if "iy" in w or "ij" in w or "ii" in w:
            w = _I_BEFORE_CONSONANT.sub("i", w)
    return w


def _words(name: str) -> tuple[str, ...]:
    s = name
    if not s.isascii():
        s = anyascii(s.translate(_TRANSLATE))
    s = s.casefold().translate(_TRANSLATE)
    ws = [_fold_word(w) for w in s.split()]
    if len(ws) > 1 and ws[0] == "the":
        ws = ws[1:]
    return tuple(ws)


#: The folded words of a name, leading "the" removed (empty for a name with no letters).
words = lru_cache(maxsize=65_536)(_words)


def normalize_uncached(name: str) -> str:
    """``normalize`` without its cache, for one-off bulk work (building an index) that would fill it."""
    return "".join(_words(name))


@lru_cache(maxsize=262_144)
def normalize(name: str) -> str:
    """The lookup key of a name: ``normalize("the Yan’an") == normalize("Yan-an") == "yanan"``."""
    return "".join(words(name))


def latin_script(name: str) -> bool:
    """Whether a name is written in Latin letters (diacritics allowed): GeoNames' alternates in other
    scripts would only add machine transliterations to the index."""
    if name.isascii():
        return True
    s = unicodedata.normalize("NFKD", name)
    return "".join(c for c in s if not unicodedata.combining(c)).translate(_TRANSLATE).isascii()


# Arabic definite articles as they appear in romanised names: "al"/"el" anywhere but last ("Kut-el-Amara",
# "Shatt al-Arab"), the sun-letter forms ("As Samawah", "An Nasiriyah") only first.
_ARTICLES = frozenset({"al", "el"})
_LEADING_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ath", "adh"})


def _bare(ws: tuple[str, ...]) -> tuple[str, ...]:
    if len(ws) < 2:
        return ws
    out = [w for i, w in enumerate(ws[:-1]) if not (w in _ARTICLES or (i == 0 and w in _LEADING_ARTICLES))]
    return (*out, ws[-1])


def bare_key(name: str) -> str:
    """The key of a name without its Arabic articles: ``bare_key("Al-Basrah") == "basrah"``,
    ``bare_key("Kut-el-Amara") == bare_key("Kut al Amara") == "kutamara"``; equal to ``normalize``'s
    key when the name has none."""
    return "".join(_bare(words(name)))


def keys_uncached(name: str) -> tuple[str, str]:
    """(``normalize``'s key, ``bare_key``) without the caches, for building an index in bulk."""
    ws = _words(name)
    return "".join(ws), "".join(_bare(ws))


_ABBREVIATION = re.compile(r"[A-Z]{2,6}")


def abbreviation_key(text: str) -> str | None:
    """The case-sensitive key of an abbreviation ("U.S." and "US" -> "US"), or None when ``text`` is not
    written as one: all capitals, 2-6 letters once periods and spaces go. "us" and "Us" never are."""
    s = text.replace(".", "").replace(" ", "").replace(" ", "")
    return s if _ABBREVIATION.fullmatch(s) else None


_SKELETON_DROP = str.maketrans({c: None for c in "aeiouyhw"})
_SKELETON_MAP = str.maketrans({"c": "k", "q": "k", "g": "k", "z": "s", "v": "f", "p": "b"})


def skeleton(name: str) -> str:
    """The consonant outline of a name, for old and transliterated spellings: articles, vowels, h and w
    go, the letters transliterations swap (c/k/q/g, s/z, b/p, f/v) become one, doubled letters one.
    "Bassora", "Busra", "Basreh" and "Basra" are all "bsr"; "Bagdad" and "Baghdad" "bkdd"."""
    s = "".join(_bare(words(name))).translate(_SKELETON_MAP).translate(_SKELETON_DROP)
    out: list[str] = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65_536)
def split_generic(name: str) -> tuple[str, str | None]:
    """``(key without its generic word, the feature type it announced)``; ``(key, None)`` if none.

    "Ussuri River" -> ("ussuri", "river"); "Mt. Paektu" -> ("paektu", "mountain"); a generic word
    alone ("River") is kept, being the whole name.
    """
    ws = words(name)
    if len(ws) >= 2:
        if ws[-1] in GENERIC_SUFFIXES:
            return "".join(ws[:-1]), GENERIC_SUFFIXES[ws[-1]]
        if ws[0] in GENERIC_PREFIXES:
            return "".join(ws[1:]), GENERIC_PREFIXES[ws[0]]
    return "".join(ws), None


def generic_variants(name: str, feature_type: str) -> list[str]:
    """Extra keys a place of ``feature_type`` is known by: its name with a matching generic word dropped.

    The Ussuri River is also "ussuri"; Raohe County is also "raohe" but only as a county, so the
    ranking can tell it from the town.
    """
    core, gtype = split_generic(name)
    if gtype and _types_agree(gtype, feature_type) and core:
        return [core]
    return []


def _types_agree(generic_type: str, feature_type: str) -> bool:
    if generic_type == feature_type:
        return True
    admin = {"province", "county", "region"}
    return generic_type in admin and feature_type in admin


def types_agree(generic_type: str | None, feature_type: str) -> bool:
    """Whether a generic word ("County") fits a place's feature type (admin units count as one family)."""
    return generic_type is None or _types_agree(generic_type, feature_type)
