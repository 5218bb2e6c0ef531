"""Reader questions triaged for safety, in a real browser: a reader whose question reads as an emergency lands on
the confirmation with the emergency numbers in view at once, accessible, and the page asks nothing of any other
site; a reader who reports a side effect is shown where to report it, as a link only."""

import pytest

pytestmark = pytest.mark.browser


def ask(page, text: str) -> None:
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Robin")
    form.get_by_label("Email").fill("robin.asks@example.com")
    form.get_by_label("Comment").fill(text)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state("load")


def test_an_emergency_shows_the_numbers_in_view_at_once(page, goto, live_site, live_guide, axe, axe_report):
    from wagtail.models import Site

    from discussion.models import Comment, CommentStatus
    from home.models import PharmacySettings

    pharmacy, _ = PharmacySettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    pharmacy.emergency_number, pharmacy.poison_control = "555 0100", "555-0111"
    pharmacy.save()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    goto(page, live_guide.url)
    ask(page, "My son swallowed some of my tablets about ten minutes ago, what do I do?")
    advice = page.locator("#emergency-advice")
    assert advice.is_visible()
    box, viewport = advice.bounding_box(), page.viewport_size
    assert box is not None and -1 < box["y"] < viewport["height"], "the emergency advice is off-screen"
    assert "555 0100" in advice.inner_text() and "555-0111" in advice.inner_text()
    assert advice.get_by_role("link", name="555 0100").get_attribute("href") == "tel:5550100"
    violations = axe(page, "#comments")
    assert violations == [], axe_report(violations)
    assert Comment.objects.get().status == CommentStatus.PENDING

    ask(page, "Since starting it I've had a rash on both arms.")
    reporting = page.locator("#side-effect-reporting")
    assert reporting.is_visible()
    assert reporting.get_by_role("link").get_attribute("href") == "https://www.fda.gov/safety/medwatch"
    assert [url for url in requested if not url.startswith(live_site)] == []  # a link, never a request
