"""The pieces a reply's headers are made of, from untrusted text: what a
reviewer's draft would say to the list if they broke (written against the
mutants `make mutate` left alive in core/reply.py)."""
from __future__ import annotations

import pytest

from kreview.core.reply import header_safe, make_address, split_address, strip_signature


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
