"""Markdown to safe HTML for resources written in the admin.

markdown-it-py with raw HTML off: `<script>`, `<img onerror>`, `<iframe>` written in a resource
are shown as text, never interpreted; links with `javascript:`, `vbscript:`, `file:` or
`data:` schemes are refused by its link validation. A resource's level-1 headings become
level 2: the page's only <h1> is the resource's title.
"""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> SafeString:
    tokens = _MARKDOWN.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return mark_safe(html)  # noqa: S308 - markdown-it escapes all HTML (html=False) and links
