from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles import services


def tag(request, slug):
    """Every guide and article with one tag."""
    tag = get_object_or_404(Tag, slug=slug)
    return render(request, "articles/tag.html", {"tag": tag, "pages": services.pages_tagged(tag)})
