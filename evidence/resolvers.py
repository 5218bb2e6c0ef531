"""Look a reference up at its source: Crossref for DOIs, PubMed (NCBI E-utilities) for PMIDs.

Two small HTTP clients on the standard library. Each answers with a ``SourceRecord``
(``found=False`` when the source does not know the identifier) or raises
``ResolverError`` when it could not find out: the service kept failing, timed out or
answered something that is not its JSON. Transient failures (429, 5xx, timeouts,
dropped connections) are retried with exponential back-off; a 429's Retry-After is
honoured, capped. An unreachable host (no DNS, refused) fails at once. Answers found are cached
for a day.
"""

from __future__ import annotations

import html
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0


class ResolverError(Exception):
    """The source could not be asked, or its answer could not be read; the message starts "could not check"."""


class _Transient(Exception):
    """A failure worth another try: 429, 5xx, a timeout or a dropped connection."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SourceRecord:
    """What the source says about a work, normalised across sources."""

    found: bool
    title: str = ""  # the whole title, a subtitle the source keeps apart included ("Title: Subtitle")
    main_title: str = ""  # the title without that subtitle, when the source keeps one apart
    author: str = ""  # the first author's family name ("Chou"), or a group author's name
    year: int | None = None
    container: str = ""  # the journal (or book, site)
    short_container: str = ""  # its abbreviation when the source gives one ("Arch Intern Med")
    retracted: bool = False
    source: str = ""  # "Crossref" or "PubMed"


def _clean_text(value) -> str:
    """Plain text: no markup (Crossref titles may hold <i>, <sub>…), entities decoded, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", "", str(value or "")))
    return " ".join(text.split())


def _first(value) -> str:
    """The first string of a Crossref list field (``title``, ``container-title``), or ''."""
    if isinstance(value, list):
        return _clean_text(value[0]) if value else ""
    return _clean_text(value)


def _year_from(text) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", str(text or ""))
    return int(match.group(1)) if match else None


class Resolver:
    """Shared plumbing: the polite GET with retries, and the cache."""

    name = ""
    base_url_setting = ""  # the setting that holds the API's address: "CROSSREF_API_URL"

    def __init__(self, *, sleep: Callable[[float], None] | None = None, base_url: str | None = None):
        self.sleep = sleep or time.sleep
        self._base_url = base_url

    @property
    def base_url(self) -> str:
        """The API's address: the one given to the resolver, else the ``base_url_setting``'s; no trailing slash."""
        return (self._base_url or getattr(settings, self.base_url_setting)).rstrip("/")

    # --- to override -----------------------------------------------------------------------------------------------
    def url_for(self, identifier: str) -> str:
        raise NotImplementedError

    def parse(self, identifier: str, data) -> SourceRecord:
        raise NotImplementedError

    def clean_identifier(self, identifier: str) -> str:
        return identifier.strip()

    # --- public ----------------------------------------------------------------------------------------------------
    def lookup(self, identifier: str) -> SourceRecord:
        identifier = self.clean_identifier(identifier)
        key = f"evidence:resolver:{self.name.lower()}:{identifier.lower()}"
        cached = cache.get(key)
        if cached is not None:
            return SourceRecord(**cached)
        data = self.get_json(self.url_for(identifier))
        if data is None:
            return SourceRecord(found=False, source=self.name)
        try:
            record = self.parse(identifier, data)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise ResolverError(f"could not check: {self.name} answered in an unexpected format ({exc!r})") from exc
        if record.found:
            cache.set(key, asdict(record), CACHE_SECONDS)
        return record

    def get_json(self, url: str):
        """The decoded JSON at ``url``, or None on 404; retries transient failures, then raises ResolverError."""
        retries = max(0, int(settings.VERIFICATION_RETRIES))
        for attempt in range(retries + 1):
            try:
                return self._get_once(url)
            except _Transient as problem:
                if attempt >= retries:
                    raise ResolverError(
                        f"could not check: {self.name} {problem} (tried {attempt + 1} time{'s' if attempt else ''})"
                    ) from problem
                delay = problem.retry_after
                if delay is None:
                    delay = BACKOFF_BASE_SECONDS * (2**attempt)
                delay = min(max(delay, 0.0), BACKOFF_CAP_SECONDS)
                logger.info("%s: %s; retrying in %.1fs", self.name, problem, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, url: str):
        request = urllib.request.Request(
            url, headers={"User-Agent": settings.VERIFICATION_USER_AGENT, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.VERIFICATION_TIMEOUT) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 404:
                return None
            if error.code == 429:
                raise _Transient("rate-limited us (429)", _retry_after(error.headers.get("Retry-After"))) from error
            if error.code >= 500:
                raise _Transient(f"failed ({error.code})") from error
            raise ResolverError(f"could not check: {self.name} refused the request ({error.code})") from error
        except TimeoutError as error:
            raise _Transient("timed out") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise _Transient("timed out") from error
            if isinstance(error.reason, ConnectionResetError):
                raise _Transient(f"dropped the connection ({error.reason})") from error
            # No DNS, connection refused, offline: waiting a few seconds will not help, so say so at once.
            raise ResolverError(f"could not check: {self.name} could not be reached ({error.reason})") from error
        except (ConnectionError, OSError) as error:
            raise _Transient(f"could not be reached ({error})") from error
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ResolverError(f"could not check: {self.name} did not answer with JSON") from error


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare from these APIs: treated as absent)."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class CrossrefResolver(Resolver):
    """Crossref's REST API: ``GET /works/{doi}``."""

    name = "Crossref"
    base_url_setting = "CROSSREF_API_URL"

    def clean_identifier(self, identifier: str) -> str:
        from evidence.models import normalise_doi

        return normalise_doi(identifier)

    def url_for(self, doi: str) -> str:
        return f"{self.base_url}/works/{urllib.parse.quote(doi, safe='')}"

    def parse(self, doi: str, data) -> SourceRecord:
        message = data["message"]
        if not isinstance(message, dict):
            raise ValueError("message is not an object")
        authors = message.get("author") or []
        first = next((a for a in authors if a.get("sequence") == "first"), authors[0] if authors else {})
        author = _clean_text(first.get("family") or first.get("name") or "")
        year = None
        for field in ("issued", "published-print", "published-online", "published", "created"):
            parts = (message.get(field) or {}).get("date-parts") or [[None]]
            if parts and parts[0] and parts[0][0]:
                year = int(parts[0][0])
                break
        title = _first(message.get("title"))
        subtitle = _first(message.get("subtitle"))
        return SourceRecord(
            found=True,
            title=f"{title}: {subtitle}" if subtitle and subtitle.lower() not in title.lower() else title,
            main_title=title if subtitle else "",
            author=author,
            year=year,
            container=_first(message.get("container-title")),
            short_container=_first(message.get("short-container-title")),
            retracted=self._retracted(message),
            source=self.name,
        )

    @staticmethod
    def _retracted(message: dict) -> bool:
        """A retraction in ``update-to`` or ``updated-by`` (Crossref's and Retraction Watch's), or ``relation``."""
        for field in ("update-to", "updated-by"):
            for update in message.get(field) or []:
                if str(update.get("type", "")).lower() in {"retraction", "retracted"}:
                    return True
        relation = message.get("relation") or {}
        return bool(relation.get("is-retracted-by"))


class PubMedResolver(Resolver):
    """NCBI E-utilities: ``GET esummary.fcgi?db=pubmed&id={pmid}&retmode=json``."""

    name = "PubMed"
    base_url_setting = "PUBMED_EUTILS_URL"

    def url_for(self, pmid: str) -> str:
        query = urllib.parse.urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})
        return f"{self.base_url}/esummary.fcgi?{query}"

    def parse(self, pmid: str, data) -> SourceRecord:
        result = data["result"]
        uids = [str(uid) for uid in result.get("uids") or []]
        record = result.get(pmid) if pmid in uids else None
        if not record or record.get("error"):
            # esummary answers 200 for an unknown PMID, with no uid or an "error" in the record.
            return SourceRecord(found=False, source=self.name)
        authors = [a for a in record.get("authors") or [] if a.get("authtype", "Author") == "Author"]
        author = ""
        if authors:
            name = _clean_text(authors[0].get("name"))  # "Chou R": family name, then initials
            words = name.split()
            author = " ".join(words[:-1]) if len(words) > 1 else name
        types = [str(t).lower() for t in record.get("pubtype") or []]
        return SourceRecord(
            found=True,
            # "[Title in English]." for a translated title: the brackets are PubMed's, not the paper's.
            title=re.sub(r"^\[(.*)\]$", r"\1", _clean_text(record.get("title")).rstrip(".")),
            author=author,
            year=_year_from(record.get("pubdate")) or _year_from(record.get("epubdate")),
            container=_clean_text(record.get("fulljournalname") or record.get("source")),
            short_container=_clean_text(record.get("source")),
            retracted="retracted publication" in types,
            source=self.name,
        )
