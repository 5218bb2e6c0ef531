"""The catalogue in the Wagtail admin: "Products" (with their packs, prices and stock), and its CSV import and export.

The CSV screens (``catalogue.views``) hang under the Products listing, whose header shows "Import CSV" and
"Export CSV" to users who may change products.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django_filters import BooleanFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import AdminPageChooser
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from apothecary.core.admin import deletion_blockers
from apothecary.core.roles import is_pharmacist
from catalogue import csv as catalogue_csv
from catalogue import services, views
from catalogue.forms import ProductForm
from catalogue.models import Pack, Product
from catalogue.money import format_money
from medicines.models import MedicinePage


class PacksColumn(Column):
    """Each pack as "30 tablets · $15.30 · 12 in stock"."""

    def get_value(self, instance):
        return "; ".join(
            f"{pack.size_label} · {format_money(pack.price)} · {pack.stock} in stock" for pack in instance.packs.all()
        )


class ApprovalColumn(Column):
    """ "Approved by Sam Rivera, 6 Dec 2026" or "Waiting for a pharmacist"."""

    def get_value(self, instance):
        if not instance.is_approved:
            return "Waiting for a pharmacist: not sold"
        return f"Approved by {instance.approved_by}, {instance.approved_at:%d %b %Y}"


class ProductFilterSet(WagtailFilterSet):
    waiting = BooleanFilter(field_name="approved_by", lookup_expr="isnull", label="Waiting for a pharmacist's approval")
    # Chosen with the page chooser: a list of every guide would be thousands of options on every listing.
    medicine = ModelChoiceFilter(
        queryset=MedicinePage.objects.all(), widget=AdminPageChooser(target_models=[MedicinePage]), label="Medicine"
    )

    class Meta:
        model = Product
        fields = ["form", "active", "medicine"]


class ProductIndexView(IndexView):
    """The products listing, with "Import CSV" and "Export CSV" for users who may change products."""

    import_url_name = None
    export_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.user_has_permission("change"):
            buttons += [
                HeaderButton("Import CSV", url=reverse(self.import_url_name), icon_name="upload", priority=1010),
                HeaderButton("Export CSV", url=reverse(self.export_url_name), icon_name="download", priority=1020),
            ]
        return buttons


class ProductViewSet(SnippetViewSet):
    """Products with their packs, prices and stock, searchable and filterable; imported and exported as CSV."""

    model = Product
    icon = "tag"
    menu_label = "Products"
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = ProductIndexView
    list_display = [
        "__str__",
        Column("medicine", label="Medicine", sort_key="medicine__title"),
        Column("get_form_display", label="Form"),
        "strength",
        PacksColumn("packs", label="Packs, prices and stock"),
        BooleanColumn("active"),
        ApprovalColumn("approved_by", label="Pharmacist approval"),
    ]
    filterset_class = ProductFilterSet
    ordering = ["medicine__title", "form", "strength"]
    list_per_page = 50

    edit_handler = ObjectList(
        [
            *Product.panels,
            MultiFieldPanel(
                [
                    FieldPanel("approve"),
                    FieldPanel("approved_by", read_only=True),
                    FieldPanel("approved_at", read_only=True),
                ],
                heading="Pharmacist approval",
            ),
        ],
        base_form_class=ProductForm,
    )

    def get_queryset(self, request):
        return Product.objects.select_related("medicine", "approved_by").prefetch_related(
            Prefetch("packs", queryset=Pack.objects.order_by("units"))
        )

    def get_csv_view_kwargs(self) -> dict[str, str]:
        return {
            "import_url_name": self.get_url_name("import_csv"),
            "apply_url_name": self.get_url_name("apply_csv"),
            "export_url_name": self.get_url_name("export_csv"),
        }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self.get_csv_view_kwargs(), **kwargs)

    def get_urlpatterns(self):
        csv_kwargs = self.get_csv_view_kwargs()
        return super().get_urlpatterns() + [
            path("import-csv/", self.construct_view(views.ImportView, **csv_kwargs), name="import_csv"),
            path("import-csv/apply/", self.construct_view(views.ApplyView, **csv_kwargs), name="apply_csv"),
            path("export-csv/", self.construct_view(views.ExportView, **csv_kwargs), name="export_csv"),
        ]


register_snippet(ProductViewSet)


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions):
    actions.register_action(catalogue_csv.LOG_ACTION, "Import CSV", "Changed by a CSV import")
    actions.register_action(
        services.APPROVAL_LOG_ACTION,
        "Approve product",
        "A pharmacist approved the product's medicine, form and strength",
    )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def say_a_product_waits_for_a_pharmacist(request, instance):
    if isinstance(instance, Product) and not instance.is_approved:
        messages.warning(
            request,
            f"“{instance}” is not sold until a pharmacist approves its medicine, form, strength and ingredients.",
        )


class ApproveProductsBulkAction(SnippetBulkAction):
    """Pharmacists approve the selected products (after an upgrade, or a CSV import by someone else)."""

    models = [Product]
    display_name = "Approve as a pharmacist"
    action_type = "approve_products"
    aria_label = "Approve the selected products as a pharmacist"
    template_name = "catalogue/admin/confirm_bulk_approve.html"
    action_priority = 10

    def check_perm(self, snippet):
        return is_pharmacist(self.request.user)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for product in objects:
            services.approve_product(product, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return (
            f"{num_parent_objects} product{'s' if num_parent_objects != 1 else ''} approved: they are sold if active."
        )


hooks.register("register_bulk_action", ApproveProductsBulkAction)


@hooks.register("before_delete_snippet")
def refuse_to_delete_ordered_products(request, instances):
    """A product that has been ordered stays (orders keep what was bought); say so instead of failing."""
    products = [instance for instance in instances if isinstance(instance, Product)]
    if products and deletion_blockers(products):
        messages.error(
            request,
            "Nothing was deleted: a product that has been ordered stays, because orders keep what was bought. "
            "Make it inactive instead (it is then hidden from the site).",
        )
        return redirect("wagtailsnippets_catalogue_product:list")
    return None


@hooks.register("before_delete_page")
def refuse_to_delete_a_guide_whose_products_were_ordered(request, page):
    """A guide whose products have been ordered stays (orders keep what was bought): unpublish it instead."""
    from medicines.models import MedicinePage

    guides = MedicinePage.objects.descendant_of(page, inclusive=True)
    if request.method == "POST" and deletion_blockers(Product.objects.filter(medicine__in=guides)):
        messages.error(
            request,
            f"“{page.get_admin_display_title()}” was not deleted: products of it have been ordered, and orders keep "
            "what was bought. Unpublish it instead.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
