"""Series messages for tests of kreview.core.series: a patch (a diff under a
Signed-off-by), a plain mail, and the slots a series ends up with."""
from __future__ import annotations

from kreview.core.series import SeriesMessage

DIFF = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n"
AUTHOR = ("Ann Author", "ann@example.org")
OTHER = ("Bob Other", "bob@example.org")


def patch(mid, subject, parent=None, date=0, who=AUTHOR, extra=""):
    body = f"Why.\n\n{extra}Signed-off-by: {who[0]} <{who[1]}>\n---\n f.c | 2 +-\n{DIFF}"
    return SeriesMessage(mid, parent, subject, who[0], who[1], date, body)


def mail(mid, subject, body, parent=None, date=0, who=("Rev Iewer", "rev@example.org")):
    return SeriesMessage(mid, parent, subject, who[0], who[1], date, body)


def slots(series):
    return [(p.index, p.message_id, p.flags) for p in series.patches]
