"""References: one record per source, cited from many guides and articles."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index

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

    search_fields = [
        index.SearchField("title"),
        index.SearchField("authors"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.short_label

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

    @staticmethod
    def numbered(rows) -> list:
        """The rows in order with their references, each with ``number`` set (1, 2, 3…)."""
        rows = list(rows.select_related("reference").order_by("sort_order", "pk"))
        for number, row in enumerate(rows, start=1):
            row.number = number
        return rows
