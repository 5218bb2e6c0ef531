"""Staff API tokens: hashed at rest, scoped, revocable, and managed in the Wagtail admin."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from api import services
from api.models import ApiToken
from api.tests.conftest import bearer
from tests.factories import make_user

pytestmark = pytest.mark.django_db

QUEUE = "/api/staff/orders/awaiting-review"


def test_only_a_hash_of_the_token_is_stored(make_token):
    token, raw = make_token()
    assert raw.startswith(f"apt_{token.prefix}_") and len(raw) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in repr(row)
    assert raw.split("_", 2)[2] not in repr(row)  # nor its secret part
    assert row["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()


def test_a_token_signs_in_and_records_when_it_was_used(client, make_token):
    token, raw = make_token(scopes=["orders:read"])
    assert token.last_used_at is None
    assert client.get(QUEUE, **bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client, make_token, staff_member):
    token, raw = make_token()
    services.revoke_token(token, by=staff_member)
    response = client.get(QUEUE, **bearer(raw))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]
    assert ModelLogEntry.objects.filter(action="api.revoke_token", object_id=str(token.pk)).exists()


def test_a_token_whose_owner_left_the_staff_is_refused(client, make_token, staff_member):
    token, raw = make_token()
    staff_member.is_staff = False
    staff_member.save()
    assert client.get(QUEUE, **bearer(raw)).status_code == 401


def test_a_token_stays_revoked_when_its_owner_is_reactivated(client, make_token, staff_member):
    token, raw = make_token()
    staff_member.is_active = False
    staff_member.save()
    token.refresh_from_db()
    assert token.is_revoked
    assert ModelLogEntry.objects.filter(action="api.revoke_token", object_id=str(token.pk)).exists()
    staff_member.is_active = True
    staff_member.save()
    assert client.get(QUEUE, **bearer(raw)).status_code == 401  # it does not come back
    assert "revoked" in client.get(QUEUE, **bearer(raw)).json()["error"]["message"]


def test_a_token_expires(client, make_token, settings):
    from datetime import timedelta

    from django.utils import timezone

    token, raw = make_token()
    assert token.expires_at.date() == (timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)).date()
    assert client.get(QUEUE, **bearer(raw)).status_code == 200
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = client.get(QUEUE, **bearer(raw))
    assert refused.status_code == 401 and "expired on" in refused.json()["error"]["message"]


def test_scopes_limit_what_a_token_does(client, make_token):
    _, catalogue_only = make_token(scopes=["catalogue:write"])
    response = client.get(QUEUE, **bearer(catalogue_only))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This API token does not have the orders:read scope."


def test_a_token_never_does_more_than_its_owner(client, make_token, staff_member):
    from django.contrib.auth.models import Group

    _, raw = make_token(scopes=["orders:read"])
    staff_member.groups.remove(Group.objects.get(name="Pharmacists"))
    response = client.get(QUEUE, **bearer(raw))
    assert response.status_code == 403
    assert "permission" in response.json()["error"]["message"]


def test_tokens_are_for_active_staff_with_the_permissions_behind_their_scopes(site_pages):
    customer = make_user("customer@example.com")
    with pytest.raises(ValidationError, match="staff"):
        services.create_token(name="x", owner=customer, scopes=["orders:read"], created_by=customer)
    clerk = make_user("clerk@example.com", is_staff=True)
    with pytest.raises(ValidationError, match="orders:read"):
        services.create_token(name="x", owner=clerk, scopes=["orders:read"], created_by=clerk)
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_known_scope(staff_member):
    with pytest.raises(ValidationError):
        services.create_token(name="x", owner=staff_member, scopes=[], created_by=staff_member)
    with pytest.raises(ValidationError):
        services.create_token(name="x", owner=staff_member, scopes=["everything"], created_by=staff_member)


# ---------------------------------------------------------------------------
# The admin screens


def test_admin_creates_a_token_and_shows_it_once(admin_client, superuser):
    response = admin_client.post(
        "/admin/staff-api-tokens/new/",
        {"name": "Till sync", "owner": superuser.pk, "scopes": ["catalogue:write"]},
    )
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="Till sync")
    raw = response.context["token"]
    assert raw.startswith(f"apt_{token.prefix}_")
    assert raw in response.content.decode()
    assert token.token_hash == services.hash_token(raw)
    assert token.scopes == ["catalogue:write"] and token.created_by == superuser
    assert ModelLogEntry.objects.filter(action="api.create_token", object_id=str(token.pk)).exists()
    # The list never shows it again.
    listing = admin_client.get("/admin/staff-api-tokens/").content.decode()
    assert "Till sync" in listing and token.prefix in listing and raw not in listing


def test_admin_refuses_a_scope_the_owner_cannot_use(admin_client):
    clerk = make_user("clerk@example.com", is_staff=True)
    response = admin_client.post(
        "/admin/staff-api-tokens/new/", {"name": "x", "owner": clerk.pk, "scopes": ["orders:read"]}
    )
    assert response.status_code == 200
    assert "does not have the permissions" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_revokes_a_token(admin_client, superuser, make_token, client):
    token, raw = make_token()
    confirm = admin_client.get(f"/admin/staff-api-tokens/delete/{token.pk}/")
    assert confirm.status_code == 200 and "Yes, revoke" in confirm.content.decode()
    admin_client.post(f"/admin/staff-api-tokens/delete/{token.pk}/")
    token.refresh_from_db()
    assert token.is_revoked and token.revoked_by == superuser
    assert ApiToken.objects.filter(pk=token.pk).exists()  # kept for the history
    assert client.get(QUEUE, **bearer(raw)).status_code == 401


def test_non_staff_cannot_reach_the_token_screens(client, site_pages):
    client.force_login(make_user("customer@example.com"))
    response = client.get("/admin/staff-api-tokens/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_token_permissions_cannot_create_tokens(client, site_pages):
    from django.contrib.auth.models import Permission

    editor = make_user("editor@example.com", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    client.post("/admin/staff-api-tokens/new/", {"name": "x", "owner": editor.pk, "scopes": ["orders:read"]})
    assert not ApiToken.objects.exists()


def test_admin_screens_render_and_rename_only(admin_client, make_token):
    token, _ = make_token()
    form = admin_client.get("/admin/staff-api-tokens/new/").content.decode()
    assert "catalogue:write" in form and "orders:read" in form
    assert admin_client.get(f"/admin/staff-api-tokens/edit/{token.pk}/").status_code == 200
    admin_client.post(f"/admin/staff-api-tokens/edit/{token.pk}/", {"name": "Renamed", "scopes": ["orders:read"]})
    token.refresh_from_db()
    assert token.name == "Renamed"
    assert token.scopes == ["catalogue:write", "orders:read"]  # scopes are fixed at creation


def test_a_bulk_deactivation_in_the_admin_revokes_tokens_too(client, make_token, staff_member):
    from accounts.models import User

    token, raw = make_token()
    boss = User.objects.create_superuser("boss@example.com", "pw")
    admin = Client()
    admin.force_login(boss)
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "set_active_state")) + f"?id={staff_member.pk}"
    admin.post(url, {"mark_as_active": "False"})
    staff_member.refresh_from_db()
    assert not staff_member.is_active
    token.refresh_from_db()
    assert token.is_revoked
    User.objects.filter(pk=staff_member.pk).update(is_active=True)
    assert client.get(QUEUE, **bearer(raw)).status_code == 401
