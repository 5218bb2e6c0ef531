"""Orders in the Wagtail admin.

- "Orders": every order, newest first, filterable by status (with counts) and
  searchable by number, e-mail and name; the order screen shows it whole, with
  the actions its status allows (``orders.admin_views``). Orders are made at
  checkout and moved only through ``orders.services``: there is no add, edit or
  delete screen.
- "Prescriptions to review": the pharmacist's queue (shown to the Pharmacists
  group only) and the review screen; on the dashboard, pharmacists see how many
  orders wait for them and the oldest wait.
- "Carriers": the delivery companies and their tracking pages (staff who ship).

Both are under "Pharmacy" in the main menu.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from apothecary.core.admin import CountedMenuItemMixin, LimitedPermissionPolicy, RecordViewSetMixin
from orders import admin_views
from orders.admin_views import ADMIN_NAMESPACE, OrderFilterSet
from orders.models import Carrier, Order
from orders.services import packs_allowed
from orders.services.log import ACTIONS as ORDER_LOG_ACTIONS
from orders.services.pricing import pack_not_sold_online
from prescriptions.services import is_pharmacist

# The model's permissions ("view", "change", "review", "dispense"), except that nobody adds or deletes orders.
register_permission_policy(Order, LimitedPermissionPolicy(Order, refused=["add", "delete"]))


class OrderViewSet(RecordViewSetMixin, ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = "Orders"
    menu_name = "orders"
    url_prefix = "orders"
    url_namespace = ADMIN_NAMESPACE
    index_view_class = admin_views.OrderIndexView
    inspect_view_class = admin_views.OrderDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OrderFilterSet
    search_fields = ["number", "email", "full_name"]
    search_backend_name = None  # plain database search on the fields above
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    add_to_reference_index = False

    def get_urlpatterns(self):
        review_queue_kwargs = self.get_index_view_kwargs(
            index_url_name=self.get_url_name("review_queue"),
            index_results_url_name=self.get_url_name("review_queue_results"),
            filterset_class=admin_views.ReviewQueueFilterSet,
            search_fields=None,
            list_filter=None,
            default_ordering=None,
            header_icon="doc-full",
            inspect_url_name=None,
        )
        review_queue = self.construct_view(admin_views.ReviewQueueView, **review_queue_kwargs)
        review_queue_results = self.construct_view(
            admin_views.ReviewQueueView, **review_queue_kwargs, results_only=True
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
            *(path(f"<int:pk>/{name}/", view, name=name) for name, view in admin_views.ACTION_VIEWS.items()),
            *(path(f"<int:pk>/{file}", view, name=name) for name, (file, view) in admin_views.DOCUMENT_VIEWS.items()),
            path("review/", review_queue, name="review_queue"),
            path("review/results/", review_queue_results, name="review_queue_results"),
            path("review/<int:pk>/", admin_views.ReviewView.as_view(), name="review"),
        ]


class CarrierViewSet(ModelViewSet):
    """The delivery companies the ship action offers (the active ones), with their tracking page's address."""

    model = Carrier
    icon = "site"
    menu_label = "Carriers"
    menu_name = "carriers"
    url_prefix = "carriers"
    url_namespace = "carriers_admin"
    form_fields = ["name", "tracking_url", "active"]
    list_display = ["name", "tracking_url", "active"]
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "tracking_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


class PharmacyMenu(ViewSetGroup):
    """The "Pharmacy" menu: the pharmacist's queue (pharmacists only), the orders and the carriers."""

    menu_label = "Pharmacy"
    menu_name = "pharmacy"
    menu_icon = "clipboard-list"
    menu_order = 205
    submenu_hook = "register_pharmacy_menu_item"
    items = (OrderViewSet("orders"), CarrierViewSet("carriers"))


@hooks.register("register_admin_viewset")
def register_pharmacy_menu():
    return PharmacyMenu()


class ReviewQueueMenuItem(CountedMenuItemMixin, MenuItem):
    """Shown to pharmacists only, with the number of orders waiting."""

    def is_shown(self, request):
        return is_pharmacist(request.user)

    def waiting(self, request) -> int:
        return Order.objects.awaiting_review().count()


@hooks.register("register_pharmacy_menu_item")
def register_review_queue_menu_item():

    return ReviewQueueMenuItem(
        "Prescriptions to review",
        reverse(f"{ADMIN_NAMESPACE}:review_queue"),
        name="prescriptions-to-review",
        icon_name="doc-full",
        order=0,  # before "Orders"
    )


class ReviewQueuePanel(Component):
    """The dashboard's "Waiting for a pharmacist": how many orders, by where they wait, the oldest wait and a link
    to the queue (one query)."""

    name = "review_queue"
    template_name = "orders/admin/dashboard_panel.html"
    order = 50  # above Wagtail's own panels

    def get_context_data(self, parent_context):
        from orders.services.queue import queue_summary, waiting_label

        summary = queue_summary()
        return {
            "summary": summary,
            "oldest": waiting_label(summary.oldest_since),
            "queue_url": reverse(f"{ADMIN_NAMESPACE}:review_queue"),
        }


@hooks.register("construct_homepage_panels")
def add_review_queue_panel(request, panels):
    """Pharmacists only."""
    if is_pharmacist(request.user):
        panels.append(ReviewQueuePanel())


@hooks.register("register_log_actions")
def register_order_log_actions(actions):
    for action, (label, message) in ORDER_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("catalogue_pack_actions")
def add_to_cart_form(context, pack) -> str:
    """The product box's "Add to cart" form for a pack in stock (``catalogue`` shows what ``orders`` offers), or why
    it is not sold online (a controlled medicine: ``pricing.not_sold_online``, the rule checkout applies)."""
    # One look-up per product in a page's render.
    reasons = getattr(context, "render_context", {}).setdefault("orders_not_sold_online", {})
    if pack.product_id not in reasons:
        reasons[pack.product_id] = pack_not_sold_online(pack)
    if reasons[pack.product_id]:
        return render_to_string("orders/includes/not_sold_online.html", {"reason": reasons[pack.product_id]})
    return render_to_string(
        "orders/includes/add_to_cart.html",
        {
            "pack": pack,
            "request": context.get("request"),
            "csrf_token": context.get("csrf_token"),
            "max_packs": packs_allowed(pack.product),
        },
    )


RECENT_ORDERS = 3


@hooks.register("account_sections")
def recent_orders(request) -> str:
    """ "Your orders" on the customer's account page: the latest few and a link to them all (``accounts`` shows what
    ``orders`` registers, and needs to know nothing of it)."""
    return render_to_string(
        "orders/includes/account_orders.html",
        {"recent_orders": list(request.user.orders.all()[:RECENT_ORDERS])},
        request=request,
    )
