"""The catalogue's CSV screens in the Wagtail admin, beside the Products listing.

- "Export CSV": every pack as a CSV download, in the format ``catalogue.csv`` describes.
- "Import CSV": upload a file, see what it would change and every error (a dry run: nothing is
  written), then "Apply" (a POST with the CSRF token) writes the same file in one transaction, or
  nothing at all. Between the preview and the apply, the file waits in the user's session, never
  in a public place; the apply form names it by digest, so a newer upload in another tab is never
  applied by mistake.

Only users who may change products (packs are part of their product) see or use these screens; a row
that would create a product also needs the permission to add products. Every import is logged
(``catalogue.csv_import`` on each product it touched, and the ``catalogue.csv`` logger), every
export on the project's logger.
"""

from __future__ import annotations

import hashlib
import logging

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from apothecary.core.text import plural
from catalogue import csv as catalogue_csv
from catalogue.forms import ApplyImportForm, CatalogueUploadForm
from catalogue.models import Product

logger = logging.getLogger(__name__)

SESSION_KEY = "catalogue_csv_import"


class CatalogueCSVMixin(PermissionCheckedMixin):
    """For users who may change products; knows the URLs of the listing and of the CSV screens."""

    model = Product
    permission_required = "change"
    index_url_name = None
    import_url_name = None
    apply_url_name = None
    export_url_name = None


class ExportView(CatalogueCSVMixin, View):
    """The catalogue as a CSV download (with a byte-order mark, so that spreadsheets read it as UTF-8)."""

    http_method_names = ["get"]

    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="catalogue-{timezone.localdate():%Y-%m-%d}.csv"'
        response.write("\ufeff")
        count = catalogue_csv.write(response)
        logger.info("Catalogue exported as CSV by %s (%s)", request.user, plural(count, "pack"))
        return response


class ImportView(CatalogueCSVMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload a CSV file and see what it would change (nothing is written here)."""

    template_name = "catalogue/admin/import.html"
    page_title = "Import CSV"
    page_subtitle = "products, packs, prices and stock"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Products"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CatalogueUploadForm())
        context.update(
            import_url=reverse(self.import_url_name),
            apply_url=reverse(self.apply_url_name),
            export_url=reverse(self.export_url_name),
            index_url=reverse(self.index_url_name),
            columns=catalogue_csv.COLUMN_NOTES.items(),
        )
        plan = context.get("plan")
        if plan is not None:
            context.update(changed=plan.changed, unchanged=len(plan.changes) - len(plan.changed))
            if not plan.ok:
                context["refusal"] = catalogue_csv.describe_refusal(plan.errors)
        return context

    def post(self, request):
        form = CatalogueUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data, name = form.cleaned_data["file"], request.FILES["file"].name
        plan = refuse_new_products(catalogue_csv.read(data), self)
        context = {"plan": plan, "file_name": name}
        request.session.pop(SESSION_KEY, None)
        if plan.ok:
            digest = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {"name": name, "digest": digest, "csv": data.decode("utf-8-sig")}
            context["apply_form"] = ApplyImportForm(initial={"digest": digest})
        return self.render_to_response(self.get_context_data(**context))


class ApplyView(ImportView):
    """Apply the file the preview showed, all or nothing, then back to the products with a summary."""

    http_method_names = ["post"]

    def post(self, request):
        form = ApplyImportForm(request.POST)
        upload = request.session.get(SESSION_KEY)
        if not form.is_valid() or not upload or upload["digest"] != form.cleaned_data["digest"]:
            messages.error(
                request,
                "The file to apply is no longer waiting: it was applied or replaced by another upload, or the "
                "session ended. Upload it again.",
            )
            return redirect(self.import_url_name)
        name = upload["name"]
        plan = refuse_new_products(catalogue_csv.read(upload["csv"]), self)
        try:
            written = catalogue_csv.apply(plan, user=request.user, source=f"admin upload “{name}”")
        except catalogue_csv.ImportRefused as refused:
            request.session.pop(SESSION_KEY, None)
            messages.error(request, str(refused))
            plan.errors = refused.errors
            return self.render_to_response(self.get_context_data(plan=plan, file_name=name))
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Imported “{name}”: {written.summary}")
        return redirect(self.index_url_name)


def refuse_new_products(plan: catalogue_csv.Plan, view: PermissionCheckedMixin) -> catalogue_csv.Plan:
    """The plan, with an error on each row that would create a product when the user may not add products."""
    if plan.creates_products and not view.user_has_permission("add"):
        plan.errors += [
            catalogue_csv.RowError(change.row, "", "", "it would create a product, and you may not add products.")
            for change in plan.changes
            if change.creates_product
        ]
        plan.errors.sort(key=lambda error: -1 if error.row is None else error.row)
    return plan
