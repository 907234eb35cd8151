"""One highlighter marks a place's names in a passage for the side panel, the map's popups and
``corpus.Passage``: they mark the same words."""

from __future__ import annotations

from mapapp.build import passage_html as popup_html
from mapapp.corpus import Passage
from mapapp.highlight import find_names
from mapapp.passages import passage_html as panel_html

TEXT = "We rode to Yan’an, then on to the Soviet\\union border; K. Yan'an again."


def test_a_name_with_a_curly_or_straight_apostrophe_and_backslashes_is_marked_everywhere():
    names = ["Yan'an", "Soviet Union"]
    spans = find_names(TEXT, names)
    assert [TEXT[s:e] for s, e in spans] == ["Yan’an", "Soviet\\union", "Yan'an"]
    for html in (
        popup_html(TEXT, 0, len(TEXT), names),
        panel_html(TEXT, 0, len(TEXT), names),
        Passage("e", "s", TEXT, 0, len(TEXT), tuple(spans)).html(),
    ):
        assert html.count("<mark>") == 3 and "<mark>Yan’an</mark>" in html


def test_one_letter_names_are_never_marked():
    assert find_names(TEXT, ["K"]) == []


def test_names_are_found_only_inside_the_passage_with_offsets_into_the_text():
    start = TEXT.index("then")
    assert find_names(TEXT, ["Yan'an"], start) == [(TEXT.rindex("Yan"), TEXT.rindex("Yan") + 6)]
