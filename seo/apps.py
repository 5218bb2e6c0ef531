from django.apps import AppConfig


class SeoConfig(AppConfig):
    """What search engines and feed readers read: JSON-LD, meta tags, the feed, the sitemap and robots.txt."""

    name = "seo"
    verbose_name = "Structured data, feed and sitemap"
