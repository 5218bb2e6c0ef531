"""Production defaults: `check --deploy` finds nothing, HTTPS is on unless turned off, every response carries the
Content-Security-Policy, pages with personal data are never stored by a browser or proxy, and the error pages and
the favicon are the site's own."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_medicine, make_order, make_product, make_user

BASE_DIR = Path(__file__).resolve().parents[1]


def production_env(tmp_path, **extra) -> dict:
    """The variables the README's "Running in production" asks for, and nothing from the test run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pharmacy.example",
        SITE_URL="https://pharmacy.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        APOTHECARY_VAR_DIR=str(tmp_path),
        EMAIL_HOST="smtp.pharmacy.example",
        **extra,
    )
    env.pop("REDIS_URL", None)
    return env


def test_check_deploy_finds_nothing_with_the_documented_variables(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def production_setting(tmp_path, *names, **env) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(f"print(repr(settings.{name}))" for name in names)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_https_is_on_by_default_and_a_documented_switch_turns_it_off(tmp_path):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
    assert production_setting(tmp_path, *names) == ["True", "31536000", "True", "True"]
    off = production_setting(
        tmp_path, *names, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="false"
    )
    assert off == ["False", "0", "False", "False"]


@pytest.mark.django_db
def test_public_pages_carry_a_policy_without_inline_script(client, medicine):
    response = client.get(medicine.url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.get("Cache-Control", "")  # a public page may be cached


@pytest.fixture
def patient_with_order(site_pages, drug_class):
    from medicines.models import LegalStatus

    patient = make_user("robin@example.com", first_name="Robin", last_name="Patel")
    otc = make_medicine(site_pages["medicines"], drug_class, "Paracetamol", legal_status=LegalStatus.GENERAL_SALE)
    pack = make_product(otc, "500 mg", packs=((16, "2.50", 5),)).packs.get()
    order = make_order([(pack, 1)], customer=patient, email=patient.email)
    return patient, order, pack


@pytest.mark.django_db
def test_every_page_with_personal_data_says_no_store(patient_with_order):
    patient, order, pack = patient_with_order
    client = Client()
    client.force_login(patient)
    client.post(reverse("orders:cart_add"), {"pack": pack.pk, "quantity": 1})
    for url in [
        reverse("accounts:account"),
        reverse("accounts:profile"),
        reverse("orders:cart"),
        reverse("orders:checkout"),
        order.get_absolute_url(),
        reverse("orders:history"),
        "/",  # any page answered to a signed-in visitor (the header names them)
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}, url


@pytest.mark.django_db
def test_the_csrf_failure_and_forbidden_pages_are_the_sites_own(site_pages):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page and "reload the page" in page
    assert 'class="site-header' in page or "<header" in page  # the site's frame, not Django's bare page


@pytest.mark.django_db
def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\x00\x00\x01\x00"


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_its_body_is_read(settings):
    from django.test import RequestFactory

    from apothecary.core.middleware import RequestSizeMiddleware

    size = 200 * 1_048_576
    request = RequestFactory().post(
        "/orders/AP-000000000000/prescription/", CONTENT_LENGTH=str(size), CONTENT_TYPE="multipart/form-data; b=x"
    )
    request._stream = UnreadableBody()
    response = RequestSizeMiddleware(lambda request: pytest.fail("the view was reached"))(request)
    assert response.status_code == 413
    page = response.content.decode()
    assert "200.0 MB" in page and f"at most {settings.PRESCRIPTION_MAX_UPLOAD_BYTES // 1_048_576} MB" in page
