"""Helpers of the content audit's tests: a verified reference and article body blocks."""

from io import StringIO

from django.core.management import call_command

from evidence.models import VerificationStatus
from tests.factories import make_reference


def verified(**fields):
    return make_reference(verification_status=VerificationStatus.VERIFIED, **fields)


def codes(findings, severity=None):
    return [finding.code for finding in findings if severity is None or finding.severity == severity]


def table(caption, rows, reference=None):
    return (
        "table",
        {
            "caption": caption,
            "reference": reference,
            "table": {"data": rows, "first_row_is_table_header": True, "first_col_is_header": True},
        },
    )


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def quote(text, reference=None, attribution=""):
    return ("quote", {"quote": text, "reference": reference, "attribution": attribution})


def run(*args) -> str:
    out = StringIO()
    call_command("audit_content", *args, stdout=out)
    return out.getvalue()
