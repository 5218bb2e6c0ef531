from django.template import Context, Template
from django.utils.safestring import mark_safe


def render(value):
    return Template("{% load evidence_tags %}{{ value|cite_links }}").render(Context({"value": value}))


def test_markers_become_links_to_numbered_references():
    html = render("About 13 times the maximum human dose [1]. Reported in newborns [2, 3].")
    assert '<sup class="cite"><a href="#ref-1" aria-label="Reference 1">[1]</a></sup>' in html
    assert '<a href="#ref-2" aria-label="Reference 2, 3">[2, 3]</a>' in html


def test_plain_text_is_escaped_and_rich_text_kept():
    assert render("<script>x</script> [1]").startswith("&lt;script&gt;x&lt;/script&gt; <sup")
    assert render(mark_safe("<p>Taper slowly [4].</p>")).startswith('<p>Taper slowly <sup class="cite">')
    assert render("No marker here, [x] or [].") == "No marker here, [x] or []."
