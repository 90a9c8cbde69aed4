"""Property tests: hostile input never raises and never loses a line."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreview.core.blocks import blocks_to_json, fold_summary, split_blocks
from kreview.core.parse import parse_message
from kreview.core.sanitize import clean, clean_line

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "blocks").glob("*.eml"))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines shaped like mail: quotes, diff lines, attributions, signatures, junk.
mail_line = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "", "> ", ">", "> > x", ">>> y", "-- ", "--", "---", "> --", " a | 2 +-",
        "diff --git a/x.c b/x.c", "--- a/x.c", "+++ b/x.c", "@@ -1,3 +1,4 @@ f(void)",
        "> @@ -1 +1 @@", "> +\tfoo();", "> -\tbar();", ">  ctx", "+added", "-removed", " ctx",
        "\\ No newline at end of file", "On Thu, Sep 13, 2018 at 10:35 AM Dan <d@x> wrote:",
        "> On 9/13/18 10:35 AM, Jane wrote:", "Dan <d@x> writes:", "[...]", "rename from a",
    ]),
).map(lambda s: s.replace("\n", ""))
mail_text = st.lists(mail_line, max_size=40).map("\n".join)


def _check_blocks(text: str) -> None:
    blocks = split_blocks(text, fold_threshold=4, keep_head=1, keep_tail=1)
    # The invariant: concatenated block lines are the input lines, exactly and in order.
    assert [ln for b in blocks for ln in b.lines] == text.split("\n")
    for b in blocks:
        assert b.lines
        assert b.type in {"text", "attribution", "quote", "signature", "diff"}
        assert (b.type == "quote") <= (b.level >= 1)
        assert (b.type == "text") <= (b.level == 0)
        assert (b.diff_info() is not None) == (b.type == "diff")
        assert 0 <= b.hidden <= len(b.lines)
        if b.folded:
            assert fold_summary(b).startswith("[…")
    blocks_to_json(blocks)


@SETTINGS
@given(mail_text)
def test_split_blocks_keeps_every_line(text: str) -> None:
    _check_blocks(text)


@SETTINGS
@given(st.text(max_size=300))
def test_split_blocks_on_any_text(text: str) -> None:
    _check_blocks(text)


@SETTINGS
@given(st.binary(max_size=600))
def test_parse_message_never_raises_on_bytes(raw: bytes) -> None:
    msg = parse_message(raw)
    parse_message(raw, headers_only=True)
    _check_clean(msg)


@SETTINGS
@given(st.sampled_from(FIXTURES), st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=6))
def test_parse_message_never_raises_on_mutated_mail(path: Path, edits: list[tuple[int, bytes]]) -> None:
    raw = bytearray(path.read_bytes())
    for pos, junk in edits:
        pos %= len(raw) + 1
        raw[pos:pos + len(junk)] = junk  # overwrite: breaks boundaries, base64, headers
    msg = parse_message(bytes(raw))
    _check_clean(msg)
    _check_blocks(msg.text)


def _check_clean(msg) -> None:
    h = msg.headers
    for value in (h.from_, h.subject, h.date, h.message_id, *h.to, *h.cc, *h.references, *msg.notes):
        assert _no_controls(value, allow="")
    assert _no_controls(msg.text, allow="\n\t")
    for p in msg.patches:
        assert _no_controls(p.text, allow="\n\t")


def _no_controls(text: str, allow: str) -> bool:
    return not any((ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in allow for c in text)


@SETTINGS
@given(st.text())
def test_clean_leaves_no_control_but_newline_and_tab(text: str) -> None:
    assert _no_controls(clean(text), allow="\n\t")
    assert _no_controls(clean_line(text), allow="")
    assert "\u2028" not in clean(text) and "\u2029" not in clean(text)
