from django import template
from django.utils.safestring import SafeString

from ecoute.resources.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """`{{ resource.body|markdown }}`: Markdown rendered without raw HTML (see rendering.py)."""
    return render_markdown(text or "")
