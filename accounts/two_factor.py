"""Two-factor sign-in for staff: a time-based code from an authenticator app (TOTP, django-otp).

With ``STAFF_TWO_FACTOR_REQUIRED`` on (the production default), pharmacists and superusers reach the admin and
prescription files only after entering a code in this session: ``SecondFactorMiddleware`` sends them to
/account/two-factor/, which sets up their app the first time (a QR code drawn here, never fetched from another
site) and asks for the code after. Other staff may turn it on for themselves there. ``manage.py
reset_two_factor EMAIL`` removes a lost device, so its owner sets up a new one.
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from apothecary.core.forms import AccessibleErrorsMixin

# Where a person who must use a second factor needs it: the admin, and prescription files.
GUARDED_PREFIXES = ("/admin/", "/prescriptions/")
DEVICE_NAME = "Authenticator app"


def needs_second_factor(user) -> bool:
    """Pharmacists and superusers when ``STAFF_TWO_FACTOR_REQUIRED`` is on; anyone who set up an app. (Membership
    itself, ``User.is_pharmacist``: ``apothecary.core.roles.is_pharmacist`` already asks for the second factor.)"""
    return user.is_authenticated and (required_of(user) or confirmed_device(user) is not None)


def required_of(user) -> bool:
    """Whether the setting requires a second factor of ``user`` (a pharmacist or a superuser)."""
    return bool(settings.STAFF_TWO_FACTOR_REQUIRED and (user.is_superuser or user.is_pharmacist()))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class CodeForm(AccessibleErrorsMixin, forms.Form):
    code = forms.RegexField(
        label="6-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6 digits your app shows now."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request) -> str:
    from apothecary.core.http import safe_next

    return safe_next(request, reverse("wagtailadmin_home"))


@login_required
def two_factor(request):
    """Set up the authenticator app (first time) or enter its code (each session)."""
    user = request.user
    device = confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                log(instance=user, action="accounts.two_factor_set_up", user=user)
                messages.success(request, "Two-factor sign-in is on for your account.")
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "That code is not right, or it has expired: enter the one your app shows now.")
    context = {"form": form, "setting_up": setting_up, "next": _next(request), "required": required_of(user)}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2933")
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


class SecondFactorMiddleware:
    """Send a pharmacist or superuser without a verified second factor in this session to /account/two-factor/
    before the admin or a prescription file (``needs_second_factor``). After django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path_info.startswith(GUARDED_PREFIXES)
            and needs_second_factor(user)
            and not user.is_verified()
            and not request.path_info.startswith(("/admin/logout/", "/admin/login/"))
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
