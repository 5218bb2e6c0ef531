from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from home import services

RESULTS_PER_PAGE = 10


def search(request):
    """Search guides and articles: generic and brand names, conditions, text."""
    query = services.clean_query(request.GET.get("q", ""))
    results = None
    if query:
        paginator = Paginator(services.search_pages(query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = services.specific_results(results.object_list)
    return render(request, "home/search.html", {"search_query": query, "results": results})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
