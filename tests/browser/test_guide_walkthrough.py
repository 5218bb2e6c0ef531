"""A reader's walk through the site in a real browser (Debian's chromium).

Opens the home page, a guide and an article; checks the guide's price box;
posts a question and sees that it awaits moderation; runs axe-core on each
page; saves screenshots to test-artifacts/.
"""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def live_article(live_site_pages, live_guide):
    from tests.factories import make_article, make_reference

    source = make_reference(authors="Paisley S, et al.", title="Oral treatments for spasticity", year=2002)
    body = [
        ("heading", {"text": "Why doses are tapered", "level": "h2"}),
        ("paragraph", "<p>Stopping suddenly can cause serious withdrawal effects.</p>"),
        (
            "quote",
            {"quote": "little evidence that they lead to an improvement in patient function", "reference": source},
        ),
        ("product_box", {"medicine": live_guide}),
    ]
    return make_article(live_site_pages["articles"], body=body, references=[source], tags=["spasticity"])


def test_reader_opens_a_guide_checks_prices_and_asks_a_question(
    page, goto, axe, axe_report, screenshot, live_guide, live_article, console_errors, failed_requests
):
    goto(page, "/")
    assert page.get_by_role("link", name="Baclofen").first.is_visible()
    screenshot(page, "home")
    violations = axe(page)
    assert violations == [], axe_report(violations)

    # The search box on every page finds the guide by its brand name.
    page.get_by_label("Search medicines and articles").first.fill("Lioresal")
    page.get_by_label("Search medicines and articles").first.press("Enter")
    page.get_by_role("link", name="Baclofen").first.click()
    assert page.url.endswith("/medicines/baclofen/")

    box = page.locator(".product-box")
    assert "from $0.29 per tablet" in box.inner_text()
    rows = box.locator("tbody tr")
    assert rows.count() == 2
    assert "$0.35" in rows.nth(0).inner_text() and "$9.80" in rows.nth(0).inner_text()
    assert "$0.29" in rows.nth(1).inner_text() and "$24.50" in rows.nth(1).inner_text()
    assert "In stock" in rows.nth(0).inner_text()
    assert "A prescription is required" in box.inner_text()
    screenshot(page, "guide")
    violations = axe(page)
    assert violations == [], axe_report(violations)

    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Robin")
    form.get_by_label("Email").fill("robin.private@example.com")
    form.get_by_label("Comment").fill("Can I take baclofen with a glass of wine?")
    form.get_by_role("button", name="Post").click()
    page.wait_for_load_state("load")
    assert "awaiting moderation" in page.locator("#comment-posted [role=status]").inner_text()
    assert page.url.split("#")[0].endswith("/medicines/baclofen/")
    # Shown only to its writer, as awaiting moderation, until a moderator approves it; the address is never shown.
    assert "Can I take baclofen with a glass of wine?" in page.locator("#comment-posted").inner_text()
    assert page.locator("#comments > .comment-list").count() == 0
    assert "robin.private@example.com" not in page.content()

    goto(page, live_article.url)
    assert page.get_by_role("heading", name="Why doses are tapered").is_visible()
    assert page.locator("blockquote").inner_text().startswith("little evidence")
    screenshot(page, "article")
    violations = axe(page)
    assert violations == [], axe_report(violations)

    assert console_errors == []
    assert failed_requests == []


def test_unknown_page_shows_the_friendly_404(page, goto, live_site, axe, axe_report):
    goto(page, "/no-such-medicine/", expect_status=404)
    assert page.get_by_role("heading", name="We couldn't find that page").is_visible()
    violations = axe(page)
    assert violations == [], axe_report(violations)
