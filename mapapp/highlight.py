"""The one passage highlighter: where a place's names occur in a passage, and the passage as escaped
HTML with those names in ``<mark>``.

The dashboard's side panel (``passages``), the map's popups in the app and the export (``build``) and
``corpus.Passage`` all mark names through here, so a name is found the same way everywhere: in any
case, with any run of spaces, no-break spaces or the memoir's stray backslashes between its words, and
with straight or curly apostrophes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A name as texts write it (see the module's docstring); None for a blank name."""
    words = [w for w in re.split(r"[\s\\]+", name.strip()) if w]
    if not words:
        return None
    parts = [re.sub("['’]", "['’]", re.escape(w)) for w in words]  # one pass: ’ inside ['’] stays
    return re.compile(r"(?<!\w)" + r"[\s\\\u00a0]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def find_names(
    text: str, names: Iterable[str], start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of any of ``names`` in ``text[start:end]`` (offsets into
    ``text``), longer names first, in text order. One-letter names are never marked."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n and len(n.strip()) > 1}, key=len, reverse=True):
        pattern = name_pattern(name)
        if pattern is None:
            continue
        for m in pattern.finditer(text, start, end):
            if not any(m.start() < e and s < m.end() for s, e in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def mark(
    text: str,
    spans: Iterable[tuple[int, int]],
    start: int = 0,
    end: int | None = None,
    escape: Callable[[str], str] = html.escape,
) -> str:
    """``text[start:end]`` escaped, each span (offsets into ``text``) in ``<mark>``."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)
