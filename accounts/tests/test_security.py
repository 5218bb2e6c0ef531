"""Authentication that holds against someone guessing: lock-outs on the site and on /admin/, that staff can lift;
password-reset and sign-up e-mails capped per address; two-factor sign-in for those who see prescriptions; names
without invisible characters."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
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


# ---------------------------------------------------------------------------
# Found by a review: each holds now


def test_logging_into_ones_own_account_does_not_reset_the_guesses_at_anothers(site_pages):
    make_user("victim@example.com")
    make_user("attacker@example.com")
    client = Client()
    for _ in range(4):
        wrong_passwords(client, "/account/login/", "victim@example.com", settings.AXES_FAILURE_LIMIT - 1)
        own = client.post("/account/login/", {"username": "attacker@example.com", "password": "pw"})
        client.post("/account/logout/")
        if own.status_code == 429:
            break
    assert client.post("/account/login/", {"username": "victim@example.com", "password": "pw"}).status_code == 429


def test_a_guess_during_a_pause_does_not_extend_it_and_a_new_password_lifts_it(site_pages, mailoutbox):
    import re

    make_user("robin@example.com")
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    wrong_passwords(guesser, "/account/login/", "robin@example.com", settings.AXES_FAILURE_LIMIT + 2)
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is False
    robin = Client(REMOTE_ADDR="198.51.100.4")
    robin.post("/account/password-reset/", {"email": "robin@example.com"})
    link = re.search(r"http://testserver(\S+)", mailoutbox[-1].body).group(1)
    form_url = robin.get(link)["Location"]
    new = "a-new-long-passphrase-77"
    assert robin.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert robin.post("/account/login/", {"username": "robin@example.com", "password": new}).status_code == 302


def test_sign_up_never_touches_an_existing_account_even_a_deactivated_one(site_pages, mailoutbox):
    former = User.objects.create_superuser("former@example.com", "the-real-one", first_name="Fay")
    former.is_active = False
    former.save()
    data = {"email": "former@example.com", "full_name": "Mallory Evil", "password1": "correct-horse-battery-42"}
    Client().post("/account/signup/", {**data, "password2": data["password1"]})
    former.refresh_from_db()
    assert not former.is_active and former.first_name == "Fay" and former.check_password("the-real-one")
    assert "tried to sign up" in mailoutbox[-1].subject  # the owner is told; nothing changes


def test_a_sign_up_link_opens_only_with_the_password_chosen_with_it(site_pages, mailoutbox):
    import re

    def sign_up(password):
        data = {"email": "victim@example.com", "full_name": "Vic Tim", "password1": password, "password2": password}
        Client().post("/account/signup/", data)
        return re.search(r"http://testserver(/account/signup/confirm/\S+/)", mailoutbox[-1].body).group(1)

    victims_link = sign_up("victims-own-passphrase-1")
    attackers_link = sign_up("attackers-passphrase-22")  # sent to the victim's mailbox, useless to the attacker
    victim = Client()
    assert victim.post(attackers_link, {"password": "victims-own-passphrase-1"}).status_code == 400
    assert victim.post(victims_link, {"password": "victims-own-passphrase-1"}).status_code == 303
    account = User.objects.get(email="victim@example.com")
    assert account.check_password("victims-own-passphrase-1") and not account.check_password("attackers-passphrase-22")


def test_an_unverified_pharmacist_is_not_a_pharmacist_on_the_site(site_pages, settings, medicine):
    from apothecary.core.roles import is_pharmacist

    settings.STAFF_TWO_FACTOR_REQUIRED = True
    pharmacist = make_pharmacist()
    pharmacist.is_verified = lambda: False  # as django_otp marks a visitor who typed no code
    assert not is_pharmacist(pharmacist)
    pharmacist.is_verified = lambda: True
    assert is_pharmacist(pharmacist)


def test_a_second_factor_someone_set_up_is_asked_for_even_when_not_required(site_pages):
    editor = make_user("editor@example.com", groups=["Editors"], is_staff=True)
    TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor"))


def test_a_pharmacist_without_the_staff_flag_is_not_deleted(site_pages):
    from accounts import personal_data

    pharmacist = make_user("sam@example.com", groups=["Pharmacists"])  # as the admin's user form makes them
    with pytest.raises(PermissionDenied, match="A staff account is not deleted"):
        personal_data.delete_account(pharmacist)
    assert User.objects.filter(pk=pharmacist.pk).exists()


def test_ipv4_clients_on_a_dual_stack_socket_are_counted_one_by_one():
    from apothecary.core.ratelimit import address_group

    assert address_group("::ffff:198.51.100.1") == "198.51.100.1"
    assert address_group("::ffff:198.51.100.2") != address_group("::ffff:198.51.100.1")
    assert address_group("2001:db8:1:2:3:4:5:6") == address_group("2001:db8:1:2:ffff::1")
