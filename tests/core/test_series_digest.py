"""The series view's row digest (kreview.core.series_digest) on a real notmuch
database: it gives the rows the index properties give, follows the index
stamp, and is brought up to date by the refresh that sees new mail."""
from __future__ import annotations

from pathlib import Path

from kreview.core import series_digest
from kreview.core.demo import build_database
from kreview.core.model import Identity
from kreview.core.series_index import LASTMOD_KEY, chain_row_stages, chain_rows, refresh
from kreview.core.store import Store
from tests.core import chain_mail


def _digest_of(store: Store, cache: Path):
    """The digest in ``cache`` valid for the database's stamp now (None: none)."""
    return series_digest.read(series_digest.digest_path(cache, store.config_path),
                              store.database_value(LASTMOD_KEY))


def test_the_index_build_writes_the_digest_and_it_gives_the_same_rows(chain_store, tmp_path):
    cache = tmp_path / "cache"
    refresh(chain_store, cache_dir=cache)
    assert _digest_of(chain_store, cache) is not None  # written by the refresh, not by a reader
    from_properties = chain_rows(chain_store, "*")
    assert len(from_properties) == 8
    assert chain_rows(chain_store, "*", cache) == from_properties
    query = "from:alice@example.com"
    assert chain_rows(chain_store, query, cache) == chain_rows(chain_store, query)


def test_a_new_version_shows_through_the_digest_the_refresh_updated(chain_store, tmp_path):
    cache = tmp_path / "cache"
    refresh(chain_store, cache_dir=cache)
    before = chain_rows(chain_store, "*", cache)
    chain_mail.index_v5(chain_store)
    # new mail, index not refreshed yet: the digest still matches the index
    assert chain_rows(chain_store, "*", cache) == before
    result = refresh(chain_store, cache_dir=cache)
    assert not result.full and result.chains_written == 1
    digest = _digest_of(chain_store, cache)
    assert digest is not None  # the refresh wrote the digest of the new stamp from the old one
    rows = digest.rows()
    assert rows == chain_rows(chain_store, "*")
    foo = next(r for r in rows if r.title.startswith("foo:"))
    assert [v.version for v in foo.versions] == [1, 2, 2, 3, 4, 5]
    assert foo.newest.head_id == "v5-0@example.com" and foo.newest.status == "needs my review"
    assert rows[0] is not None and rows[0].key == foo.key  # newest activity first


def test_a_refresh_by_another_writer_makes_the_digest_stale(chain_store, tmp_path):
    cache = tmp_path / "cache"
    refresh(chain_store, cache_dir=cache)
    path = series_digest.digest_path(cache, chain_store.config_path)
    old = path.read_text()
    chain_mail.index_v5(chain_store)
    refresh(chain_store)  # e.g. `kreview series` of another version, no digest written
    assert path.read_text() == old and _digest_of(chain_store, cache) is None
    foo = next(r for r in chain_rows(chain_store, "*", cache) if r.title.startswith("foo:"))
    assert foo.newest.version == 5  # read from the properties, and the digest written again
    assert _digest_of(chain_store, cache) is not None
    # a refresh starting from a stale digest leaves it alone: the next reader rebuilds it
    late = chain_mail.reply("late-v5@example.org", chain_mail._version(
        "v5", " v5", "foo: rework the bar and baz caches", ["lock", "baz", "cache2c"], 60)[1],
        chain_mail.BOB, "Reviewed-by: Bob Builder <bob@example.net>", 90)
    mail = Path(chain_store.check()) / "cur" / "late-v5:2,S"
    mail.write_bytes(late.render())
    chain_store.index_file(mail)
    path.write_text(old)  # the digest of an older stamp
    refresh(chain_store, cache_dir=cache)
    assert path.read_text() == old
    assert chain_rows(chain_store, "*", cache) == chain_rows(chain_store, "*")


def test_first_rows_come_before_the_rest(chain_store, tmp_path):
    cache = tmp_path / "cache"
    refresh(chain_store, cache_dir=cache)
    every = chain_rows(chain_store, "*")
    first, last = chain_row_stages(chain_store, "*", cache, first=3)
    assert (first.rows, first.complete) == (every[:3], False)
    assert (last.rows, last.complete) == (every, True)
    assert first.stamp == last.stamp == chain_store.database_value(LASTMOD_KEY)
    query = "from:alice@example.com"
    matching = chain_rows(chain_store, query)
    first, last = chain_row_stages(chain_store, query, cache, first=1)
    assert first.rows == matching[:1] and last.rows == matching
    # no digest yet: one stage, from the properties
    (only,) = chain_row_stages(chain_store, "*", tmp_path / "empty", first=3)
    assert only.complete and only.rows == every


def test_a_title_too_long_for_its_property_is_whole_in_the_digest(tmp_path):
    title = "mm/hugetlb: " + "make the very long explanation of this change fit nowhere " * 3
    first = chain_mail.single("long", "Ünïcode Authorname-With-A-Long-Name <a.very.long.address@example.com>",
                              title.strip(), 1)
    source = tmp_path / "maildir"
    chain_mail.write_maildir([first], source)
    store = Store(build_database(source, tmp_path / "db", Identity("Rita Reviewer", "reviewer@example.org")))
    cache = tmp_path / "cache"
    refresh(store, cache_dir=cache)
    rows = _digest_of(store, cache).rows()
    assert rows == chain_rows(store, "*")
    assert rows[0].title == title.strip() and rows[0].author_email == "a.very.long.address@example.com"
