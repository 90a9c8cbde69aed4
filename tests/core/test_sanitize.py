"""Invisible format characters (bidi controls, zero-width ones) are shown, not obeyed."""
from __future__ import annotations

import unicodedata

import pytest

from kreview.core.sanitize import FORMAT_CONTROLS, NEEDS_CLEANING, clean, clean_line, is_clean

BIDI = {
    "\u202a": r"\u202a", "\u202b": r"\u202b", "\u202c": r"\u202c", "\u202d": r"\u202d", "\u202e": r"\u202e",
    "\u2066": r"\u2066", "\u2067": r"\u2067", "\u2068": r"\u2068", "\u2069": r"\u2069",
    "\u200e": r"\u200e", "\u200f": r"\u200f", "\u061c": r"\u061c",
}


@pytest.mark.parametrize("char,shown", sorted(BIDI.items()))
def test_bidi_controls_become_escapes(char: str, shown: str) -> None:
    assert clean(f"abc{char}def") == f"abc{shown}def"
    assert clean_line(f"abc{char}def") == f"abc{shown}def"
    assert not is_clean(char) and is_clean(clean(char))


def test_trojan_source_line_reads_as_stored() -> None:
    # The classic CVE-2021-42574 comment: on a bidi terminal the RLO/LRI pair
    # makes "return" appear to sit inside the comment.
    line = "/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */"
    shown = clean(line)
    assert shown == r"/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */"
    assert not any(unicodedata.category(c) == "Cf" for c in shown)


def test_hidden_characters_are_shown() -> None:
    assert clean("Reviewed\u200b-by: A") == r"Reviewed\u200b-by: A"
    assert clean("\ufeffHello") == r"\ufeffHello"
    assert clean("a\u2060b\u2061c\u180ed") == r"a\u2060b\u2061c\u180ed"
    # Tag characters spell out hidden ASCII ("ASCII smuggling"): each is shown.
    smuggled = "ok" + "".join(chr(0xE0000 + ord(c)) for c in "rm -rf")
    assert clean(smuggled) == "ok" + "".join(f"\\U{0xE0000 + ord(c):08x}" for c in "rm -rf")


def test_joiners_and_soft_hyphen_stay() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, joined by ZWJ
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a Persian word
    for text in (family, persian, "co\xadoperate"):
        assert clean(text) == text and is_clean(text)


def test_every_format_character_is_covered() -> None:
    """The list in sanitize holds every Cf character this Python knows,
    but the two joiners and the soft hyphen (a newer Unicode adding some
    fails here and says which)."""
    cf = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    missing = cf - FORMAT_CONTROLS - {0x200C, 0x200D, 0x00AD}
    assert not missing, [hex(c) for c in sorted(missing)]
    assert {0x200C, 0x200D, 0x00AD}.isdisjoint(FORMAT_CONTROLS)
    for code in cf - {0x200C, 0x200D, 0x00AD}:
        assert clean(chr(code)).startswith("\\u" if code <= 0xFFFF else "\\U")


def test_needs_cleaning_matches_exactly_what_clean_changes() -> None:
    for code in range(0x110000):
        char = chr(code)
        if char in "\n\t":
            continue
        assert bool(NEEDS_CLEANING.search(char)) == (clean_line(char) != char), hex(code)


def test_the_table_built_at_import_shows_each_kind_of_control_as_documented() -> None:
    """``_build_table`` runs once, when the module is imported; called here
    again so a change to it is seen (mutation testing switches code only in
    calls made after the import). Each kind of control, as the reader shows it."""
    from kreview.core.sanitize import _TABLE, _build_table

    table = _build_table()
    assert table == _TABLE
    assert 0x09 not in table and 0x0A not in table  # tab and newline survive
    assert (table[0x00], table[0x1B], table[0x0D], table[0x1F]) == ("\u2400", "\u241b", "\u240d", "\u241f")
    assert table[0x7F] == "\u2421"
    assert (table[0x80], table[0x9B], table[0x9F]) == ("\\x80", "\\x9b", "\\x9f")
    assert 0x20 not in table and 0x7E not in table and 0xA0 not in table
    assert table[0x2028] == table[0x2029] == "\u2424"
    assert (table[0x202E], table[0xFEFF], table[0xE0041]) == ("\\u202e", "\\ufeff", "\\U000e0041")
    assert 0x200C not in table and 0x200D not in table and 0xAD not in table
    assert set(table) == set(range(0x20)) - {0x09, 0x0A} | {0x7F} | set(range(0x80, 0xA0)) | {0x2028, 0x2029} \
        | FORMAT_CONTROLS


def test_character_class_joins_runs_into_ranges() -> None:
    import re

    from kreview.core.sanitize import _character_class

    assert _character_class({0x61, 0x62, 0x63, 0x65, 0x78, 0x79}) == "[a-cex-y]"
    assert _character_class({0x2D}) == "[\\-]"  # escaped: a lone "-" must not make a range
    pattern = re.compile(_character_class({0x5D, 0x5E, 0x41, 0x42, 0x43}))
    assert [c for c in "@ABCD\\]^_" if pattern.fullmatch(c)] == ["A", "B", "C", "]", "^"]


def test_a_header_folded_with_crlf_becomes_one_space() -> None:
    """A header line keeps no line break: CRLF is one space (not "␍ "), a
    lone CR stays visible, tabs and LF are spaces."""
    assert clean_line("Re: [PATCH] mm:\r\n fix") == "Re: [PATCH] mm:  fix"
    assert clean_line("a\r\nb\rc\nd\te") == "a b\u240dc d e"
    assert clean("a\r\nb\rc") == "a\nb\u240dc"
