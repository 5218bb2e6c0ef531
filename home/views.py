from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from apothecary.core import ratelimit
from home import services

RESULTS_PER_PAGE = 10


def search(request):
    """Search guides and articles: generic and brand names, conditions, text."""
    query = services.clean_query(request.GET.get("q", ""))
    results = None
    if query and ratelimit.client_exceeded(request, "search"):
        return ratelimit.too_many_requests(request, "search", "search")
    if query:
        paginator = Paginator(services.search_pages(query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = services.specific_results(results.object_list)
    return render(request, "home/search.html", {"search_query": query, "results": results})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the site's own page, saying what to do (Django's says it to developers)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    # Rendered without a context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
