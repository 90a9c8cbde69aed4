"""The pieces a reply's headers are made of, from untrusted text: what a
reviewer's draft would say to the list if they broke (written against the
mutants `make mutate` left alive in core/reply.py)."""
from __future__ import annotations

import pytest

from kreview.core.model import Identity
from kreview.core.parse import Headers
from kreview.core.reply import header_safe, make_address, reply_recipients, split_address, strip_signature


@pytest.mark.parametrize("raw, shown", [
    ("plain subject", "plain subject"),
    ("Jérôme Glisse", "Jérôme Glisse"),  # printable non-ASCII stays
    ("evil\r\nBcc: victim@example.org", "evil Bcc: victim@example.org"),  # no header injection
    ("red\x1b[31m text", "red [31m text"),  # ESC becomes a space
    ("one\u2028two\u2029three", "one two three"),  # line and paragraph separators
    ("tab\there  and   runs", "tab here and runs"),
    ("  padded  ", "padded"),
    ("nul\x00inside", "nul inside"),
])
def test_header_safe(raw, shown):
    assert header_safe(raw) == shown


@pytest.mark.parametrize("text, parts", [
    ("Dan Williams <dan.j.williams@intel.com>", ("Dan Williams", "dan.j.williams@intel.com")),
    ("Williams, Dan <dan@intel.com>", ("Williams, Dan", "dan@intel.com")),  # commas in names
    ('"Glisse, Jérôme" <jglisse@redhat.com>', ("Glisse, Jérôme", "jglisse@redhat.com")),
    ("a <b> <c@example.org>", ("a <b>", "c@example.org")),  # the last < starts the address
    ("bare@example.org", ("", "bare@example.org")),
    ("  bare@example.org  ", ("", "bare@example.org")),
    ("No Address <>", ("No Address", "")),
    ("Line\r\nBreak <lb@example.org>", ("Line Break", "lb@example.org")),
    ("only <a name", ("", "only <a name")),  # no closing >: not an address form
])
def test_split_address(text, parts):
    assert split_address(text) == parts


def test_make_address_takes_real_addresses():
    simple = make_address("Dan Williams", "dan.j.williams@intel.com")
    assert (simple.display_name, simple.username, simple.domain) == ("Dan Williams", "dan.j.williams", "intel.com")
    assert str(simple) == "Dan Williams <dan.j.williams@intel.com>"
    plus = make_address("", "a+tag@sub.example.org")
    assert plus.addr_spec == "a+tag@sub.example.org"
    # An international domain is written in its IDNA form (the draft's headers are ASCII).
    idn = make_address("Ü", "user@bücher.example")
    assert idn.addr_spec == "user@xn--bcher-kva.example"
    # A name holding a line break is one line in the header.
    assert make_address("Evil\r\nBcc: x@y", "e@example.org").display_name == "Evil Bcc: x@y"


@pytest.mark.parametrize("addr", ["", "no-at-sign", "undisclosed-recipients:;", "jö@example.org"])
def test_make_address_refuses_what_is_not_one(addr):
    assert make_address("Someone", addr) is None


def test_strip_signature_cuts_at_the_last_signature_line():
    assert strip_signature("body\n\n-- \nSig One\n") == "body"
    assert strip_signature("a\n-- \nmiddle\n-- \n2.43.0\n") == "a\n-- \nmiddle"  # the last one
    assert strip_signature("a\n--\nnot a sig\n") == "a\n--\nnot a sig"  # "--" without its space is text
    assert strip_signature("a\n -- \nb") == "a\n -- \nb"
    assert strip_signature("text\n\n\n") == "text"
    assert strip_signature("-- \nall signature") == ""

ME = Identity("Demo Reviewer", "reviewer@example.org", ("alt@example.org",))


def who(addresses) -> list[str]:
    return [a.addr_spec for a in addresses]


def test_reply_goes_to_the_sender_only():
    headers = Headers(from_="Dan <dan@intel.com>", to=("akpm@linux-foundation.org",), cc=("linux-mm@kvack.org",))
    to, cc = reply_recipients(headers, ME, reply_all=False)
    assert (who(to), who(cc)) == (["dan@intel.com"], [])


def test_reply_all_copies_everyone_else_once_and_never_me():
    headers = Headers(from_="Dan <dan@intel.com>",
                      to=("akpm@linux-foundation.org", "Demo <REVIEWER@example.org>"),
                      cc=("linux-mm@kvack.org", "AKPM@linux-foundation.org", "Dan <DAN@intel.com>",
                          "alt@example.org"))
    to, cc = reply_recipients(headers, ME, reply_all=True)
    assert who(to) == ["dan@intel.com"]
    assert who(cc) == ["akpm@linux-foundation.org", "linux-mm@kvack.org"]


def test_reply_to_wins_over_from():
    headers = Headers(from_="Bot <bot@example.com>", reply_to=("list@example.com",), to=("a@example.com",))
    assert who(reply_recipients(headers, ME, reply_all=False)[0]) == ["list@example.com"]


def test_answering_my_own_message_goes_to_its_recipients():
    # From me (spelled with capitals): to the people it was sent to, as mutt does, even without reply-all.
    headers = Headers(from_="Demo Reviewer <Reviewer@Example.org>", to=("dan@intel.com",),
                      cc=("linux-mm@kvack.org",))
    to, cc = reply_recipients(headers, ME, reply_all=False)
    assert (who(to), who(cc)) == (["dan@intel.com"], ["linux-mm@kvack.org"])


def test_my_own_message_with_only_copies_goes_to_the_first_copy():
    headers = Headers(from_="reviewer@example.org", cc=("a@example.com", "b@example.com", "c@example.com"))
    to, cc = reply_recipients(headers, ME, reply_all=False)
    assert (who(to), who(cc)) == (["a@example.com"], ["b@example.com", "c@example.com"])


def test_a_message_without_a_sender_is_answered_to_its_recipients_on_reply_all():
    headers = Headers(from_="", to=("a@example.com",), cc=("b@example.com",))
    to, cc = reply_recipients(headers, ME, reply_all=True)
    assert (who(to), who(cc)) == (["a@example.com"], ["b@example.com"])
