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
def patient(db):
    return make_user("patient@example.com")


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


def test_the_patient_gets_the_file_inline_and_uncached(prescription, patient):
    response = client_for(patient).get(url(prescription))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


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
