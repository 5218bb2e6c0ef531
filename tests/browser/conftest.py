"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every test in this folder is marked ``browser`` (added here if the test forgot) and runs after the other tests.
Fixtures and helpers:

    live_site        the live server's URL, with the site's page tree built in its database
    live_site_pages  the pages build_site() made (home, medicines, classes, articles)
    live_guide       a published Baclofen guide with a product and two packs, for the guide walk-through
    otc_guide        an over-the-counter guide (two products, three packs): the guest's path
    pharmacist       the root conftest's pharmacist, in the live server's database
    goto             goto(page, path) opens a path of the live site and fails on an HTTP error
    axe              axe(page) returns the serious and critical accessibility violations on the page
    axe_report       axe_report(violations) formats them for an assertion message
    screenshot       screenshot(page, "name") saves test-artifacts/<test>-<name>.png
    console_errors   the JavaScript errors and console.error messages of ``page`` so far
    failed_requests  the responses of ``page`` with an HTTP error status so far (not /favicon.ico)

A failing browser test also leaves test-artifacts/<test>-failure.png behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the main thread; Django's ORM would refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BASE_DIR = Path(__file__).resolve().parents[2]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "test-artifacts"
SERIOUS = {"serious", "critical"}
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, never a browser downloaded by Playwright."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}: `make chromium` (as root) "
            "or `sudo apt-get install chromium`; Playwright must not download a browser.",
            pytrace=False,
        )
    return {"executable_path": str(CHROMIUM), "args": list(CHROMIUM_ARGS)}


@pytest.fixture(autouse=True)
def _page_defaults(request):
    """Short timeouts (a hung page fails in seconds, not minutes) and a screenshot when a test fails."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        try:
            _save_screenshot(page, request.node.name, "failure")
        except Exception:  # the page may be gone with the failure; the report matters more
            pass


@pytest.fixture
def live_site_pages(live_server, transactional_db):
    """The site's page tree in the live server's database (a flushed database gets its root rebuilt).

    The cache starts empty (the root conftest's ``_fresh_cache``), so no menu cached by an earlier test survives.
    """
    from home.services import build_site

    return build_site()


@pytest.fixture
def live_site(live_server, live_site_pages) -> str:
    """The live server's base URL (no trailing slash), serving the site's pages."""
    return live_server.url


@pytest.fixture
def live_guide(live_site_pages):
    """A published Baclofen guide (/medicines/baclofen/) in a drug class, with 10 mg tablets in two packs."""
    from tests.factories import FrequencyBand, make_drug_class, make_medicine, make_product

    drug_class = make_drug_class(live_site_pages["classes"], title="Skeletal muscle relaxants")
    medicine = make_medicine(
        live_site_pages["medicines"],
        drug_class,
        brand_names="Lioresal (UK), Ozobax",
        side_effects=[("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63)],
        tags=["spasticity", "muscle relaxant"],
    )
    make_product(medicine, packs=((28, "9.80", 10), (84, "24.50", 5)))
    return medicine


@pytest.fixture
def goto(live_site):
    """``goto(page, "/medicines/")`` opens a path of the live site; an HTTP error status fails the test."""

    def open_path(page, path: str = "/", expect_status: int | None = None):
        response = page.goto(live_site + path, wait_until="load")
        assert response is not None, f"no response for {path}"
        if expect_status is not None:
            assert response.status == expect_status, f"{path}: HTTP {response.status}, expected {expect_status}"
        else:
            assert response.status < 400, f"{path}: HTTP {response.status}"
        return response

    return open_path


@pytest.fixture
def axe():
    """``axe(page)``: the page's serious and critical accessibility violations according to axe-core."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(BASE_DIR)} is missing: run `make install-dev` (npm install).", pytrace=False)

    def run(page, context: str | None = None) -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated by the browser's tooling, not as a script tag: the site's Content-Security-Policy forbids
            # inline scripts, and the test must not weaken it.
            page.evaluate(AXE_JS.read_text() + "\n;undefined")
        target = "" if context is None else repr(context)
        violations = page.evaluate(f"axe.run({target}).then(r => r.violations)")
        return [violation for violation in violations if violation.get("impact") in SERIOUS]

    return run


def axe_report(violations: list[dict]) -> str:
    """Violations as readable lines: rule, impact, help text and the first few offending elements."""
    lines = []
    for violation in violations:
        targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {'; '.join(targets)}")
    return "\n".join(lines)


@pytest.fixture(name="axe_report")
def axe_report_fixture():
    return axe_report


def _save_screenshot(page, test_name: str, label: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.]+", "-", f"{test_name}-{label}").strip("-")
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "guide")`` saves test-artifacts/<test name>-guide.png (gitignored) and returns its path."""

    def take(page, label: str) -> Path:
        return _save_screenshot(page, request.node.name, label)

    return take


@pytest.fixture
def console_errors(page) -> list[str]:
    """A list that fills with the page's uncaught JavaScript errors and console.error messages.

    Chromium's "Failed to load resource" messages carry no URL; ``failed_requests`` lists those responses.
    """
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console.error: {message.text}")

    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", on_console)
    return errors


@pytest.fixture
def failed_requests(page) -> list[str]:
    """A list that fills with "<status> <url>" for every response of 400 or more (except the automatic favicon)."""
    failures: list[str] = []

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    return failures


@pytest.fixture
def otc_guide(live_site_pages, live_guide):
    """An over-the-counter guide with two products and three packs (the guest's path), long names included."""
    from catalogue.models import DosageForm
    from medicines.models import LegalStatus
    from tests.factories import make_medicine, make_product

    medicine = make_medicine(
        live_site_pages["medicines"],
        live_guide.drug_class,
        title="Sodium chloride nasal spray",
        active_ingredients="sodium chloride",
        legal_status=LegalStatus.GENERAL_SALE,
        tags=["blocked nose"],
    )
    make_product(
        medicine, strength="0.9%", form=DosageForm.ORAL_SOLUTION, packs=((100, "4.50", 10), (300, "11.25", 10))
    )
    make_product(medicine, strength="2.3%", form=DosageForm.ORAL_SOLUTION, packs=((100, "5.10", 10),))
    return medicine


@pytest.fixture
def pharmacist(live_site_pages):
    """The root conftest's pharmacist (Sam Rivera, pharmacist@example.com), made in the live server's database."""
    from tests.factories import make_pharmacist

    return make_pharmacist()
