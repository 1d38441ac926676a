"""Markdown written in the admin never injects HTML or script."""

import pytest

from ecoute.resources.rendering import render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.org'></iframe>",
        "Texte <b onclick='x()'>gras</b>",
    ],
)
def test_raw_html_is_shown_as_text(text):
    html = render_markdown(text)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<b " not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,<x>"]
)
def test_dangerous_link_schemes_are_refused(link):
    html = render_markdown(f"[cliquez]({link})")
    assert "href" not in html


def test_markdown_structures_are_rendered():
    html = render_markdown(
        "# Titre\n\n## Intertitre\n\n- un\n- deux\n\n"
        "**gras** et [lien](https://www.legifrance.gouv.fr)\n\n> citation\n"
    )
    assert "<h2>Titre</h2>" in html  # the page's only h1 is the resource's title
    assert "<h1" not in html
    assert "<h2>Intertitre</h2>" in html
    assert "<ul>\n<li>un</li>" in html
    assert "<strong>gras</strong>" in html
    assert '<a href="https://www.legifrance.gouv.fr">lien</a>' in html
    assert "<blockquote>" in html
