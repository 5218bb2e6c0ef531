"""The customer's side of an account: sign up, log in and out, password reset, profile, addresses, orders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import AddressForm, EmailAuthenticationForm, ProfileForm, SignUpForm, make_default_address
from accounts.models import Address

RECENT_ORDERS = 3


def see_other(url: str) -> HttpResponseRedirect:
    """A 303 after a successful POST, so reloading the page does not send the form again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def safe_next(request, default: str) -> str:
    """The ``next`` URL from the form or query string when it stays on this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def signup(request):
    """Create an account with e-mail, full name and password; the new customer is logged in."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = safe_next(request, reverse("accounts:account"))
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return see_other(next_url)
        status = 400
    else:
        form = SignUpForm()
        status = 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


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


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
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
            # The reverse relation: accounts does not import orders (orders depends on accounts).
            "recent_orders": list(user.orders.all()[:RECENT_ORDERS]),
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
