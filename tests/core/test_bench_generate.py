"""The benchmark mailbox generator: same seed, same bytes; the promised shape at a tiny size."""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
from pathlib import Path

from kreview.bench.generate import GeneratedInfo, generate, info_path

SIZE = 400


def _digest(maildir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((maildir / "cur").iterdir()):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _by_id(maildir: Path) -> dict[str, email.message.Message]:
    out = {}
    for path in (maildir / "cur").iterdir():
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
        mid = (msg.get("Message-ID") or "").strip("<> ")
        if mid:
            out[mid] = msg
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = generate(tmp_path / "a" / "mail", SIZE, seed=7)
    b = generate(tmp_path / "b" / "mail", SIZE, seed=7)
    c = generate(tmp_path / "c" / "mail", SIZE, seed=8)
    assert _digest(tmp_path / "a" / "mail") == _digest(tmp_path / "b" / "mail")
    assert _digest(tmp_path / "a" / "mail") != _digest(tmp_path / "c" / "mail")
    assert a.big_thread_root == b.big_thread_root
    assert c.big_thread_root != a.big_thread_root


def test_shape_at_a_tiny_size(tmp_path):
    maildir = tmp_path / "mail"
    info = generate(maildir, SIZE, seed=1)
    assert len(list((maildir / "cur").iterdir())) == SIZE
    assert GeneratedInfo.read(info_path(maildir)) == info
    messages = _by_id(maildir)

    # Every reply's parent is in the mailbox, except the one made to lack it,
    # and References ends with In-Reply-To.
    lost = set(info.malformed["missing-parent"])
    for mid, msg in messages.items():
        parent = (msg.get("In-Reply-To") or "").strip("<> ")
        if not parent:
            continue
        refs = re.findall(r"<([^>]+)>", msg.get("References", ""))
        assert refs and refs[-1] == parent
        assert (parent in messages) == (mid not in lost), mid

    # The special threads are where the info says, at their scaled sizes.
    assert info.big_thread_size >= 10
    root = info.big_thread_root
    in_big = [m for m in messages.values() if root in (m.get("References") or "")]
    assert len(in_big) == info.big_thread_size - 1
    cover = messages[info.big_series_cover]
    assert re.match(r"\[PATCH 0+/(\d+)\]", cover["Subject"])
    patches = [m for m in messages.values() if (m.get("In-Reply-To") or "").strip("<>") == info.big_series_cover
               and not m["Subject"].startswith("Re:")]
    assert len(patches) == info.big_series_patches >= 3
    big = messages[info.big_patch]
    assert info.big_patch_lines >= 300
    assert big.get_payload().count("\n+#define ") >= info.big_patch_lines - 100

    # Series carry git-format-patch bodies; reviews carry trailers.
    patch = patches[0].get_payload()
    assert "\n---\n" in patch and "diff --git a/" in patch and "\n@@ -" in patch
    assert re.search(r"\d+ files? changed", patch)
    assert any(re.search(r"^Reviewed-by: .+ <.+@.+>$", m.get_payload(), re.M)
               for m in messages.values() if isinstance(m.get_payload(), str))
    assert any(re.match(r"\[PATCH v\d+ ", m["Subject"] or "") for m in messages.values())

    # The malformed kinds are all there.
    assert set(info.malformed) == {"broken-boundary", "unknown-charset", "no-date", "missing-parent", "no-message-id"}
    assert messages[info.malformed["no-date"][0]].get("Date") is None
