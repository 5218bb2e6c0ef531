"""Files on S3-compatible storage, against a real HTTP S3 endpoint (moto's server on a loopback port), with the
stores settings/base.py makes of S3_BUCKET, S3_PRIVATE_BUCKET and S3_ENDPOINT_URL.

A prescription lands in the private bucket, where an anonymous GET is refused; the permission-checked views stream
it to its owner and to a pharmacist and to no one else; the review screen's page pictures, the personal-data zip
and `manage.py backup` read it through the storage API. A Wagtail image lands in the public bucket, with its URL on
the S3 origin, which is the one origin CSP's img-src adds."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from home.demo.orders import demo_prescription_pdf
from prescriptions import services as prescription_services
from tests import s3_server
from tests.factories import make_prescription_upload, make_user


@pytest.fixture(scope="module")
def s3_endpoint():
    endpoint, stop = s3_server.start("apothecary-s3-test")
    try:
        yield endpoint
    finally:
        stop()


@pytest.fixture
def s3_site(s3_endpoint, settings, monkeypatch):
    """This site with both file stores in the endpoint's buckets (emptied after the test)."""
    from prescriptions.models import Prescription, PrescriptionFile

    configured = s3_server.configured_settings(s3_endpoint, monkeypatch)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": configured["STORAGES"]["default"],
        "prescriptions": configured["STORAGES"]["prescriptions"],
    }
    settings.MEDIA_URL = configured["MEDIA_URL"]
    settings.CONTENT_SECURITY_POLICY = configured["CONTENT_SECURITY_POLICY"]
    settings.WAGTAILDOCS_SERVE_METHOD = configured["WAGTAILDOCS_SERVE_METHOD"]
    # The file fields took their storage when the models loaded: point them at the bucket too.
    for model in (Prescription, PrescriptionFile):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storages["prescriptions"])
    try:
        yield s3_endpoint
    finally:
        s3_endpoint.empty()


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, b""


def png_bytes(colour="teal") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_settings_name_the_buckets_and_allow_only_the_media_origin(s3_site, settings):
    assert settings.STORAGES["default"]["OPTIONS"]["bucket_name"] == s3_site.bucket
    assert settings.STORAGES["prescriptions"]["BACKEND"] == "prescriptions.s3.PrivateS3Storage"
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:", "blob:", s3_site.url]
    with pytest.raises(ValueError, match="no URL"):
        storages["prescriptions"].url("prescriptions/any.pdf")  # no link, signed or not


@pytest.mark.django_db
def test_a_prescription_lands_in_the_private_bucket_and_an_anonymous_get_is_refused(s3_site, patient):
    pdf = demo_prescription_pdf()
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload("scan.pdf", pdf))
    assert s3_site.keys(s3_site.private_bucket) == [prescription.file.name]
    assert s3_site.keys(s3_site.bucket) == []
    stored = s3_site.client().get_object(Bucket=s3_site.private_bucket, Key=prescription.file.name)
    assert stored["Body"].read() == pdf
    status, body = anonymous_get(f"{s3_site.url}/{s3_site.private_bucket}/{prescription.file.name}")
    assert status == 403 and pdf not in body


@pytest.mark.django_db
def test_the_permission_checked_view_streams_it_to_its_owner_and_a_pharmacist_only(s3_site, patient, pharmacist_client):
    pdf = demo_prescription_pdf()
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload("scan.pdf", pdf))
    path = reverse("prescriptions:file", args=[prescription.pk])
    owner = Client()
    owner.force_login(patient)
    for client in (owner, pharmacist_client):
        response = client.get(path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf
        assert response["Cache-Control"] == "private, no-store"
    stranger = Client()
    stranger.force_login(make_user("someone-else@example.com"))
    assert stranger.get(path).status_code == 404
    assert Client().get(path).status_code in (302, 404)


@pytest.mark.django_db
def test_the_page_pictures_and_the_personal_data_zip_read_the_bucket(s3_site, patient, pharmacist_client):
    from accounts.personal_data import export_zip

    pdf = demo_prescription_pdf()
    prescription = prescription_services.submit_prescription(
        patient,
        upload=make_prescription_upload("scan.pdf", pdf),
        more_uploads=[make_prescription_upload("back.png", png_bytes())],
    )
    response = pharmacist_client.get(reverse("prescriptions:page", args=[prescription.pk, 1]))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")

    archive = zipfile.ZipFile(io.BytesIO(export_zip(patient)))
    files = {name: archive.read(name) for name in archive.namelist() if name.startswith("prescriptions/")}
    assert sorted(files.values()) == sorted([pdf, png_bytes()])
    assert not any(name.endswith(".missing.txt") for name in archive.namelist())


@pytest.mark.django_db
def test_a_wagtail_image_is_in_the_public_bucket_with_its_url_on_the_s3_origin(s3_site, client, site_pages):
    from wagtail.images.models import Image

    image = Image.objects.create(title="Tablets", file=ImageFile(io.BytesIO(png_bytes()), name="tablets.png"))
    assert image.file.name in s3_site.keys(s3_site.bucket)
    assert s3_site.keys(s3_site.private_bucket) == []
    assert image.file.url == f"{s3_site.url}/{s3_site.bucket}/{image.file.name}"
    assert anonymous_get(image.file.url) == (200, png_bytes())  # the public bucket lets anyone read

    rendition = image.get_rendition("width-60")  # read from the bucket, drawn, written back
    assert rendition.url.startswith(f"{s3_site.url}/{s3_site.bucket}/images/")
    assert anonymous_get(rendition.url)[0] == 200

    policy = client.get("/")["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert img_src.split() == ["img-src", "'self'", "data:", "blob:", s3_site.url]


@pytest.mark.django_db(transaction=True)
def test_backup_copies_both_buckets_through_the_storage_api(s3_site, patient, tmp_path):
    pdf = demo_prescription_pdf()
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload("scan.pdf", pdf))
    storages["default"].save("documents/leaflet.txt", io.BytesIO(b"A public leaflet."))
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert f"media/prescriptions/{prescription.file.name}" in manifest["files"]
    assert "media/default/documents/leaflet.txt" in manifest["files"]
    assert (tmp_path / "backup" / "media" / "prescriptions" / prescription.file.name).read_bytes() == pdf
