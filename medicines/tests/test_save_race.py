"""A new guide saved twice in a moment: the autosave creates it, then "Save draft" (or "Submit") posts the create
form again before the screen has switched to editing. It is created once, the second save lands on it as a new
draft, and no one sees "slug already in use" or a server error."""

import pytest
from django.test import Client

from medicines.models import MedicinePage
from medicines.models.forms import MedicinePageForm
from medicines.tests.test_admin import guide_form_data
from tests.factories import make_reference

pytestmark = pytest.mark.django_db
AUTOSAVE = {"Accept": "application/json"}


@pytest.fixture
def editor_client(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.fixture
def new_guide(site_pages, drug_class):
    listed = make_reference(title="Listed")
    url = f"/admin/pages/add/medicines/medicinepage/{site_pages['medicines'].pk}/"
    return url, guide_form_data(drug_class, listed, listed)


def test_save_draft_after_the_autosave_created_the_guide_saves_onto_it(editor_client, new_guide):
    url, data = new_guide
    autosaved = editor_client.post(url, data, headers=AUTOSAVE)
    assert autosaved.status_code == 200 and autosaved.json()["success"], autosaved.content[:500]
    page = MedicinePage.objects.get(slug="tizanidine")
    data["summary"] = "A medicine for spasticity, typed after the autosave."
    saved = editor_client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert MedicinePage.objects.filter(title="Tizanidine").count() == 1
    draft = MedicinePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.summary == "A medicine for spasticity, typed after the autosave."
    assert draft.side_effects.count() == 1 and len(draft.numbered_references) == 1


def test_two_saves_that_overlap_create_one_guide_and_no_error(editor_client, new_guide, monkeypatch):
    """The autosave lands after "Save draft"'s form was checked (slug free) and before its page is added."""
    url, data = new_guide
    original_clean = MedicinePageForm.clean
    landed = []

    def clean_while_the_autosave_lands(form):
        cleaned = original_clean(form)
        if not landed:
            landed.append(None)  # the autosave's own form is checked with the original clean
            monkeypatch.setattr(MedicinePageForm, "clean", original_clean)
            landed[0] = editor_client.post(url, data, headers=AUTOSAVE)
        return cleaned

    monkeypatch.setattr(MedicinePageForm, "clean", clean_while_the_autosave_lands)
    saved = editor_client.post(url, dict(data, summary="The later text."))
    assert landed[0].status_code == 200 and landed[0].json()["success"]
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page = MedicinePage.objects.get(title="Tizanidine")
    assert page.get_latest_revision_as_object().summary == "The later text."


def test_another_editors_page_with_that_slug_is_still_a_form_error(editor_client, new_guide, django_user_model):
    url, data = new_guide
    other = Client()
    other.force_login(django_user_model.objects.create_superuser(email="other@example.com", password="x" * 12))
    assert other.post(url, data).status_code == 302
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "already in use" in response.content.decode()
    assert MedicinePage.objects.filter(title="Tizanidine").count() == 1
