"""The private prescription file: streamed to its patient and to pharmacists, "not found" for anyone else."""

import pytest
from django.conf import settings
from django.test import Client

from prescriptions import services
from tests.factories import make_pharmacist, make_prescription_upload, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a test prescription\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def prescription(patient):
    return services.submit_prescription(patient, upload=make_prescription_upload("my scan.pdf", PDF))


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(prescription) -> str:
    return f"/prescriptions/{prescription.pk}/file/"


def test_the_patient_gets_the_file_sandboxed_and_uncached(prescription, patient):
    """A PDF downloads (a browser shows no sandboxed PDF); nothing in it can run on the site's origin."""
    response = client_for(patient).get(url(prescription))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy


def test_an_image_is_shown_inline_and_sandboxed(patient):
    prescription = services.submit_prescription(patient, upload=make_prescription_upload("photo.png", PNG))
    response = client_for(patient).get(url(prescription))
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdfs_pages_are_drawn_as_pictures_for_the_review_screen(patient):
    from home.demo.orders import demo_prescription_pdf

    prescription = services.submit_prescription(
        patient, upload=make_prescription_upload("scan.pdf", demo_prescription_pdf())
    )
    assert services.pdf_page_count(prescription) == 1
    page = client_for(make_pharmacist()).get(f"/prescriptions/{prescription.pk}/page/1/")
    assert page.status_code == 200 and page["Content-Type"] == "image/png" and page.content.startswith(b"\x89PNG")
    assert "sandbox" in page["Content-Security-Policy"]
    pages = f"/prescriptions/{prescription.pk}/page/"
    assert client_for(make_user("other@example.com")).get(f"{pages}1/").status_code == 404
    assert client_for(patient).get(f"{pages}2/").status_code == 404


def test_files_on_disk_are_the_apps_alone(prescription):
    import os
    import stat

    mode = stat.S_IMODE(os.stat(prescription.file.path).st_mode)
    assert mode == 0o600, oct(mode)


def test_a_pharmacist_gets_the_file(prescription):
    response = client_for(make_pharmacist()).get(url(prescription))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_image_keeps_its_real_type(patient):
    upload = make_prescription_upload("photo.png", PNG)
    prescription = services.submit_prescription(patient, upload=upload)
    response = client_for(patient).get(url(prescription))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "who", ["another patient", "anonymous", "staff who are not pharmacists", "a pharmacist who left"]
)
def test_anyone_else_gets_not_found(prescription, who):
    user = {
        "another patient": lambda: make_user("other@example.com"),
        "anonymous": lambda: None,
        "staff who are not pharmacists": lambda: make_user("editor@example.com", is_staff=True),
        "a pharmacist who left": lambda: make_user("gone@example.com", groups=["Pharmacists"], is_active=False),
    }[who]()
    assert client_for(user).get(url(prescription)).status_code == 404


def test_no_file_or_no_such_prescription_is_not_found(patient):
    by_name = services.submit_prescription(patient, prescriber_name="Dr Alex Doe")
    client = client_for(patient)
    assert client.get(url(by_name)).status_code == 404
    assert client.get("/prescriptions/999999/file/").status_code == 404


def test_the_file_is_not_under_the_public_media_folder(prescription):
    assert not str(prescription.file.path).startswith(str(settings.MEDIA_ROOT))
    assert "my scan" not in prescription.file.name  # the stored name reveals nothing
