"""A person's data: all of it downloaded, or erased with the account, except the records a pharmacy must keep.

Each app that holds personal data registers a ``Part`` (in its ``AppConfig.ready``), so that ``accounts`` needs no
knowledge of orders, prescriptions or comments and a new app cannot be forgotten:

- ``export(user)`` returns what the app holds about the person, as JSON-ready data, and the files to include
  (archive name, a function that opens the file);
- ``erase(user, retained_until)`` erases or anonymises it, or, for the records a pharmacy must keep
  (orders, prescriptions, pharmacists' decisions), detaches them from the login, marks them retained until
  ``retained_until`` and says why. It returns a line for the report.

``export_zip`` and ``delete_account`` are the services the patient's pages and the admin call.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMER_READER = "Former reader"


@dataclass
class Export:
    data: object
    files: list[tuple[str, Callable]] = field(default_factory=list)  # (name in the archive, opener)


@dataclass(frozen=True)
class Part:
    name: str
    export: Callable[..., Export]
    erase: Callable[..., str]
    order: int = 50  # erased in this order (lower first); the account itself goes last


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    _parts[part.name] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def retention_end(today: date | None = None) -> date:
    """Until when a pharmacy record made today is kept (``PHARMACY_RECORD_RETENTION_YEARS``)."""
    today = today or timezone.localdate()
    years = settings.PHARMACY_RECORD_RETENTION_YEARS
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def retention_note(retained_until: date) -> str:
    return (
        f"Kept as a pharmacy record until {retained_until:%d %b %Y} (PHARMACY_RECORD_RETENTION_YEARS), as the law "
        "requires of a pharmacy; the customer's account was deleted."
    )


def export_zip(user) -> bytes:
    """Everything the site holds about ``user``: one JSON file per part, the files (prescriptions) beside them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            f"Your data at {settings.WAGTAIL_SITE_NAME}, as of {timezone.now():%Y-%m-%d %H:%M} UTC.\n"
            "One JSON file per kind of record; prescription files are in prescriptions/.\n",
        )
        for part in parts():
            exported = part.export(user)
            archive.writestr(f"{part.name}.json", json.dumps(exported.data, cls=DjangoJSONEncoder, indent=2))
            for name, opener in exported.files:
                try:
                    with opener() as handle:
                        archive.writestr(name, handle.read())
                except FileNotFoundError:
                    archive.writestr(f"{name}.missing.txt", "This file could not be found in the pharmacy's storage.")
    return buffer.getvalue()


@dataclass
class DeletionReport:
    email: str
    lines: list[str]


STAFF_REFUSAL = (
    "A staff account is not deleted: the pharmacy's records name who decided what. Deactivate it instead "
    "(untick “active”), which also revokes its API tokens."
)


def check_deletable(user) -> None:
    """Staff accounts (staff or superuser flags, or any group: pharmacists, editors, moderators, dispatch) are
    deactivated, not deleted: their decisions and approvals are records in their name."""
    if user.is_staff or user.is_superuser or user.groups.exists():
        raise PermissionDenied(STAFF_REFUSAL)


@transaction.atomic
def delete_account(user, *, by=None) -> DeletionReport:
    """Erase ``user``'s account and personal data; keep, detached and marked, the records a pharmacy must keep.

    Refused (``PermissionDenied``) for staff. Logged (by whom, and what each part did), without the person's data.
    """
    from wagtail.log_actions import log

    check_deletable(user)
    retained_until = retention_end()
    email = user.email
    lines = [part.erase(user, retained_until) for part in parts()]
    lines = [line for line in lines if line]
    log(instance=user, action="accounts.delete_account", user=by, data={"parts": lines}, title="Former customer")
    _forget_the_login(user)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as exc:  # a record in their name that no part detaches: keep the account, say why
        logger.warning("Account %s not deleted: %s", user.pk, exc)
        raise PermissionDenied(STAFF_REFUSAL) from None
    logger.info("Account %s deleted (%s)", user.pk, "; ".join(lines))
    return DeletionReport(email=email, lines=lines)


def _forget_the_login(user) -> None:
    """What the framework keeps about a login: log-in attempts (e-mail and address), its history's labels."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from wagtail.models import ModelLogEntry

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=user.email).delete()
    ModelLogEntry.objects.filter(
        content_type__app_label=user._meta.app_label, content_type__model=user._meta.model_name, object_id=str(user.pk)
    ).update(label="Former customer")


def require_password(user, password: str) -> None:
    if not user.check_password(password or ""):
        raise ValidationError("That is not your password: your account was not deleted.")


# ---------------------------------------------------------------------------
# The account's own part: profile and address book


def export_account(user) -> Export:
    from axes.models import AccessLog

    from accounts.models import Address

    return Export(
        {
            "email": user.email,
            "name": user.get_full_name(),
            "date_of_birth": user.date_of_birth,
            "allergies": user.allergies,
            "joined": user.date_joined,
            "last_login": user.last_login,
            "addresses": [
                {
                    "name": address.full_name,
                    "lines": [address.line1, address.line2],
                    "city": address.city,
                    "postcode": address.postcode,
                    "country": address.country,
                    "phone": address.phone,
                }
                for address in Address.objects.filter(user=user)
            ],
            "log_ins": [
                {"at": entry.attempt_time, "from_address": entry.ip_address, "browser": entry.user_agent}
                for entry in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
            ],
        }
    )


def erase_account(user, retained_until) -> str:
    from accounts.models import Address

    count, _ = Address.objects.filter(user=user).delete()
    return f"profile and {count} address(es) deleted"
