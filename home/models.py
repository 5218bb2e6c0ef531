"""The home page and the site-wide texts an editor sets once."""

from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site

from apothecary.core.freshness import remember
from apothecary.core.identity import PharmacyIdentity


class HomePage(Page):
    """The front page: a search box, the drug classes, guides and the latest articles."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["medicines.MedicineIndexPage", "medicines.DrugClassIndexPage", "articles.ArticleIndexPage"]
    max_count = 1

    # The lists the page shows, as methods: worked out only when the template's fragment is rendered, not when it is
    # kept (Wagtail's ``public()`` reads the view restrictions as soon as it is called).
    def drug_classes(self):
        from medicines.models import DrugClassPage

        return DrugClassPage.objects.live().public().descendant_of(self).order_by("title")

    def first_guides(self):
        from medicines.models import MedicinePage

        guides = MedicinePage.objects.live().public().descendant_of(self)
        return guides.select_related("drug_class").order_by("title")[:12]

    def latest_articles(self):
        from articles.models import ArticlePage

        return ArticlePage.objects.live().public().descendant_of(self).order_by("-first_published_at")[:3]


class Jurisdiction(models.TextChoices):
    UK = "uk", "United Kingdom"
    US = "us", "United States"


# What differs between jurisdictions, as defaults for the settings an editor may overwrite: the regulator's name,
# what its registration number is called, and whether "pharmacy medicine (P)" is a legal category.
JURISDICTION_DEFAULTS = {
    Jurisdiction.UK: {
        "regulator_name": "General Pharmaceutical Council (GPhC)",
        "registration_label": "GPhC registration number",
        "pharmacy_medicine_label": "Pharmacy medicine (P)",
        "side_effect_scheme_name": "the Yellow Card scheme (MHRA)",
        "side_effect_scheme_url": "https://yellowcard.mhra.gov.uk",
    },
    Jurisdiction.US: {
        "regulator_name": "State board of pharmacy",
        "registration_label": "State board license number",
        "pharmacy_medicine_label": "Sold after a pharmacist's check",
        "side_effect_scheme_name": "MedWatch (FDA)",
        "side_effect_scheme_url": "https://www.fda.gov/safety/medwatch",
    },
}


@register_setting(icon="cog")
class PharmacySettings(BaseSiteSetting):
    """Texts shown on every page: the pharmacy's details and its disclaimers, and its legal identity (the footer,
    every order e-mail and dispensing label, through ``apothecary.core.identity.pharmacy_identity``)."""

    pharmacy_name = models.CharField(
        "trading name", max_length=120, default="Apothecary", help_text="The name the pharmacy trades under."
    )
    medical_disclaimer = models.TextField(
        default=(
            "This guide is for information only and does not replace advice from your doctor or "
            "pharmacist. Read the leaflet that comes with your medicine, and ask a health "
            "professional before you start, stop or change any medicine."
        )
    )
    price_notice = models.TextField(
        default="Prices on this demonstration site are illustrative and are not offers to sell."
    )
    contact_email = models.EmailField(blank=True, help_text="Shown in the footer; leave empty to hide.")

    # The legal identity
    legal_name = models.CharField(
        "registered (legal) name",
        max_length=200,
        blank=True,
        help_text="The name of the company or person registered with the regulator, e.g. “Example Pharmacy Ltd”.",
    )
    registered_address = models.TextField(
        blank=True, help_text="The registered premises' address, one line per line, as on the register."
    )
    jurisdiction = models.CharField(
        max_length=2,
        choices=Jurisdiction.choices,
        default=Jurisdiction.US,
        help_text="Where the pharmacy is registered: gives the regulator's name and the labels below their "
        "defaults (UK: GPhC registration number, “Pharmacy medicine (P)”; US: state board license number).",
    )
    registration_number = models.CharField(
        max_length=50,
        blank=True,
        help_text="The premises' registration (or license) number on the regulator's register.",
    )
    regulator_name = models.CharField(
        max_length=120, blank=True, help_text="Empty: the jurisdiction's (General Pharmaceutical Council, state board)."
    )
    regulator_register_url = models.URLField(
        "regulator's register link",
        blank=True,
        help_text="The page of the regulator's public register that shows this pharmacy, so patients can check it.",
    )
    registration_label = models.CharField(
        max_length=80, blank=True, help_text="What the number is called; empty: the jurisdiction's label."
    )
    pharmacy_medicine_label = models.CharField(
        "pharmacy medicine label",
        max_length=80,
        blank=True,
        help_text="How a pharmacy medicine is named in the shop; empty: the jurisdiction's label.",
    )
    superintendent_pharmacist = models.CharField(
        max_length=120,
        blank=True,
        help_text="Name (and registration number) of the pharmacist responsible for the pharmacy.",
    )
    phone = models.CharField(max_length=40, blank=True, help_text="The pharmacy's phone number for patients.")
    complaints = models.TextField(
        "how to complain",
        blank=True,
        help_text="How a patient complains, and to whom they may escalate (e.g. the regulator).",
    )
    privacy_notice_url = models.URLField("privacy notice link", blank=True)
    terms_url = models.URLField("terms and conditions link", blank=True)

    # Safety: what a reader who posts a question is shown at once (``discussion.triage``)
    emergency_number = models.CharField(
        max_length=40, blank=True, help_text="The local emergency number (e.g. 911, 999, 112); empty: not shown."
    )
    poison_control = models.CharField(
        "poison control", max_length=120, blank=True, help_text="The poison control centre's number; empty: not shown."
    )
    crisis_line = models.CharField(
        max_length=120,
        blank=True,
        help_text="A crisis line for thoughts of self-harm or suicide (name and number); empty: not shown.",
    )
    side_effect_scheme_name = models.CharField(
        "side-effect reporting scheme",
        max_length=120,
        blank=True,
        help_text="Where patients report side effects to the medicines regulator; empty: the jurisdiction's "
        "(MedWatch in the US, the Yellow Card scheme in the UK).",
    )
    side_effect_scheme_url = models.URLField(
        "side-effect reporting link", blank=True, help_text="Empty: the jurisdiction's reporting page."
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("pharmacy_name"), FieldPanel("medical_disclaimer"), FieldPanel("price_notice")],
            heading="Site texts",
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_name"),
                FieldPanel("registered_address"),
                FieldPanel("jurisdiction"),
                FieldRowPanel([FieldPanel("registration_number"), FieldPanel("registration_label")]),
                FieldRowPanel([FieldPanel("regulator_name"), FieldPanel("regulator_register_url")]),
                FieldPanel("superintendent_pharmacist"),
                FieldPanel("pharmacy_medicine_label"),
            ],
            heading="Legal identity (shown in the footer, on order e-mails and on dispensing labels)",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("contact_email")]),
                FieldPanel("complaints"),
                FieldRowPanel([FieldPanel("privacy_notice_url"), FieldPanel("terms_url")]),
            ],
            heading="Contact, complaints, privacy and terms",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("emergency_number"), FieldPanel("poison_control")]),
                FieldPanel("crisis_line"),
                FieldRowPanel([FieldPanel("side_effect_scheme_name"), FieldPanel("side_effect_scheme_url")]),
            ],
            heading="Safety (shown at once to a reader whose question reads as an emergency or reports a side effect)",
        ),
    ]

    class Meta:
        verbose_name = "pharmacy settings"

    CACHE_SECONDS = 300

    @classmethod
    def cache_key(cls, site_id) -> str:
        return f"pharmacy-settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        """The site's settings, from the cache when possible (every page shows them)."""
        return remember(cls.cache_key(site.pk), lambda: super(PharmacySettings, cls).for_site(site), cls.CACHE_SECONDS)

    def jurisdiction_default(self, name: str) -> str:
        return JURISDICTION_DEFAULTS.get(self.jurisdiction, JURISDICTION_DEFAULTS[Jurisdiction.US])[name]

    @property
    def side_effect_scheme(self) -> tuple[str, str]:
        """Where patients report a side effect to the medicines regulator: (name, link), the jurisdiction's when
        left empty."""
        return (
            self.side_effect_scheme_name or self.jurisdiction_default("side_effect_scheme_name"),
            self.side_effect_scheme_url or self.jurisdiction_default("side_effect_scheme_url"),
        )

    def public_links(self) -> dict[str, str]:
        """The pharmacy's addresses elsewhere that the site links to through /pharmacy/<kind>/ (``views``)."""
        return {"register": self.regulator_register_url, "privacy": self.privacy_notice_url, "terms": self.terms_url}

    @property
    def identity(self) -> PharmacyIdentity:
        """The legal identity these settings hold, the jurisdiction's defaults filling what is left empty."""
        return PharmacyIdentity(
            name=self.pharmacy_name,
            legal_name=self.legal_name,
            address=self.registered_address,
            registration_number=self.registration_number,
            regulator_name=self.regulator_name or self.jurisdiction_default("regulator_name"),
            regulator_register_url=self.regulator_register_url,
            superintendent_pharmacist=self.superintendent_pharmacist,
            phone=self.phone,
            email=self.contact_email,
            complaints=self.complaints,
            privacy_notice_url=self.privacy_notice_url,
            terms_url=self.terms_url,
            jurisdiction=self.jurisdiction,
            link_paths=tuple(
                (kind, reverse("pharmacy_link", args=[kind])) for kind, url in self.public_links().items() if url
            ),
            registration_label=self.registration_label or self.jurisdiction_default("registration_label"),
            pharmacy_medicine_label=self.pharmacy_medicine_label
            or self.jurisdiction_default("pharmacy_medicine_label"),
        )


IDENTITY_CACHE_KEY = "pharmacy-identity:default-site"


def default_site_identity() -> PharmacyIdentity:
    """The default site's identity (for e-mails, labels: no request), cached like the settings."""

    def build() -> PharmacyIdentity:
        site = Site.objects.filter(is_default_site=True).first()
        return PharmacySettings.for_site(site).identity if site is not None else PharmacyIdentity()

    return remember(IDENTITY_CACHE_KEY, build, PharmacySettings.CACHE_SECONDS)


class FrontCachedPage(models.Model):
    """An address the front cache (nginx, deploy/nginx/) was given a page for: purged when the content changes.

    The app records each one as it answers the front cache (``home.frontcache``), so a purge reaches every page the
    front cache may hold, whichever app server rendered it.
    """

    url = models.CharField(max_length=2000, unique=True)
    sent_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "page in the front cache"
