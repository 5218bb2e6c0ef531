"""A patient downloads their data and deletes their account; afterwards nothing shows their name, e-mail, address
or IP address, except the pharmacy records a pharmacy must keep, which say that they are kept and why. The admin's
delete goes through the same service: no 500, records kept, staff refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Address, User
from discussion.models import Comment, CommentStatus
from orders import services
from orders.models import Order
from prescriptions import services as prescription_services
from prescriptions.models import Prescription, PrescriptionDecision
from tests.factories import ADDRESS, make_pharmacist, make_prescription_upload, make_product, make_user

pytestmark = pytest.mark.django_db

NAME, EMAIL, IP, STREET = "Robin Quinnell", "robin.quinnell@example.com", "203.0.113.77", "17 Larkspur Lane"


@pytest.fixture
def patient_with_records(medicine):
    """A patient with a profile, an address, an approved prescription order and a published comment."""
    robin = make_user(EMAIL, first_name="Robin", last_name="Quinnell", date_of_birth=date(1980, 2, 29))
    robin.allergy_answer, robin.allergies = "listed", "penicillin"
    robin.save()
    Address.objects.create(user=robin, **{**ADDRESS, "full_name": NAME, "line1": STREET})
    pack = make_product(medicine, packs=((30, "15.30", 10),)).packs.get()
    order = services.place_order(
        quantities={pack.pk: 1},
        customer=robin,
        email=EMAIL,
        address={**ADDRESS, "full_name": NAME, "line1": STREET},
        payment_method="pay_on_delivery",
        checkout_token="a" * 32,
    )
    prescription = prescription_services.submit_prescription(robin, upload=make_prescription_upload())
    services.attach_prescription(order, prescription)
    services.review_order(
        order,
        make_pharmacist(),
        approve_line_ids=[order.lines.get().pk],
        issued_on=timezone.localdate(),
        checks=prescription_services.CHECK_NAMES,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    comment = Comment.objects.create(
        page=medicine,
        author=robin,
        author_name=NAME,
        author_email=EMAIL,
        body="Does it make you sleepy?",
        status=CommentStatus.APPROVED,
        ip_address=IP,
    )
    from wagtail.log_actions import log

    log(instance=comment, action="discussion.approve", user=None)  # the moderation history names it
    return robin


def test_a_patient_downloads_everything_held_about_them(patient_with_records):
    client = Client()
    client.force_login(patient_with_records)
    assert "Download your data" in client.get(reverse("accounts:account")).content.decode()
    response = client.get(reverse("accounts:data_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"account.json", "orders.json", "prescriptions.json", "discussion.json", "README.txt"} <= names
    account = json.loads(archive.read("account.json"))
    assert account["email"] == EMAIL and account["allergies"] == "penicillin"
    assert account["addresses"][0]["lines"][0] == STREET
    (order,) = json.loads(archive.read("orders.json"))
    assert order["number"] == Order.objects.get().number and order["lines"][0]["sku"]
    (prescription,) = json.loads(archive.read("prescriptions.json"))
    assert prescription["status"] == "Approved" and prescription["decisions"][0]["decision"] == "Approved"
    (scan,) = [name for name in names if name.startswith("prescriptions/")]
    assert archive.read(scan).startswith(b"%PDF")
    assert json.loads(archive.read("discussion.json"))[0]["comment"] == "Does it make you sleepy?"


def test_deleting_the_account_needs_the_password(patient_with_records):
    client = Client()
    client.force_login(patient_with_records)
    response = client.post(reverse("accounts:delete"), {"password": "wrong", "understood": "on"})
    assert response.status_code == 400 and "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=patient_with_records.pk).exists()


def test_after_deletion_only_the_retained_records_name_the_patient_and_say_why(patient_with_records, medicine, client):
    me = Client()
    me.force_login(patient_with_records)
    done = me.post(reverse("accounts:delete"), {"password": "pw", "understood": "on"})
    assert done.status_code == 200
    page = done.content.decode()
    assert "1 order(s) kept as pharmacy records until" in page and "1 comment(s) anonymised" in page
    assert not User.objects.filter(email=EMAIL).exists()
    assert "_auth_user_id" not in me.session

    from wagtail.models import ModelLogEntry

    assert not ModelLogEntry.objects.filter(label__contains="Quinnell").exists()  # the moderation history too
    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.ip_address, comment.author) == (
        "Former reader",
        "",
        None,
        None,
    )
    order = Order.objects.get()
    assert order.customer is None and order.retained_until and order.full_name == NAME
    prescription = Prescription.objects.get()
    assert prescription.patient is None and prescription.patient_name == NAME
    assert prescription.patient_date_of_birth == date(1980, 2, 29)
    assert PrescriptionDecision.objects.filter(prescription=prescription).exists()

    def shows_the_patient(text: str) -> bool:
        return any(value in text for value in (NAME, EMAIL, IP, STREET, "Quinnell"))

    public = [medicine.url, "/", "/api/medicines/" + medicine.slug, "/feed/", "/sitemap.xml"]
    for url in public:
        assert not shows_the_patient(client.get(url).content.decode()), url
    assert "Former reader" in client.get(medicine.url).content.decode()

    staff = Client()
    staff.force_login(User.objects.create_superuser("boss@example.com", "pw"))
    for url in [
        reverse("wagtailusers_users:index"),
        "/admin/snippets/discussion/comment/",
        "/admin/reports/site-history/",
    ]:
        assert not shows_the_patient(staff.get(url).content.decode()), url
    orders = staff.get(reverse("orders_admin:index")).content.decode()
    assert NAME in orders and "Retained pharmacy record until" in orders and "deleted their account" in orders
    detail = staff.get(reverse("orders_admin:inspect", args=[order.pk])).content.decode()
    assert "Retained pharmacy record until" in detail


def test_deleting_a_patient_with_an_order_in_the_admin_keeps_the_records(patient_with_records):
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss@example.com", "pw"))
    response = staff.post(reverse("wagtailusers_users:delete", args=[patient_with_records.pk]), follow=True)
    assert response.status_code == 200
    assert f"{EMAIL} deleted" in response.content.decode()
    assert not User.objects.filter(pk=patient_with_records.pk).exists()
    assert Order.objects.get().retained_until is not None


def test_a_staff_account_is_deactivated_not_deleted(site_pages):
    pharmacist = make_pharmacist("sam@example.com")
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss@example.com", "pw"))
    response = staff.post(reverse("wagtailusers_users:delete", args=[pharmacist.pk]), follow=True)
    assert "was not deleted: A staff account is not deleted" in response.content.decode()
    assert User.objects.filter(pk=pharmacist.pk).exists()
