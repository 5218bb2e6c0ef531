from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as account_urls
from apothecary.core import routing
from articles import views as article_views
from discussion import urls as discussion_urls
from home import checker as home_checker
from home import views as home_views
from orders import urls as order_urls
from prescriptions import urls as prescription_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("search/suggest/", home_views.search_suggest, name="search_suggest"),
    re_path(r"^pharmacy/(?P<kind>register|privacy|terms)/$", home_views.pharmacy_link, name="pharmacy_link"),
    path("medicines/checker/", home_checker.medicine_checker, name="medicine_checker"),
    path("tags/<slug:slug>/", article_views.tag, name="tag"),
    path("comments/", include(discussion_urls)),
    path("account/", include(account_urls)),
    path("prescriptions/", include(prescription_urls)),
    path("", include(order_urls)),  # cart/, checkout/, orders/<number>/, account/orders/
    path("", include("seo.urls")),  # sitemap.xml, robots.txt, feed/
    path("api/", include("api.urls")),
    path("fhir/", include("api.fhir.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages, served with the routes kept per content version (apothecary/core/routing.py); the rest of
# Wagtail's front-end addresses (password-protected pages) as Wagtail has them.
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
