"""A prescription file, streamed only to the patient and to pharmacists (never from MEDIA_URL), and a PDF's pages
drawn as pictures for the review screen."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from prescriptions import services
from prescriptions.models import Prescription, PrescriptionFile

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


# An uploaded file is shown as what its bytes are and nothing more: no script runs in it, it loads nothing, and only
# this site's own review screen may frame it.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@xframe_options_sameorigin
def prescription_file(request, pk: int):
    """The file, inline, uncached, sandboxed; anyone else (or no file) gets "not found", which reveals nothing."""
    prescription = Prescription.objects.filter(pk=pk).first()
    if prescription is None or not prescription.has_file or not services.can_view(request.user, prescription):
        raise Http404("No such prescription.")
    return _file_response(prescription.file, prescription.content_type, f"prescription-{prescription.pk}")


@xframe_options_sameorigin
def prescription_extra_file(request, pk: int, file_pk: int):
    """A further file of the prescription, for the same people as the first."""
    kept = PrescriptionFile.objects.select_related("prescription").filter(pk=file_pk, prescription_id=pk).first()
    if kept is None or not services.can_view(request.user, kept.prescription):
        raise Http404("No such prescription.")
    return _file_response(kept.file, kept.content_type, f"prescription-{pk}-{kept.pk}")


def _file_response(file, content_type: str, name: str):
    content_type = content_type if content_type in EXTENSIONS else "application/octet-stream"
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("No such prescription.") from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),  # a browser will not show a sandboxed PDF: download it
        filename=f"{name}.{EXTENSIONS.get(content_type, 'bin')}",
    )
    return _private(response)


def prescription_page(request, pk: int, number: int):
    """Page ``number`` of a prescription PDF as a PNG, for the same people as the file."""
    prescription = Prescription.objects.filter(pk=pk).first()
    if prescription is None or not services.can_view(request.user, prescription):
        raise Http404("No such prescription.")
    image = services.render_pdf_page(prescription, number)
    if image is None:
        raise Http404("No such page.")
    return _private(HttpResponse(image, content_type="image/png"))


def _private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_POLICY
    return response
