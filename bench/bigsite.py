#!/usr/bin/env python3
"""`make bench-bigsite`: the generated big site on PostgreSQL, measured in-process. Prints a table; asserts nothing.

Steps: on BIGSITE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/apothecary_bigsite; the database is
created when missing), migrate, load_demo and `generate_catalogue` (5,000 guides, 20,000 products, 50,000 articles,
500,000 comments, 20,000 orders), timed; a database that already holds the generated site is reused. Then, in this
process, with the page cache off (every page rendered, as a cold request is):

- search: p50 and p95 of the search page over 100 varied queries (guide names, brands, the demo's conditions,
  classes, tags, misspellings);
- for each page (a generated guide, the demo's baclofen guide, A–Z, a class, a tag, search, the sitemap index and
  a part, the feed, the API lists, and the admin's product, order and comment lists as a superuser): its status,
  the SQL queries of one warm request, and p50 and p95 over BIGSITE_REQUESTS (20) requests.

Knobs (environment): BIGSITE_DATABASE_URL, BIGSITE_SCALE (passed to --scale, default 1), BIGSITE_REQUESTS.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATABASE_URL = os.environ.get("BIGSITE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apothecary_bigsite")
SCALE = os.environ.get("BIGSITE_SCALE", "1")
REQUESTS = int(os.environ.get("BIGSITE_REQUESTS", "20"))
SEARCHES = 100
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[bigsite] {message}", flush=True)


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.base",
        DATABASE_URL=DATABASE_URL,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway, for this run only
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        PAGE_CACHE="off",  # every request renders: the figures are the cold render's
        TASKS_BACKEND="immediate",
        RATE_LIMIT_SEARCH="1000000/60",
        API_RATE_LIMIT="1000000",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env, *args, check=True) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"[bigsite] manage.py {' '.join(args)} failed (exit {result.returncode})")
    log(f"manage.py {' '.join(args)}: {seconds:.1f} s")
    return result, seconds


def ensure_database() -> bool:
    """Create the database when it is missing; whether it already holds a generated site."""
    import psycopg

    address = urlsplit(DATABASE_URL)
    name = address.path.lstrip("/")
    admin_url = address._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            log(f"created the database {name}")
            return False
    with psycopg.connect(DATABASE_URL) as connection:
        try:
            found = connection.execute("SELECT 1 FROM wagtailcore_page WHERE slug LIKE 'generated-class-%%' LIMIT 1")
            return found.fetchone() is not None
        except psycopg.errors.UndefinedTable:
            return False


def generate(env) -> str:
    """Build the big site unless the database holds it; the generation time, or how the site was found."""
    if ensure_database():
        return "reused (already generated)"
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--allow-production")
    result, seconds = manage(env, "generate_catalogue", "--scale", SCALE, "--allow-production", check=False)
    if result.returncode == 0:
        for line in result.stdout.splitlines():
            if line.startswith("Generated "):
                log(line)
        return f"{seconds:.0f} s"
    if "already holds a generated site" in result.stderr:
        return "reused (already generated)"
    sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
    raise SystemExit("[bigsite] generate_catalogue failed")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def search_queries(rng: random.Random) -> list[str]:
    """100 queries a reader might type: names, brands, conditions, classes, tags, and each kind misspelt."""
    from django.db.models.functions import Length

    from home.search import brand_list, vocabulary
    from medicines.models import Indication

    vocab = vocabulary()
    by_kind: dict[str, list[str]] = {}
    for term in vocab.terms:
        by_kind.setdefault(term.kind, []).append(term.label)
    conditions = list(
        Indication.objects.annotate(n=Length("condition")).filter(n__lt=40).values_list("condition", flat=True)
    )
    picks = []
    for kind, count in (("medicine", 25), ("brand", 15), ("class", 5), ("tag", 5)):
        names = by_kind.get(kind, [])
        picks += rng.sample(names, min(count, len(names)))
    picks += rng.sample(conditions, min(15, len(conditions)))
    picks += ["baclofen", "Lioresal", "spasticity", "high cholesterol", "pain relief", "allergy"]

    def misspell(text: str) -> str:
        word = max(text.split(), key=len)
        if len(word) < 5:
            return text
        at = rng.randrange(1, len(word) - 1)
        return text.replace(word, word[:at] + word[at + 1 :], 1)

    misspelt = [misspell(brand_list(text)[0] if "," in text else text) for text in rng.sample(picks, len(picks))]
    queries = picks + misspelt + ["baclofn", "lipitr", "examplamin", "tizanadine"]
    return queries[:SEARCHES]


def measure(client, path: str, requests: int = REQUESTS) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: the first request fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)  # read now: the next request empties the connection's log
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": query_count,
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
    }


def pages_to_measure() -> list[tuple[str, str, bool]]:
    """(label, path, as the superuser) for every page of the table."""
    from django.contrib.auth import get_user_model

    from articles.models import ArticlePage
    from medicines.models import DrugClassPage, MedicinePage

    guide = MedicinePage.objects.live().filter(drug_class__slug__startswith="generated-class-").order_by("pk").last()
    demo_guide = MedicinePage.objects.live().filter(slug="baclofen").first() or guide
    drug_class = DrugClassPage.objects.live().filter(slug__startswith="generated-class-").first()
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    tag = guide.tags.first()
    assert get_user_model().objects.filter(is_superuser=True).exists(), "no superuser: load_demo makes one"
    return [
        ("guide (generated)", guide.url, False),
        ("guide (demo: baclofen)", demo_guide.url, False),
        ("article", article.url, False),
        ("A–Z", "/medicines/", False),
        ("A–Z, letter S page 3", "/medicines/?letter=S&page=3", False),
        ("class", drug_class.url, False),
        ("class page 3", f"{drug_class.url}?page=3", False),
        ("tag", f"/tags/{tag.slug}/", False),
        ("articles index", "/articles/", False),
        ("search", "/search/?q=examplamine", False),
        ("sitemap.xml", "/sitemap.xml", False),
        ("sitemap part 2", "/sitemap-pages.xml?p=2", False),
        ("feed", "/feed/", False),
        ("API medicines", "/api/medicines", False),
        ("API medicines page 40", "/api/medicines?page=40", False),
        ("API products", "/api/products", False),
        ("API classes", "/api/classes", False),
        ("API articles", "/api/articles", False),
        ("API search", "/api/search?q=examplamine", False),
        ("admin products", "/admin/snippets/catalogue/product/", True),
        ("admin orders", "/admin/orders/", True),
        ("admin comments", "/admin/snippets/discussion/comment/", True),
    ]


def main() -> int:
    env = environment()
    generated = generate(env)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from discussion.models import Comment
    from medicines.models import MedicinePage

    anonymous = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff.force_login(get_user_model().objects.filter(is_superuser=True).order_by("pk").first())

    log(f"{MedicinePage.objects.live().count():,} live guides, {Comment.objects.count():,} comments")
    queries = search_queries(random.Random(7))
    anonymous.get("/search/?" + urlencode({"q": queries[0]}))  # warm: the vocabulary is built once
    times, empty = [], 0
    for query in queries:
        started = time.perf_counter()
        response = anonymous.get("/search/?" + urlencode({"q": query}))
        times.append((time.perf_counter() - started) * 1000)
        empty += (
            "Nothing matched" in response.content.decode() and "Showing results for" not in response.content.decode()
        )

    rows = [
        (label, path, measure(staff if as_staff else anonymous, path)) for label, path, as_staff in pages_to_measure()
    ]

    print()
    print(f"Big site on {urlsplit(DATABASE_URL).path.lstrip('/')} (PostgreSQL), page cache off, in-process")
    print(f"generate_catalogue: {generated}")
    print(
        f"search page, {len(times)} varied queries: p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms ({empty} found nothing)"
    )
    print()
    print(f"| {'page':<26} | {'status':>6} | {'queries':>7} | {'p50 ms':>7} | {'p95 ms':>7} | path")
    print(f"|{'-' * 28}|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 9}|------")
    for label, path, figures in rows:
        print(
            f"| {label:<26} | {figures['status']:>6} | {figures['queries']:>7} | {figures['p50']:>7.1f} | "
            f"{figures['p95']:>7.1f} | {path}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
