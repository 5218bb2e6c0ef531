"""Authentication that holds against someone guessing: lock-outs on the site and on /admin/, that staff can lift;
password-reset and sign-up e-mails capped per address; two-factor sign-in for those who see prescriptions; names
without invisible characters."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import make_pharmacist, make_user

pytestmark = pytest.mark.django_db


def wrong_passwords(client, url, email, times):
    return [client.post(url, {"username": email, "password": f"guess-{n}"}) for n in range(times)]


@pytest.mark.parametrize("url", ["/account/login/", "/admin/login/"])
def test_an_account_is_locked_after_too_many_wrong_passwords_and_says_so(site_pages, url):
    User.objects.create_superuser("boss@example.com", "the-right-password")
    client = Client()
    answers = wrong_passwords(client, url, "boss@example.com", settings.AXES_FAILURE_LIMIT)
    assert all(answer.status_code in (200, 400) for answer in answers[:-1])
    locked = answers[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Log-in paused" in page and f"{settings.AXES_FAILURE_LIMIT} wrong passwords" in page
    assert "set a new one" in page

    right = client.post(url, {"username": "BOSS@example.com", "password": "the-right-password"})
    assert right.status_code == 429  # the right password does not get through a pause (whatever the case typed)
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_accounts_is_paused_too(site_pages):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/account/login/", {"username": f"person{n}@example.com", "password": "x"})
    assert client.post("/account/login/", {"username": "last@example.com", "password": "x"}).status_code == 429


def test_staff_lift_a_lock_in_the_admin(site_pages):
    make_user("robin@example.com")
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    wrong_passwords(guesser, "/account/login/", "robin@example.com", settings.AXES_FAILURE_LIMIT)
    assert guesser.post("/account/login/", {"username": "robin@example.com", "password": "pw"}).status_code == 429

    boss = User.objects.create_superuser("boss@example.com", "pw")
    admin = Client()
    admin.force_login(boss)
    listing = admin.get(reverse("lockouts:index")).content.decode()
    assert "robin@example.com" in listing and "paused" in listing
    for attempt in AccessAttempt.objects.all():
        assert admin.post(reverse("lockouts:delete", args=[attempt.pk])).status_code == 302
    robin = Client(REMOTE_ADDR="203.0.113.7")
    assert robin.post("/account/login/", {"username": "robin@example.com", "password": "pw"}).status_code == 302


def test_password_reset_e_mails_to_one_address_are_capped_per_hour(site_pages, mailoutbox):
    make_user("robin@example.com")
    limit = settings.RATE_LIMITS["password_reset_email"][0]
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/account/password-reset/", {"email": "robin@example.com"})
        for n in range(limit + 5)
    ]
    assert {answer.status_code for answer in answers} == {302}  # the page says the same every time
    assert len(mailoutbox) == limit


def test_password_reset_requests_from_one_address_are_throttled(site_pages):
    client = Client()
    limit = settings.RATE_LIMITS["password_reset"][0]
    statuses = [
        client.post("/account/password-reset/", {"email": f"p{n}@example.com"}).status_code for n in range(limit + 1)
    ]
    assert statuses[:limit] == [302] * limit and statuses[-1] == 429


def test_sign_ups_from_one_address_are_throttled(site_pages):
    client = Client()
    limit = settings.RATE_LIMITS["signup"][0]
    data = {"full_name": "Robin Patel", "password1": "correct-horse-battery-staple-42"}
    data["password2"] = data["password1"]
    statuses = [
        client.post("/account/signup/", {**data, "email": f"p{n}@example.com"}).status_code for n in range(limit + 1)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:limit]


@pytest.mark.parametrize("name", ["Robin\u202ekcab", "Robin\u200bPatel", "Robin\x07Patel"])
def test_names_refuse_control_and_direction_characters(client, name):
    data = {"email": "new@example.com", "full_name": name, "password1": "correct-horse-battery-staple-42"}
    data["password2"] = data["password1"]
    response = client.post("/account/signup/", data)
    assert response.status_code == 400
    assert "Names cannot contain control or text-direction characters" in response.content.decode()
    assert not User.objects.exists()


# ---------------------------------------------------------------------------
# Two-factor sign-in


@pytest.fixture
def two_factor_required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp waits longer after each wrong code; not the point here


def test_a_pharmacist_without_a_second_factor_cannot_reach_the_review_queue(site_pages, two_factor_required):
    pharmacist = make_pharmacist()
    client = Client()
    client.force_login(pharmacist)
    queue = reverse("orders_admin:review_queue")
    response = client.get(queue)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two_factor')}?next={queue}"
    setup = client.get(response["Location"]).content.decode()
    assert "<svg" in setup and "scan this code" in setup  # the QR code is drawn here, not fetched elsewhere

    device = TOTPDevice.objects.get(user=pharmacist, confirmed=False)
    wrong = client.post(reverse("accounts:two_factor"), {"code": "000000", "next": queue})
    assert wrong.status_code == 400 and client.get(queue).status_code == 302
    done = client.post(reverse("accounts:two_factor"), {"code": f"{totp(device.bin_key):06d}", "next": queue})
    assert done.status_code == 302 and done["Location"] == queue
    assert client.get(queue).status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next session asks for a code again, and no longer sets up.
    again = Client()
    again.force_login(pharmacist)
    assert again.get(queue).status_code == 302
    assert "Enter the 6-digit code" in again.get(reverse("accounts:two_factor")).content.decode()


def test_without_the_setting_a_pharmacist_needs_no_second_factor(site_pages):
    client = Client()
    client.force_login(make_pharmacist())
    assert client.get(reverse("orders_admin:review_queue")).status_code == 200


def test_search_and_checkout_are_throttled_per_address(site_pages, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (3, 60), "checkout": (2, 600)}
    client = Client()
    assert [client.get("/search/", {"q": f"baclofen {n}"}).status_code for n in range(4)] == [200, 200, 200, 429]
    assert client.get("/search/").status_code == 200  # the empty search page is not counted
    statuses = [client.post("/checkout/", {}).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]
