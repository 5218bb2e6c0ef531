"""The addresses search engines and feed readers fetch: /sitemap.xml, /robots.txt and /feed/."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from seo import feeds, views

urlpatterns = [
    path("sitemap.xml", sitemap),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feed/", feeds.latest_content, name="feed"),
]
