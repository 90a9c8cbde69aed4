"""The tests' public-inbox archive (built by kreview.bench.public_inbox, which
the benchmark shares): a missing public-inbox fails the tests, never skips them."""
from __future__ import annotations

import pytest

from kreview.bench.public_inbox import (  # noqa: F401 (re-exported for the tests)
    BIG_ROOT,
    BIG_SIZE,
    HttpServer,
    PublicInbox,
    big_thread_id,
    build_archive,
    missing_tools,
)


def require_public_inbox() -> None:
    missing = missing_tools()
    if missing:
        pytest.fail(f"public-inbox is not installed (no {', '.join(missing)}): run `make test`, "
                    "which installs it (scripts/install-system-deps.sh)", pytrace=False)
