"""The customer's side of an account: sign up, log in and out, password reset, profile, addresses, orders."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.log_actions import log

from accounts import personal_data, services
from accounts.forms import (
    AddressForm,
    EmailAuthenticationForm,
    ProfileForm,
    SignUpForm,
    ThrottledPasswordResetForm,
    make_default_address,
    split_full_name,
)
from accounts.models import Address
from apothecary.core import ratelimit
from apothecary.core.forms import AccessibleErrorsMixin
from apothecary.core.http import allowed_url, safe_next, see_other


def signup(request):
    """Sign up with e-mail, full name and password. The answer is the same whether or not the address has an
    account: "check your e-mail" (``accounts.services.sign_up`` writes to the address)."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = safe_next(request, reverse("accounts:account"))
    if request.method == "POST":
        if ratelimit.client_exceeded(request, "signup"):
            return ratelimit.too_many_requests(request, "signup", "sign up")
        form = SignUpForm(request.POST)
        if form.is_valid():
            services.sign_up(
                email=form.cleaned_data["email"],
                full_name=split_full_name(form.cleaned_data["full_name"]),
                password=form.cleaned_data["password1"],
                base_url=request.build_absolute_uri("/"),
                next_url=next_url,
            )
            request.session["signup_email"] = form.cleaned_data["email"]
            return see_other(reverse("accounts:signup_sent"))
        status = 400
    else:
        form = SignUpForm()
        status = 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


def signup_sent(request):
    return render(request, "accounts/signup_sent.html", {"email": request.session.get("signup_email", "")})


class ConfirmSignUpForm(AccessibleErrorsMixin, forms.Form):
    password = forms.CharField(
        label="The password you chose", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


def signup_confirm(request, token: str):
    """The link of the confirmation e-mail: the owner of the address types the password chosen at sign-up (a POST,
    so that nobody is logged in by following a link), and the account is made and logged in."""
    pending = services.pending_sign_up(token)
    if pending is None:
        return render(request, "accounts/signup_link_invalid.html", status=400)
    form = ConfirmSignUpForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.client_exceeded(request, "signup_confirm"):
            return ratelimit.too_many_requests(request, "signup_confirm", "confirm a sign-up")
        if form.is_valid():
            try:
                user = services.confirm_sign_up(pending, form.cleaned_data["password"])
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Welcome! Your account is ready.")
                return see_other(allowed_url(request, pending.next_url, reverse("accounts:account")))
    context = {"form": form, "email": pending.email}
    return render(request, "accounts/signup_confirm.html", context, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    """Django's log-in view with an e-mail field; ``next`` is followed only when it stays on this site."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have logged out.")
        return response


_password_reset = auth_views.PasswordResetView.as_view(
    form_class=ThrottledPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)


def password_reset(request, *args, **kwargs):
    """Django's password reset, throttled per address (the page) and per e-mail address (the e-mails)."""
    if request.method == "POST" and ratelimit.client_exceeded(request, "password_reset"):
        return ratelimit.too_many_requests(request, "password_reset", "reset a password")
    return _password_reset(request, *args, **kwargs)


password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and a new password lifts the account's log-in pause (the pause page promises it)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.clear_lockout(form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@login_required
def account(request):
    """My account: details, address book and the latest orders."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "addresses": list(user.addresses.all()),
            # What the apps above add (e.g. the latest orders), each registered with the account_sections hook.
            "sections": [section(request) for section in hooks.get_hooks("account_sections")],
        },
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your details have been saved.")
            return see_other(reverse("accounts:account"))
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})


def _own_address(request, pk: int) -> Address:
    """The customer's own address; anybody else's is "not found"."""
    return get_object_or_404(Address, pk=pk, user=request.user)


@login_required
def address_add(request):
    return _address_form(request, None)


@login_required
def address_edit(request, pk: int):
    return _address_form(request, _own_address(request, pk))


def _address_form(request, address: Address | None):
    form = AddressForm(request.POST or None, instance=address, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "The address has been saved.")
            return see_other(safe_next(request, reverse("accounts:account") + "#addresses"))
        status = 400
    else:
        status = 200
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "address": address, "next": safe_next(request, "")},
        status=status,
    )


@login_required
def address_delete(request, pk: int):
    address = _own_address(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            was_default = address.is_default
            address.delete()
            if was_default:
                successor = request.user.addresses.order_by("pk").first()
                if successor is not None:
                    make_default_address(successor)
        messages.success(request, "The address has been deleted. Orders already placed keep their own copy.")
        return see_other(reverse("accounts:account") + "#addresses")
    return render(request, "accounts/address_confirm_delete.html", {"address": address})


@login_required
@require_POST
def address_make_default(request, pk: int):
    address = _own_address(request, pk)
    make_default_address(address)
    messages.success(request, "Your default delivery address has been changed.")
    return see_other(reverse("accounts:account") + "#addresses")


def locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: too many wrong passwords for an account or from an address (429), on the site's
    log-in and on /admin/'s; the page says for how long and how to get back in."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@login_required
def data_download(request):
    """Everything the site holds about the signed-in person, as a zip (``accounts.personal_data.export_zip``)."""
    response = HttpResponse(personal_data.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.zip"'
    log(instance=request.user, action="accounts.download_data", user=request.user)
    return response


class DeleteAccountForm(AccessibleErrorsMixin, forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    understood = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Tick the box to confirm that you want your account deleted."},
    )


@login_required
def delete_account(request):
    """Delete the account after the password is typed again; the page says what is kept, and why."""
    user = request.user
    form = DeleteAccountForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.require_password(user, form.cleaned_data["password"])
            report = personal_data.delete_account(user, by=user)
        except ValidationError as exc:
            form.add_error("password", exc)
        except PermissionDenied as exc:
            refusal = str(exc)
        else:
            auth_logout(request)
            return render(request, "accounts/account_deleted.html", {"report": report})
    context = {"form": form, "refusal": refusal, "retention_years": settings.PHARMACY_RECORD_RETENTION_YEARS}
    return render(request, "accounts/delete_account.html", context, status=400 if form.errors or refusal else 200)
