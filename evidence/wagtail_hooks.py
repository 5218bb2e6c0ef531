from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from apothecary.core.text import plural
from evidence.choosers import ReferenceChooserViewSet
from evidence.models import EvidenceCheckTask, Reference, audit_revision, errors_in
from evidence.tasks import verify_reference_task
from evidence.views import EvidenceAuditReportView


class ReferenceIndexView(IndexView):
    def search_queryset(self, queryset):
        """Every word in one of the columns, as the chooser searches (``ReferenceQuerySet.matching``)."""
        return queryset.matching(self.search_query) if self.is_searching else queryset


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    index_view_class = ReferenceIndexView
    chooser_viewset_class = ReferenceChooserViewSet
    icon = "doc-full"
    menu_label = "References"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "authors", "container", "year", "doi", "pmid", "verification_status"]
    list_filter = ["kind", "year", "verification_status"]
    search_fields = ["title", "authors", "container", "doi", "pmid"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("authors"),
        FieldPanel("title"),
        FieldPanel("container"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("volume"), FieldPanel("pages")]),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid")]),
        FieldPanel("url"),
        FieldPanel("accessed"),
        MultiFieldPanel(
            [
                FieldPanel("verification_status", read_only=True),
                FieldPanel("verification_notes", read_only=True),
                FieldPanel("verified_at", read_only=True),
            ],
            heading="Verification against Crossref / PubMed",
        ),
    ]


register_snippet(ReferenceViewSet)


# "Save and check the source": for a reference not checked yet, or that could not be checked (Crossref or PubMed did
# not answer), the same check as on save, at once, with its result in a message.
CHECK_SOURCE = "action-check-source"


class CheckSourceMenuItem(ActionMenuItem):
    name = CHECK_SOURCE
    label = "Save and check the source"
    icon_name = "rotate"

    def is_shown(self, context) -> bool:
        instance = context.get("instance")
        return context.get("view") == "edit" and bool(instance and (instance.doi or instance.pmid))


@hooks.register("register_snippet_action_menu_item")
def register_check_source_menu_item(model):
    return CheckSourceMenuItem(order=10) if model is Reference else None


@hooks.register("after_edit_snippet")
def check_the_source_when_asked(request, instance):
    if not (isinstance(instance, Reference) and CHECK_SOURCE in request.POST):
        return None
    if not (instance.doi or instance.pmid):
        messages.warning(request, "This reference has no DOI or PMID to check: check it by hand.")
        return None
    result = verify_reference_task.enqueue(instance.pk)
    if result.is_finished:
        checked = Reference.objects.get(pk=instance.pk)
        notes = f" ({checked.verification_notes})" if checked.verification_notes else ""
        messages.info(request, f"Checked against its source: {checked.get_verification_status_display()}{notes}.")
    else:
        messages.info(request, "The check of its source has started; its result shows here when it ends.")
    return redirect("wagtailsnippets_evidence_reference:edit", instance.pk)


# ---------------------------------------------------------------------------
# The content audit in the admin: the "Evidence audit" report, and why the evidence check sent a page back


class EvidenceAuditMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_admin_urls")
def register_evidence_audit_urls():
    return [
        path("reports/evidence-audit/", EvidenceAuditReportView.as_view(), name="evidence_audit"),
        path(
            "reports/evidence-audit/results/",
            EvidenceAuditReportView.as_view(results_only=True),
            name="evidence_audit_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_evidence_audit_menu_item():
    return EvidenceAuditMenuItem(
        "Evidence audit", reverse("evidence_audit"), name="evidence-audit", icon_name="doc-full", order=1300
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def explain_a_failed_evidence_check(request, page):
    """After a submission that the evidence check sent back, one message in place of Wagtail's "submitted": that it
    was sent back and why, error by error with its place, and the editor stays on the edit screen to fix them."""
    if request.method != "POST" or not ({"action-submit", "action-restart-workflow"} & set(request.POST)):
        return None
    task_state = EvidenceCheckTask.rejection_for(page)
    if task_state is None:
        return None
    summary, *errors = task_state.comment.splitlines()  # one line per error: see rejection_comment()
    items = format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((error_place(line),) for line in errors)))
    drop_success_messages(request)
    messages.error(
        request,
        format_html(
            "“{}” is back with you: {} {}",
            page.get_admin_display_title(),
            summary[:1].lower() + summary[1:],
            items if errors else "",
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def error_place(line: str) -> str:
    """ "3. Side effects, row 2: …" without its number: the list numbers the errors."""
    number, _, rest = line.partition(". ")
    return rest if number.isdigit() else line


def drop_success_messages(request) -> None:
    """Takes back the messages of success queued for this response (Wagtail's "submitted for moderation")."""
    storage = messages.get_messages(request)
    kept = [message for message in storage if message.level != messages.SUCCESS]
    for message in kept:
        messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)


# ---------------------------------------------------------------------------
# The gate holds outside the workflow too: a page whose audit has errors is not published by anyone's
# "Publish" button (edit or create screen, scheduled or not) nor by the pages listing's bulk publish.


def _audit_errors(page) -> list:
    """The errors of the content audit of ``page``'s latest revision (none for page types without an audit)."""
    page = page.specific
    if not hasattr(page, "audit_content"):
        return []
    revision = page.get_latest_revision()
    return errors_in(audit_revision(revision)) if revision else []


@hooks.register("before_publish_page")
def refuse_to_publish_a_page_with_audit_errors(request, page):
    """The revision was just saved as a draft; publishing it is refused, and the editor is told why."""
    errors = _audit_errors(page)
    if not errors:
        return None
    items = format_html_join("", "<li>{}: {}</li>", ((error.place, error.message) for error in errors))
    messages.error(
        request,
        format_html(
            "“{}” was saved as a draft but not published: the content audit found {}. <ul>{}</ul>",
            page.get_admin_display_title(),
            plural(len(errors), "error"),
            items,
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_to_bulk_publish_pages_with_audit_errors(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    blocked = [page for page in objects if isinstance(page, Page) and _audit_errors(page)]
    if not blocked:
        return None
    messages.error(
        request,
        format_html(
            "Nothing was published: the content audit found errors in {}. Open each page to see them.",
            format_html_join(", ", "“{}”", ((page.get_admin_display_title(),) for page in blocked)),
        ),
    )
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("wagtailadmin_explore_root")
    return redirect(back)
