"""Reply drafts at the edges: which of my addresses answers, where a reply to
my own message goes, the attribution line at noon or without a usable Date,
threading headers of a parent that lacks References, and long header lines
(written against the mutants `make mutate` left alive in core/reply.py).
Each case checks the draft as the reviewer would see it in $EDITOR."""
from __future__ import annotations

from datetime import datetime, timezone
from email import message_from_bytes, policy

import pytest

from kreview.core.model import Identity
from kreview.core.parse import Headers, ParsedMessage, parse_message
from kreview.core.reply import (
    attribution, build_reply, make_address, reply_from, reply_recipients, reply_to_message, split_address,
    strip_signature, trailer_line,
)

ME = Identity("Demo Reviewer", "reviewer@example.org", ("alt@example.org",))
NOW = datetime(2018, 11, 21, 9, 30, 0, tzinfo=timezone.utc)


def mail(headers: str, body: str = "The text.\n") -> bytes:
    return (headers.strip("\n") + "\n\n" + body).encode()


def raw_headers(msg) -> dict[str, str]:
    head = bytes(msg).decode().split("\n\n", 1)[0]
    out: dict[str, str] = {}
    name = ""
    for line in head.split("\n"):
        if line[:1] in (" ", "\t"):
            out[name] += "\n" + line
        else:
            name, value = line.split(": ", 1)
            out[name] = value
    return out


def who(addresses) -> list[str]:
    return [a.addr_spec for a in addresses]


# -- which of my addresses the reply comes from ------------------------------------------


def test_the_first_of_my_addresses_in_to_cc_from_answers():
    headers = Headers(from_="Dan <dan@intel.com>", to=("ALT@example.org",), cc=("Me <reviewer@example.org>",))
    assert str(reply_from(headers, ME)) == "Demo Reviewer <alt@example.org>"
    swapped = Headers(from_="Dan <dan@intel.com>", to=("reviewer@example.org",), cc=("alt@example.org",))
    assert str(reply_from(swapped, ME)) == "Demo Reviewer <reviewer@example.org>"


def test_a_message_not_sent_to_me_is_answered_from_my_primary_address():
    headers = Headers(from_="Dan <dan@intel.com>", to=("linux-mm@kvack.org",))
    assert str(reply_from(headers, ME)) == "Demo Reviewer <reviewer@example.org>"


def test_my_own_message_is_answered_from_the_address_it_came_from():
    headers = Headers(from_="Demo Reviewer <alt@example.org>", to=("linux-mm@kvack.org",))
    assert str(reply_from(headers, ME)) == "Demo Reviewer <alt@example.org>"


def test_a_configured_address_that_is_no_address_is_a_clear_error():
    with pytest.raises(ValueError, match="'not-an-address' is not a valid email address"):
        reply_from(Headers(from_="Dan <dan@intel.com>"), Identity("Me", "not-an-address"))


# -- where the reply goes ---------------------------------------------------------------------


def test_my_own_message_with_a_reply_to_goes_to_the_reply_to():
    headers = Headers(from_="reviewer@example.org", reply_to=("list@example.com",), to=("dan@intel.com",))
    to, cc = reply_recipients(headers, ME, reply_all=False)
    assert (who(to), who(cc)) == (["list@example.com"], [])


def test_a_message_from_me_and_someone_else_is_not_my_own():
    headers = Headers(from_="reviewer@example.org", to=("dan@intel.com",))
    both = Headers(from_="Co <co@example.com>", to=("dan@intel.com",))
    assert who(reply_recipients(headers, ME, reply_all=False)[0]) == ["dan@intel.com"]
    assert who(reply_recipients(both, ME, reply_all=False)[0]) == ["co@example.com"]


def test_junk_recipients_are_dropped_and_the_rest_kept():
    headers = Headers(from_="Dan <dan@intel.com>", to=("undisclosed-recipients:;", "akpm@linux-foundation.org"),
                      cc=("not an address", "Hellwig <hch@lst.de>"))
    to, cc = reply_recipients(headers, ME, reply_all=True)
    assert (who(to), who(cc)) == (["dan@intel.com"], ["akpm@linux-foundation.org", "hch@lst.de"])


# -- address pieces ------------------------------------------------------------------------------


def test_spaces_inside_the_angle_brackets_are_not_part_of_the_address():
    assert split_address("Name < a@b.org >") == ("Name", "a@b.org")


def test_an_unusual_local_part_is_kept_quoted():
    odd = make_address("", "john doe@example.org")
    assert (odd.username, odd.domain) == ("john doe", "example.org")
    assert str(odd) == '"john doe"@example.org'


def test_an_international_domain_that_cannot_be_encoded_is_no_address():
    assert make_address("X", "user@bü..example") is None


def test_a_trailer_for_a_reviewer_without_a_name():
    assert trailer_line("tested-by", make_address("", "t@example.org")) == "Tested-by: <t@example.org>"
    with pytest.raises(ValueError, match="use one of reviewed-by, acked-by, tested-by"):
        trailer_line("Signed-off-by", make_address("", "t@example.org"))


# -- the attribution line ---------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "stamp"), [
    ("Tue, 20 Nov 2018 12:30:00 +0000", "Tue, Nov 20, 2018 at 12:30:00PM +0000"),  # noon is PM
    ("Tue, 20 Nov 2018 11:59:59 +0000", "Tue, Nov 20, 2018 at 11:59:59AM +0000"),
    ("Mon, 31 Dec 2018 23:00:01 +0530", "Mon, Dec 31, 2018 at 11:00:01PM +0530"),
    ("Sat, 5 Jan 2019 09:07:03 -0000", "Sat, Jan 05, 2019 at 09:07:03AM +0000"),
])
def test_attribution_clock(date, stamp):
    assert attribution(Headers(from_="Dan <dan@intel.com>", date=date)) == f"On {stamp}, Dan wrote:"


def test_attribution_without_a_readable_date_uses_the_delivery_time_in_utc():
    headers = Headers(from_="Dan Williams <dan@intel.com>", date="garbage", date_epoch=1542755569)
    assert attribution(headers) == "On Tue, Nov 20, 2018 at 11:12:49PM +0000, Dan Williams wrote:"


def test_attribution_names_the_address_or_someone():
    assert attribution(Headers(from_="<dan@intel.com>")) == "dan@intel.com wrote:"
    assert attribution(Headers(from_="")) == "someone wrote:"


# -- threading headers ------------------------------------------------------------------------------


def test_a_parent_without_references_is_threaded_by_its_in_reply_to():
    parent = parse_message(mail("""
From: Dan <dan@intel.com>
To: reviewer@example.org
Subject: Re: [PATCH] x
Message-ID: <child@intel.com>
In-Reply-To: <root@intel.com>
"""))
    raw = raw_headers(build_reply(parent, ME, now=NOW))
    assert raw["In-Reply-To"] == "<child@intel.com>"
    assert raw["References"] == "<root@intel.com> <child@intel.com>"


def test_a_parent_that_lists_itself_in_its_references_is_named_once():
    parent = parse_message(mail("""
From: Dan <dan@intel.com>
To: reviewer@example.org
Subject: x
Message-ID: <self@intel.com>
References: <root@intel.com> <self@intel.com> <root@intel.com>
"""))
    assert raw_headers(build_reply(parent, ME, now=NOW))["References"] == "<root@intel.com> <self@intel.com>"


def test_a_parent_without_a_message_id_gets_no_threading_headers():
    parent = parse_message(mail("""
From: Dan <dan@intel.com>
To: reviewer@example.org
Subject: x
"""))
    raw = raw_headers(build_reply(parent, ME, now=NOW))
    assert "In-Reply-To" not in raw and "References" not in raw
    assert raw["To"] == "Dan <dan@intel.com>" and "Cc" not in raw


def test_an_unwritable_parent_id_is_left_out_but_its_references_kept():
    parent = Headers(from_="Dan <dan@intel.com>", message_id="bad id with spaces", references=("root@intel.com",))
    msg = build_reply(_parsed(parent), ME, now=NOW)
    raw = raw_headers(msg)
    assert "In-Reply-To" not in raw and raw["References"] == "<root@intel.com>"


def test_the_new_message_id_is_on_the_domain_i_reply_from():
    parent = Headers(from_="Dan <dan@intel.com>", to=("alt@example.org",), message_id="p@intel.com")
    raw = raw_headers(build_reply(_parsed(parent), ME, now=NOW))
    assert raw["From"] == "Demo Reviewer <alt@example.org>" and raw["Message-ID"].endswith("@example.org>")


def _parsed(headers: Headers) -> ParsedMessage:
    return ParsedMessage(headers=headers, text="The text.")


# -- long header lines ------------------------------------------------------------------------------


def test_a_long_thread_folds_references_within_the_line_limit_and_keeps_every_id():
    ids = [f"{n:04d}.{'x' * 70}@dwillia2-desk3.amr.corp.intel.com" for n in range(40)]
    parent = Headers(from_="Dan <dan@intel.com>", message_id="last@intel.com", references=tuple(ids))
    msg = build_reply(_parsed(parent), ME, now=NOW)
    data = bytes(msg).decode()
    lines = data.split("\n\n", 1)[0].split("\n")
    assert max(len(line) for line in lines) <= 998
    references = raw_headers(msg)["References"]
    assert references.count("\n ") >= 3  # folded, at spaces between ids
    assert not any(line.endswith(" ") for line in references.split("\n"))
    reread = message_from_bytes(data.encode(), policy=policy.default)
    assert reread["References"].split() == [f"<{i}>" for i in [*ids, "last@intel.com"]]


def test_a_long_cc_folds_between_addresses_and_keeps_every_one():
    cc = tuple(f"Reviewer Number {n} <reviewer.number.{n}@subsystem-{n}.example.org>" for n in range(60))
    parent = Headers(from_="Dan <dan@intel.com>", cc=cc, message_id="p@intel.com")
    msg = build_reply(_parsed(parent), ME, reply_all=True, now=NOW)
    raw = raw_headers(msg)["Cc"]
    assert raw.count("\n ") >= 3 and all(len(line) <= 998 for line in raw.split("\n"))
    assert all(line.endswith(",") for line in raw.split("\n")[:-1])
    reread = message_from_bytes(bytes(msg), policy=policy.default)
    assert [a.addr_spec for a in reread["Cc"].addresses] == [f"reviewer.number.{n}@subsystem-{n}.example.org" for n in range(60)]


def test_a_very_long_name_is_still_one_readable_address():
    name = "A" * 120 + " " + "B" * 120
    parent = Headers(from_=f"{name} <long@example.com>", message_id="p@intel.com")
    msg = build_reply(_parsed(parent), ME, now=NOW)
    reread = message_from_bytes(bytes(msg), policy=policy.default)
    (address,) = reread["To"].addresses
    assert (address.display_name, address.addr_spec) == (name, "long@example.com")


# -- what is quoted ------------------------------------------------------------------------------------


def test_a_signature_marker_on_the_last_line_is_cut_too():
    assert strip_signature("Thanks\n-- ") == "Thanks"


def test_a_quoted_hunk_keeps_its_empty_context_line_and_trailing_spaces():
    # " " is an empty line of the file: quoting must not drop it (nor the spaces a line ends with).
    parent = ParsedMessage(headers=Headers(from_="Dan <dan@intel.com>", message_id="p@intel.com"),
                           text="@@ -1,3 +1,3 @@\n-a\n+b\n c  \n \n-- \n2.17.1\n")
    body = build_reply(parent, ME, now=NOW).get_content()
    assert body.endswith("> @@ -1,3 +1,3 @@\n> -a\n> +b\n>  c  \n>  \n\n")
    unsigned = ParsedMessage(headers=parent.headers, text="@@ -1,2 +1,2 @@\n-a\n+b\n \n")
    assert build_reply(unsigned, ME, now=NOW).get_content().endswith("> +b\n>  \n\n")


def test_without_an_identity_the_reply_comes_from_the_databases_user(store, notmuch_root):
    path = notmuch_root / "mail" / "cur" / "1542755569.edge.host:2,S"
    path.write_bytes(mail("""
From: Dan <dan@intel.com>
To: linux-mm@kvack.org
Subject: [PATCH] x
Message-ID: <edge@intel.com>
"""))
    store.index_file(path, ("inbox",))
    msg = reply_to_message(store, "edge@intel.com", now=NOW)
    assert raw_headers(msg)["From"] == f"{store.identity.name} <{store.identity.primary_email}>"
    assert store.identity.primary_email


def test_the_draft_is_plain_utf8_text_even_with_long_lines():
    # $EDITOR gets the lines as they are: no quoted-printable soft breaks, no base64.
    long_line = "+\tpr_err(\"" + "é" * 5 + "x" * 1200 + "\");"  # past even the 998-column limit
    parent = ParsedMessage(headers=Headers(from_="Dan <dan@intel.com>", message_id="p@intel.com"), text=long_line)
    msg = build_reply(parent, ME, now=NOW)
    data = bytes(msg)
    assert ("> " + long_line).encode() in data
    raw = raw_headers(msg)
    assert raw["Content-Transfer-Encoding"] == "8bit" and raw["Content-Type"] == 'text/plain; charset="utf-8"'


def test_names_and_local_parts_that_quoting_could_spoil():
    assert split_address('"Xavier Roux X" <x@y.org>') == ("Xavier Roux X", "x@y.org")
    assert make_address("", '"quoted.local"@example.org').addr_spec == "quoted.local@example.org"
    # A quoted local part holding "@", on an international domain: split at the last "@".
    assert str(make_address("", '"a@b"@bücher.example')) == '"a@b"@xn--bcher-kva.example'


def test_no_configured_address_says_where_to_set_it():
    with pytest.raises(ValueError, match=r"^no email address configured for you \(user\.primary_email in the notmuch config\)$"):
        reply_from(Headers(from_="Dan <dan@intel.com>"), Identity("Me", ""))
