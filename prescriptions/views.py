"""A prescription file, streamed only to the patient and to pharmacists (never from MEDIA_URL), and a PDF's pages
drawn as pictures for the review screen."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from prescriptions import services
from prescriptions.models import Prescription

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
    content_type = prescription.content_type if prescription.content_type in EXTENSIONS else "application/octet-stream"
    try:
        handle = prescription.file.open("rb")
    except FileNotFoundError:
        raise Http404("No such prescription.") from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),  # a browser will not show a sandboxed PDF: download it
        filename=f"prescription-{prescription.pk}.{EXTENSIONS.get(content_type, 'bin')}",
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
