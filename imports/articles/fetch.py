"""Reading what is imported: a file, an upload or an http(s) address, capped in size and time.

An address is fetched from the one IP address that was checked to be public (no DNS rebinding), under one
deadline for the whole fetch; binary, empty or unreachable sources fail with ``ImportFailed`` and a sentence
saying why.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from evidence.audit import excerpt
from imports.articles.document import ImportFailed, max_bytes


@dataclass
class Source:
    """The raw bytes of what is imported, with where they came from."""

    data: bytes
    origin: str  # the path, file name or address, for messages and the page's "imported from"
    content_type: str = ""  # from the HTTP answer, when there was one
    charset: str = ""


def load_path(path: str) -> Source:
    """A local file, refused when it is missing, a folder, too large or empty."""
    file = Path(path)
    if not file.exists():
        raise ImportFailed(f"There is no file “{path}”.")
    if not file.is_file():
        raise ImportFailed(f"“{path}” is not a file.")
    if file.stat().st_size > max_bytes():
        raise ImportFailed(f"“{path}” is larger than {max_bytes() // 1_000_000} MB: is it really one article?")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ImportFailed(f"“{path}” could not be read: {error.strerror or error}.") from error
    return Source(data, str(path))


MAX_REDIRECTS = 5


def check_address(url: str) -> tuple[urllib.parse.SplitResult, int, str]:
    """The parts, port and the one IP address to connect to, for an http(s) address whose every resolved address
    is public (unless ``ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS`` is on, as in tests with a local server). The fetch
    connects to that address and no other: the name is not resolved a second time (no DNS rebinding)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:  # "http://host:99999/", "http://[::1/x"
        raise ImportFailed(f"“{excerpt(url, 80)}” is not a valid address.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportFailed(f"Only http:// and https:// addresses can be imported, not “{excerpt(url, 80)}”.")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ImportFailed(f"The address “{parts.hostname}” could not be found.") from error
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS", False):
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or not _embedded_ipv4_is_global(ip):
                raise ImportFailed(
                    f"“{parts.hostname}” is an address inside this server's network ({ip}); only public pages can be "
                    "imported."
                )
    return parts, port, addresses[0]


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4_is_global(ip) -> bool:
    """An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, Teredo) is as public as that IPv4 address."""
    if ip.version != 6:
        return True
    embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
    if embedded is None and ip in NAT64:
        embedded = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
    return embedded is None or embedded.is_global


class _Deadline:
    """One deadline for the whole fetch (every redirect, connecting, TLS, headers and body): when it passes, the
    socket is shut down, so that a server sending a byte at a time cannot hold the import."""

    def __init__(self, seconds: float):
        self.seconds, self.ends = seconds, time.monotonic() + seconds
        self.sock = None
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def watch(self, sock) -> None:
        self.sock = sock
        if time.monotonic() >= self.ends:
            self._expire()

    def _expire(self) -> None:
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self.timer.cancel()


def _open(parts, port: int, address: str, deadline: _Deadline) -> http.client.HTTPConnection:
    """A connection to ``address`` (the one checked), speaking to ``parts.hostname`` (its Host, its TLS name)."""
    sock = socket.create_connection((address, port), timeout=deadline.left())
    deadline.watch(sock)
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        deadline.watch(sock)
    connection = (http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection)(
        parts.hostname, port, timeout=deadline.left()
    )
    connection.sock = sock
    return connection


def fetch_url(url: str) -> Source:
    """An http(s) page, with one deadline for everything (``ARTICLE_IMPORT_TIMEOUT``), a size cap, a polite user
    agent, at most ``MAX_REDIRECTS`` redirects (each to an address checked like the first), and no proxy."""
    timeout = settings.ARTICLE_IMPORT_TIMEOUT
    agent = getattr(settings, "ARTICLE_IMPORT_USER_AGENT", "") or (
        f"Apothecary article importer ({getattr(settings, 'VERIFICATION_USER_AGENT', 'Apothecary')})"
    )
    deadline = _Deadline(timeout)
    connection = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            parts, port, address = check_address(url)
            connection = _open(parts, port, address, deadline)
            target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            connection.request("GET", target, headers={"User-Agent": agent, "Accept": "text/html, text/plain;q=0.9"})
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                connection.close()
                url = urllib.parse.urljoin(url, location)
                continue
            if response.status >= 400:
                raise ImportFailed(f"“{url}” answered {response.status} {response.reason}.")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes():
                raise ImportFailed(f"“{url}” is larger than {max_bytes() // 1_000_000} MB.")
            data = bytearray()
            while len(data) <= max_bytes():
                deadline.sock.settimeout(deadline.left())
                chunk = response.read1(65536)
                if not chunk:
                    break
                data += chunk
            deadline.left()  # a body ended by the deadline's shutdown is not a whole page
            content_type = response.headers.get_content_type() if response.getheader("Content-Type") else ""
            charset = response.headers.get_content_charset() or ""
            break
        else:
            raise ImportFailed(f"“{url}” redirected more than {MAX_REDIRECTS} times.")
    except ImportFailed:
        raise
    except TimeoutError as error:
        raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
    except OSError as error:
        if time.monotonic() >= deadline.ends:  # the deadline shut the socket down
            raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
        raise ImportFailed(f"“{url}” could not be reached ({error.strerror or error}).") from error
    except (http.client.HTTPException, ValueError) as error:
        if time.monotonic() >= deadline.ends:
            raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
        raise ImportFailed(f"“{url}” could not be read ({error}).") from error
    finally:
        deadline.cancel()
        if connection is not None:
            connection.close()
    if len(data) > max_bytes():
        raise ImportFailed(f"“{url}” is larger than {max_bytes() // 1_000_000} MB.")
    return Source(bytes(data), url, content_type, charset)


def load(path_or_url: str) -> Source:
    """A file or an http(s) address."""
    text = (path_or_url or "").strip()
    if not text:
        raise ImportFailed("Give a file or an http(s) address to import.")
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return fetch_url(text)
    return load_path(text)


HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown"}
LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|ul|ol|table)\b", re.IGNORECASE)


def decode(source: Source) -> tuple[str, bool]:
    """The source's text and whether it is HTML; binary, empty or unsupported sources are refused."""
    if source.content_type and source.content_type not in HTML_TYPES | TEXT_TYPES:
        raise ImportFailed(f"“{source.origin}” is {source.content_type}, not an HTML page or plain text.")
    head = source.data[:8192]
    if b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > len(head) * 0.05:
        raise ImportFailed(f"“{source.origin}” is a binary file, not HTML or plain text.")
    text = None
    for charset in filter(None, (source.charset, "utf-8-sig", "cp1252")):
        try:
            text = source.data.decode(charset)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise ImportFailed(f"“{source.origin}” is not readable text (unknown encoding).")
    if not text.strip():
        raise ImportFailed(f"“{source.origin}” is empty.")
    if source.content_type:
        is_html = source.content_type in HTML_TYPES
    elif source.origin.lower().endswith((".html", ".htm", ".xhtml")):
        is_html = True
    elif source.origin.lower().endswith((".txt", ".text", ".md")):
        is_html = False
    else:
        is_html = bool(LOOKS_LIKE_HTML.search(text[:4096]))
    return text, is_html
