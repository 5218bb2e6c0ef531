#!/usr/bin/env python3
"""`python bench/editor.py [SECTIONS]`: how long a long imported article takes to open in the editor; prints figures.

A fresh SQLite database in var/bench-editor/ (test settings: no outside service), the site's page tree and a made-up
legacy post imported as a draft (``imports.tests.article_helpers.long_post``: 60 sections make 272 blocks, 20 tables
and 60 references). Then, for its edit screen: the server's time and SQL queries in-process (a warm request), and,
when Debian's chromium is there, the time to DOMContentLoaded and to "load" in the browser, served by a local
threaded server, with the number of table editors and of their re-layouts. It asserts nothing and stops by itself.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var" / "bench-editor"
CHROMIUM = Path("/usr/bin/chromium")
sys.path.insert(0, str(BASE_DIR))


def setup(sections: int):
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.test",
        APOTHECARY_VAR_DIR=str(VAR_DIR),
        DATABASE_URL=f"sqlite:///{VAR_DIR / 'editor.sqlite3'}",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's event loop in this thread
    )
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from home.services import build_site
    from imports import articles as importing
    from imports.tests.article_helpers import long_post

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    build_site()
    User.objects.create_superuser("bench@example.com", "bench-password")
    source = importing.Source(long_post(sections).encode(), "long.html", "text/html")
    page = importing.import_source(source, verify=False).page
    print(
        f"[bench] set up in {time.monotonic() - started:.1f} s: {len(page.body)} blocks, "
        f"{sum(block.block_type == 'table' for block in page.body)} tables, "
        f"{len(page.numbered_references)} references"
    )
    return f"/admin/pages/{page.pk}/edit/"


def server_figures(path: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@example.com"))
    client.get(path)
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            response = client.get(path)
            times.append(time.monotonic() - started)
    print(
        f"[bench] server: HTTP {response.status_code}, median {statistics.median(times):.2f} s of 3, "
        f"{len(queries)} queries, {len(response.content) / 1e6:.1f} MB of HTML"
    )


def browser_figures(path: str) -> None:
    if not os.access(CHROMIUM, os.X_OK):
        print(f"[bench] browser: skipped ({CHROMIUM} is missing)")
        return
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.browser.test_editors_desk import COUNT_TABLE_LAYOUTS

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://127.0.0.1:{server.port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(600_000)
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "bench@example.com")
        page.fill("#id_password", "bench-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.add_init_script(COUNT_TABLE_LAYOUTS)
        started = time.monotonic()
        page.goto(base + path, wait_until="domcontentloaded", timeout=600_000)
        ready = time.monotonic() - started
        page.wait_for_load_state("load", timeout=600_000)
        loaded = time.monotonic() - started
        tables, layouts = page.evaluate("[window.tables, window.tableLayouts]")
        browser.close()
    server.terminate()
    print(
        f"[bench] browser: DOMContentLoaded {ready:.1f} s, load {loaded:.1f} s; "
        f"{tables} table editors, {layouts} re-layouts"
    )


if __name__ == "__main__":
    edit_path = setup(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
    server_figures(edit_path)
    browser_figures(edit_path)
