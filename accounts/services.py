"""Account rules: signing up without telling anyone who is a customer, and who is counted for a log-in lock-out.

- Sign-up answers the same whether or not the address has an account: the e-mail tells the owner. A new account
  is made inactive and comes alive when its owner opens the link sent to the address (``confirm_sign_up``); an
  address that has an account gets a note saying someone tried to sign up with it.
- E-mails to one address are capped (``RATE_LIMITS["signup_email"]``, ``["password_reset_email"]``): nobody
  can flood a mailbox through the site.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User
from apothecary import ratelimit

logger = logging.getLogger(__name__)


def login_name(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``: the e-mail address a log-in tried, as one account whatever its case."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or request.POST.get("username", "")
    return User.objects.normalize_email(str(name)).strip().lower()


def address_key(email: str) -> str:
    """An e-mail address as a rate-limit key that does not store the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """A confirmation link that stops working once used (the account is active then) or after
    ``PASSWORD_RESET_TIMEOUT``, and whenever the pending account's password changes."""

    key_salt = "accounts.services.SignUpTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


sign_up_tokens = SignUpTokenGenerator()


def _mail(template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    send_mail(subject, render_to_string(f"accounts/{template}_email.txt", context), None, [to])


def _is_pending(user: User) -> bool:
    """An account made by sign-up whose owner has not opened the link yet."""
    return not user.is_active and user.email_confirmed_at is None


@transaction.atomic
def sign_up(*, email: str, full_name: tuple[str, str], password: str, base_url: str, next_url: str = "") -> None:
    """Start an account for ``email``; says nothing of whether the address already has one.

    New address: an inactive account and a confirmation link. An account still waiting for its confirmation
    takes the new name and password (whoever confirms owns the mailbox). An address with an account: a note to
    its owner, and nothing changes.
    """
    user = User.objects.filter(email__iexact=email).first()
    if ratelimit.exceeded("signup_email", address_key(email)):
        return
    context = {"base_url": base_url.rstrip("/"), "site_name": settings.WAGTAIL_SITE_NAME}
    if user is not None and not _is_pending(user):
        context["login_url"] = context["base_url"] + reverse("accounts:login")
        context["reset_url"] = context["base_url"] + reverse("accounts:password_reset")
        _mail("signup_exists", user.email, context)
        return
    if user is None:
        user = User(email=User.objects.normalize_email(email), is_active=False)
    user.first_name, user.last_name = full_name
    user.set_password(password)
    user.save()
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), sign_up_tokens.make_token(user)
    link = reverse("accounts:signup_confirm", args=[uid, token])
    context["confirm_url"] = context["base_url"] + link + (f"?{urlencode({'next': next_url})}" if next_url else "")
    _mail("signup_confirm", user.email, context)


def confirm_sign_up(uidb64: str, token: str) -> User | None:
    """The account the link confirms, now active; None when the link is wrong, used or expired."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if not _is_pending(user) or not sign_up_tokens.check_token(user, token):
        return None
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


def may_send_password_reset(email: str) -> bool:
    """Whether another password-reset e-mail may go to ``email`` this hour (``RATE_LIMITS["password_reset_email"]``)."""
    return not ratelimit.exceeded("password_reset_email", address_key(email))
