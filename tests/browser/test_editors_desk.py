"""An editor's desk, in a real browser (issue 15, acceptance 3).

A new editor writes a guide in the admin: finds sources in the reference chooser by DOI and by author, creates one
that is not in the library yet without leaving the guide, saves twice in a moment (the autosave has just created
the guide when "Save draft" is pressed on the create screen) with no error, submits the guide, and sees one message
listing the evidence check's errors where they are. A second test opens a long imported page (272 blocks, 20
tables) in the editor and counts how many times the tables are laid out: at most once each, not once per table per
table.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHOU_DOI = "10.1016/j.jpainsymman.2004.05.002"
UNCITED = "About 20% of people feel sleepy in the first weeks."


@pytest.fixture
def one_request_at_a_time(settings):
    """The live server's in-memory database refuses a second writer at once ("table is locked") where a real one
    waits: Wagtail's own autosave and editing-session pings are turned off, and the test sends the autosave's
    request itself, so that the requests reach the server one after another."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 3_600_000


@pytest.fixture
def desk(live_site_pages, one_request_at_a_time):
    from evidence.tests.test_chooser import reference_library
    from tests.factories import make_drug_class, make_user

    return {
        "editor": make_user("editor@example.com", groups=["Editors"], is_staff=True),
        "drug_class": make_drug_class(live_site_pages["classes"], title="Skeletal muscle relaxants"),
        **reference_library(),
    }


def log_in_to_the_admin(page, live_site, email):
    page.goto(f"{live_site}/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "pw")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(f"{live_site}/admin/")


def type_rich_text(page, field: str, text: str) -> None:
    editor = page.locator(f"[data-contentpath={field}] [contenteditable=true]").first
    editor.click()
    page.keyboard.type(text)


def open_reference_chooser(page, field_id: str):
    page.locator(f"#{field_id}-chooser .chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("heading", name="Choose a reference").wait_for()
    return modal


def search(page, modal, query: str):
    """Types ``query`` in the chooser's search box and waits for the results it asks for."""
    with page.expect_response(lambda response: "/reference/results/" in response.url and "q=" in response.url):
        modal.locator("#id_q").fill(query)
    modal.locator("td.title a").first.wait_for()


def result_titles(modal) -> list[str]:
    return [" ".join(text.split()) for text in modal.locator("td.title a").all_inner_texts()]


def test_an_editor_writes_a_guide_with_the_reference_chooser_saves_twice_and_submits(
    page, live_site, live_site_pages, desk, screenshot, console_errors, failed_requests
):
    from evidence.models import Reference
    from medicines.models import MedicinePage

    log_in_to_the_admin(page, live_site, "editor@example.com")
    page.goto(f"{live_site}/admin/pages/add/medicines/medicinepage/{live_site_pages['medicines'].pk}/")
    page.fill("#id_title", "Tizanidine")
    page.keyboard.press("Tab")
    page.fill("#id_generic_name", "tizanidine")
    page.fill("#id_active_ingredients", "tizanidine")
    page.fill("#id_summary", "A medicine that relaxes stiff muscles.")
    type_rich_text(page, "how_it_works", UNCITED)
    type_rich_text(page, "how_to_take", "As your prescriber says.")
    type_rich_text(page, "warnings", "Do not stop it suddenly.")

    page.get_by_role("tab", name="Evidence").click()
    # By DOI: only that paper.
    modal = open_reference_chooser(page, "id_guide_references-0-reference")
    search(page, modal, CHOU_DOI)
    assert result_titles(modal) == [desk["chou"].title]
    row = modal.locator("tbody tr").first.inner_text()
    assert "Chou R, Peterson K, Helfand M" in row and "2004" in row and "PMID 15276195" in row
    modal.get_by_role("link", name=desk["chou"].title).click()
    expect(page.locator("#id_guide_references-0-reference-title")).to_contain_text("Chou R 2004")

    # By an author who is not the first: only that review.
    page.locator("#id_guide_references-ADD").click()
    modal = open_reference_chooser(page, "id_guide_references-1-reference")
    search(page, modal, "Boggild")
    assert result_titles(modal) == [desk["shakespeare"].title]
    modal.get_by_role("link", name=desk["shakespeare"].title).click()
    expect(page.locator("#id_guide_references-1-reference-title")).to_contain_text("Shakespeare DT 2003")

    # A side effect whose source is not in the library: created inside the chooser, never listed by hand.
    page.locator("#id_side_effects-ADD").click()
    page.fill("#id_side_effects-0-effect", "Dry mouth")
    page.select_option("#id_side_effects-0-frequency", index=1)
    modal = open_reference_chooser(page, "id_side_effects-0-reference")
    modal.get_by_role("tab", name="Create a reference").click()
    modal.locator("#id_authors").fill("Wagstaff AJ, Bryson HM")
    modal.locator("#id_title").fill("Tizanidine: a review of its pharmacology")
    modal.locator("#id_container").fill("Drugs")
    modal.locator("#id_year").fill("1997")
    modal.locator("#id_doi").fill("10.2165/00003495-199753030-00011")
    screenshot(page, "create-reference")
    modal.get_by_role("button", name="Create a reference").click()
    page.locator(".modal-dialog").wait_for(state="detached")
    expect(page.locator("#id_side_effects-0-reference-title")).to_contain_text("Wagstaff AJ 1997")
    created = Reference.objects.get(doi="10.2165/00003495-199753030-00011")

    # Two saves in a moment: the autosave has just created the guide when the editor presses "Save draft" on the
    # create screen, before it has switched to editing. (Two requests that overlap on the server are tested in
    # medicines/tests/test_save_race.py; see ``one_request_at_a_time``.)
    page.evaluate("id => document.querySelector('[name=drug_class]').value = id", str(desk["drug_class"].pk))
    autosaved = page.evaluate(
        """async () => {
            const form = document.querySelector('#page-edit-form');
            const response = await fetch(form.action, {
                method: 'POST', body: new FormData(form), headers: {Accept: 'application/json'},
            });
            return [response.status, (await response.json()).success];
        }"""
    )
    assert autosaved == [200, True]
    assert "/add/" in page.locator("#page-edit-form").get_attribute("action")
    page.locator("button.action-save").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    screenshot(page, "saved")
    guides = MedicinePage.objects.filter(title="Tizanidine")
    assert guides.count() == 1
    guide = guides.get()
    messages = page.locator(".messages > ul > li")
    assert [text for text in messages.all_inner_texts() if "rror" in text or "in use" in text] == []
    draft = guide.get_latest_revision_as_object()
    assert [row.reference for row in draft.numbered_references] == [desk["chou"], desk["shakespeare"], created]

    # Submitted: the evidence check sends it back with one message that lists the errors where they are.
    page.locator("[data-w-dropdown-target=toggle]:has(.icon-arrow-up)").click()
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state("load")
    screenshot(page, "sent-back")
    assert page.url.endswith(f"/admin/pages/{guide.pk}/edit/")
    messages = page.locator(".messages > ul > li")
    assert messages.count() == 1
    message = " ".join(messages.first.inner_text().split())
    assert message.startswith("“Tizanidine” is back with you: the evidence check found 1 error")
    assert "How it works: “20% of people feel sleepy” has no citation" in message
    assert messages.first.locator("li").count() == 1  # the error, listed

    assert [failure for failure in failed_requests if failure.startswith("5")] == []


# Counts the re-layouts of the table editors (Handsontable's updateSettings) from the moment the page loads.
COUNT_TABLE_LAYOUTS = """
(() => {
    window.tableLayouts = 0;
    window.tables = 0;
    let wrapped;
    Object.defineProperty(window, "Handsontable", {
        configurable: true,
        get() { return wrapped; },
        set(original) {
            wrapped = function (element, options) {
                const table = new original(element, options);
                const updateSettings = table.updateSettings;
                window.tables += 1;
                table.updateSettings = function (...args) {
                    window.tableLayouts += 1;
                    return updateSettings.apply(table, args);
                };
                return table;
            };
            Object.assign(wrapped, original);
            wrapped.prototype = original.prototype;
        },
    });
})();
"""


def test_a_long_imported_page_lays_out_each_table_once_when_it_opens(page, live_site, desk, screenshot):
    """A 272-block import with 20 tables: Wagtail's table editor used to re-lay out every table each time any table
    loaded (20 × 20 = 400 re-layouts here; minutes for a longer page). How long it takes is measured, not tested:
    the count is what can fail."""
    from imports import articles as importing
    from imports.tests.article_helpers import long_post

    result = importing.import_source(importing.Source(long_post().encode(), "long.html", "text/html"), verify=False)
    assert len(result.page.body) == 272
    log_in_to_the_admin(page, live_site, "editor@example.com")
    page.add_init_script(COUNT_TABLE_LAYOUTS)
    page.set_default_navigation_timeout(120_000)
    page.goto(f"{live_site}/admin/pages/{result.page.pk}/edit/", wait_until="load")
    page.locator(".handsontable").first.wait_for()
    screenshot(page, "long-page")
    assert page.evaluate("window.tables") == 20
    assert page.evaluate("window.tableLayouts") <= 20
