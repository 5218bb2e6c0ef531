"""The addresses search engines and feed readers fetch: /sitemap.xml, /robots.txt and /feed/."""

from django.urls import path

from seo import feeds, sitemaps, views

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_part, name="sitemap_part"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feed/", feeds.latest_content, name="feed"),
]
