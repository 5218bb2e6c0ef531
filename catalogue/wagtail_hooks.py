from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from catalogue.models import Product


class ProductViewSet(SnippetViewSet):
    """Products with their packs, prices and stock, searchable and filterable."""

    model = Product
    icon = "tag"
    menu_label = "Products"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["__str__", "medicine", Column("form", label="Form"), "strength", "active"]
    list_filter = ["form", "active", "medicine"]
    ordering = ["medicine__title", "form", "strength"]
    list_per_page = 50

    def get_queryset(self, request):
        return Product.objects.select_related("medicine")


register_snippet(ProductViewSet)
