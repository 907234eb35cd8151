"""Candidate events: a place mention, the date that governs it, and the movement its sentence states.

A candidate is a suggestion for a historian to confirm, not an event: "who" is left to them. What we
join to each mention (mentions inside an organisation's name are left out: nobody is said to be there):

- **the governing date**: a date in the same sentence (the nearest before the mention, else the first
  after it); else the paragraph's running date (the last dated expression before it in the paragraph);
  inside a quotation, the date of its citation (the report's "now"); else ``document_date``. Dates of
  a citation govern only the citation itself. ``date_basis`` says which rule applied.
- **a cue** from the words right before the mention: ``move`` (went to, returned to, came to, left ...
  for, arrived in, gathered at, was transferred to, escaped to, entered; the place is the
  ``destination``), ``move`` with role ``origin`` (left X, from X in a sentence of movement), ``move``
  with role ``via`` (crossed, across), ``base`` (stationed in, based at), ``stay`` (stayed in, is in),
  ``meeting`` (met ... in/at), else ``context`` (a plain "in X", role ``location``, or no cue at all,
  role ``mentioned``). A place in apposition ("stationed in Donganzhen, Raohe County") shares the cue.
- **the from-place**: for a destination, the origin stated in the same sentence ("left Khabarovsk ...
  and went to Yanan", "returned to the Soviet Union from Yanan", "went from X to Y").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import DateMention
from .mentions import Mention
from .text import Layout

_FILLER = (
    r"(?:\s+(?:the|a|an|this|that|these|those))?"
    r"(?:\s+(?:area|vicinity|neighbourhood|neighborhood|suburbs|outskirts|territory|region|interior|border|"
    r"borders|coast|banks?|shores?|direction|heart|north|south|east|west|centre|center)\s+of(?:\s+the)?)?"
    r"(?:\s+(?:a|the)\s+(?:village|town|city|place|camp|area)\s+(?:called|named|known\s+as))?\s+$"
)
_ADVERBS = (
    r"(?:\s+(?:back|troops|units|him|them|us|me|her|all|together|again|also|secretly|directly|then|once|"
    r"later|soon|finally|eventually|immediately|first))*"
)


def _c(core: str) -> re.Pattern[str]:
    """A cue: its words (group ``cue``), then the filler up to the mention."""
    return re.compile(r"(?P<cue>" + core + r")" + _FILLER, re.I)


def _triggers(pattern: re.Pattern[str]) -> frozenset[str]:
    """The words one of which a cue needs (its first group of alternatives), to skip a pattern cheaply
    when none of them is near the mention."""
    core = pattern.pattern
    group = re.search(r"\\b\(\?:([^()]*)\)", core) or re.search(r"\\b(\w+)", core)
    words: set[str] = set()
    for alt in group.group(1).split("|"):
        first = re.split(r"\\s", alt)[0]
        if "l?" in first:
            words |= {first.replace("l?", "l"), first.replace("l?", "")}
        else:
            words.add(first.replace("\\b", ""))
    return frozenset(words)


# (pattern ending right before the filler, kind, role, label); the first that fits wins.
_CUES: list[tuple[re.Pattern[str], str, str]] = [
    (
        _c(
            r"\b(?:stationed|based|garrisoned|deployed|quartered|encamped|camped|billeted)(?:\s+\w+)?\s+(?:in|at|on|near|around)"
        ),
        "base",
        "location",
    ),
    (
        _c(r"\b(?:gathered|assembled|mustered|concentrated|regrouped)(?:\s+\w+)?\s+(?:at|in|on)"),
        "move",
        "destination",
    ),
    (
        _c(r"\b(?:left|leaving|departed|set\s+out|started|bound|headed|sailed|flew)\s+for"),
        "move",
        "destination",
    ),
    (
        _c(
            r"\b(?:went|go|goes|going|gone|returned|return|returns|returning|came|come|comes|coming|moved|move|moves|"
            r"moving|transferred|escaped|escape|fled|flee|fleeing|sent|sending|send|dispatched|withdrew|withdraw|"
            r"retreated|retreat|marched|march|travell?ed|travel|headed|proceeded|advanced|driven|taken|brought|"
            r"deported|evacuated|flew|sailed|walked|ran|hurried|rushed|crossed\s+over|got)"
            + _ADVERBS
            + r"\s+(?:to|into|towards?|back\s+to)"
        ),
        "move",
        "destination",
    ),
    (
        _c(r"\b(?:arrived|arriving|arrive|arrives|landed|land|landing|lands|touched\s+down)\s+(?:in|at|on)"),
        "move",
        "destination",
    ),
    (
        _c(
            r"\b(?:reached|reach|reaching|entered|enter|entering|enters|visit|visited|visiting|visits|invaded|invade|"
            r"descend\s+on|descended\s+on|returned\s+to)"
        ),
        "move",
        "destination",
    ),
    (
        _c(r"\b(?:left|leaving|leave|leaves|departed\s+from|departed|quit|abandoned|evacuated)"),
        "move",
        "origin",
    ),
    (
        _c(r"\b(?:crossed|crossing|cross|crosses|across|through|via|traversed)"),
        "move",
        "via",
    ),
    (
        _c(r"\bmet\b[^.;!?\"]{0,80}?\s+(?:in|at)"),
        "meeting",
        "location",
    ),
    (
        _c(
            r"\b(?:stayed|staying|stay|stays|lived|living|live|lives|remained|remain|settled|hid|hiding|"
            r"is|was|were|be|been|being|am|are)(?:\s+(?:now|still|then|already))?\s+(?:in|at|near)"
        ),
        "stay",
        "location",
    ),
]
_CUE_TRIGGERS = [_triggers(p) for p, _, _ in _CUES]
_WORD = re.compile(r"[a-z]+")
_FROM = _c(r"\bfrom")
_PLAIN_LOCATION = _c(r"\b(?:in|at|near|around|outside|inside|on|within)")
_MOVEMENT_WORDS = re.compile(
    r"\b(?:went|go|going|returned|return|came|come|moved|transferred|escaped|fled|left|departed|arrived|"
    r"sent|withdrew|retreated|marched|travell?ed|flew|sailed|crossed|headed|back)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class CandidateEvent:
    """A mention joined to its governing date and its movement cue; offsets into the analysed text.

    ``mention`` is the index of the mention in the parse result; ``from_mention`` that of the origin.
    """

    mention: int
    start: int
    end: int
    place_id: str | None
    place_name: str | None
    kind: str  # move | base | stay | meeting | context
    place_role: str  # destination | origin | via | location | mentioned
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    edtf: str | None
    date_text: str | None
    date_start: int | None
    date_end: int | None
    date_basis: str | None  # sentence | paragraph | citation | document
    from_mention: int | None
    from_place_id: str | None
    sentence_start: int
    sentence_end: int
    in_quotation: bool


def candidate_events(
    text: str,
    mentions: Sequence[Mention],
    dates: Sequence[DateMention],
    structure: Layout,
    *,
    document_date: str | None = None,
) -> list[CandidateEvent]:
    """One candidate event per place mention (not those inside organisation names)."""
    dated = [d for d in dates if d.edtf]
    starts = [d.start for d in dated]
    cues: dict[int, tuple[str, str, int, int]] = {}
    for idx, m in enumerate(mentions):
        if m.role != "place":
            continue
        s_idx = structure.sentence_of(m.start)
        s_start = structure.sentences[s_idx][0] if structure.sentences else 0
        prefix_start = max(s_start, m.start - 160)
        prefix = text[prefix_start : m.start]
        got = _cue_of_prefix(prefix)
        if got is not None and got[0] == _FROM_CUE:  # an origin only in a sentence of movement
            sentence = text[s_start : structure.sentences[s_idx][1]] if structure.sentences else text
            got = ("move", "origin", got[2], got[3]) if _MOVEMENT_WORDS.search(sentence) else None
        if got is None:
            prev = _apposition_of(idx, mentions, text)
            if prev is not None and prev in cues:
                got = cues[prev]
        else:
            kind, role, a, b = got
            got = (kind, role, prefix_start + a, prefix_start + b)
        if got is not None:
            cues[idx] = got

    events: list[CandidateEvent] = []
    for idx, m in enumerate(mentions):
        if m.role != "place":
            continue
        s_idx = structure.sentence_of(m.start)
        s_start, s_end = structure.sentences[s_idx] if structure.sentences else (0, len(text))
        date, basis = _governing_date(m.start, s_start, s_end, dated, starts, structure)
        edtf = date.edtf if date else None
        if date is None and document_date:
            edtf, basis = document_date, "document"
        kind, role, cs, ce = cues.get(idx, ("context", "mentioned", None, None))
        from_idx = None
        if role == "destination":
            from_idx = _origin_in_sentence(idx, mentions, cues, s_start, s_end)
        events.append(
            CandidateEvent(
                mention=idx,
                start=m.start,
                end=m.end,
                place_id=m.place.id if m.place else None,
                place_name=m.place.name if m.place else None,
                kind=kind,
                place_role=role,
                cue=text[cs:ce].strip() if cs is not None else None,
                cue_start=cs,
                cue_end=ce,
                edtf=edtf,
                date_text=date.text if date else None,
                date_start=date.start if date else None,
                date_end=date.end if date else None,
                date_basis=basis,
                from_mention=from_idx,
                from_place_id=(
                    mentions[from_idx].place.id if from_idx is not None and mentions[from_idx].place else None
                ),
                sentence_start=s_start,
                sentence_end=s_end,
                in_quotation=structure.quotation_at(m.start) is not None,
            )
        )
    return events


_FROM_CUE = "from?"
_CUE_MEMO: dict[str, tuple[str, str, int, int] | None] = {}


def _cue_of_prefix(prefix: str) -> tuple[str, str, int, int] | None:
    """(kind, role, cue start, cue end) of the cue ending right before a mention, offsets in ``prefix``,
    remembered per prefix (a long text repeats its phrasings). A "from" cue comes back with the kind
    ``_FROM_CUE``: it is an origin only in a sentence of movement, which the caller checks."""
    got = _CUE_MEMO.get(prefix, _FROM_CUE)
    if got is _FROM_CUE:
        got = _cue_uncached(prefix)
        if len(_CUE_MEMO) > 20_000:
            _CUE_MEMO.clear()
        _CUE_MEMO[prefix] = got
    return got  # type: ignore[return-value]


def _cue_uncached(prefix: str) -> tuple[str, str, int, int] | None:
    near = set(_WORD.findall(prefix.lower()))
    for (pattern, kind, role), needs in zip(_CUES, _CUE_TRIGGERS, strict=True):
        if needs.isdisjoint(near):
            continue
        m = pattern.search(prefix)
        if m:
            return kind, role, m.start(), _cue_end(prefix, m)
    m = _FROM.search(prefix) if "from" in near else None
    if m:
        return _FROM_CUE, "origin", m.start(), _cue_end(prefix, m)
    m = _PLAIN_LOCATION.search(prefix)
    if m:
        return "context", "location", m.start(), _cue_end(prefix, m)
    return None


def _cue_end(prefix: str, m: re.Match[str]) -> int:
    return m.end("cue")


def _apposition_of(idx: int, mentions: Sequence[Mention], text: str) -> int | None:
    """The mention this one stands in apposition to ("Donganzhen, Raohe County"), if any."""
    if idx == 0:
        return None
    prev = mentions[idx - 1]
    gap = text[prev.end : mentions[idx].start]
    return idx - 1 if re.fullmatch(r",\s*(?:the\s+)?|\s*\(\s*(?:in\s+)?(?:the\s+)?", gap) else None


def _origin_in_sentence(
    idx: int,
    mentions: Sequence[Mention],
    cues: dict[int, tuple[str, str, int, int]],
    s_start: int,
    s_end: int,
) -> int | None:
    """The nearest mention of the same sentence that is an origin (mentions are in text order)."""
    for step in range(1, len(mentions)):
        inside = False
        for j in (idx - step, idx + step):
            if 0 <= j < len(mentions) and s_start <= mentions[j].start < s_end:
                inside = True
                if cues.get(j, ("", ""))[1] == "origin":
                    return j
        if not inside:
            return None
    return None


def _governing_date(
    pos: int,
    s_start: int,
    s_end: int,
    dated: Sequence[DateMention],
    starts: Sequence[int],
    structure: Layout,
) -> tuple[DateMention | None, str | None]:
    quote = structure.quotation_at(pos)
    citing = structure.citation_at(pos)

    def usable(d: DateMention) -> bool:
        if d.role == "citation":
            return citing is not None and citing.citation_start <= d.start < (citing.citation_end or 0)
        dq = structure.quotation_at(d.start)
        return (dq is None and quote is None) or (
            dq is not None and quote is not None and dq.start == quote.start
        )

    def between(a: int, b: int) -> Sequence[DateMention]:
        return dated[bisect_left(starts, a) : bisect_left(starts, b)]

    in_sentence = [d for d in between(s_start, s_end) if usable(d)]
    before = [d for d in in_sentence if d.start <= pos]
    if before:
        return before[-1], "sentence"
    if in_sentence:
        return in_sentence[0], "sentence"
    p_idx = structure.paragraph_of(pos)
    if structure.paragraphs:
        p_start = structure.paragraphs[p_idx][0]
        running = [d for d in between(p_start, pos) if usable(d)]
        if running:
            return running[-1], "paragraph"
    if quote is not None and quote.citation_start is not None:
        cited = list(between(quote.citation_start, quote.citation_end or 0))
        if cited:
            order = ["year", "season", "month", "part-of-month", "day"]
            best = max(cited, key=lambda d: order.index(d.precision) if d.precision in order else -1)
            return best, "citation"
    return None, None
