"""The admin's "Import an article" screen (``imports.admin_views``)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import PageLogEntry

from articles.models import ArticlePage
from evidence.audit import audit_page
from imports import articles as importing
from imports.tests.article_helpers import POST, counts
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# --- the admin upload -----------------------------------------------------------------------------------------------


@pytest.fixture
def outsider(site_pages):
    """A user who may use the admin but not add pages anywhere."""
    user = make_user("outsider@example.com", is_staff=True)
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    return user


def upload(name: str, data: bytes, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_an_editor_imports_an_article_from_the_admin(client, editor):
    client.force_login(editor)
    assert "Import an article" in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu item
    form = client.get(reverse("articles_import"))
    assert form.status_code == 200 and 'name="file"' in form.content.decode() and 'name="url"' in form.content.decode()

    response = client.post(reverse("articles_import"), {"file": upload("placebonol.html", POST.read_bytes())})

    page = ArticlePage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.owner == editor
    findings = audit_page(page)
    errors = sum(finding.severity == "ERROR" for finding in findings)
    warnings = len(findings) - errors
    assert errors and warnings
    edit_screen = client.get(response["Location"]).content.decode()
    assert f"Content audit: {errors} error{'s' if errors != 1 else ''}, {warnings} warning" in edit_screen
    entry = PageLogEntry.objects.get(page=page, action=importing.IMPORT_ACTION)
    assert entry.user == editor and entry.data["source"] == "placebonol.html"


def test_the_admin_imports_from_an_address(client, editor, web):
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    client.force_login(editor)
    response = client.post(reverse("articles_import"), {"url": web.url("/post")})
    assert response.status_code == 302
    assert ArticlePage.objects.get().imported_from == web.url("/post")


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "Give either a file or an address to import (one of the two)."),
        (
            {"file": upload("a.html", b"<p>An article</p>"), "url": "https://example.org/post"},
            "Give either a file or an address to import (one of the two).",
        ),
        ({"file": upload("empty.html", b"")}, "The submitted file is empty."),
        (
            {"file": upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "image/png")},
            "is a binary file",
        ),
        ({"url": "ftp://example.org/post"}, "Only http:// and https:// addresses can be imported."),
    ],
)
def test_the_admin_form_explains_bad_input_and_creates_nothing(client, editor, data, error):
    client.force_login(editor)
    before = counts()
    response = client.post(reverse("articles_import"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert counts() == before


def test_the_admin_import_is_refused_without_permission_to_add_articles(client, outsider):
    client.force_login(outsider)
    assert "Import an article" not in client.get(reverse("wagtailadmin_home")).content.decode()
    refused = client.get(reverse("articles_import"), follow=True)
    assert refused.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "Sorry, you do not have permission to access this area." in refused.content.decode()
    response = client.post(reverse("articles_import"), {"file": upload("post.html", POST.read_bytes())})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert ArticlePage.objects.count() == 0


def test_the_admin_import_needs_a_login(client, site_pages):
    response = client.get(reverse("articles_import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_import_screen_says_what_happens(client, editor):
    client.force_login(editor)
    html = client.get(reverse("articles_import")).content.decode()
    assert re.search(r"becomes a <strong>draft</strong>", html) and "Nothing is" in html


def test_the_admin_import_says_what_it_left_out(client, editor):
    from imports.tests.test_article_parsing import UNCLOSED_MATH_POST

    client.force_login(editor)
    data = {"file": upload("dosing.html", UNCLOSED_MATH_POST.encode()), "verify": ""}
    response = client.post(reverse("articles_import"), data, follow=True)
    html = response.content.decode()
    assert "What the import left out or could not find" in html
    assert "An unclosed &lt;math&gt; element (“d = 0.3 w”) was dropped" in html
    page = ArticlePage.objects.get()
    assert [row.reference.title for row in page.numbered_references][:1] == ["Weight-based dosing in children"]
