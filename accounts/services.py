"""Account rules: signing up without telling anyone who is a customer, and who is counted for a log-in lock-out.

- Sign-up answers the same, in words and in time, whether or not the address has an account: the e-mail tells the
  owner. No account exists until the owner of the address opens the link sent to it and types the password chosen
  (``confirm_sign_up``); an address that has an account gets a note saying someone tried to sign up with it.
- E-mails to one address are capped (``RATE_LIMITS["signup_email"]``, ``["password_reset_email"]``): nobody
  can flood a mailbox through the site.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import AllergyAnswer, PendingSignUp, User
from apothecary.core import ratelimit

logger = logging.getLogger(__name__)


def login_name(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``: the e-mail address a log-in tried, as one account whatever its case."""
    credentials = credentials or {}
    name = (
        credentials.get("username") or credentials.get("email") or (request.POST.get("username", "") if request else "")
    )
    return User.objects.normalize_email(str(name)).strip().lower()


def address_key(email: str) -> str:
    """An e-mail address as a rate-limit key that does not store the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


SIGN_UP_SALT = "accounts.services.sign_up"


def _mail(template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    send_mail(subject, render_to_string(f"accounts/{template}_email.txt", context), None, [to])


@transaction.atomic
def sign_up(*, email: str, full_name: tuple[str, str], password: str, base_url: str, next_url: str = "") -> None:
    """Start an account for ``email``; says nothing, by its answer or its time, of whether the address has one.

    An address without an account gets a link to a ``PendingSignUp`` (no account exists until its owner opens the
    link and types this password again); an address with an account gets a note to its owner, and nothing
    changes. Each sign-up is its own: a later one never changes an earlier one or an account.
    """
    hashed = make_password(password)  # hashed whatever the branch: the answer takes as long either way
    if ratelimit.exceeded("signup_email", address_key(email)):
        return
    context = {"base_url": base_url.rstrip("/"), "site_name": settings.WAGTAIL_SITE_NAME}
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        context["login_url"] = context["base_url"] + reverse("accounts:login")
        context["reset_url"] = context["base_url"] + reverse("accounts:password_reset")
        _mail("signup_exists", user.email, context)
        return
    PendingSignUp.objects.filter(
        created_at__lt=timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    ).delete()
    pending = PendingSignUp.objects.create(
        email=User.objects.normalize_email(email),
        first_name=full_name[0],
        last_name=full_name[1],
        password=hashed,
        next_url=next_url,
    )
    token = signing.dumps(pending.pk, salt=SIGN_UP_SALT)
    context["confirm_url"] = context["base_url"] + reverse("accounts:signup_confirm", args=[token])
    _mail("signup_confirm", pending.email, context)


def pending_sign_up(token: str) -> PendingSignUp | None:
    """The sign-up a confirmation link stands for, while it is valid (``PASSWORD_RESET_TIMEOUT``)."""
    try:
        pk = signing.loads(token, salt=SIGN_UP_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    return PendingSignUp.objects.filter(pk=pk).first()


@transaction.atomic
def confirm_sign_up(pending: PendingSignUp, password: str) -> User:
    """Make the account of ``pending`` when ``password`` is the one chosen at sign-up.

    Raises ``ValidationError`` for a wrong password, or when the address got an account meanwhile.
    """
    if not check_password(password or "", pending.password):
        raise ValidationError("That is not the password you chose when you signed up.")
    if User.objects.filter(email__iexact=pending.email).exists():
        PendingSignUp.objects.filter(email__iexact=pending.email).delete()
        raise ValidationError("This address already has an account: log in, or reset your password.")
    user = User(
        email=pending.email,
        first_name=pending.first_name,
        last_name=pending.last_name,
        password=pending.password,
        email_confirmed_at=timezone.now(),
    )
    user.full_clean(exclude=["password"])
    user.save()
    PendingSignUp.objects.filter(email__iexact=pending.email).delete()
    return user


def clear_lockout(user) -> None:
    """Forget the failed log-ins counted against ``user``'s account (not those of the address they came from): after
    their own successful log-in, and after they set a new password."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=login_name(None, {"username": user.email})).delete()


def may_send_password_reset(email: str) -> bool:
    """Whether another password-reset e-mail may go to ``email`` this hour (``RATE_LIMITS["password_reset_email"]``)."""
    return not ratelimit.exceeded("password_reset_email", address_key(email))


def record_health_details(user, *, date_of_birth, allergy_answer, allergies="", current_medicines="") -> None:
    """Write a patient's health answers (date of birth, allergy answer and list, current medicines) to their
    account, stamped with when they gave them. A list of allergies is kept only with the answer "listed"."""
    user.date_of_birth = date_of_birth
    user.allergy_answer = allergy_answer
    user.allergies = allergies.strip() if allergy_answer == AllergyAnswer.LISTED else ""
    user.current_medicines = current_medicines.strip()
    user.health_details_updated_at = timezone.now()
    user.save(
        update_fields=["date_of_birth", "allergy_answer", "allergies", "current_medicines", "health_details_updated_at"]
    )
