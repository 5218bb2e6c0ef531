"""Sign up, log in and out, password reset, profile, address book and order history."""

import re

import pytest
from django.urls import reverse

from accounts.models import Address, User
from tests.factories import ADDRESS, make_order, make_product, make_user

pytestmark = pytest.mark.django_db

STRONG = "correct-horse-battery-staple-42"


def signup_data(**overrides):
    data = {
        "email": "new@example.com",
        "full_name": "Robin A. Patient",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


def test_urls():
    assert reverse("accounts:account") == "/account/"
    assert reverse("accounts:login") == "/account/login/"
    assert reverse("accounts:signup") == "/account/signup/"
    assert reverse("accounts:logout") == "/account/logout/"
    assert reverse("orders:history") == "/account/orders/"


def test_login_url_setting_points_at_the_login_page(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


# --- Sign up


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/account/signup/confirm/\S+/)", message.body).group(1)


def test_sign_up_sends_a_link_that_opens_the_account_and_logs_in(client, mailoutbox):
    page = client.get("/account/signup/")
    html = page.content.decode()
    assert 'for="id_email"' in html and 'for="id_full_name"' in html and 'for="id_password2"' in html
    assert "csrfmiddlewaretoken" in html

    response = client.post("/account/signup/", signup_data(), follow=True)
    assert response.redirect_chain == [("/account/signup/sent/", 303)]
    assert "We have sent a message to <strong>new@example.com</strong>" in response.content.decode()
    assert not User.objects.exists()  # no account until the owner of the address opens the link

    (message,) = mailoutbox
    assert message.to == ["new@example.com"] and "Confirm your e-mail address" in message.subject
    link = confirmation_link(message)
    page = client.get(link)  # opening the link logs nobody in: the password chosen is asked for
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert client.post(link, {"password": "not it"}).status_code == 400
    opened = client.post(link, {"password": STRONG})
    assert opened.status_code == 303 and opened["Location"] == "/account/"
    user = User.objects.get(email="new@example.com")
    assert user.is_active and user.email_confirmed_at is not None
    assert (user.first_name, user.last_name) == ("Robin A.", "Patient") and user.check_password(STRONG)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(link).status_code == 400  # a link works once


def test_sign_up_follows_a_safe_next_only(client, mailoutbox):
    client.post("/account/signup/", signup_data(next="/checkout/"))
    assert client.post(confirmation_link(mailoutbox[-1]), {"password": STRONG})["Location"] == "/checkout/"
    client.logout()
    client.post("/account/signup/", signup_data(email="two@example.com", next="https://evil.example/"))
    assert client.post(confirmation_link(mailoutbox[-1]), {"password": STRONG})["Location"] == "/account/"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "abc", "password2": "abc"}, "This password is too short."),
        ({"password2": "something-else-entirely"}, "The two password fields didn"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"full_name": ""}, "This field is required."),
    ],
)
def test_sign_up_refuses_bad_input_and_keeps_what_was_typed(client, overrides, message):
    response = client.post("/account/signup/", signup_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


def test_sign_up_with_a_taken_address_looks_like_any_sign_up_and_tells_the_owner(client, mailoutbox):
    """Nobody learns from the site that a person is a customer of a pharmacy: the e-mail tells the owner."""
    robin = make_user("robin@example.com")
    taken = client.post("/account/signup/", signup_data(email="Robin@Example.com"), follow=True)
    fresh = client.post("/account/signup/", signup_data(email="someone-new@example.com"), follow=True)
    assert taken.redirect_chain == fresh.redirect_chain == [("/account/signup/sent/", 303)]
    assert taken.status_code == fresh.status_code == 200
    assert taken.content.decode().replace("Robin@example.com", "X") == fresh.content.decode().replace(
        "someone-new@example.com", "X"
    )
    assert User.objects.filter(email__iexact="robin@example.com").count() == 1
    robin.refresh_from_db()
    assert robin.check_password("pw")  # unchanged
    to_robin = next(message for message in mailoutbox if message.to == ["robin@example.com"])
    assert "tried to sign up" in to_robin.subject and "/account/password-reset/" in to_robin.body


def test_password_similar_to_the_email_is_refused(client):
    response = client.post(
        "/account/signup/",
        signup_data(email="zebrafinch99@example.com", password1="zebrafinch99", password2="zebrafinch99"),
    )
    assert response.status_code == 400
    assert "too similar" in response.content.decode()


# --- Log in and out


def test_log_in_with_email_and_password(client):
    user = make_user("robin@example.com")
    page = client.get("/account/login/?next=/cart/")
    html = page.content.decode()
    assert "E-mail address" in html and 'type="email"' in html and 'value="/cart/"' in html
    response = client.post("/account/login/", {"username": "robin@example.com", "password": "pw", "next": "/cart/"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_in_ignores_an_unsafe_next(client):
    make_user("robin@example.com")
    response = client.post(
        "/account/login/", {"username": "robin@example.com", "password": "pw", "next": "https://evil.example/x"}
    )
    assert response["Location"] == "/account/"


def test_wrong_password_is_refused_with_a_clear_message(client):
    make_user("robin@example.com")
    response = client.post("/account/login/", {"username": "robin@example.com", "password": "nope"})
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_log_out_is_a_post(client):
    user = make_user()
    client.force_login(user)
    assert client.get("/account/logout/").status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.post("/account/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_header_offers_log_in_or_my_account(client, site_pages):
    html = client.get("/").content.decode()
    assert 'href="/account/login/"' in html and 'href="/account/signup/"' in html and "Cart (0)" in html
    client.force_login(make_user())
    html = client.get("/").content.decode()
    assert 'href="/account/"' in html and "My account" in html
    assert re.search(
        r'<form method="post" action="/account/logout/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', html
    )


# --- Password reset


def test_password_reset_by_email(client, mailoutbox):
    make_user("robin@example.com")
    response = client.post("/account/password-reset/", {"email": "robin@example.com"})
    assert response.status_code == 302 and response["Location"] == "/account/password-reset/sent/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["robin@example.com"]
    assert "\n" not in mail.subject
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302 and response["Location"] == "/account/password-reset/done/"
    assert User.objects.get().check_password(STRONG)
    assert client.post("/account/login/", {"username": "robin@example.com", "password": STRONG}).status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post("/account/password-reset/", {"email": "nobody@example.com"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mailoutbox == []


def test_a_used_or_forged_reset_link_is_refused(client):
    make_user("robin@example.com")
    response = client.get("/account/password-reset/MQ/forged-token/", follow=True)
    assert "has expired or has already been used" in response.content.decode()


# --- My account: profile


def test_my_account_shows_details_addresses_and_latest_orders(client, medicine):
    user = make_user(
        "robin@example.com", first_name="Robin", last_name="Patient", allergy_answer="listed", allergies="penicillin"
    )
    Address.objects.create(user=user, is_default=True, **ADDRESS)
    pack = make_product(medicine).packs.get()
    order = make_order([(pack, 1)], customer=user, email=user.email)
    client.force_login(user)
    html = client.get("/account/").content.decode()
    assert "Robin Patient" in html and "penicillin" in html
    assert "1 High Street" in html and "Default address" in html
    assert order.number in html and "Awaiting prescription" in html
    assert "A pharmacist checks your allergies" in html


def test_profile_edit(client):
    user = make_user()
    client.force_login(user)
    html = client.get("/account/profile/").content.decode()
    assert "A pharmacist checks them against every prescription medicine you order." in html
    assert 'type="date"' in html
    response = client.post(
        "/account/profile/",
        {"full_name": "Robin Patient", "date_of_birth": "1980-02-29", "allergies": "penicillin, aspirin"},
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert user.get_full_name() == "Robin Patient"
    assert str(user.date_of_birth) == "1980-02-29"
    assert user.allergy_list == ["penicillin", "aspirin"]


def test_profile_refuses_a_birth_date_in_the_future(client):
    user = make_user()
    client.force_login(user)
    response = client.post("/account/profile/", {"full_name": "Robin", "date_of_birth": "2999-01-01", "allergies": ""})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


# --- Address book


def address_data(**overrides):
    data = dict(ADDRESS, line2="", phone="", is_default="", region="Illinois")  # a US address names its state
    data.update(overrides)
    return data


def test_address_book_add_edit_default_delete(client):
    user = make_user()
    client.force_login(user)
    response = client.post("/account/addresses/add/", address_data())
    assert response.status_code == 303
    first = Address.objects.get()
    assert first.user == user and first.is_default  # the first address is the default

    client.post("/account/addresses/add/", address_data(line1="2 Low Road", is_default="on"))
    second = Address.objects.get(line1="2 Low Road")
    first.refresh_from_db()
    assert second.is_default and not first.is_default

    response = client.post(f"/account/addresses/{first.pk}/edit/", address_data(city="Shelbyville"))
    assert response.status_code == 303
    first.refresh_from_db()
    assert first.city == "Shelbyville"

    assert client.post(f"/account/addresses/{first.pk}/default/").status_code == 303
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_default and not second.is_default

    assert "Delete this address?" in client.get(f"/account/addresses/{first.pk}/delete/").content.decode()
    assert client.post(f"/account/addresses/{first.pk}/delete/").status_code == 303
    assert list(Address.objects.all()) == [second]
    second.refresh_from_db()
    assert second.is_default  # the remaining address took over


def test_address_needs_its_required_parts(client):
    client.force_login(make_user())
    response = client.post("/account/addresses/add/", address_data(line1="", city=""))
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2
    assert not Address.objects.exists()


def test_another_users_address_is_not_found(client):
    owner = make_user("owner@example.com")
    address = Address.objects.create(user=owner, **ADDRESS)
    client.force_login(make_user("intruder@example.com"))
    assert client.get(f"/account/addresses/{address.pk}/edit/").status_code == 404
    assert client.post(f"/account/addresses/{address.pk}/edit/", address_data(city="X")).status_code == 404
    assert client.post(f"/account/addresses/{address.pk}/delete/").status_code == 404
    assert client.post(f"/account/addresses/{address.pk}/default/").status_code == 404
    address.refresh_from_db()
    assert address.city == "Springfield"
    html = client.get("/account/").content.decode()
    assert "1 High Street" not in html and "owner@example.com" not in html


def test_address_book_needs_login(client):
    assert client.get("/account/addresses/add/")["Location"].startswith("/account/login/")


# --- Order history


def test_order_history_is_the_customers_own_newest_first_and_paginated(client, medicine):
    user = make_user("robin@example.com")
    other = make_user("other@example.com")
    pack = make_product(medicine, packs=((30, "15.30", 100),)).packs.get()
    mine = [make_order([(pack, 1)], customer=user, email=user.email) for _ in range(12)]
    theirs = make_order([(pack, 1)], customer=other, email=other.email)
    client.force_login(user)

    page_one = client.get("/account/orders/").content.decode()
    assert "Page 1 of 2" in page_one
    numbers = list(dict.fromkeys(re.findall(r"AP-[0-9A-F]+", page_one)))
    assert numbers == [order.number for order in reversed(mine)][:10]
    assert "Awaiting prescription" in page_one

    page_two = client.get("/account/orders/?page=2").content.decode()
    assert list(dict.fromkeys(re.findall(r"AP-[0-9A-F]+", page_two))) == [mine[1].number, mine[0].number]
    assert theirs.number not in page_one + page_two
    assert "other@example.com" not in page_one + page_two
