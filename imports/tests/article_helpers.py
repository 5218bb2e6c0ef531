"""What the article import tests share: the fixture files, and running the command."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from wagtail.models import Page

from articles.models import ArticlePage
from evidence.models import Reference

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "baclofen-page.txt"
POST = FIXTURES / "wordpress-post.html"
SMITH_DOI = "10.1177/1352458516645450"
DOE_DOI = "10.1002/jcph.1337"


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_article", *(str(arg) for arg in args), stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), ArticlePage.objects.count(), Reference.objects.count()
