"""The content audit in the admin: the panel on the edit screen and the "Evidence audit" report."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape
from wagtail.admin.panels import ObjectList

from evidence.models import VerificationStatus
from evidence.panels import AuditPanel, rule_docs
from medicines.models import MedicinePage
from tests.factories import make_article, make_medicine, make_reference, make_user

pytestmark = pytest.mark.django_db

UNCITED = "<p>About 20% of people feel sleepy in the first weeks.</p>"
REPORT = "evidence_audit"


@pytest.fixture
def verified():
    reference = make_reference(authors="Chou R, Peterson K", title="A verified comparison of muscle relaxants")
    reference.verification_status = VerificationStatus.VERIFIED
    reference.save(update_fields=["verification_status"])
    return reference


@pytest.fixture
def guides(site_pages, drug_class, verified):
    """A clean live guide, a live guide whose latest draft has an uncited figure, and a never-published draft."""
    clean = make_medicine(site_pages["medicines"], drug_class, title="Baclofen", references=[verified])
    edited = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene", references=[verified])
    revision = MedicinePage.objects.get(pk=edited.pk).get_latest_revision_as_object()
    revision.how_it_works = UNCITED
    revision.save_revision()
    draft = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", how_it_works=UNCITED)
    draft.unpublish()
    return clean, edited, draft


def test_the_edit_screen_shows_the_audit_of_the_latest_revision(client, editor, guides):
    clean, edited, _ = guides
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[edited.pk])).content.decode()
    assert "Content audit" in page
    assert "How it works" in page and "“20% of people feel sleepy” has no citation" in page
    assert "1 error" in page
    assert "uncited-figure" in page and escape(rule_docs()["uncited-figure"]) in page  # the rule's own explanation
    assert "20% of people" not in str(MedicinePage.objects.get(pk=edited.pk).how_it_works)  # only the draft has it

    clean_page = client.get(reverse("wagtailadmin_pages:edit", args=[clean.pk])).content.decode()
    assert "No problems found." in clean_page and "has no citation" not in clean_page


def test_the_create_screen_waits_for_a_first_save(client, editor, site_pages):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["medicines", "medicinepage", site_pages["medicines"].pk])
    page = client.get(url).content.decode()
    assert "The audit runs once the page has been saved." in page


def test_the_panel_works_for_any_page_type_with_audit_content(site_pages):
    article = make_article(site_pages["articles"], body=[("paragraph", "<p>It helps 3 in 10 people.</p>")])
    request = RequestFactory().get("/")
    request.user = make_user("staff@example.com", is_staff=True)
    panels = ObjectList([AuditPanel()]).bind_to_model(type(article))
    html = panels.get_bound_panel(instance=article, request=request, form=None).children[0].render_html()
    assert "Body, paragraph 1" in html and "“3 in 10 people” has no citation" in html

    home = site_pages["home"].specific  # no audit_content: nothing to show
    bound = ObjectList([AuditPanel()]).bind_to_model(type(home)).get_bound_panel(instance=home, request=request)
    assert not bound.children[0].is_shown()


def test_the_report_lists_every_guide_and_article_with_its_counts(client, editor, guides, site_pages):
    clean, edited, draft = guides
    make_article(site_pages["articles"], title="Tapering explained")
    client.force_login(editor)
    page = client.get(reverse(REPORT)).content.decode()
    for title in ("Baclofen", "Dantrolene", "Tizanidine", "Tapering explained"):
        assert title in page
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in page
    assert page.count('<td valign="top" data-errors>1</td>') == 2  # the edited draft and the unpublished one
    assert "has no citation" in page and "No problems found." in page


def test_one_page_that_cannot_be_read_does_not_take_the_report_down(client, editor, guides, monkeypatch):
    """A revision that can no longer be loaded (e.g. it names a reference deleted since) is listed as an error."""
    from evidence import panels

    clean, edited, draft = guides
    readable = panels.latest_version

    def latest_version(page):
        if page.pk == draft.pk:
            raise LookupError("a reference of this revision was deleted")
        return readable(page)

    monkeypatch.setattr(panels, "latest_version", latest_version)
    client.force_login(editor)
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    page = response.content.decode()
    assert "the audit could not read this version of the page" in page and "Baclofen" in page


def test_the_report_filters_pages_with_errors(client, editor, guides):
    client.force_login(editor)
    with_errors = client.get(reverse(REPORT), {"errors": "yes"}).content.decode()
    assert "Dantrolene" in with_errors and "Tizanidine" in with_errors and "Baclofen" not in with_errors
    without = client.get(reverse("evidence_audit_results"), {"errors": "no"}).content.decode()
    assert "Baclofen" in without and "Dantrolene" not in without


def test_the_report_exports_a_spreadsheet(client, editor, guides):
    client.force_login(editor)
    response = client.get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_title = {row["Title"]: row for row in rows}
    assert by_title["Tizanidine"]["Errors"] == "1" and by_title["Baclofen"]["Errors"] == "0"
    assert "uncited-figure: How it works" in by_title["Tizanidine"]["Findings"]


def test_the_report_is_refused_to_anyone_without_page_rights(client, guides, site_pages):
    url = reverse(REPORT)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/login/" in client.get(url).url

    client.force_login(make_user("reader@example.com"))  # not staff, no admin access
    response = client.get(url)
    assert response.status_code == 302 and "Tizanidine" not in response.content.decode()

    clerk = make_user("clerk@example.com", is_staff=True)  # admin access but no right over any page
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    refused = client.get(url)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Evidence audit" not in home


def test_the_report_is_in_the_reports_menu_for_editors(client, editor):
    client.force_login(editor)
    assert "Evidence audit" in client.get(reverse("wagtailadmin_home")).content.decode()
