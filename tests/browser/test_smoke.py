"""The first browser test: the live site's home page opens in chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens(page, goto, screenshot, console_errors, failed_requests):
    goto(page, "/")
    assert "Apothecary" in page.title()
    screenshot(page, "home")
    assert console_errors == []
    assert failed_requests == []


def test_home_page_has_no_serious_accessibility_violations(page, goto, axe, axe_report):
    goto(page, "/")
    violations = axe(page)
    assert violations == [], axe_report(violations)
