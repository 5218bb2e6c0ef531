"""The page cache: public pages served to anonymous visitors from the "pages" cache, never stale, never personal.

What is cached: a GET or HEAD answered 200 by one of the public views (``PAGE_CACHE_VIEWS``: Wagtail's pages, tags,
the feed, robots.txt) to a visitor with no session and no pending message, that wrote nothing to the session, set
no cookie of its own and did not say ``private`` or ``no-store``. A signed-in visitor, or one with a cart, has a
session cookie: their pages are rendered for them, with their name and cart, and never stored.

Never stale: each entry records the content version it was rendered under (apothecary/core/freshness.py), which
every change to public content replaces; it is served only while that version is current, and expires after
``PAGE_CACHE_SECONDS`` in any case. Each process keeps the last pages it served (``_Kept``) and the version, which
Redis tells it the moment it changes (``freshness.content_version``): a page served again costs no round trip.

Never personal: the one per-visitor part of a public page, the CSRF token of its forms, is stored as a marker and
filled in for each visitor on the way out (their own token, and the cookie that goes with it, made as Django's
``get_token`` makes them, with byte tables instead of a loop over characters). A request that comes
through the documented nginx front cache (deploy/nginx/, header ``X-Front-Cache: shared``) gets the page with no
token at all, the same bytes for everyone, which nginx keeps and serves as they are: its forms post to views that
take a post from this site's own pages without a token (apothecary/core/csrf.py). Such answers say
``X-Accel-Expires`` so that nginx keeps them, and are recorded so that a change purges them
(apothecary/core/frontcache.py).

Pages carry a weak ``ETag`` and ``Last-Modified``: a browser revalidating gets a 304. ``PAGE_CACHE=off`` turns it
all off: every page is rendered afresh (to measure the cold render, or to debug).

``PageCacheMiddleware`` is first in MIDDLEWARE: it stores a page with every header the other middleware added
(security headers, CSP, frame options) and serves it as they would have answered (the CSRF cookie given here).
``PageCacheApplication`` (apothecary/wsgi.py) answers a kept page in the same way before Django's handler.
"""

from __future__ import annotations

import hashlib
import operator
import re
import secrets
import threading
import time
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.dispatch import Signal
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from apothecary.core import freshness

CSRF_MARKER = b"<!--apothecary:csrf-->"
FRONT_CACHE_HEADER = "HTTP_X_FRONT_CACHE"
_SHAREABLE_QUERY = re.compile(r"(page=[1-9][0-9]{0,5})?")
_TOKEN_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(">)')
# nginx was given a page to keep (``url``): recorded, so that a change purges it (home.frontcache).
page_sent_to_front_cache = Signal()
# Set on each answer again (never stored), or worked out for each answer.
_NOT_STORED = {"content-length", "set-cookie", "etag", "last-modified", "vary", "expires", "cache-control"}
# A request that may be answered 304 (or 412): answered as Django answers it.
_CONDITIONAL = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"})


# Django's CSRF secrets and masks are 32 of 62 letters and digits; a masked token is the mask, then each character of
# the secret shifted by the mask's (mod 62). Done here with byte tables instead of a loop over characters.
_ALPHABET = CSRF_ALLOWED_CHARS.encode()
_DIGIT = bytes(byte % len(_ALPHABET) for byte in range(256))  # a random byte to a digit 0..61 ...
_UNEVEN = bytes(range(len(_ALPHABET) * (256 // len(_ALPHABET)), 256))  # ... 248..255 dropped, so each is as likely
_CHAR = _ALPHABET + bytes(256 - len(_ALPHABET))  # a digit to its character
_CHAR_DIGIT = bytes(_ALPHABET.find(byte) % 256 for byte in range(256))  # a character to its digit
_SUM_CHAR = bytes(_ALPHABET[total % len(_ALPHABET)] for total in range(256))  # the sum of two digits to a character
_CSRF_SECRET = re.compile(rf"[{CSRF_ALLOWED_CHARS}]{{{CSRF_SECRET_LENGTH}}}")


@dataclass
class CachedPage:
    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    last_modified: float
    version: str  # the content version it was rendered under: served only while it is current

    # Worked out once by each process that serves the page, and never stored with it.
    @cached_property
    def parts(self) -> list[bytes]:
        """The body cut where each visitor's CSRF token goes (one part: the page has no form)."""
        return self.body.split(CSRF_MARKER)

    @cached_property
    def last_modified_header(self) -> str:
        return http_date(self.last_modified)

    def __getstate__(self):
        return {name: value for name, value in vars(self).items() if name not in ("parts", "last_modified_header")}


def _personal(request) -> bool:
    """A visitor whose pages may hold something of their own: signed in, a cart, a message waiting, an API token."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _from_front_cache(request) -> bool:
    """nginx asks for a page to keep for everyone: only a page's own address (or one of its numbered pages), so that
    made-up query strings cannot fill nginx's cache or the record of what to purge."""
    shareable = _SHAREABLE_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
    return shareable and request.META.get(FRONT_CACHE_HEADER) == "shared"


def page_key(request) -> str:
    variant = "shared" if _from_front_cache(request) else "app"
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{variant}:{hashlib.md5(address.encode()).hexdigest()}"


def _csrf_digits() -> bytes:
    """32 random digits 0..61, each as likely as the next (random bytes above 247 are dropped, not folded)."""
    digits = b""
    while len(digits) < CSRF_SECRET_LENGTH:
        digits += secrets.token_bytes(48).translate(_DIGIT, _UNEVEN)
    return digits[:CSRF_SECRET_LENGTH]


def _csrf_string() -> str:
    """32 random letters and digits, as Django's CSRF secrets and masks are."""
    return _csrf_digits().translate(_CHAR).decode()


def _visitor_secret(request) -> str:
    """The visitor's CSRF secret: as CsrfViewMiddleware read it, else from their cookie when well formed, else new."""
    secret = request.META.get("CSRF_COOKIE") or request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return secret if _CSRF_SECRET.fullmatch(secret) else _csrf_string()


def _masked(secret: str) -> str:
    """``secret`` masked anew, as Django's ``get_token`` masks it."""
    mask = _csrf_digits()
    cipher = bytes(map(operator.add, secret.encode().translate(_CHAR_DIGIT), mask)).translate(_SUM_CHAR)
    return (mask.translate(_CHAR) + cipher).decode()


def visitor_csrf_token(request) -> str:
    """The visitor's CSRF token for a form, exactly as ``django.middleware.csrf.get_token`` gives it (their secret,
    or a new one whose cookie CsrfViewMiddleware then sets; masked anew for each answer), at a fraction of its cost."""
    if settings.CSRF_USE_SESSIONS:
        return get_token(request)
    secret = _visitor_secret(request)
    request.META.update(CSRF_COOKIE=secret, CSRF_COOKIE_NEEDS_UPDATE=True)
    return _masked(secret)


_http_date = lru_cache(maxsize=4)(http_date)  # a cookie's expiry: the same string for a whole second


def csrf_cookie_header(secret: str) -> str:
    """The CSRF cookie, as CsrfViewMiddleware gives it (``response.set_cookie``), as a Set-Cookie header's value."""
    age = settings.CSRF_COOKIE_AGE
    attributes = [
        f"Domain={settings.CSRF_COOKIE_DOMAIN}" if settings.CSRF_COOKIE_DOMAIN else "",
        f"expires={_http_date(int(time.time()) + age)}" if age is not None else "",
        "HttpOnly" if settings.CSRF_COOKIE_HTTPONLY else "",
        f"Max-Age={age}" if age is not None else "",
        f"Path={settings.CSRF_COOKIE_PATH}",
        f"SameSite={settings.CSRF_COOKIE_SAMESITE}" if settings.CSRF_COOKIE_SAMESITE else "",
        "Secure" if settings.CSRF_COOKIE_SECURE else "",
    ]
    return "; ".join([f"{settings.CSRF_COOKIE_NAME}={secret}", *filter(None, attributes)])


def _cacheable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if response.status_code != 200 or response.streaming or match is None:
        return False
    if match.url_name not in settings.PAGE_CACHE_VIEWS:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the view started something of this visitor's (a cart, a pending comment)
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False  # a cookie of the page's own (the CSRF cookie is each visitor's, given again on each answer)
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= {"cookie", "accept-encoding"}


def without_csrf_token(body: bytes) -> bytes:
    """``body`` with the CSRF token of each of its forms replaced by the marker (filled in for each visitor)."""
    return _TOKEN_INPUT.sub(rb"\1" + CSRF_MARKER + rb"\2", body)


def _store(request, response, key: str, version: str) -> CachedPage:
    # The front cache's copy goes without the token's field; the app's own keeps a marker for each visitor's token.
    body = (
        _TOKEN_INPUT.sub(b"", response.content) if _from_front_cache(request) else without_csrf_token(response.content)
    )
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    page = CachedPage(
        body=body,
        headers=headers,
        etag=f'W/"{hashlib.md5(body).hexdigest()}"',
        last_modified=time.time(),
        version=version,
    )
    freshness.pages_cache().set(key, page, settings.PAGE_CACHE_SECONDS)
    return page


def _validators(request, page: CachedPage) -> list[tuple[str, str]]:
    """ETag, Last-Modified and caching: browsers keep the page but ask each time (a 304 costs nothing); the front
    cache keeps it until purged."""
    headers = [
        ("ETag", page.etag),
        ("Last-Modified", page.last_modified_header),
        ("Cache-Control", "public, max-age=0, must-revalidate"),
    ]
    if _from_front_cache(request):
        headers.append(("X-Accel-Expires", str(settings.PAGE_CACHE_SECONDS)))
    return headers


def _page(request, page: CachedPage) -> tuple[list[tuple[str, str]], bytes]:
    """The kept page for this visitor, as a 200's headers and body: their CSRF token in its forms, and the cookie that
    goes with it (a page without a form gets neither)."""
    if len(page.parts) == 1:
        body, cookie = page.body, []
    else:
        secret = _visitor_secret(request)
        body = _masked(secret).encode().join(page.parts)
        cookie = [("Set-Cookie", csrf_cookie_header(secret)), ("Vary", "Cookie")]
    return [("Content-Length", str(len(body))), *page.headers, *_validators(request, page), *cookie], body


def _answer(request, page: CachedPage) -> HttpResponse:
    """The cached page for this visitor (``_page``), or a 304 when their copy is current."""
    response = get_conditional_response(request, etag=page.etag, last_modified=int(page.last_modified))
    if response is None:
        headers, body = _page(request, page)
        response = HttpResponse(body)
        for name, value in headers:
            if name == "Set-Cookie":
                response.cookies.load(value)  # where Django's test client and cookie handling look for it
            else:
                response[name] = value
    else:
        for name, value in _validators(request, page):
            response[name] = value
    if _from_front_cache(request) and response.status_code == 200:
        page_sent_to_front_cache.send(sender=None, url=request.build_absolute_uri())
    return response


def _eligible(request) -> bool:
    """A request the page cache may answer: a GET or HEAD from a visitor with nothing of their own, that the security
    middleware would not send to https first."""
    return (
        settings.PAGE_CACHE
        and not settings.CSRF_USE_SESSIONS
        and request.method in ("GET", "HEAD")
        and not _personal(request)
        and not (settings.SECURE_SSL_REDIRECT and not request.is_secure())
    )


class _Kept:
    """The last pages this process served, with the version each was rendered under: a page asked for again is not
    fetched from the cache again while the content version (read on every request) is the same."""

    SIZE = 64  # pages (a guide is about 50 kB)

    def __init__(self):
        self.pages: dict[str, CachedPage] = {}
        self.lock = threading.Lock()

    def lookup(self, key: str) -> tuple[str | None, CachedPage | None]:
        """The current content version (None: the cache is unreachable) and the page kept under ``key`` for it."""
        version = freshness.content_version()
        if version is None:
            return None, None
        page = self.pages.get(key)
        if page is not None and page.version == version:
            return version, page
        page = freshness.pages_cache().get(key)
        if page is not None and page.version == version:
            self.keep(key, page)
            return version, page
        return version, None

    def keep(self, key: str, page: CachedPage) -> None:
        with self.lock:  # the worker's threads share it
            if len(self.pages) >= self.SIZE:
                self.pages.pop(next(iter(self.pages)))
            self.pages[key] = page


_kept = _Kept()


class PageCacheMiddleware:
    """First in MIDDLEWARE: what it stores is the answer as every middleware left it, and a page it serves is
    answered as the middleware would have answered it (its CSRF cookie given here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = page_key(request)
        version, page = _kept.lookup(key)
        if version is None:  # the cache is unreachable: serve without it
            return self.get_response(request)
        if page is not None:
            return _answer(request, page)
        response = self.get_response(request)
        if _cacheable(request, response):
            page = _store(request, response, key, version)
            _kept.keep(key, page)
            if _from_front_cache(request):
                return _answer(request, page)  # nginx keeps a page without a token, and no cookie goes with it
            for name, value in _validators(request, page):
                response[name] = value
        return response


class PageCacheApplication:
    """The WSGI application (apothecary/wsgi.py): a page the cache holds is answered here, as PageCacheMiddleware would
    answer it, without going through Django's handler and middleware; anything else goes to Django."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request, page = self._cached(environ) if environ.get("REQUEST_METHOD") == "GET" else (None, None)
        if page is None:
            return self.application(environ, start_response)
        if _CONDITIONAL.isdisjoint(environ):
            headers, body = _page(request, page)
            start_response("200 OK", headers)
            return [body]
        response = _answer(request, page)  # the visitor's copy may be current: a 304, as the middleware answers it
        cookies = [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", [*response.items(), *cookies])
        return [response.content]

    @staticmethod
    def _cached(environ) -> tuple[WSGIRequest | None, CachedPage | None]:
        request = WSGIRequest(environ)
        # nginx's own requests (recorded for purging) and anything not plainly a stranger's go the whole way.
        if FRONT_CACHE_HEADER in environ or not _eligible(request):
            return None, None
        try:
            key = page_key(request)
        except DisallowedHost:
            return None, None  # Django answers it (400)
        return request, _kept.lookup(key)[1]
