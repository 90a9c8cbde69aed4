"""A client for public-inbox archives over HTTP (lore.kernel.org and its mirrors).

Three requests, the ones b4 and lei make too:

* ``GET  BASE/MSGID/t.mbox.gz``   the whole thread holding MSGID (gzip mboxrd);
* ``GET  BASE/MSGID/raw``         one message (mboxrd with a single entry);
* ``POST BASE/?q=QUERY&x=m[&t=1]`` the messages matching a search (with t=1:
  their whole threads), as gzip mboxrd; the server's query syntax
  (``s:`` subject, ``f:`` from, ``d:`` date range, ...).

Servers (the base URLs of inboxes, e.g. ``https://lore.kernel.org/all/``) are
tried in order and the first one that has the thing answers: one request
when the first server has it. A server that cannot be reached is retried
with backoff (a refused connection or an unknown host is not: it would
say the same again), then the next one is asked; when none answers the error says
what each one said. Nothing here runs unless a caller asks for it.

Standard library only (urllib, gzip): three GETs/POSTs do not need a
dependency, and the stdlib gives us timeouts and proxies ($https_proxy) as is.
"""
from __future__ import annotations

import gzip
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kreview import __version__

DEFAULT_SERVER = "https://lore.kernel.org/all/"
USER_AGENT = f"kreview/{__version__} (+public-inbox client)"


class ArchiveError(Exception):
    """Something about the archive a person needs to be told, in words."""


class ArchiveUnavailable(ArchiveError):
    """No server could be reached (offline, refused, timed out, 5xx)."""


class NotInArchive(ArchiveError):
    """Every server answered, none has it."""


class FetchCancelled(ArchiveError):
    """The caller asked us to stop."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one server before asking the next."""

    attempts: int = 3
    backoff: float = 0.5  # seconds before the 2nd attempt; doubles each time
    timeout: float = 20.0  # per connect and per read, as urllib applies it


@dataclass(frozen=True)
class ArchiveResult:
    """What a server sent: the raw messages (bytes, as in the archive) and who sent them."""

    server: str
    url: str
    messages: tuple[bytes, ...]
    bytes_received: int = 0


@dataclass
class ArchiveClient:
    servers: tuple[str, ...] = (DEFAULT_SERVER,)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Called with a short text as work progresses ("received 120 KiB from …").
    progress: Callable[[str], None] | None = None
    # Polled between chunks and between attempts; True stops with FetchCancelled.
    cancelled: Callable[[], bool] | None = None
    requests_made: int = 0  # counted, so tests can hold us to "no more than needed"

    def __post_init__(self) -> None:
        if not self.servers:
            raise ArchiveError("no archive server configured")
        self.servers = tuple(normalise_server(s) for s in self.servers)

    # -- the three requests ----------------------------------------------

    def thread(self, message_id: str) -> ArchiveResult:
        """The whole thread holding ``message_id``."""
        quoted = quote_message_id(message_id)
        return self._first_answer(lambda base: (f"{base}{quoted}/t.mbox.gz", None), f"<{bare_id(message_id)}>")

    def message(self, message_id: str) -> ArchiveResult:
        """The one message ``message_id``."""
        quoted = quote_message_id(message_id)
        return self._first_answer(lambda base: (f"{base}{quoted}/raw", None), f"<{bare_id(message_id)}>")

    def search(self, query: str, *, threads: bool = False) -> ArchiveResult:
        """Messages matching ``query`` (public-inbox search syntax); with
        ``threads``, the whole threads they are in. No match is an empty result."""
        params = {"q": query, "x": "m"}
        if threads:
            params["t"] = "1"
        encoded = urllib.parse.urlencode(params)
        try:
            # POST with an empty body: public-inbox serves search mboxes to POST only.
            return self._first_answer(lambda base: (f"{base}?{encoded}", b""), f"search {query!r}")
        except NotInArchive:
            return ArchiveResult(self.servers[0], "", ())

    # -- one request against the servers, in order -----------------------

    def _first_answer(self, make: Callable[[str], tuple[str, bytes | None]], what: str) -> ArchiveResult:
        failures: list[str] = []
        missing: list[str] = []
        for base in self.servers:
            url, body = make(base)
            try:
                data = self._fetch(url, body)
            except _NotFound:
                missing.append(base)
                continue
            except ArchiveUnavailable as exc:
                failures.append(str(exc))
                continue
            return ArchiveResult(base, url, tuple(split_mboxrd(data)), len(data))
        if failures and not missing:
            raise ArchiveUnavailable("; ".join(failures))
        if failures:
            raise ArchiveUnavailable(
                f"{what} is not on {', '.join(missing)}; " + "; ".join(failures))
        raise NotInArchive(f"{what} is not in the archive ({', '.join(missing)})")

    def _fetch(self, url: str, body: bytes | None) -> bytes:
        """One URL with retries: the bytes (gunzipped), _NotFound on 404/410,
        ArchiveUnavailable when the server does not answer usefully."""
        delay = self.retry.backoff
        last = ""
        for attempt in range(1, self.retry.attempts + 1):
            self._check_cancelled()
            try:
                return self._once(url, body)
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 410):
                    raise _NotFound(url) from None
                last = f"{_host(url)} answered HTTP {exc.code} {exc.reason}"
                if exc.code not in (408, 425, 429, 500, 502, 503, 504):
                    raise ArchiveUnavailable(f"{last} for {url}") from None
                retry_after = _retry_after(exc.headers.get("Retry-After"))
                if retry_after is not None:
                    delay = max(delay, min(retry_after, 30.0))
            except (urllib.error.URLError, OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
                last = describe_network_error(url, exc)
                if _final(exc):
                    # Refused, or no DNS: asking again in a second gets the same
                    # answer; the next server (or the user) is told at once.
                    raise ArchiveUnavailable(last) from None
            if attempt < self.retry.attempts:
                self._say(f"{last}; retrying in {delay:.1f} s")
                self._sleep(delay)
                delay *= 2
        raise ArchiveUnavailable(f"{last} (tried {self.retry.attempts} times)")

    def _once(self, url: str, body: bytes | None) -> bytes:
        request = urllib.request.Request(
            url, data=body, method="POST" if body is not None else "GET",
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        self.requests_made += 1
        self._say(f"asking {_host(url)} …")
        chunks: list[bytes] = []
        received = 0
        with urllib.request.urlopen(request, timeout=self.retry.timeout) as response:
            encoding = (response.headers.get("Content-Encoding") or "").lower()
            while True:
                self._check_cancelled()
                chunk = response.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
                self._say(f"received {received // 1024:,} KiB from {_host(url)}")
        data = b"".join(chunks)
        # t.mbox.gz and search results are gzip files whatever we ask for;
        # raw comes gzipped when we say we accept it (Content-Encoding).
        if encoding == "gzip" or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        return data

    def _check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise FetchCancelled("cancelled")

    def _sleep(self, seconds: float) -> None:
        # In small steps, so a cancel is seen during a backoff too.
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check_cancelled()
            time.sleep(min(left, 0.1))

    def _say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)


class _NotFound(Exception):
    pass


def normalise_server(url: str) -> str:
    """A base URL ending in one slash; only http(s)."""
    url = url.strip()
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ArchiveError(f"archive server {url!r} is not an http(s) URL")
    return url.rstrip("/") + "/"


def bare_id(message_id: str) -> str:
    """``<a@b>``, ``id:a@b`` or ``a@b`` -> ``a@b``."""
    text = message_id.strip()
    if text.startswith("id:"):
        text = text[3:]
    return text.strip().strip("<>").strip()


def quote_message_id(message_id: str) -> str:
    """The Message-ID as a path segment, as public-inbox expects it (every
    character that is not safe in a path escaped, '/' included)."""
    return urllib.parse.quote(bare_id(message_id), safe="@!$&'()*+,;=:~-._")


_MBOXRD_FROM = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def split_mboxrd(data: bytes) -> list[bytes]:
    """The messages of an mboxrd file, unescaped (``>From `` -> ``From ``).

    public-inbox writes mboxrd: every body line matching ``^>*From `` got one
    more ``>``, so a line starting ``From `` always begins a message, and
    each message is followed by one blank line of the format, not of the mail."""
    data = data.replace(b"\r\n", b"\n")
    starts = [m for m in _MBOXRD_FROM.finditer(data)]
    out: list[bytes] = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(data)
        message = data[match.end():end]
        if message.endswith(b"\n\n"):
            message = message[:-1]
        message = _QUOTED_FROM.sub(rb"\1", message)
        if message.strip():
            out.append(message)
    return out


def describe_network_error(url: str, exc: BaseException) -> str:
    """Words for a failed connection: refused, offline, timed out, bad TLS."""
    host = _host(url)
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve {host} (offline? no DNS?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{host} did not answer in time"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, EOFError)):
        return f"{host} closed the connection"
    if isinstance(reason, (zlib.error, gzip.BadGzipFile)):
        return f"{host} sent a damaged gzip stream"
    if isinstance(reason, OSError) and reason.errno is not None and reason.strerror:
        return f"cannot reach {host}: {reason.strerror}"
    return f"cannot reach {host}: {reason}"


def _final(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.netloc or url


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def servers_from(values: Iterable[str] | None) -> tuple[str, ...]:
    found = tuple(v for v in (values or ()) if v and v.strip())
    return found or (DEFAULT_SERVER,)
