"""Reading text files safely, and cleaning dirty text without losing the way back to the original.

Texts arrive scraped from web pages and OCR: a backslash where a space was (``Soviet\\union``,
``\\and``), ``rom`` for ``from``, non-breaking spaces, curly quotes, Windows line ends. The geoparser
works on a cleaned copy; every offset it reports must still point into the text exactly as given, so
cleaning keeps an offset map (``CleanText.to_original``). Replacements that keep the length (a curly
quote for a straight one, ``\\`` for a space) need no map entry; only the few that change length
(``rom`` -> ``from``, ``\\r\\n`` -> ``\\n``, a zero-width space removed) add breakpoints, so a clean
text costs almost nothing over the original.

Segmentation (paragraphs, sentences, quotations with the citation that follows them) lives here too:
dates and events need it, and it is a fact about the text, not about places.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TextInputError

MAX_BYTES = 20 * 1024 * 1024
"""Files larger than this are refused: a narrative text is a few hundred KB; 20 MB is a data dump."""

_SNIFF = 8192
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.odt/.xlsx file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"SQLite format 3": "an SQLite database",
}


class TextEncodingWarning(UserWarning):
    """A file was not valid UTF-8 and was read in a legacy encoding; a few characters may be wrong."""


@dataclass(frozen=True, slots=True)
class TextFile:
    """A decoded text file: its text, the encoding it was read with and what was doubtful about it."""

    path: Path
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> TextFile:
    """Read ``path`` as text, whatever its encoding, or raise ``TextInputError`` naming the file.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such; UTF-16 without a BOM is
    recognised by its zero bytes; anything else that is not UTF-8 is read as cp1252 (latin-1 where
    cp1252 leaves a byte undefined) with a ``TextEncodingWarning``. Empty, binary and oversized files
    are refused.
    """
    path = Path(path)
    size = regular_file_size(path)
    if size > max_bytes:
        raise TextInputError(
            f"{path}: {size / 1e6:.1f} MB is too large for a text (limit {max_bytes / 1e6:.0f} MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TextInputError(_os_problem(path, exc)) from exc
    text, encoding, notes = decode_bytes(data, name=str(path))
    for note in notes:
        warnings.warn(note, TextEncodingWarning, stacklevel=2)
    return TextFile(path, text, encoding, tuple(notes))


def regular_file_size(path: Path) -> int:
    """The size of ``path`` when it is a regular file (through links), else ``TextInputError`` saying what
    it is: reading a FIFO or a device would block or never end, a link loop never resolves."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise TextInputError(_os_problem(path, exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise TextInputError(f"{path}: is a folder, not a text file")
    if not stat.S_ISREG(st.st_mode):
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket or a device"
        raise TextInputError(f"{path}: is {what}, not a regular file")
    return st.st_size


def _os_problem(path: Path, exc: OSError) -> str:
    """One line for an operating-system error on ``path``, naming it."""
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"{path}: is a broken link (its target does not exist)"
        return f"{path}: no such file (it may have been removed while being read)"
    if exc.errno == errno.ELOOP:
        return f"{path}: is a loop of symbolic links"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{path}: cannot be read (permission denied)"
    return f"{path}: cannot be read ({exc.strerror or exc})"


def stream_encoding(path: str | Path, *, block: int = 1 << 20) -> tuple[str, list[str]]:
    """The encoding to read ``path`` in a stream with, as ``decode_bytes`` would choose it, and its doubts.

    The file is checked block by block with incremental decoders, so a big text is never held as
    bytes; ``TextInputError`` (naming the file) when it is not a text file.
    """
    path = Path(path)
    size = regular_file_size(path)
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF)
    except OSError as exc:
        raise TextInputError(_os_problem(path, exc)) from exc
    if size <= _SNIFF or not head.strip():
        _, encoding, notes = decode_bytes(head if size <= _SNIFF else _read_all(path), name=str(path))
        return encoding, notes
    for boms, enc in (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
        ((codecs.BOM_UTF8,), "utf-8-sig"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    ):
        if head.startswith(boms):
            bad = _first_undecodable(path, enc, block)
            if bad is not None:
                raise TextInputError(
                    f"{path}: starts with a {enc} byte-order mark but is not valid {enc} (byte {bad})"
                )
            return enc, []
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise TextInputError(f"{path}: is {what}, not a text file")
    bom_less = _utf16_without_bom(head)
    if bom_less and _first_undecodable(path, bom_less, block) is None:
        return bom_less, []
    if b"\x00" in head:
        raise TextInputError(f"{path}: is a binary file (it contains NUL bytes), not text")
    _checked(head.decode("utf-8", errors="replace"), str(path))
    first_bad = _first_undecodable(path, "utf-8", block)
    if first_bad is None:
        return "utf-8", []
    enc = "cp1252" if _first_undecodable(path, "cp1252", block) is None else "latin-1"
    return enc, [f"{path}: not valid UTF-8 (at byte {first_bad}); read as {enc}, check accented letters"]


def _read_all(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TextInputError(_os_problem(path, exc)) from exc


def _first_undecodable(path: Path, encoding: str, block: int) -> int | None:
    """The byte offset where ``encoding`` first fails on the file, or None if it never does."""
    decoder = codecs.getincrementaldecoder(encoding)()
    at = 0
    try:
        with open(path, "rb") as f:
            while data := f.read(block):
                try:
                    decoder.decode(data)
                except UnicodeDecodeError as exc:
                    return at + exc.start
                at += len(data)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return at + exc.start
    except OSError as exc:
        raise TextInputError(_os_problem(path, exc)) from exc
    return None


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of a text file; ``TextInputError`` when it is not one."""
    if not data.strip():
        raise TextInputError(f"{name}: the file is empty" if not data else f"{name}: holds only blank space")
    for boms, enc in (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
        ((codecs.BOM_UTF8,), "utf-8-sig"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    ):
        if data.startswith(boms):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise TextInputError(
                    f"{name}: starts with a {enc} byte-order mark but is not valid {enc} "
                    f"(byte {exc.start}: {exc.reason})"
                ) from exc
            return _checked(text, name), enc, []
    head = data[:_SNIFF]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise TextInputError(f"{name}: is {what}, not a text file")
    bom_less = _utf16_without_bom(head)
    if bom_less:
        try:
            return _checked(data.decode(bom_less), name), bom_less, []
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        raise TextInputError(f"{name}: is a binary file (it contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    note = (
        f"{name}: not valid UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}); "
        f"read as {enc}, check accented letters"
    )
    return _checked(text, name), enc, [note]


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte is zero, as in ASCII text written as UTF-16."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _checked(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file that happened to decode)."""
    if not text.strip():
        raise TextInputError(f"{name}: holds only blank space")
    sample = text[:_SNIFF]
    control = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
    if control > max(8, len(sample) // 20):
        raise TextInputError(f"{name}: is a binary file ({control} control characters), not text")
    return text


# --- cleaning with an offset map ------------------------------------------------------------------

_SAME_LENGTH = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\r": "\n",  # a lone CR (old Mac line end); CRLF is handled below
    }
)

# Repairs, each found by its own regex that starts with a literal (so ``re`` scans for it at C speed)
# and states the repair's context itself: a backslash after a word or punctuation and before a letter;
# ``rom`` not inside a word and followed by one. Backslashes keep the length and are replaced in C;
# only the length-changing repairs (few) are assembled in Python.
_BACKSLASH = re.compile(r"\\(?<=[A-Za-z0-9,.;:)\]'\u2019\"\u201d]\\)(?=[A-Za-z])")
_BACKSLASH_OUT_OF_CONTEXT = re.compile(r"\\(?:(?<![A-Za-z0-9,.;:)\]'\u2019\"\u201d]\\)|(?![A-Za-z]))")
_ROM = re.compile(r"rom(?<![\w'\u2019\\-]rom)(?=\s+[\w\"'\u201c\u2018])")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")


@dataclass(frozen=True, slots=True)
class CleanText:
    """A cleaned copy of ``original`` and the map from its offsets back to the original's.

    The map is piecewise linear: breakpoint ``k`` says clean offset ``_clean[k]`` is original offset
    ``_orig[k]``, and the offsets after it follow one for one until the next breakpoint.
    """

    original: str
    text: str
    _clean: tuple[int, ...] = field(default=(0,), repr=False)
    _orig: tuple[int, ...] = field(default=(0,), repr=False)

    def to_original(self, offset: int) -> int:
        """The original offset of the clean character at ``offset`` (``len(text)`` maps to the end)."""
        if offset >= len(self.text):
            return len(self.original)
        k = bisect_right(self._clean, offset) - 1
        return self._orig[k] + (offset - self._clean[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the clean span ``[start, end)``: it covers every source character."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        c = self._clean
        if end <= len(self.text):
            if len(c) == 1:  # no length-changing repair: offsets are shared
                return start, end
            o = self._orig
            k = bisect_right(c, start) - 1
            k2 = bisect_right(c, end - 1, k) - 1
            return o[k] + start - c[k], o[k2] + end - c[k2]
        return self.to_original(start), self.to_original(end - 1) + 1

    @property
    def breakpoints(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(clean offsets, original offsets) of the map's breakpoints, for callers mapping many spans."""
        return self._clean, self._orig

    @property
    def is_identity(self) -> bool:
        return len(self._clean) == 1 and self.text == self.original


def clean(original: str) -> CleanText:
    """Repair the usual scraping damage, keeping offsets: see the module docstring for the list."""
    text = original
    if "\\" in text:
        # "Soviet\\union" -> "Soviet Union"; any other backslash in context -> a space (same length);
        # when every backslash is in context (a scraped text usually), one str.replace does it
        text = text.replace("Soviet\\union", "Soviet Union")
        if _BACKSLASH_OUT_OF_CONTEXT.search(text) is None:
            text = text.replace("\\", " ")
        else:
            text = _BACKSLASH.sub(" ", text)
    if not text.isascii():
        # one str.replace per character present is far faster than str.translate on long texts
        for ch, new in _SAME_LENGTH.items():
            if chr(ch) in text:
                text = text.replace(chr(ch), new)
    elif "\r" in text:
        text = text.replace("\r", "\n")
    # length-changing repairs: (start, end, replacement) in original offsets, which ``text`` shares so far
    fixes: list[tuple[int, int, str]] = [(m.start(), m.end(), "from") for m in _ROM.finditer(original)]
    if "\r\n" in original:
        fixes += [(m.start(), m.start() + 2, "\n") for m in re.finditer("\r\n", original)]
    if not original.isascii() and any(ch in original for ch in _ZERO_WIDTH):
        fixes += [(m.start(), m.start() + 1, "") for m in _ZERO_WIDTH_RE.finditer(original)]
    if not fixes:
        return CleanText(original, text)
    fixes.sort()
    pieces: list[str] = []
    clean_bp: list[int] = [0]
    orig_bp: list[int] = [0]
    pos = 0  # in original/text
    out = 0  # in the cleaned text
    for a, b, new in fixes:
        pieces.append(text[pos:a])
        out += a - pos
        n, size = len(new), b - a
        if n > size:  # the extra characters map onto the first source character
            clean_bp += (out, out + n - size)
            orig_bp += (a, a)
        elif n:  # shorter: align on the last source characters
            clean_bp.append(out)
            orig_bp.append(a + size - n)
        clean_bp.append(out + n)
        orig_bp.append(b)
        pieces.append(new)
        out += n
        pos = b
    pieces.append(text[pos:])
    return CleanText(original, "".join(pieces), tuple(clean_bp), tuple(orig_bp))


# --- segmentation ---------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mt",
    "st",
    "ft",
    "gen",
    "lt",
    "col",
    "capt",
    "cpt",
    "maj",
    "sgt",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "p",
    "pp",
    "no",
    "nos",
    "vol",
    "ch",
    "fig",
    "cf",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "c",
    "ca",
    "approx",
    "adm",
    "rev",
    "jr",
    "sr",
}
_LAST_WORD = re.compile(r"([\w.]+)\.*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]*[A-Z0-9\"'(\[]|\s*$)|\n")


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quoted passage (possibly several paragraphs, each reopening the quote) and its citation:
    the parenthesis right after the closing mark, e.g. a report's sender and date."""

    start: int
    end: int
    citation_start: int | None = None
    citation_end: int | None = None


class Layout:
    """Paragraph, sentence and quotation spans of a (clean) text, each as (start, end) pairs."""

    __slots__ = (
        "_cite_starts",
        "_para_starts",
        "_quote_starts",
        "_sent_starts",
        "paragraphs",
        "quotations",
        "sentences",
    )

    def __init__(self, paragraphs, sentences, quotations):
        self.paragraphs: tuple[tuple[int, int], ...] = tuple(paragraphs)
        self.sentences: tuple[tuple[int, int], ...] = tuple(sentences)
        self.quotations: tuple[Quotation, ...] = tuple(quotations)
        self._para_starts = [s for s, _ in self.paragraphs]
        self._sent_starts = [s for s, _ in self.sentences]
        self._quote_starts = [q.start for q in self.quotations]
        self._cite_starts = [
            q.citation_start if q.citation_start is not None else -1 for q in self.quotations
        ]

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (the one before it when in a gap)."""
        return max(0, bisect_right(self._para_starts, offset) - 1)

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self._sent_starts, offset) - 1)

    def quotation_at(self, offset: int) -> Quotation | None:
        """The quotation holding ``offset`` (quotations do not overlap), or None."""
        k = bisect_right(self._quote_starts, offset) - 1
        if k >= 0 and offset < self.quotations[k].end:
            return self.quotations[k]
        return None

    def citation_at(self, offset: int) -> Quotation | None:
        """The quotation whose citation parenthesis holds ``offset``, or None."""
        k = bisect_right(self._quote_starts, offset) - 1
        if k >= 0:
            q = self.quotations[k]
            if q.citation_start is not None and q.citation_start <= offset < (q.citation_end or 0):
                return q
        return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs split at blank lines; a blank line followed by a lower-case letter is a page-layout
    break inside a sentence (the memoir has one), not a new paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _PARAGRAPH_BREAK.finditer(text):
        a, b = m.span()
        if b < n and text[b].islower():
            continue
        # a break swallows the blanks after it, so only the text's first paragraph can be blank
        if start < a and (start or text[:a].strip()):
            spans.append((start, a))
        start = b
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentences(text: str, para: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (within ``para`` if given), not fooled by ``Mt.``, ``Gen.``, ``p. 79``."""
    lo, hi = para if para else (0, len(text))
    spans: list[tuple[int, int]] = []
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.group() == "\n":
            end = m.start()
        else:
            word = _LAST_WORD.search(text, max(lo, m.start() - 12), m.start() + 1)
            token = word.group(1).rstrip(".").lower() if word else ""
            if m.group().startswith(".") and token in _ABBREVIATIONS:
                continue
            if m.group().startswith(".") and len(token) == 1 and token.isalpha():  # an initial: "K. Marx"
                continue
            end = m.end()
        if text[start:end].strip():
            s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            spans.append((s, end))
        start = end
    if text[start:hi].strip():
        s = start + (len(text[start:hi]) - len(text[start:hi].lstrip()))
        spans.append((s, hi))
    return spans


def quotations(
    text: str, original: str | None = None, offset_map: CleanText | None = None
) -> list[Quotation]:
    """Quoted passages of ``text`` (double quotes), with the citation parenthesis following each.

    A quote left open at the end of a paragraph continues when the next paragraph opens with a quote
    mark (the English convention for a quotation of several paragraphs); otherwise it closes there.
    Curly marks in the original, when given, tell opening from closing; straight ones alternate.
    """
    result: list[Quotation] = []
    paras = paragraphs(text)
    open_at: int | None = None
    for i, (ps, pe) in enumerate(paras):
        for m in re.finditer('"', text[ps:pe]):
            at = ps + m.start()
            kind = _quote_kind(at, text, original, offset_map)
            if open_at is None:
                if kind != "close":
                    open_at = at
            elif kind == "open" or (at == ps and kind == "either"):
                continue  # a continuation mark opening the next paragraph of the same quote
            else:
                result.append(_with_citation(text, open_at, at + 1))
                open_at = None
        if open_at is not None:
            nxt = paras[i + 1][0] if i + 1 < len(paras) else None
            if nxt is None or text[nxt : nxt + 1] != '"':
                result.append(_with_citation(text, open_at, pe))
                open_at = None
    return result


def _quote_kind(at: int, text: str, original: str | None, offset_map: CleanText | None) -> str:
    if original is not None:
        o = offset_map.to_original(at) if offset_map is not None else at
        ch = original[o : o + 1]
        if ch in "\u201c\u201e":
            return "open"
        if ch == "\u201d":
            return "close"
    before = text[at - 1 : at] if at else " "
    after = text[at + 1 : at + 2]
    if before.isspace() or before in "([{\u2014-" or not before:
        return "open"
    if after.isspace() or not after or after in ".,;:!?)":
        return "close"
    return "either"


def _with_citation(text: str, start: int, end: int) -> Quotation:
    m = re.match(r"[ \t]*(\()", text[end : end + 4])
    if not m:
        return Quotation(start, end)
    open_at = end + m.start(1)
    depth = 0
    for j in range(open_at, min(len(text), open_at + 600)):
        ch = text[j]
        if ch == "\n":
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return Quotation(start, end, open_at, j + 1)
    return Quotation(start, end)


def layout(text: str, original: str | None = None, offset_map: CleanText | None = None) -> Layout:
    """Paragraphs, sentences and quotations of a clean text in one pass."""
    paras = paragraphs(text)
    sents: list[tuple[int, int]] = []
    for p in paras:
        sents.extend(sentences(text, p))
    return Layout(paras, sents, quotations(text, original, offset_map))
