"""The home page and the site-wide texts an editor sets once."""

from django.core.cache import cache
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page


class HomePage(Page):
    """The front page: a search box, the drug classes, guides and the latest articles."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["medicines.MedicineIndexPage", "medicines.DrugClassIndexPage", "articles.ArticleIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from articles.models import ArticlePage
        from medicines.models import DrugClassPage, MedicinePage

        context = super().get_context(request, *args, **kwargs)
        context["classes"] = DrugClassPage.objects.live().public().descendant_of(self).order_by("title")
        context["medicines"] = (
            MedicinePage.objects.live().public().descendant_of(self).select_related("drug_class").order_by("title")[:12]
        )
        context["articles"] = (
            ArticlePage.objects.live().public().descendant_of(self).order_by("-first_published_at")[:3]
        )
        return context


@register_setting(icon="cog")
class PharmacySettings(BaseSiteSetting):
    """Texts shown on every page: the pharmacy's details and its disclaimers."""

    pharmacy_name = models.CharField(max_length=120, default="Apothecary")
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

    panels = [
        FieldPanel("pharmacy_name"),
        FieldPanel("medical_disclaimer"),
        FieldPanel("price_notice"),
        FieldPanel("contact_email"),
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
        instance = cache.get(cls.cache_key(site.pk))
        if instance is None:
            instance = super().for_site(site)
            cache.set(cls.cache_key(site.pk), instance, cls.CACHE_SECONDS)
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.cache_key(self.site_id))
