"""The production headers hold in a real browser: the Content-Security-Policy is never violated, and no page, public
or staff, sends a request to any host but the site's own (no avatars from gravatar.com, no release check, no CDN).

Public: home, a guide, log-in, the cart with a pack in it, checkout. Staff: the admin's dashboard, the products
listing, a guide's edit screen and the pharmacist's review queue.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page, live_site):
    """Every CSP violation the browser reports, and every request to another host, while the test runs."""
    site_host = urlsplit(live_site).hostname
    seen = {"csp": [], "elsewhere": []}

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen["csp"].append(f"{page.url}: {message.text}")

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != site_host:
            seen["elsewhere"].append(f"{page.url} -> {request.url}")

    page.on("console", on_console)
    page.on("request", on_request)
    # Violations the console does not show (e.g. reported only as events) are collected in the page too.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_public_pages_break_no_policy_and_ask_nothing_of_other_sites(page, live_guide, goto, watched):
    found = []
    for path in ["/", live_guide.url, "/account/login/"]:
        goto(page, path)
        found += violations(page)
    goto(page, live_guide.url)
    with page.expect_navigation():
        page.locator("form[action='/cart/add/'] button[type=submit]").first.click()
    goto(page, "/cart/")
    assert "Baclofen" in page.inner_text("main")
    found += violations(page)
    goto(page, "/checkout/")
    found += violations(page)

    assert watched["csp"] == [] and found == [], watched["csp"] + found
    assert watched["elsewhere"] == []


def test_the_admin_breaks_no_policy_and_asks_nothing_of_other_sites(page, live_guide, live_site, goto, watched):
    make_user(
        "boss@example.com", groups=["Pharmacists"], is_staff=True, is_superuser=True, first_name="Bo", last_name="Ss"
    )
    goto(page, "/admin/login/")
    page.fill("input[name=username]", "boss@example.com")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    found = violations(page)
    for path in [
        "/admin/snippets/catalogue/product/",
        f"/admin/pages/{live_guide.pk}/edit/",
        "/admin/orders/review/",
    ]:
        goto(page, path)
        page.wait_for_load_state("networkidle")
        found += violations(page)

    assert watched["csp"] == [] and found == [], watched["csp"] + found
    assert watched["elsewhere"] == []
