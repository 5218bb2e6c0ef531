"""References (one record per source, cited from many guides and articles) and the "Evidence check" workflow task."""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Task, TaskState
from wagtail.search import index

from apothecary.core.text import plural

logger = logging.getLogger(__name__)

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """Strip the resolver prefix and ``doi:`` label. DOIs compare case-insensitively (``doi__iexact``)."""
    value = (value or "").strip()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)


class ReferenceKind(models.TextChoices):
    JOURNAL_ARTICLE = "article", "Journal article"
    LABEL = "label", "Product label"
    GUIDELINE = "guideline", "Guideline or regulatory notice"
    WEB_PAGE = "web", "Web page"
    BOOK = "book", "Book"


class VerificationStatus(models.TextChoices):
    """What checking a reference's DOI or PMID against Crossref or PubMed found (evidence/verification.py)."""

    NOT_CHECKED = "not_checked", "Not checked"
    VERIFIED = "verified", "Verified"
    MISMATCH = "mismatch", "Mismatch"
    NOT_FOUND = "not_found", "Not found"
    RETRACTED = "retracted", "Retracted"
    COULD_NOT_CHECK = "could_not_check", "Could not check"


VERIFICATION_FIELDS = ("verification_status", "verification_notes", "verified_at")


class ReferenceQuerySet(models.QuerySet):
    def matching(self, query: str):
        """The references that match every word of ``query`` in one of their fields: authors, title, journal or
        site, DOI (typed with or without its resolver), PMID, or year. "Chou 2004", "10.1016/j.jpainsymman",
        "15276195" and "DailyMed baclofen" each find what an editor means."""
        references = self
        for word in filter(None, map(normalise_doi, query.split())):
            match = (
                models.Q(authors__icontains=word)
                | models.Q(title__icontains=word)
                | models.Q(container__icontains=word)
                | models.Q(doi__icontains=word)
                | models.Q(pmid=word)
            )
            if word.isdigit() and len(word) == 4:
                match |= models.Q(year=int(word))
            references = references.filter(match)
        return references


class Reference(index.Indexed, models.Model):
    """A source a guide or article cites: a paper, a label, a guideline or a page.

    Rules (``clean``):
    - at least one way to find it: a DOI, a PMID, a URL, or a full citation
      (journal or site and year) for a source that has none, such as a notice
      in an official gazette;
    - a DOI has the form 10.NNNN/…, a PMID is digits only.
    """

    kind = models.CharField(max_length=20, choices=ReferenceKind.choices, default=ReferenceKind.JOURNAL_ARTICLE)
    authors = models.CharField(
        max_length=500, blank=True, help_text="As in Vancouver style: “Chou R, Peterson K, Helfand M”."
    )
    title = models.CharField(max_length=500)
    container = models.CharField("journal or site", max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField("volume(issue)", max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    doi = models.CharField("DOI", max_length=255, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    accessed = models.DateField(null=True, blank=True, help_text="For web pages and labels: when it was read.")
    # Written only by evidence.verification, never by an editor's form.
    verification_status = models.CharField(
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.NOT_CHECKED,
        editable=False,
        help_text="What checking the DOI or PMID against Crossref or PubMed found.",
    )
    verification_notes = models.TextField(
        blank=True, editable=False, help_text="The differences found, or why the source could not be checked."
    )
    verified_at = models.DateTimeField(
        "last checked", null=True, blank=True, editable=False, help_text="When the source was last checked."
    )

    objects = ReferenceQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("authors"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        """The short label and the title: two labels of one site ("DailyMed, U.S. National Library of Medicine")
        differ by what they are the label of."""
        title = self.title if len(self.title) <= 90 else self.title[:89].rstrip() + "…"
        return f"{self.short_label}: {title}" if self.short_label != self.title else title

    def clean(self) -> None:
        errors = {}
        self.doi = normalise_doi(self.doi)
        self.pmid = (self.pmid or "").strip()
        if self.doi and not DOI_PATTERN.match(self.doi):
            errors["doi"] = "A DOI looks like 10.1177/1352458516643600."
        if self.pmid and not self.pmid.isdigit():
            errors["pmid"] = "A PMID is a number, e.g. 27207462."
        if not (self.doi or self.pmid or self.url or (self.container and self.year)):
            errors["url"] = (
                "Give a DOI, a PMID or a URL, or at least the journal or site and the year, so a reader can "
                "find the source."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def short_label(self) -> str:
        first_author = self.authors.split(",")[0].strip() if self.authors else self.container
        return " ".join(str(part) for part in (first_author, self.year or "") if part) or self.title

    @property
    def identifier(self) -> str:
        """The DOI or the PMID, as a reader types it: "doi:10.1016/…", "PMID 15276195", both when both are known."""
        return " · ".join(part for part in (self.doi and f"doi:{self.doi}", self.pmid and f"PMID {self.pmid}") if part)

    @property
    def link(self) -> str:
        """The best address for a reader: the DOI resolver, then PubMed, then the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def vancouver(self) -> str:
        """The reference in Vancouver style, as plain text."""
        parts = []
        if self.authors:
            parts.append(self.authors.rstrip(".") + ".")
        parts.append(self.title.rstrip(".") + ".")
        source = self.container
        if source:
            if self.year:
                source += f". {self.year}" if self.kind != ReferenceKind.JOURNAL_ARTICLE else f" {self.year}"
            if self.volume:
                source += f";{self.volume}"
            if self.pages:
                source += f":{self.pages}"
            parts.append(source + ".")
        elif self.year:
            parts.append(f"{self.year}.")
        if self.accessed and not (self.doi or self.pmid):
            parts.append(f"Accessed {self.accessed:%d %b %Y}.")
        return " ".join(parts)


class ReferenceListEntry(Orderable):
    """One row of a page's numbered reference list; the rows' order gives the numbers.

    A page type with a reference list subclasses this and adds its ``page`` ParentalKey.
    """

    reference = models.ForeignKey("evidence.Reference", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("reference")]

    class Meta(Orderable.Meta):
        abstract = True

    @classmethod
    def list_missing(cls, rows, cited: list[int]) -> list[int]:
        """Adds to ``rows`` (a page's reference list, as edited) a row at the end for each reference of ``cited``
        that it lacks, in the order given. Returns the ids added."""
        existing = list(rows.all())
        listed = {row.reference_id for row in existing}
        missing = [pk for pk in dict.fromkeys(cited) if pk is not None and pk not in listed]
        last = max((row.sort_order or 0 for row in existing), default=-1)
        for offset, pk in enumerate(missing, start=1):
            rows.add(cls(reference_id=pk, sort_order=last + offset))
        return missing

    @staticmethod
    def numbered(rows) -> list:
        """The rows in order with their references (read in one query, also for the rows of a revision, which
        ``select_related`` does not reach), each with ``number`` set (1, 2, 3…)."""
        rows = list(rows.select_related("reference").order_by("sort_order", "pk"))
        unread = {row.reference_id for row in rows if not type(row).reference.is_cached(row)}
        references = Reference.objects.in_bulk(unread) if unread else {}
        for number, row in enumerate(rows, start=1):
            row.number = number
            if row.reference_id in references:
                row.reference = references[row.reference_id]
        return rows


class EvidenceCheckTask(Task):
    """A workflow step that runs the content audit on the submitted revision, with no one to click.

    It finishes as soon as a page reaches it (``start``): approved when the audit finds no errors, so the
    workflow moves on (to the pharmacist's approval); rejected otherwise, with a comment that lists each error
    by place, so the editor sees what to fix and submits again, which runs the check again. Warnings never
    block. A page type is audited through its ``audit_content`` method (``evidence.audit``).
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = "Evidence check"
        verbose_name_plural = "Evidence checks"

    @classmethod
    def get_description(cls) -> str:
        return (
            "Runs by itself: passes when the content audit finds no errors in the submitted version "
            "(uncited figures, unlisted or failed sources, placeholder references…), else sends the page back "
            "to its editor with the errors to fix."
        )

    def start(self, workflow_state, user=None) -> TaskState:
        task_state = super().start(workflow_state, user=user)
        try:
            findings = audit_revision(task_state.revision)
        except Exception:  # a crash of the audit must stop the page, not let it through or stall the workflow
            logger.exception("The evidence check could not audit revision %s", task_state.revision_id)
            task_state.reject(update=False, comment=CHECK_FAILED)
            return task_state
        errors = errors_in(findings)
        if errors:
            task_state.reject(update=False, comment=rejection_comment(errors, len(findings) - len(errors)))
        else:
            task_state.approve(update=False, comment=approval_comment(len(findings)))
        # WorkflowState.update() moves the workflow on (approved) or back to the editor (rejected).
        return task_state

    @classmethod
    def rejection_for(cls, page) -> TaskState | None:
        """The evidence check's rejection of ``page``, if that is where the page's workflow stands now."""
        state = page.current_workflow_state
        if state is None or state.status != state.STATUS_NEEDS_CHANGES or state.current_task_state is None:
            return None
        if not isinstance(state.current_task_state.task.specific, cls):
            return None
        return state.current_task_state


CHECK_FAILED = "The evidence check could not run on this version; ask the site's developers, then submit again."


def audit_revision(revision) -> list:
    """The audit's findings for one saved revision of a page (or of any object with ``audit_content``)."""
    from evidence.audit import audit_page

    return audit_page(revision.as_object())


def errors_in(findings: list) -> list:
    """The findings that block publishing."""
    from evidence.audit import Severity

    return [finding for finding in findings if finding.severity is Severity.ERROR]


def rejection_comment(errors: list, warning_count: int = 0) -> str:
    """What the editor reads in the workflow history: a first line saying what to do, then one line per error
    with its place ("1. How it works: “20%” has no citation.")."""
    also = f" (and {plural(warning_count, 'warning')}; warnings never block)" if warning_count else ""
    lines = [f"The evidence check found {plural(len(errors), 'error')}{also}; fix and submit again."]
    lines += [f"{number}. {error.place}: {error.message}." for number, error in enumerate(errors, start=1)]
    return "\n".join(lines)


def approval_comment(warning_count: int) -> str:
    """What the workflow history says when the check passes."""
    if not warning_count:
        return "No problems found by the content audit."
    return f"No errors found; {plural(warning_count, 'warning')} to look at."
