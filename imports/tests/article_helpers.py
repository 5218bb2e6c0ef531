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


def long_post(sections: int = 60) -> str:
    """A long legacy post, made up for the editor's tests: ``sections`` sections of a heading, two paragraphs (a
    long one with a link) and a list; a 12-row table every third section, a quote every fifth; 60 references and
    two tags. 60 sections make 272 blocks and 20 tables."""
    text = (
        "Placebonol is a made-up medicine that acts on nothing at all, and its dose is raised slowly over several "
        "weeks in this example. "
    ) * 4
    parts = ["<article><h1>A long guide to placebonol</h1>"]
    for s in range(1, sections + 1):
        parts.append(f"<h2>Section {s}: topic {s}</h2>")
        parts.append(f"<p>About {s}% of people in study {s} felt drowsy [{s % 30 + 1}]. More about part {s}.</p>")
        parts.append(f"<p>How placebonol works, part {s}. {text}<a href='https://example.org/{s}'>More</a></p>")
        parts.append(f"<ul><li>Point one of {s}</li><li>Point two of {s}</li></ul>")
        if s % 3 == 0:
            rows = "".join(
                f"<tr><td>Trial {s}.{r}</td><td>{s * 10 + r}</td><td>{r}% fewer</td></tr>" for r in range(12)
            )
            parts.append(f"<table><caption>Figures {s}</caption><tr><th>Study</th><th>N</th><th>Finding</th></tr>")
            parts.append(f"{rows}</table>")
        if s % 5 == 0:
            parts.append(f"<p>“Finding number {s} of a study.” – Journal {s}</p>")
    parts.append("<h2>References</h2><ol>")
    for r in range(1, 61):
        parts.append(f"<li>Author{r} A, Writer B. A study of thing {r}. J Test Med. 20{10 + r % 10};{r}(2):1-9.</li>")
    parts.append("</ol><p>Tags: placebonol, dosing</p></article>")
    return "".join(parts)
