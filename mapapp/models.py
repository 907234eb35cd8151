"""Source and Event: who was where, when, on whose word.

Validated once, at the edge (``mapapp.corpus`` reads files into these); everything inside passes
these objects. Offsets count characters of the source text as read with UTF-8, exactly as given
(dirty characters included), so they are only valid against the text whose SHA-256 the source holds.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EventKind = Literal[
    "stay",
    "base",
    "move",
    "meeting",
    "founding",
    "exercise",
    "battle",
    "claim",
    "death",
    "appointment",
    "context",
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]

Certainty = Literal["high", "medium", "low"]
CERTAINTIES: tuple[str, ...] = Certainty.__args__  # type: ignore[attr-defined]


class Source(BaseModel):
    """A text that asserts events; ``quoted_in`` chains a quoted report to the text that quotes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    author: str = ""
    kind: str = Field(min_length=1)  # memoir | article | police report | case file | ...
    publisher: str = ""
    date: str = ""  # EDTF
    text_file: str = ""  # file name the offsets count in
    sha256: str = ""
    url: str = ""
    reliability: str = ""
    quoted_in: str = ""  # id of the source that quotes this one
    quoted_start: int | None = None
    quoted_end: int | None = None
    note: str = ""


class Event(BaseModel):
    """One assertion that an actor was somewhere (or did something somewhere) at some time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    actors: tuple[str, ...] = Field(min_length=1)
    kind: EventKind
    place_id: str = ""
    from_place_id: str = ""
    via_place_id: str = ""
    edtf: str = ""  # empty only for an undated event
    date_phrase: str = ""
    source_id: str = Field(min_length=1)
    passage_start: int | None = None
    passage_end: int | None = None
    attribution: str = ""
    certainty: Certainty = "medium"
    place_implied: bool = False
    date_implied: bool = False
    contested_by: tuple[str, ...] = ()
    contest_note: str = ""
    summary: str = ""
    automatic: bool = False  # found by the geoparser in a text, not written by a person

    @field_validator("passage_start", "passage_end")
    @classmethod
    def _non_negative(cls, v: int | None) -> int | None:
        if v is not None and v < 0:
            raise ValueError("offset must be >= 0")
        return v

    @model_validator(mode="after")
    def _span_ordered(self) -> Event:
        if (self.passage_start is None) != (self.passage_end is None):
            raise ValueError("passage_start and passage_end go together")
        if self.passage_start is not None and self.passage_end <= self.passage_start:  # type: ignore[operator]
            raise ValueError("passage_end must be after passage_start")
        return self

    @property
    def implied(self) -> bool:
        return self.place_implied or self.date_implied
