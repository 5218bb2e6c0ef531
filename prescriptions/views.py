"""A prescription file, streamed only to the patient and to pharmacists (never from MEDIA_URL)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from prescriptions import services
from prescriptions.models import Prescription

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def prescription_file(request, pk: int):
    """The file, inline, uncached; anyone else (or no file) gets "not found", which reveals nothing."""
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
        as_attachment=False,
        filename=f"prescription-{prescription.pk}.{EXTENSIONS.get(content_type, 'bin')}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
