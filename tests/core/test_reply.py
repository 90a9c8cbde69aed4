"""Reply drafts: headers and body as kernel lists expect them, checked by
hand against thread shapes taken from real review threads."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest

from kreview.core.model import Identity
from kreview.core.parse import parse_message
from kreview.core.reply import attribution, build_reply, quote, reply_subject, reply_to_message

ME = Identity("Demo Reviewer", "reviewer@example.org", ("demo@kernel.org",))
NOW = datetime(2018, 11, 21, 9, 30, 0, tzinfo=timezone.utc)
COVER_ID = "154275556908.76910.8966087090637564219.stgit@dwillia2-desk3.amr.corp.intel.com"
PATCH_ID = "154275557457.76910.16923571232582744134.stgit@dwillia2-desk3.amr.corp.intel.com"

COVER = f"""\
From: Dan Williams <dan.j.williams@intel.com>
To: akpm@linux-foundation.org
Cc: stable@vger.kernel.org, =?utf-8?q?J=C3=A9r=C3=B4me?= Glisse <jglisse@redhat.com>,
 Christoph Hellwig <hch@lst.de>, Logan Gunthorpe <logang@deltatee.com>,
 linux-mm@kvack.org, linux-kernel@vger.kernel.org, Demo Reviewer <reviewer@example.org>
Subject: [PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only
Date: Tue, 20 Nov 2018 15:12:49 -0800
Message-ID: <{COVER_ID}>

Changes since v7 [1]:
* Rebase on next-20181120

[1]: https://lore.kernel.org/lkml/154225759358.2499188.15268218778137905050.stgit@dwillia2-desk3.amr.corp.intel.com

---

Dan Williams (7):
      mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL

-- 
2.19.1
""".encode()

# A reply two levels down: Outlook-style prefix, a Reply-To, a signature,
# already-quoted text, and the recipient list spelled with odd case.
DEEP = f"""\
From: =?utf-8?q?J=C3=A9r=C3=B4me?= Glisse <jglisse@redhat.com>
Reply-To: Jerome Glisse <jglisse@redhat.com>
To: Dan Williams <dan.j.williams@intel.com>
Cc: "Williams, Dan" <DAN.J.WILLIAMS@intel.com>, linux-mm@kvack.org, Demo <DEMO@Kernel.org>,
 Christoph Hellwig <hch@lst.de>
Subject: RE: Aw: Re: [PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL
Date: Wed, 21 Nov 2018 08:05:01 -0500
Message-ID: <20181121130501.GA3987@redhat.com>
In-Reply-To: <{PATCH_ID}>
References: <{COVER_ID}>
 <{PATCH_ID}>

On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:
> The routine is GPL-only now.
>> older quote

I disagree with this.
\tstatic int foo;

-- 
Cheers,
Jérôme
""".encode()


def header_lines(msg) -> dict[str, str]:
    """Raw header name -> unfolded raw value, as the draft file holds it."""
    head = bytes(msg).decode().split("\n\n", 1)[0]
    unfolded = re.sub(r"\n[ \t]+", " ", head)
    return dict(line.split(": ", 1) for line in unfolded.split("\n"))


def body(msg) -> str:
    return msg.get_content()


def test_reply_all_to_a_cover_letter():
    msg = build_reply(parse_message(COVER), ME, reply_all=True, now=NOW)
    raw = header_lines(msg)
    assert list(raw)[:8] == ["Date", "From", "To", "Cc", "Subject", "In-Reply-To", "References", "Message-ID"]
    # The Date is the same instant in the writer's own zone, whatever TZ the suite runs in.
    assert parsedate_to_datetime(raw["Date"]) == NOW
    assert raw["From"] == "Demo Reviewer <reviewer@example.org>"
    assert raw["To"] == "Dan Williams <dan.j.williams@intel.com>"
    assert raw["Cc"] == (
        "akpm@linux-foundation.org, stable@vger.kernel.org, "
        "=?utf-8?q?J=C3=A9r=C3=B4me?= Glisse <jglisse@redhat.com>, Christoph Hellwig <hch@lst.de>, "
        "Logan Gunthorpe <logang@deltatee.com>, linux-mm@kvack.org, linux-kernel@vger.kernel.org"
    )
    assert raw["Subject"] == "Re: [PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only"
    assert raw["In-Reply-To"] == f"<{COVER_ID}>"
    assert raw["References"] == f"<{COVER_ID}>"
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", raw["Message-ID"])
    # The encoded word decodes back to the name, as a mail client reads it.
    reread = message_from_bytes(bytes(msg), policy=policy.default)
    assert "Jérôme Glisse <jglisse@redhat.com>" in str(reread["Cc"])
    assert body(msg) == (
        "On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:\n"
        "> Changes since v7 [1]:\n"
        "> * Rebase on next-20181120\n"
        ">\n"
        "> [1]: https://lore.kernel.org/lkml/154225759358.2499188.15268218778137905050.stgit@dwillia2-desk3.amr.corp.intel.com\n"
        ">\n"
        "> ---\n"
        ">\n"
        "> Dan Williams (7):\n"
        ">       mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL\n"
        "\n"
    )


def test_reply_to_sender_has_no_cc():
    msg = build_reply(parse_message(COVER), ME, now=NOW)
    raw = header_lines(msg)
    assert raw["To"] == "Dan Williams <dan.j.williams@intel.com>"
    assert "Cc" not in raw


def test_reply_all_deep_in_a_thread():
    msg = build_reply(parse_message(DEEP), ME, reply_all=True, now=NOW)
    raw = header_lines(msg)
    # Sent to my other address: the reply comes from it, spelled as configured.
    assert raw["From"] == "Demo Reviewer <demo@kernel.org>"
    assert raw["To"] == "Jerome Glisse <jglisse@redhat.com>"  # Reply-To wins over From
    # "Williams, Dan" is the same address in other case: kept once; me left out.
    assert raw["Cc"] == "Dan Williams <dan.j.williams@intel.com>, linux-mm@kvack.org, Christoph Hellwig <hch@lst.de>"
    assert raw["Subject"] == (
        "Re: [PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL"
    )
    assert raw["In-Reply-To"] == "<20181121130501.GA3987@redhat.com>"
    assert raw["References"] == f"<{COVER_ID}> <{PATCH_ID}> <20181121130501.GA3987@redhat.com>"
    assert re.fullmatch(r"<[^<>@\s]+@kernel\.org>", raw["Message-ID"])
    assert body(msg) == (
        "On Wed, Nov 21, 2018 at 08:05:01AM -0500, Jérôme Glisse wrote:\n"
        "> On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:\n"
        ">> The routine is GPL-only now.\n"
        ">>> older quote\n"
        ">\n"
        "> I disagree with this.\n"
        "> \tstatic int foo;\n"
        "\n"
    )


def test_ids_are_never_encoded_words():
    # stgit IDs are longer than the 78-column fold: they must stay literal.
    data = bytes(build_reply(parse_message(DEEP), ME, now=NOW))
    assert b"=?" not in data.split(b"\nReferences:", 1)[1].split(b"\nMessage-ID:", 1)[0]
    reread = parse_message(data).headers
    assert reread.references == (COVER_ID, PATCH_ID, "20181121130501.GA3987@redhat.com")
    assert reread.in_reply_to == "20181121130501.GA3987@redhat.com"


def test_review_trailer_below_the_quote_from_the_reply_address():
    msg = build_reply(parse_message(DEEP), ME, trailer="reviewed-by", now=NOW)
    assert body(msg).endswith("> \tstatic int foo;\n\nReviewed-by: Demo Reviewer <demo@kernel.org>\n")
    acked = build_reply(parse_message(COVER), ME, trailer="Acked-by", now=NOW)
    assert body(acked).endswith("GPL\n\nAcked-by: Demo Reviewer <reviewer@example.org>\n")
    with pytest.raises(ValueError, match="unknown trailer"):
        build_reply(parse_message(COVER), ME, trailer="signed-off-by")


def test_quote_text_replaces_the_body():
    hunk = "diff --git a/mm/hmm.c b/mm/hmm.c\n--- a/mm/hmm.c\n+++ b/mm/hmm.c\n@@ -1,2 +1,2 @@\n-old\n+new\n"
    msg = build_reply(parse_message(COVER), ME, quote_text=hunk, now=NOW)
    assert body(msg) == (
        "On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:\n"
        "> diff --git a/mm/hmm.c b/mm/hmm.c\n> --- a/mm/hmm.c\n> +++ b/mm/hmm.c\n"
        "> @@ -1,2 +1,2 @@\n> -old\n> +new\n\n"
    )


def test_replying_to_my_own_message_goes_to_its_recipients():
    own = COVER.replace(b"From: Dan Williams <dan.j.williams@intel.com>", b"From: Demo Reviewer <reviewer@example.org>")
    raw = header_lines(build_reply(parse_message(own), ME, reply_all=True, now=NOW))
    assert raw["To"] == "akpm@linux-foundation.org"
    assert "reviewer@example.org" not in raw["Cc"] and raw["Cc"].startswith("stable@vger.kernel.org, ")


def test_no_header_injection_from_subject_or_names():
    hostile = (
        b"From: =?utf-8?q?Eve=0D=0ABcc=3A_all=40example=2Ecom?= <eve@example.com>\n"
        b"To: reviewer@example.org\n"
        b"Subject: =?utf-8?q?hi=0D=0ABcc=3A_all=40example=2Ecom=0AX-Evil=3A_1?=\n"
        b"Date: Tue, 20 Nov 2018 15:12:49 -0800\n"
        b"Message-ID: <evil@example.com>\n\nbody\n"
    )
    me = Identity("Demo\nBcc: x@y.z", "reviewer@example.org")
    data = bytes(build_reply(parse_message(hostile), me, reply_all=True, now=NOW))
    names = [line.split(":", 1)[0] for line in data.decode().split("\n\n", 1)[0].split("\n") if line[:1] not in " \t"]
    assert "Bcc" not in names and "X-Evil" not in names
    assert set(names) == {
        "Date", "From", "To", "Subject", "In-Reply-To", "References", "Message-ID",
        "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
    }


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("[PATCH] mm: fix", "Re: [PATCH] mm: fix"),
        ("Re: Re: [PATCH] mm: fix", "Re: [PATCH] mm: fix"),
        ("RE: re:Aw: AW:  x", "Re: x"),
        ("Re[2]: x", "Re: x"),
        ("Re: [PATCH] Re: stays inside", "Re: [PATCH] Re: stays inside"),
        ("Reply to this", "Re: Reply to this"),
        ("", "Re: "),
    ],
)
def test_reply_subject_has_one_re(subject, expected):
    assert reply_subject(subject) == expected


def test_quote_rules_like_mutt():
    assert quote("text\n> quoted\n>> deeper\n\n  indented") == "> text\n>> quoted\n>>> deeper\n>\n>   indented"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue, 20 Nov 2018 15:12:49 -0800", "On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:"),
        ("Sun, 2 Dec 2018 00:05:09 +0100", "On Sun, Dec 02, 2018 at 12:05:09AM +0100, Dan Williams wrote:"),
        ("", "Dan Williams wrote:"),
    ],
)
def test_attribution_in_the_senders_zone(date, expected):
    head = b"From: Dan Williams <dan.j.williams@intel.com>\n" + (f"Date: {date}\n".encode() if date else b"")
    assert attribution(parse_message(head + b"\nx\n").headers) == expected


def test_no_address_configured_is_a_clear_error():
    with pytest.raises(ValueError, match="primary_email"):
        build_reply(parse_message(COVER), Identity("", ""))


def test_reply_to_message_reads_through_the_store(store, notmuch_root):
    path = notmuch_root / "mail" / "cur" / "1542755569.cover.host:2,S"
    path.write_bytes(COVER)
    store.index_file(path, ("inbox",))
    msg = reply_to_message(store, COVER_ID, ME, reply_all=True, trailer="tested-by", now=NOW)
    assert msg["In-Reply-To"] == f"<{COVER_ID}>"
    assert body(msg).endswith("\n\nTested-by: Demo Reviewer <reviewer@example.org>\n")
    with pytest.raises(ValueError, match="not in the database"):
        reply_to_message(store, "absent@example.org", ME)
