"""Reading files in any encoding (or refusing them clearly) and cleaning dirty text with exact offsets."""

from __future__ import annotations

import codecs

import pytest

from gazetteer.errors import TextInputError
from gazetteer.text import TextEncodingWarning, clean, layout, read_text


def test_soviet_backslash_union_becomes_soviet_union_and_maps_back_to_the_original():
    original = "trained in the Soviet\\union\\and China"
    ct = clean(original)
    assert ct.text == "trained in the Soviet Union and China"
    s = ct.text.index("Soviet Union")
    a, b = ct.span(s, s + len("Soviet Union"))
    assert original[a:b] == "Soviet\\union"
    c = ct.text.index("China")
    assert original[slice(*ct.span(c, c + 5))] == "China"


@pytest.mark.parametrize(
    ("dirty", "cleaned"),
    [
        ("political\\and military", "political and military"),
        ("sooner\\or later", "sooner or later"),
        ("we\\organized the unit", "we organized the unit"),
        ("in\\order to", "in order to"),
        ("a room\\where a map hung", "a room where a map hung"),
        ("they came rom Yanan", "they came from Yanan"),
        ("broke rom their attitude", "broke from their attitude"),
    ],
)
def test_scraping_artifacts_are_repaired(dirty: str, cleaned: str):
    assert clean(dirty).text == cleaned


@pytest.mark.parametrize("text", ["a romance in Rome", "the prom was over", "ROM chips", "from here", "rom."])
def test_rom_is_only_repaired_as_a_word_before_another_word(text: str):
    assert clean(text).text == text


def test_rom_to_from_keeps_every_later_offset_exact():
    original = "went rom Khabarovsk to Yanan"
    ct = clean(original)
    for name in ("from", "Khabarovsk", "Yanan"):
        s = ct.text.index(name)
        a, b = ct.span(s, s + len(name))
        assert original[a:b] == ("rom" if name == "from" else name)


def test_nbsp_curly_quotes_and_windows_line_ends():
    original = "He said, \u201cGo to Moscow.\u201d\r\nIt\u2019s far.\u00a0Kiev\r\nnext"
    ct = clean(original)
    assert ct.text == 'He said, "Go to Moscow."\nIt\'s far. Kiev\nnext'
    for name in ("Moscow", "Kiev", "next"):
        s = ct.text.index(name)
        a, b = ct.span(s, s + len(name))
        assert original[a:b] == name


@pytest.mark.needs_shared
def test_memoir_cleaning_removes_every_artifact_and_maps_each_soviet_union_back(memoir_text: str):
    ct = clean(memoir_text)
    assert "\\" not in ct.text
    assert "\u00a0" not in ct.text
    assert " rom " not in ct.text
    spans = [ct.span(i, i + 12) for i in range(len(ct.text)) if ct.text.startswith("Soviet Union", i)]
    assert len(spans) == memoir_text.count("Soviet\\union") == 58
    assert all(memoir_text[a:b] == "Soviet\\union" for a, b in spans)


@pytest.mark.needs_shared
def test_memoir_quoted_police_report_has_its_citation(memoir_text: str):
    ct = clean(memoir_text)
    quotes = layout(ct.text, memoir_text, ct).quotations
    cited = [q for q in quotes if q.citation_start is not None]
    assert len(cited) == 3
    first = ct.text[cited[0].citation_start : cited[0].citation_end]
    assert "Namyang police station" in first and "Showa 19 (1944)" in first
    # the report runs over three paragraphs, each reopening the quote
    assert ct.text[cited[0].start : cited[0].end].count("\n\n") == 2


@pytest.mark.needs_shared
def test_a_blank_line_inside_a_sentence_does_not_split_the_paragraph(memoir_text: str):
    ct = clean(memoir_text)
    paras = layout(ct.text).paragraphs
    where = ct.text.index("northern Manchuria")
    holding = next(p for p in paras if p[0] <= where < p[1])
    assert ct.text[holding[0] :].startswith("Zhang Shou-jian")


def test_a_blank_line_before_a_lower_case_word_continues_the_paragraph():
    text = "We marched north along the river to\n\nthe camp by the birches.\n\nNext day it snowed."
    paras = layout(text).paragraphs
    assert [text[a:b] for a, b in paras] == [
        "We marched north along the river to\n\nthe camp by the birches.",
        "Next day it snowed.",
    ]


# --- reading files ----------------------------------------------------------------------------------


def test_utf8_with_and_without_bom(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("Yan’an in 1942", encoding="utf-8")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(codecs.BOM_UTF8 + "Yan’an in 1942".encode())
    assert read_text(plain).text == read_text(bom).text == "Yan’an in 1942"
    assert read_text(bom).encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_read(tmp_path, encoding: str):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes("Kim went to Khabarovsk in July 1942.\n".encode(encoding))
    assert read_text(path).text.strip() == "Kim went to Khabarovsk in July 1942."


def test_cp1252_file_is_read_with_a_warning_naming_the_file(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 Kiev \u2013 \u201cquoted\u201d".encode("cp1252"))
    with pytest.warns(TextEncodingWarning, match="legacy.txt"):
        tf = read_text(path)
    assert tf.text == "Caf\u00e9 Kiev \u2013 \u201cquoted\u201d"
    assert tf.encoding == "cp1252"
    assert "not valid UTF-8" in tf.warnings[0]


def test_empty_file_is_refused_by_name(tmp_path):
    path = tmp_path / "nothing.txt"
    path.write_bytes(b"")
    with pytest.raises(TextInputError, match=r"nothing\.txt: the file is empty"):
        read_text(path)
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n")
    with pytest.raises(TextInputError, match=r"blank\.txt: holds only blank space"):
        read_text(blank)


def test_binary_files_are_refused_by_name(tmp_path):
    png = tmp_path / "map.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(TextInputError, match=r"map\.txt: is a PNG image, not a text file"):
        read_text(png)
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(TextInputError, match=r"blob\.txt: is a binary file"):
        read_text(blob)


def test_huge_missing_and_folder_paths_are_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Moscow " * 1000)
    with pytest.raises(TextInputError, match=r"big\.txt: .* too large"):
        read_text(big, max_bytes=1000)
    with pytest.raises(TextInputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(TextInputError, match="is a folder"):
        read_text(tmp_path)
