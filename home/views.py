from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from apothecary.core import ratelimit
from home import search as site_search
from home import services

RESULTS_PER_PAGE = 10


def search(request):
    """Search guides and articles: generic and brand names, conditions, text; a misspelt query is corrected
    from the site's own vocabulary ("Showing results for baclofen") or answered with "Did you mean …?"."""
    query = services.clean_query(request.GET.get("q", ""))
    context = {"search_query": query, "results": None}
    if query and ratelimit.client_exceeded(request, "search"):
        return ratelimit.too_many_requests(request, "search", "search")
    if query:
        outcome = site_search.run(query)
        results = Paginator(outcome.ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results.object_list = site_search.results_for(list(results.object_list))
        context.update(
            results=results,
            shown_query=outcome.shown_query,
            corrected=outcome.corrected,
            suggestion=outcome.suggestion,
            suggestion_url=site_search.search_url(outcome.suggestion) if outcome.suggestion else "",
        )
    return render(request, "home/search.html", context)


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def search_suggest(request):
    """``/search/suggest/?q=bac``: up to eight names from the site's vocabulary for the search box to offer,
    ``{"suggestions": [{"label", "url", "kind", "detail"}]}``; a missing, empty or over-long ``q`` is a 400 with
    ``{"error": …}``. Counted with the search's rate limit."""
    text = request.GET.get("q")
    if text is None or not text.strip():
        return json_error("Give q, the start of what you are looking for.", 400)
    if len(text) > site_search.MAX_SUGGEST_LENGTH:
        return json_error(f"q is longer than {site_search.MAX_SUGGEST_LENGTH} characters.", 400)
    if ratelimit.client_exceeded(request, "search"):
        response = json_error("Too many searches; try again in a minute.", 429)
        response["Retry-After"] = str(settings.RATE_LIMITS["search"][1])
        return response
    found = site_search.suggestions(services.clean_query(text))
    return JsonResponse(
        {"suggestions": [{"label": t.label, "url": t.url, "kind": t.kind, "detail": t.detail} for t in found]}
    )


def page_not_found(request, exception=None):
    """The 404 page, offering the guide nearest to the address's last part ("/medicines/baclofn/": Baclofen)."""
    last = next((part for part in reversed(request.path.split("/")) if part), "")
    suggestion = site_search.closest_guide(last[: site_search.MAX_SUGGEST_LENGTH]) if last else None
    return render(request, "404.html", {"suggestion": suggestion}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the site's own page, saying what to do (Django's says it to developers)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    # Rendered without a context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def pharmacy_link(request, kind: str):
    """/pharmacy/register/, /pharmacy/privacy/, /pharmacy/terms/: the site's own address for the pharmacy's entry in
    its regulator's register, its privacy notice and its terms (set in the pharmacy settings), so that an e-mail
    links only to the site. 404 when the setting is empty."""
    from django.http import Http404
    from django.shortcuts import redirect

    from home.models import PharmacySettings

    url = PharmacySettings.for_request(request).public_links().get(kind, "")
    if not url:
        raise Http404("The pharmacy has not set this address.")
    return redirect(url)
