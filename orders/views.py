"""The public side of ordering: the cart, checkout, the order page, its prescription and cancelling.

Every rule is in ``orders.services`` (and ``prescriptions.services``): these
views read forms, call the services and show what they say.

Who may see an order: its customer, logged in; for a guest's order, whoever
holds its signed link (``order_url``), or the session that placed it.
Anybody else gets "not found".
"""

from __future__ import annotations

import logging
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_POST

from apothecary.core import ratelimit
from apothecary.core.csrf import same_origin_posts
from apothecary.core.http import safe_next, see_other
from apothecary.core.identity import pharmacy_identity
from catalogue.models import Pack
from orders import payments, services
from orders.cart import Cart
from orders.forms import (
    AnswerForm,
    CartAddForm,
    CheckoutForm,
    HealthDetailsForm,
    PharmacyQuestionnaireForm,
    PrescriptionForm,
)
from orders.models import Order, OrderStatus, order_key
from orders.services.health import cart_needs_health_details
from orders.services.pricing import pack_not_sold_online
from prescriptions import services as prescription_services

logger = logging.getLogger(__name__)

GUEST_ORDERS_SESSION_KEY = "guest_orders"
GUEST_ORDERS_KEPT = 20
ORDERS_PER_PAGE = 10
PRESCRIPTION_FILE_ERRORS = {"too_large", "empty", "bad_type", "too_many"}


# ---------------------------------------------------------------------------
# Who may see an order


def order_url(order: Order) -> str:
    """The order page's address; a guest's order carries its signed key."""
    return order.get_absolute_url()


def _holds_guest_key(request, order: Order) -> bool:
    key = request.POST.get("key") or request.GET.get("key") or ""
    if key and constant_time_compare(key, order_key(order.number)):
        return True
    return order.number in request.session.get(GUEST_ORDERS_SESSION_KEY, [])


def _remember_guest_order(request, order: Order) -> None:
    numbers = [n for n in request.session.get(GUEST_ORDERS_SESSION_KEY, []) if n != order.number]
    request.session[GUEST_ORDERS_SESSION_KEY] = [*numbers, order.number][-GUEST_ORDERS_KEPT:]


class LoginRequired(Exception):
    pass


def _viewable_order(request, number: str) -> Order:
    """The order if this request may see it; else Http404 (or LoginRequired for a logged-out customer)."""
    order = get_object_or_404(Order, number=number)
    if order.customer_id is not None:
        if request.user.is_authenticated:
            if request.user.pk == order.customer_id:
                return order
            raise Http404("No such order.")
        raise LoginRequired
    if _holds_guest_key(request, order):
        return order
    raise Http404("No such order.")


def _posted_order(request, number: str) -> Order:
    """The order a POST is about, if this request may see it; else Http404 (a logged-out customer's order too)."""
    try:
        return _viewable_order(request, number)
    except LoginRequired:
        raise Http404("No such order.") from None


# ---------------------------------------------------------------------------
# Cart


def _cart_page(request, cart: Cart, *, errors=(), status=200):
    priced = cart.priced()
    if cart.dropped:
        messages.warning(request, "Something in your cart is no longer sold and has been taken out of it.")
    for error in errors:
        messages.error(request, error)
    return render(
        request,
        "orders/cart.html",
        {"priced": priced, "pharmacy_medicine_label": pharmacy_identity().pharmacy_medicine_label},
        status=status,
    )


def cart_detail(request):
    return _cart_page(request, Cart(request.session))


def _sellable_pack(pack_id: int) -> Pack:
    """A pack the shop sells (``Pack.objects.sellable``), or 404."""
    return get_object_or_404(Pack.objects.sellable().select_related("product__medicine"), pk=pack_id)


def _form_errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors]


def _posted_cart_line(view):
    """A POST of a pack and a number of packs (``CartAddForm``): the view gets the cart and the form's data; when
    they are not valid, the cart page says why (400)."""

    @require_POST
    @wraps(view)
    def wrapper(request):
        cart = Cart(request.session)
        form = CartAddForm(request.POST)
        if not form.is_valid():
            return _cart_page(request, cart, errors=_form_errors(form), status=400)
        return view(request, cart, form.cleaned_data)

    return wrapper


@same_origin_posts  # its form is on pages the front cache serves to everyone (apothecary/core/csrf.py)
@_posted_cart_line
def cart_add(request, cart: Cart, data: dict):
    """Add packs to the cart: a pack id and a quantity (1–20). Any price sent along is ignored."""
    pack = _sellable_pack(data["pack"])
    back = safe_next(request, reverse("orders:cart"))
    if not pack.in_stock:
        messages.error(request, f"{pack.name} is out of stock.")
        return see_other(back)
    refusal = pack_not_sold_online(pack)
    if refusal:
        messages.error(request, refusal)
        return see_other(back)
    before = cart.quantity(pack.pk)
    after = cart.add(pack.pk, data["quantity"], limit=services.room_in_cart(pack, cart.quantities()))
    added = after - before
    if added < data["quantity"]:
        message = f"{_limit_text(pack)}: your cart now has {after} × {pack.name}."
        (messages.warning if added else messages.error)(request, message)
    else:
        messages.success(request, f"Added {added} × {pack.name} to your cart.")
    return see_other(back)


def _limit_text(pack: Pack) -> str:
    """ "At most 2 packs of Ibuprofen 200 mg tablet per order" (all its pack sizes together), or the shop's limit."""
    limit = services.packs_allowed(pack.product)
    if pack.product.max_packs_per_order is None:
        return f"At most {limit} packs of each item"
    return f"At most {limit} pack{'s' if limit != 1 else ''} of {pack.product.name} per order, all pack sizes together"


@_posted_cart_line
def cart_update(request, cart: Cart, data: dict):
    """Change the number of packs of a line already in the cart."""
    pack_id = data["pack"]
    if pack_id not in cart:
        raise Http404("That is not in your cart.")
    pack = Pack.objects.sellable().select_related("product__medicine").filter(pk=pack_id).first()
    if pack is None:  # no longer sold: the cart page takes it out and says so
        return see_other(reverse("orders:cart"))
    room = services.room_in_cart(pack, cart.quantities())
    if data["quantity"] <= room:
        cart.set(pack_id, data["quantity"])
        messages.success(request, "Your cart has been updated.")
    elif room:
        kept = cart.set(pack_id, room, limit=room)
        messages.warning(request, f"{_limit_text(pack)}: your cart now has {kept} × {pack.name}.")
    else:
        messages.error(request, f"{_limit_text(pack)}: your cart still has {cart.quantity(pack_id)} × {pack.name}.")
    return see_other(reverse("orders:cart"))


@require_POST
def cart_remove(request):
    cart = Cart(request.session)
    try:
        pack_id = int(request.POST.get("pack", ""))
    except ValueError:
        return _cart_page(request, cart, errors=["Choose what to remove."], status=400)
    if pack_id in cart:
        cart.remove(pack_id)
        messages.success(request, "Removed from your cart.")
    return see_other(reverse("orders:cart"))


# ---------------------------------------------------------------------------
# Checkout


def checkout(request):
    """Address, payment and one ``place_order`` call; the same form sent twice makes one order."""
    cart = Cart(request.session)
    user = request.user if request.user.is_authenticated else None
    priced = cart.priced()
    guest_needs_account = priced.needs_prescription and user is None
    # The patient's health details, asked once: a prescription or pharmacy-medicine cart whose patient lacks them.
    needs_health = cart_needs_health_details(priced, user)
    health_form = None
    status = 200
    if request.method == "POST":
        if ratelimit.client_exceeded(request, "checkout"):
            return ratelimit.too_many_requests(request, "checkout", "check out")
        form = CheckoutForm(request.POST, user=user)
        questionnaires = _questionnaires(priced, request.POST)
        health_form = HealthDetailsForm(request.POST, user=user) if needs_health else None
        forms_valid = [form.is_valid(), *(questionnaire.is_valid() for questionnaire in questionnaires)]
        if health_form is not None:
            forms_valid.append(health_form.is_valid())
        if guest_needs_account:
            status = 403
        elif not all(forms_valid):
            status = 400
        else:
            try:
                order = services.place_order(
                    quantities=cart.quantities(),
                    customer=user,
                    email=form.cleaned_data["email"],
                    address=form.address,
                    payment_method=form.cleaned_data["payment_method"],
                    checkout_token=form.cleaned_data["checkout_token"],
                    health_answers=[questionnaire.answers() for questionnaire in questionnaires],
                    health=health_form.health if health_form is not None else None,
                    shipping=form.cleaned_data["shipping"],
                    save_address=form.save_typed_address,
                )
            except services.OrderError as error:  # out of stock, no longer sold, controlled medicine…
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                if order.customer_id != (user.pk if user else None):
                    raise Http404("No such order.")  # another person's checkout token
                cart.clear()
                if order.customer_id is None:
                    _remember_guest_order(request, order)
                messages.success(request, f"Thank you: your order {order.number} has been placed.")
                return see_other(order_url(order))
    else:
        if not len(cart):
            messages.info(request, "Your cart is empty: add a medicine before checking out.")
            return see_other(reverse("orders:cart"))
        form = CheckoutForm(user=user)
        questionnaires = _questionnaires(priced)
        health_form = HealthDetailsForm(user=user) if needs_health else None
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "health_form": health_form,
            "priced": priced,
            "guest_needs_account": guest_needs_account,
            "checkout_path": reverse("orders:checkout"),
            "questionnaires": questionnaires,
            "pharmacy_medicine_label": pharmacy_identity().pharmacy_medicine_label,
        },
        status=status,
    )


def _questionnaires(priced, data=None) -> list[PharmacyQuestionnaireForm]:
    """A questionnaire per pharmacy medicine in the cart (``orders.services.questionnaire``)."""
    return [PharmacyQuestionnaireForm(data, product=product) for product in services.pharmacy_products(priced)]


# ---------------------------------------------------------------------------
# The order page


def _order_page(request, order: Order, *, prescription_form=None, answer_form=None, status=200):
    is_customer = request.user.is_authenticated and request.user.pk == order.customer_id
    queries = list(order.queries.all())  # the pharmacist's questions and the answers (never the internal notes)
    waiting_for_answer = order.status == OrderStatus.ON_HOLD and any(not query.answered for query in queries)
    awaiting = order.awaiting_prescription
    if awaiting and is_customer and prescription_form is None:
        prescription_form = PrescriptionForm()
    instructions = ""
    if order.payment_due:
        try:
            instructions = payments.get_provider(order.payment_method).instructions(order)
        except ValidationError:  # a payment method since switched off
            instructions = ""
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "events": list(order.events.all()),
            "payment_instructions": instructions,
            "payment_label": dict(payments.choices()).get(order.payment_method, order.payment_method),
            "prescription_form": prescription_form if awaiting and is_customer else None,
            "can_cancel": order.customer_can_cancel,
            "guest_key": order_key(order.number) if order.customer_id is None else "",
            "is_customer": is_customer,
            "max_upload": settings.PRESCRIPTION_MAX_UPLOAD_BYTES,
            **_reorder_context(order, is_customer),
            "queries": queries,
            "answer_form": (answer_form or AnswerForm()) if waiting_for_answer else None,
        },
        status=status,
    )


def _reorder_context(order: Order, is_customer: bool) -> dict:
    """The repeat prescription's box on the customer's order page (none for a guest or without a repeat)."""
    offer = services.reorder_offer(order) if is_customer else None
    return {"reorder": offer, "reorder_token": uuid.uuid4().hex if offer is not None else ""}


@require_POST
def order_reorder(request, number: str):
    """The customer reorders a dispensed order against its repeat prescription."""
    order = _posted_order(request, number)
    if order.customer_id is None:
        raise Http404("No such order.")
    token = (request.POST.get("token") or "")[:64] or uuid.uuid4().hex
    try:
        new_order = services.reorder(order, request.user, token=f"reorder-{token}"[:64])
    except (services.OrderError, ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        return see_other(order_url(order))
    messages.success(request, f"Thank you: order {new_order.number} repeats order {order.number}.")
    return see_other(order_url(new_order))


def order_detail(request, number: str):
    try:
        order = _viewable_order(request, number)
    except LoginRequired:
        return redirect_to_login(request.get_full_path())
    return _order_page(request, order)


@require_POST
def order_prescription(request, number: str):
    """The customer's prescription for an order awaiting one: uploaded, or the prescriber's details."""
    order = _posted_order(request, number)
    if order.customer_id is None:
        raise Http404("No such order.")
    if not order.awaiting_prescription:
        messages.error(request, f"Order {order.number} is not waiting for a prescription.")
        return see_other(order_url(order))
    if ratelimit.exceeded("prescription_upload", f"user-{order.customer_id}"):
        return ratelimit.too_many_requests(request, "prescription_upload", "send prescriptions")
    form = PrescriptionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _order_page(request, order, prescription_form=form, status=400)
    prescription = None
    try:
        with transaction.atomic():
            prescription = prescription_services.submit_prescription(
                request.user,
                more_uploads=form.cleaned_data["file"],
                prescriber_name=form.cleaned_data["prescriber_name"],
                prescriber_contact=form.cleaned_data["prescriber_contact"],
            )
            services.attach_prescription(order, prescription)
    except (ValidationError, services.OrderError, PermissionDenied) as error:
        for stored in getattr(prescription, "stored_files", []):  # its rows were rolled back: nor the files
            stored.delete(save=False)
        if isinstance(error, ValidationError):
            field = "file" if getattr(error, "code", None) in PRESCRIPTION_FILE_ERRORS else None
            form.add_error(field, error.messages)
        else:
            form.add_error(None, str(error))
        order.refresh_from_db()
        return _order_page(request, order, prescription_form=form, status=400)
    messages.success(request, "Thank you: a pharmacist will check your prescription and your order.")
    return see_other(order_url(order))


@require_POST
def order_answer(request, number: str):
    """The patient's answer to the pharmacist's question (a guest's through their signed order link)."""
    order = _posted_order(request, number)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, answer_form=form, status=400)
    try:
        services.answer_query(
            order,
            form.cleaned_data["answer"],
            by=request.user if request.user.is_authenticated else None,
            guest_key=request.POST.get("key", ""),
        )
    except (ValidationError, services.OrderError, PermissionDenied) as error:
        form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        order.refresh_from_db()
        return _order_page(request, order, answer_form=form, status=400)
    messages.success(request, "Thank you: your answer has been sent to the pharmacist.")
    return see_other(order_url(order))


@require_POST
def order_cancel(request, number: str):
    order = _posted_order(request, number)
    try:
        services.cancel_by_customer(order, by=request.user if request.user.is_authenticated else None)
    except services.OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Order {order.number} has been cancelled.")
    return see_other(order_url(order))


@login_required
def order_history(request):
    """The customer's orders, newest first, a page at a time."""
    paginator = Paginator(Order.objects.for_customer(request.user), ORDERS_PER_PAGE)
    return render(request, "orders/history.html", {"page_obj": paginator.get_page(request.GET.get("page"))})
