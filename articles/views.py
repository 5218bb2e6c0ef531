from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles import services


def tag(request, slug):
    """Every guide and article with one tag."""
    tag = get_object_or_404(Tag, slug=slug)
    pages = Paginator(services.pages_tagged(tag), 20).get_page(request.GET.get("page"))
    pages.object_list = pages.object_list.specific()
    return render(request, "articles/tag.html", {"tag": tag, "pages": pages})
