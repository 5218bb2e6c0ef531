"""Guides in the admin: a change of prescription status is refused on the Publish button and in bulk publish, with
the rule in the message (``MedicinePage.publish`` refuses it on every other path)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet

from apothecary.core.admin import CreateOnceView
from medicines.models import MedicinePage
from medicines.services import publication_refusal


def _refusal(page) -> str:
    page = page.specific
    if not isinstance(page, MedicinePage):
        return ""
    revision = page.get_latest_revision()
    return publication_refusal(page, revision) if revision else ""


@hooks.register("register_admin_viewset")
def register_guide_pages_viewset():
    """A new guide saved twice in a moment (the autosave, then "Save draft") is created once."""
    return PageViewSet("guide_pages", model=MedicinePage, add_view_class=CreateOnceView)


@hooks.register("before_publish_page")
def refuse_to_publish_a_prescription_status_change(request, page):
    """The edit was saved as a draft; its publication is refused, and the editor is told why."""
    refusal = _refusal(page)
    if not refusal:
        return None
    messages.error(request, format_html("{} The changes are kept as a draft.", refusal))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_to_bulk_publish_prescription_status_changes(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    refusals = [refusal for refusal in (_refusal(page) for page in objects if hasattr(page, "specific")) if refusal]
    if not refusals:
        return None
    messages.error(
        request,
        format_html(
            "Nothing was published. <ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in refusals))
        ),
    )
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("wagtailadmin_explore_root")
    return redirect(back)


@hooks.register("construct_page_action_menu")
def no_publish_button_on_a_new_guide(menu_items, request, context):
    """A new guide goes live only through Guide review: its create screen offers saving and submitting."""
    kind = request.resolver_match.kwargs if request.resolver_match else {}
    creating = (kind.get("content_type_app_name"), kind.get("content_type_model_name"))
    if context.get("view") == "create" and creating == ("medicines", "medicinepage"):
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


@hooks.register("before_create_page")
def save_a_new_guide_sent_to_publish_as_a_draft(request, parent_page, page_class):
    """A Publish sent for a new guide anyway (an old form, a script) saves it as a draft, and says why."""
    if request.method == "POST" and issubclass(page_class, MedicinePage) and "action-publish" in request.POST:
        data = request.POST.copy()
        del data["action-publish"]
        request.POST = data
        messages.warning(
            request,
            "A new guide goes live only when a pharmacist approves it: it was saved as a draft. Submit it to Guide "
            "review.",
        )
    return None
